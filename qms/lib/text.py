"""What text may hold once it is in the system: no control characters, composed Unicode.

DOCX and XLSX are XML, and XML 1.0 cannot carry most control characters: one vertical tab
pasted from an old Word file into a title made every export of that record fail. Text is
therefore cleaned where it enters (`clean_text`, applied to every text field of every form by
`qms.lib.forms.StyledFormMixin`), and writers of XML files drop what older rows may still hold
(`xml_safe`). Pure standard library.
"""

from __future__ import annotations

import re
import unicodedata

# Vertical tab and form feed separate words (Word's manual line break pastes as a vertical
# tab): they become a space, so "Quy trình\x0bđánh giá" keeps its two words apart.
_WORD_SEPARATORS = re.compile("[\x0b\x0c]")
# C0 controls but tab and line feed, DEL, the C1 controls, and what XML refuses besides
# (lone surrogates, U+FFFE, U+FFFF). Carriage returns are turned into line feeds first
# (browsers send text areas with CRLF line ends).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# What XML 1.0 refuses outright (Char production): C0 controls but tab, LF and CR,
# lone surrogates and the non-characters U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """`text` in NFC with line ends as "\\n" and no control character but tab and line feed:
    "Quy\\x0btrình\\x07\\r\\n" → "Quy trình\\n". Vietnamese typed with a decomposed keyboard
    layout ("e" + combining hook) becomes the same characters as when typed precomposed, so
    search and uniqueness checks see one spelling."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", _WORD_SEPARATORS.sub(" ", text))
    return unicodedata.normalize("NFC", text)


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (a vertical tab or form feed
    becomes a space), kept otherwise as is."""
    return _NOT_XML.sub("", _WORD_SEPARATORS.sub(" ", text))
