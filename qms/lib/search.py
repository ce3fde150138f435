"""Diacritic-insensitive matching of Vietnamese text, the same way for the index and the query.

Folding lower-cases (case-folds), drops every combining mark after canonical decomposition
and maps đ to d, so "ĐÁNH GIÁ", "Đánh giá" and "danh gia" all become "danh gia". Words are
runs of letters and digits; the underscore separates words, as it does for SQLite FTS5 and
PostgreSQL's text-search parser, so the three agree on where words start.

`highlight` and `snippet` fold the original text one character at a time, so every folded
word maps back to its span of the original and the user sees the text as written.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_TERMS = 10
# A query is a few words typed in a box; anything longer is not worth folding.
MAX_QUERY_CHARS = 200
_WORD = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"\s+")
ELLIPSIS = "…"


@functools.cache
def _drop_table() -> dict[int, str | None]:
    """str.translate table: combining marks vanish, đ becomes d (after case folding).
    Built on first use: scanning every code point takes ~0.15 s, too long for an import."""
    table: dict[int, str | None] = {
        cp: None for cp in range(sys.maxunicode + 1) if unicodedata.combining(chr(cp))
    }
    table[ord("đ")] = "d"
    return table


def _fold_chars(text: str) -> str:
    """Case-fold, decompose, drop marks, đ→d. Every step works per character (casefold has
    no context rule, unlike lower()'s final sigma), so folding a whole string equals folding
    its characters one by one: that is what lets highlighting map words back."""
    return unicodedata.normalize("NFD", text.casefold()).translate(_drop_table())


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return _fold_chars(char)


def words(text: str) -> list[str]:
    """The folded words of `text`, in order."""
    return _WORD.findall(_fold_chars(text))


def fold(text: str) -> str:
    """The folded words of `text` joined by single spaces: "Đánh giá nội bộ" → "danh gia noi bo"."""
    return " ".join(words(text))


def terms(query: str) -> list[str]:
    """The folded words of a search query, each to be matched as the prefix of some word.
    Repeats, and words that are the prefix of another term (already implied by it), are
    dropped; at most MAX_TERMS are kept."""
    found = list(dict.fromkeys(words(query[:MAX_QUERY_CHARS])))
    kept = [t for t in found if not any(o != t and o.startswith(t) for o in found)]
    return kept[:MAX_TERMS]


def _folded_with_owners(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original
    character it came from."""
    parts: list[str] = []
    owners: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        parts.append(folded)
        owners.extend([index] * len(folded))
    return "".join(parts), owners


def _word_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) for every word of `text`, as spans of the original text.
    Marks that fold to nothing (a decomposed accent) stay with the word before them.

    Text as people type it (precomposed Vietnamese letters) folds one character to one: then
    the folded text's positions are the original's and no character-by-character mapping is
    needed (the search page highlights 25 titles, codes and snippets: 4× fewer calls)."""
    if all(len(_fold_char(char)) == 1 for char in set(text)):
        return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(_fold_chars(text))]
    return _mapped_word_spans(text)


def _mapped_word_spans(text: str) -> list[tuple[int, int, str]]:
    """`_word_spans` for any text: each folded character mapped back to its original."""
    folded, owners = _folded_with_owners(text)
    spans: list[tuple[int, int, str]] = []
    previous_end = 0
    for match in _WORD.finditer(folded):
        start = max(owners[match.start()], previous_end)
        end = owners[match.end() - 1] + 1
        while end < len(text) and not _fold_char(text[end]):
            end += 1
        if end > start:
            spans.append((start, end, match.group()))
            previous_end = end
    return spans


def _matches(word: str, wanted: Sequence[str]) -> bool:
    return any(word.startswith(term) for term in wanted)


def _marked(text: str, spans: Iterable[tuple[int, int, str]], wanted: Sequence[str]) -> str:
    out: list[str] = []
    position = 0
    for start, end, word in spans:
        if not _matches(word, wanted):
            continue
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(escape(text[position:]))
    return "".join(out)


def highlight(text: str, wanted: Sequence[str]) -> SafeString:
    """`text` HTML-escaped, with <mark> around every word whose folded form starts with one
    of the folded `wanted` terms (as returned by `terms`)."""
    if not wanted:
        return mark_safe(escape(text))  # noqa: S308 - escaped just now
    return mark_safe(_marked(text, _word_spans(text), wanted))  # noqa: S308 - escaped inside


def _first_match(text: str, wanted: Sequence[str], chunk: int = 512) -> int | None:
    """Where the first matching word starts in `text`, or None. Reads the text a chunk at a
    time (cut at whitespace), and maps characters back only in the chunk that holds a
    match: a body can run to hundreds of kilobytes."""
    starts_word = re.compile(
        r"(?<![^\W_])(?:" + "|".join(re.escape(t) for t in sorted(wanted, key=len)) + ")"
    )
    start = 0
    while start < len(text):
        end = min(len(text), start + chunk)
        while end < len(text) and not text[end].isspace():
            end += 1
        piece = text[start:end]
        if starts_word.search(_fold_chars(piece)):
            for span_start, _end, word in _word_spans(piece):
                if _matches(word, wanted):
                    return start + span_start
        start = end
    return None


def _window(text: str, around: int, width: int) -> tuple[int, int]:
    """A window of at most `width` characters of `text`, `around` about a third of the way
    in, its ends moved onto spaces so that no word is cut."""
    start = max(0, around - width // 3)
    end = min(len(text), start + width)
    start = max(0, end - width)
    if start > 0 and text[start - 1] != " ":
        space = text.find(" ", start, around)
        start = space + 1 if space != -1 else start
    if end < len(text) and text[end] != " ":
        space = text.rfind(" ", around + 1, end)
        end = space if space != -1 else end
    return start, end


def snippet(text: str, wanted: Sequence[str], width: int = 240) -> SafeString:
    """An HTML-escaped excerpt of a long `text` around its first match, with <mark>s and "…"
    where it is cut; the beginning of the text when nothing matches. Line breaks and runs
    of spaces show as single spaces."""
    at = (_first_match(text, wanted) if wanted else None) or 0
    # Flatten whitespace only near the match: a body can run to hundreds of kilobytes.
    low, high = max(0, at - width), min(len(text), at + 2 * width)
    before = _SPACES.sub(" ", text[low:at])
    flat = before + _SPACES.sub(" ", text[at:high])
    start, end = _window(flat, len(before), width)
    excerpt = flat[start:end].strip()
    cut_before = bool(text[:low].strip() or flat[:start].strip())
    cut_after = bool(flat[end:].strip() or text[high:].strip())
    marked = highlight(excerpt, wanted)
    return mark_safe(  # noqa: S308 - highlight escaped the text
        (ELLIPSIS if cut_before else "") + marked + (ELLIPSIS if cut_after else "")
    )
