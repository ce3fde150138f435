"""The clauses of the standard an audit is held against: numbers and short titles only (the
text of the standard is copyrighted), read from a data file so a new edition is a new file."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "iso9001_2015_clauses.json"


@cache
def clauses() -> dict[str, str]:
    """{"4.1": "Hiểu tổ chức …", …} in the order of the standard."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return {code: title for code, title in data["clauses"]}


def edition() -> str:
    return str(json.loads(DATA.read_text(encoding="utf-8"))["edition"])


def choices() -> list[tuple[str, str]]:
    return [(code, f"{code} {title}") for code, title in clauses().items()]


def label(code: str) -> str:
    """ "7.5 Thông tin dạng văn bản"; an unknown code is shown as it is."""
    title = clauses().get(code)
    return f"{code} {title}" if title else code


def ordered(codes: list[str]) -> list[str]:
    """The known codes among `codes`, in the order of the standard, each once."""
    wanted = set(codes)
    return [code for code in clauses() if code in wanted]
