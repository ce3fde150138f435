"""The full-text index over SearchEntry.folded, per database.

The first line of `folded` is the document's folded code and title ("head"), the second
everything else; both indexes keep the head apart so a search can rank documents whose code
and title hold every query word first.

SQLite: an FTS5 table with two columns, `head` and `folded` (all of it), over a view of
documents_searchentry (external content), kept in step by triggers. `prefix='2 3'` adds
indexes of 2- and 3-letter prefixes: Vietnamese syllables are short, so most query words
are prefix queries of 2–4 letters ("ho so" = ho*, so*), which these answer directly instead
of merging every word that starts with them (finding "ho so" in 20,000 documents: 14 ms →
1.4 ms; the index grows from 28 to 67 MB).

PostgreSQL: a stored generated tsvector column, the head with weight A followed by all of
`folded`, with a GIN index; 'simple' only lower-cases, and the text is already folded in
Python, so no extension (unaccent) is needed. A stored vector rather than an expression
index, because ranking and re-checking with an expression index re-parse every matching
document's text: 3 s instead of 50 ms for a word found in all of 20,000 documents. The
column is not a model field; Django never names it, so inserts and updates leave it alone.

Caution (SQLite): a later migration that makes Django rebuild documents_searchentry (most
ALTERs do) drops the triggers; such a migration must run SQLITE_TRIGGERS again.
"""

from django.db import migrations

# The first line of folded (all of it when it has no line break).
_HEAD = "substr({row}.folded, 1, instr({row}.folded || char(10), char(10)) - 1)"
_INSERT = (
    "INSERT INTO documents_searchindex(rowid, head, folded) "
    "VALUES (new.document_id, " + _HEAD.format(row="new") + ", new.folded);"
)
_DELETE = (
    "INSERT INTO documents_searchindex(documents_searchindex, rowid, head, folded) "
    "VALUES ('delete', old.document_id, " + _HEAD.format(row="old") + ", old.folded);"
)

SQLITE_TRIGGERS = [
    "CREATE TRIGGER documents_searchentry_ai AFTER INSERT ON documents_searchentry "
    f"BEGIN {_INSERT} END",
    "CREATE TRIGGER documents_searchentry_ad AFTER DELETE ON documents_searchentry "
    f"BEGIN {_DELETE} END",
    "CREATE TRIGGER documents_searchentry_au AFTER UPDATE ON documents_searchentry "
    f"BEGIN {_DELETE} {_INSERT} END",
]

SQLITE_FORWARD = [
    "CREATE VIEW documents_searchsource AS SELECT document_id, "
    + _HEAD.format(row="documents_searchentry")
    + " AS head, folded FROM documents_searchentry",
    "CREATE VIRTUAL TABLE documents_searchindex USING fts5(head, folded, "
    "content='documents_searchsource', content_rowid='document_id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
    *SQLITE_TRIGGERS,
    # Entries written before this migration.
    "INSERT INTO documents_searchindex(documents_searchindex) VALUES ('rebuild')",
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS documents_searchentry_au",
    "DROP TRIGGER IF EXISTS documents_searchentry_ad",
    "DROP TRIGGER IF EXISTS documents_searchentry_ai",
    "DROP TABLE IF EXISTS documents_searchindex",
    "DROP VIEW IF EXISTS documents_searchsource",
]

POSTGRESQL_FORWARD = [
    "ALTER TABLE documents_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    "(setweight(to_tsvector('simple', split_part(folded, E'\\n', 1)), 'A') "
    "|| to_tsvector('simple', folded)) STORED",
    # Kept in the row, not in TOAST: otherwise the planner, blind to the cost of fetching
    # each vector from TOAST, scans the table for common words (50 ms instead of 7 ms).
    "ALTER TABLE documents_searchentry ALTER COLUMN search_vector SET STORAGE MAIN",
    "CREATE INDEX documents_searchentry_vector ON documents_searchentry "
    "USING gin (search_vector)",
]

POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS documents_searchentry_vector",
    "ALTER TABLE documents_searchentry DROP COLUMN IF EXISTS search_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_documents_revisions_sets_legal_bases")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
