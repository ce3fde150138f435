"""What an id or a count that comes from outside (a URL path, a query string, a posted field)
may be: at most 18 ASCII digits, so it always fits the database's 64-bit integer
(9,223,372,036,854,775,807 has 19). A larger, negative or non-numeric value is "no such
record" — a 404 or an ignored filter — never an OverflowError deep in the database driver.

- URL paths: `BoundedIntConverter` replaces Django's `<int:…>` for every pattern of the
  project (registered once, in qms/urls.py).
- Query strings and posted fields: `int_param(request, "unit")` and `parse_id(text)`.
"""

from __future__ import annotations

import re

from django.http import HttpRequest

MAX_ID_DIGITS = 18
_ID = re.compile(rf"[0-9]{{1,{MAX_ID_DIGITS}}}")


class BoundedIntConverter:
    """Django's `int` converter, at most MAX_ID_DIGITS digits long."""

    regex = rf"[0-9]{{1,{MAX_ID_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(value)


def parse_id(text: object) -> int | None:
    """The positive integer `text` spells in ASCII digits ("42"), else None ("-1", "4.2",
    "²", "٤٢", a 30-digit number, a list, None). `str.isdigit` is not enough: it accepts
    "²", on which int() fails."""
    if not isinstance(text, str) or not _ID.fullmatch(text):
        return None
    value = int(text)
    return value if value > 0 else None


def int_param(request: HttpRequest, name: str) -> int | None:
    """The query-string parameter `name` as a positive id, or None when it is missing or is
    not one (`?unit=9223372036854775808`, `?unit=abc`)."""
    return parse_id(request.GET.get(name))
