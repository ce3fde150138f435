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
from collections.abc import Iterable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Terms:
    """What a search query asks for: whole words, and the last word as a word prefix while it
    is still being typed. "kiem soat ho so" wants the words kiem, soat and ho and a word
    starting with so: not hoạt, học or hội, which a prefix on every syllable would match
    (Vietnamese syllables are short, so most are the prefix of many others)."""

    whole: tuple[str, ...] = ()
    prefix: str = ""

    def __bool__(self) -> bool:
        return bool(self.whole or self.prefix)

    def __len__(self) -> int:
        return len(self.whole) + bool(self.prefix)

    @property
    def in_order(self) -> tuple[str, ...]:
        """Every term, in the order typed (the prefix last): a phrase."""
        return (*self.whole, self.prefix) if self.prefix else self.whole

    def matches(self, word: str) -> bool:
        """Whether a folded word of the text is one the query asks for."""
        return word in self.whole or bool(self.prefix and word.startswith(self.prefix))

    def found_in(self, text: str) -> bool:
        """Whether `text` holds every term (the matching the database does, in Python, for
        short lists that have no index: choosers, the legal register)."""
        present = set(words(text))
        return set(self.whole) <= present and (
            not self.prefix or any(w.startswith(self.prefix) for w in present)
        )


def terms(query: str) -> Terms:
    """The folded words of a search query in the order typed, at most MAX_TERMS: every one a
    whole word except the last, a prefix, unless the query ends with a space or punctuation
    (the word is finished). Repeats stay: together, in order, the terms are also the phrase
    that ranks first."""
    query = query[:MAX_QUERY_CHARS]
    typed = words(query)
    # Folded, so that a decomposed accent at the end still ends a letter.
    last = typed.pop() if typed and _fold_chars(query)[-1:].isalnum() else ""
    whole = tuple(typed[: MAX_TERMS - bool(last)])
    return Terms(whole, last)


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


def _marked(text: str, spans: Iterable[tuple[int, int, str]], wanted: Terms) -> str:
    out: list[str] = []
    position = 0
    for start, end, word in spans:
        if not wanted.matches(word):
            continue
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(escape(text[position:]))
    return "".join(out)


def highlight(text: str, wanted: Terms) -> SafeString:
    """`text` HTML-escaped, with <mark> around every word the query asks for (its folded
    form one of the whole words, or starting with the prefix)."""
    if not wanted:
        return mark_safe(escape(text))  # noqa: S308 - escaped just now
    return mark_safe(_marked(text, _word_spans(text), wanted))  # noqa: S308 - escaped inside


_STARTS_WORD = r"(?<![^\W_])"
_ENDS_WORD = r"(?![^\W_])"


def _any_word(wanted: Terms) -> re.Pattern[str]:
    """Over folded text: a word the query asks for."""
    parts = []
    if wanted.whole:
        whole = "|".join(re.escape(t) for t in sorted(wanted.whole, key=len, reverse=True))
        parts.append(f"(?:{whole}){_ENDS_WORD}")
    if wanted.prefix:
        parts.append(re.escape(wanted.prefix))
    return re.compile(_STARTS_WORD + "(?:" + "|".join(parts) + ")")


def _phrase(wanted: Terms) -> re.Pattern[str]:
    """Over folded text: the words of the query next to each other, in order."""
    between = r"[\W_]+"
    tail = "" if wanted.prefix else _ENDS_WORD
    return re.compile(_STARTS_WORD + between.join(re.escape(t) for t in wanted.in_order) + tail)


def _first_match(text: str, pattern: re.Pattern[str], chunk: int = 512) -> int | None:
    """Where `pattern` (over folded text, starting at a word) first matches in `text`, or
    None. Reads the text a chunk at a time (cut at whitespace), and maps characters back only
    in the chunk that holds a match: a body can run to hundreds of kilobytes."""
    start = 0
    while start < len(text):
        end = min(len(text), start + chunk)
        while end < len(text) and not text[end].isspace():
            end += 1
        piece = text[start:end]
        folded = _fold_chars(piece)
        found = pattern.search(folded)
        if found:
            # The match starts the n-th word of the folded piece: the n-th word's span.
            nth = len(_WORD.findall(folded, 0, found.start()))
            return start + _word_spans(piece)[nth][0]
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


def snippet(text: str, wanted: Terms, width: int = 240) -> SafeString:
    """An HTML-escaped excerpt of a long `text` around the first place that holds the query
    as a phrase, else its first matching word, with <mark>s and "…"
    where it is cut; the beginning of the text when nothing matches. Line breaks and runs
    of spaces show as single spaces."""
    at = None
    if wanted:
        # The phrase where the text has it (that is why it ranked first), else any word.
        at = _first_match(text, _phrase(wanted)) if len(wanted) > 1 else None
        at = _first_match(text, _any_word(wanted)) if at is None else at
    at = at or 0
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
