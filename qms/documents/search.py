"""The search box of the document register: one entry per document (code, title, legal
bases, the text of its files), folded once in Python, matched by the database's full-text
index (see migration 0002_search_index): every query word a whole word, AND-ed, except
the last while it is being typed, a word prefix (`qms.lib.search.terms`).

The first line of `SearchEntry.folded` is the folded code and title, the second everything
else. Documents holding the words as a phrase (next to each other, in order) come first;
then those whose code and title hold every word, so a document named by the words ranks
above one whose files merely mention them; then the database's relevance (FTS5 bm25,
PostgreSQL ts_rank), then the code.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import NotSupportedError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    BooleanField,
    Expression,
    F,
    Field,
    FloatField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.query import ModelIterable
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from qms.documents.models import Citation, Document, Revision, RevisionFile, SearchEntry
from qms.lib import search as text_search
from qms.lib.search import Terms
from qms.organization.models import Agency

# A document's searchable body is capped: PostgreSQL refuses a tsvector over 1 MB (an
# error in the index expression would make the whole reindex fail), and nobody searches
# page 300 of a file. TSVECTOR_BUDGET estimates the tsvector's size as it is built.
BODY_CAP = 500_000
TSVECTOR_BUDGET = 700_000
# PostgreSQL keeps at most 256 positions per word in a tsvector.
_MAX_POSITIONS = 256
REINDEX_BATCH = 500


# --- building entries ------------------------------------------------------------------


def _folded_rest(text: str) -> str:
    """The folded words of `text`, stopping before the estimated tsvector would pass
    TSVECTOR_BUDGET (per distinct word: its bytes and an 8-byte entry; 2 bytes a position).
    The word-by-word count runs only when a crude upper bound says it might be needed."""
    found = text_search.words(text)
    folded = " ".join(found)
    if len(folded.encode()) + 8 * len(found) <= TSVECTOR_BUDGET:
        return folded
    kept: list[str] = []
    seen: Counter[str] = Counter()
    size = 0
    for word in found:
        seen[word] += 1
        if seen[word] == 1:
            size += len(word.encode()) + 8
        elif seen[word] <= _MAX_POSITIONS:
            size += 2
        if size > TSVECTOR_BUDGET:
            break
        kept.append(word)
    return " ".join(kept)


def _entry(document: Document, legal: Sequence[str], texts: Sequence[str]) -> SearchEntry:
    head = f"{document.code}\n{document.title}"
    rest = "\n".join([*legal, *texts])[:BODY_CAP]
    return SearchEntry(
        document_id=document.pk,
        agency_id=document.agency_id,
        body=f"{head}\n{rest}".rstrip("\n"),
        # Line 1: code and title (weighed higher); line 2: legal bases and file text.
        folded=text_search.fold(head) + "\n" + _folded_rest(rest),
        updated_at=timezone.now(),
    )


def _searched_revisions(document_ids: Sequence[int]) -> list[Document]:
    """The documents, each with `searched_revision_id`: the revision in force, else the
    latest revision (by number), else None."""
    latest = Revision.objects.filter(document=OuterRef("pk")).order_by("-revision_no")
    return list(
        Document.objects.filter(pk__in=document_ids)
        .annotate(latest_revision_id=Subquery(latest.values("pk")[:1]))
        .only("pk", "agency_id", "code", "title", "current_revision_id")
        .order_by()
    )


def _legal_texts(document_ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    citations = (
        Citation.objects.filter(document_id__in=document_ids)
        .select_related("legal_document")
        .order_by("document_id", "legal_document__number")
    )
    for citation in citations:
        found[citation.document_id].append(citation.legal_document.citation_text())
    return found


def _file_texts(revision_ids: Iterable[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    files = (
        RevisionFile.objects.filter(revision_id__in=list(revision_ids))
        .exclude(text="")
        .order_by("revision_id", "uploaded_at", "pk")
        .values_list("revision_id", "text")
    )
    for revision_id, text in files:
        found[revision_id].append(text)
    return found


def reindex_documents(document_ids: Iterable[int]) -> None:
    """(Re)build the search entry of each document in a fixed number of queries (three
    reads and one upsert; bulk_create splits the upsert only past the database's limit of
    parameters, ~200 documents on SQLite). Safe inside or outside a transaction."""
    ids = sorted(set(document_ids))
    if not ids:
        return
    documents = _searched_revisions(ids)
    chosen = {
        d.pk: d.current_revision_id or d.latest_revision_id  # type: ignore[attr-defined]
        for d in documents
    }
    legal = _legal_texts(ids)
    texts = _file_texts(r for r in chosen.values() if r is not None)
    entries = [
        _entry(d, legal.get(d.pk, []), texts.get(chosen[d.pk], []) if chosen[d.pk] else [])
        for d in documents
    ]
    with transaction.atomic():
        SearchEntry.objects.bulk_create(
            entries,
            update_conflicts=True,
            unique_fields=["document"],
            update_fields=["agency", "body", "folded", "updated_at"],
        )


def reindex_agency(agency: Agency) -> int:
    """Rebuild the entries of every document of `agency` (after a restore or an upgrade),
    in batches so memory stays bounded. Returns how many documents were indexed."""
    ids = list(Document.objects.filter(agency=agency).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), REINDEX_BATCH):
        reindex_documents(ids[start : start + REINDEX_BATCH])
    return len(ids)


# --- matching --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Search:
    where: Expression  # true for the matching documents
    head: Expression  # 1 when every word matches in the code or title, else 0
    phrase: Expression  # 1 when the words stand next to each other, in order, else 0
    rank: Expression  # lower is better


class _SqlAbout(Expression):
    """A scalar SQL snippet about each row of the outer Document query, written against the
    aliases Django chose, so that it stays right when the queryset is joined or nested:
    `{pk}` becomes the document's primary-key column and `{entry}` the alias of the joined
    SearchEntry table (the LEFT JOIN that naming `search_entry__folded` brings in)."""

    def __init__(self, sql: str, params: Sequence[str], output_field: Field | None = None) -> None:
        super().__init__(output_field=output_field or FloatField())
        self.sql, self.params = sql, list(params)
        # Only what the snippet names: a needless join would slow the paginator's count.
        self.refs: list[Any] = [F("pk")]
        if "{entry}" in sql:
            self.refs.append(F("search_entry__folded"))

    def get_source_expressions(self) -> list[Any]:
        return self.refs

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.refs = list(exprs)

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[str | int, ...]]:
        pk, _no_params = compiler.compile(self.refs[0])
        sql = self.sql.replace("{pk}", pk)
        if len(self.refs) > 1:
            folded, _no_params = compiler.compile(self.refs[1])
            sql = sql.replace("{entry}", folded.rsplit(".", 1)[0])  # "alias"."folded" → "alias"
        return "(" + sql + ")", tuple(self.params)


def _fts5_quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _fts5_query(wanted: Terms) -> str:
    # Each term a quoted string (any " doubled); the prefix followed by * .
    whole = [_fts5_quoted(term) for term in wanted.whole]
    return " ".join([*whole, _fts5_quoted(wanted.prefix) + "*"] if wanted.prefix else whole)


def _fts5_phrase(wanted: Terms) -> str:
    # One quoted string is a phrase: the words next to each other, in order.
    return _fts5_quoted(" ".join(wanted.in_order)) + ("*" if wanted.prefix else "")


def _tsquery_terms(wanted: Terms, weight: str = "") -> list[str]:
    # Terms are letters and digits only, but quote them anyway (any ' doubled).
    found = [
        "'" + term.replace("'", "''") + "'" + (f":{weight}" if weight else "")
        for term in wanted.whole
    ]
    if wanted.prefix:
        found.append("'" + wanted.prefix.replace("'", "''") + "':*" + weight)
    return found


def _tsquery(wanted: Terms, weight: str = "", operator: str = "&") -> str:
    return f" {operator} ".join(_tsquery_terms(wanted, weight))


_FTS5_IDS = "SELECT rowid FROM documents_searchindex WHERE documents_searchindex MATCH %s"


def _sqlite(wanted: Terms) -> _Search:
    query = _fts5_query(wanted)
    return _Search(
        # The unary + keeps SQLite from looping over every match to probe the document
        # index for each agency in scope (100 agencies × 20,000 matches); it probes the
        # list of matches for each document in scope instead: 200 ms → 7 ms province-wide.
        where=_SqlAbout(f"+{{pk}} IN ({_FTS5_IDS})", [query], BooleanField()),
        # The same query on the head column only (code and title).
        head=_SqlAbout(f"{{pk}} IN ({_FTS5_IDS})", [f"head : ({query})"], IntegerField()),
        phrase=_SqlAbout(f"{{pk}} IN ({_FTS5_IDS})", [_fts5_phrase(wanted)], IntegerField()),
        # Ranked in one pass over the matches, once per query (MATERIALIZED), then looked
        # up per row: a MATCH per row would re-read the index for every document.
        rank=_SqlAbout(
            "WITH hits AS MATERIALIZED (SELECT rowid AS id, rank AS r "
            "FROM documents_searchindex WHERE documents_searchindex MATCH %s) "
            "SELECT r FROM hits WHERE id = {pk}",
            [query],
        ),
    )


def _postgresql(wanted: Terms) -> _Search:
    query = _tsquery(wanted)
    return _Search(
        where=_SqlAbout(
            "{pk} IN (SELECT document_id FROM documents_searchentry "
            "WHERE search_vector @@ to_tsquery('simple', %s))",
            [query],
            BooleanField(),
        ),
        # The head has weight A in search_vector; :*A matches only there.
        head=_SqlAbout(
            "CASE WHEN {entry}.search_vector @@ to_tsquery('simple', %s) THEN 1 ELSE 0 END",
            [_tsquery(wanted, "A")],
            IntegerField(),
        ),
        phrase=_SqlAbout(
            "CASE WHEN {entry}.search_vector @@ to_tsquery('simple', %s) THEN 1 ELSE 0 END",
            [_tsquery(wanted, operator="<->")],
            IntegerField(),
        ),
        # Negated so that, as with bm25, lower is better. Ranked against the words OR-ed:
        # ts_rank of an AND query weighs every pair of positions (200 ms instead of 35 ms
        # for five common words in 20,000 documents) and saturates near 1 anyway; the 1
        # divides by the log of the length, as bm25 favours the shorter text.
        rank=_SqlAbout(
            "-ts_rank({entry}.search_vector, to_tsquery('simple', %s), 1)",
            [_tsquery(wanted, operator="|")],
        ),
    )


def matching(queryset: QuerySet[Document], query: str) -> QuerySet[Document]:
    """`queryset` narrowed to the documents matching `query` (every folded query word a
    word of the entry, the last one being typed a word prefix), annotated with `search_body`
    (the entry's original text, for snippets), `search_phrase` (1 when the words stand as a
    phrase), `search_head` (1 when the code and title hold every word) and `search_rank`
    (lower is better), ordered by those three then by code. A query with no
    words returns `queryset` unchanged. Lazy: counting it is one query, a slice of it two
    (see `_LateRows`)."""
    wanted = text_search.terms(query)
    if not wanted:
        return queryset
    vendor = connections[queryset.db].vendor
    if vendor == "sqlite":
        found = _sqlite(wanted)
    elif vendor == "postgresql":
        found = _postgresql(wanted)
    else:
        raise NotSupportedError(f"Document search has no index on {vendor}.")
    matches: QuerySet[Document] = (
        queryset.filter(found.where)
        .annotate(search_phrase=found.phrase, search_head=found.head, search_rank=found.rank)
        .order_by("-search_phrase", "-search_head", "search_rank", "code", "pk")
    )
    matches.__class__ = _late_rows_class(type(matches))
    return matches


class _LateRows(QuerySet[Document]):
    """Mixed into the queryset `matching` returns. Ordering the matches needs every one of
    them (the head test and the rank), but a page shows 25: sorted with their columns and
    bodies, 10,000 matches make a temporary B-tree of ~20 MB. A slice (a page) is read in two
    steps instead: the ids of the page, in order (the sort holds the id and the two sort keys
    only), then those rows with their bodies (`search_body`, for the snippet) and whatever
    `select_related` asks for. Without a slice, the rows come with their bodies at once."""

    _plain: type[QuerySet[Document]]

    def _fetch_all(self) -> None:
        if self._result_cache is None and self._iterable_class is ModelIterable:
            plain: QuerySet[Document] = self.all()  # a copy, slice and all
            plain.__class__ = self._plain
            rows: Any
            if self.query.is_sliced:
                rows = _page_rows(plain)
            else:
                rows = list(plain.annotate(search_body=F("search_entry__body")))
            self._result_cache = rows
        super()._fetch_all()


def _page_rows(matches: QuerySet[Document]) -> list[Document]:
    """The rows of one page of `matches`, in its order, with their bodies: 2 queries."""
    ids = list(matches.values_list("pk", flat=True))
    rows = matches.model._default_manager.using(matches.db).filter(pk__in=ids)
    rows.query.select_related = matches.query.select_related
    rows.query.deferred_loading = matches.query.deferred_loading
    found = {d.pk: d for d in rows.annotate(search_body=F("search_entry__body"))}
    return [found[pk] for pk in ids if pk in found]


@functools.cache
def _late_rows_class(base: type[QuerySet[Document]]) -> type[QuerySet[Document]]:
    if issubclass(base, _LateRows):
        return base
    return type(f"Late{base.__name__}", (_LateRows, base), {"_plain": base})
