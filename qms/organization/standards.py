"""The standard a quality management system applies, as data (R-16).

The law still names TCVN ISO 9001:2008 and lets the Bộ KH&CN steer edition changes, so the
edition is never written into code: an agency chooses the standard it applies, each plan may
name its own (a local-government pilot under TCVN ISO 18091:2020 beside the agency's 9001
system), and every title, subject line and export takes its words from here.

    from qms.organization.standards import standard
    standard(agency.standard).full_name  # "Tiêu chuẩn quốc gia TCVN ISO 9001:2015"
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Standard:
    code: str  # stored on Agency.standard and Plan.standard
    number: str  # as a heading or short reference writes it: "TCVN ISO 9001:2015"
    full_name: str  # as a decision's subject writes it, after "theo"
    subject: str  # what the standard is about, for choosers and the plan's title
    in_force: bool = True  # an edition not yet adopted as a TCVN is offered with a warning

    @property
    def label(self) -> str:
        """For a chooser: the number and what it is about."""
        return f"{self.number} — {self.subject}"

    @property
    def full_name_lower(self) -> str:
        """The full name as the texts that write "theo tiêu chuẩn quốc gia …" in lower case
        have it (a document set's title and its decision's subject): only a leading
        "Tiêu chuẩn" is lowered; the number keeps its capitals."""
        if self.full_name.startswith("Tiêu chuẩn"):
            return "t" + self.full_name[1:]
        return self.full_name

    @property
    def full_name_opening(self) -> str:
        """The full name opening a line, as an item of a references list."""
        return self.full_name[:1].upper() + self.full_name[1:]


TCVN_9001_2015 = "tcvn-iso-9001-2015"
TCVN_18091_2020 = "tcvn-iso-18091-2020"
ISO_9001_2026 = "iso-9001-2026"

STANDARDS: dict[str, Standard] = {
    s.code: s
    for s in (
        Standard(
            TCVN_9001_2015,
            "TCVN ISO 9001:2015",
            "Tiêu chuẩn quốc gia TCVN ISO 9001:2015",
            "Hệ thống quản lý chất lượng – Các yêu cầu",
        ),
        Standard(
            TCVN_18091_2020,
            "TCVN ISO 18091:2020",
            "Tiêu chuẩn quốc gia TCVN ISO 18091:2020",
            "Hướng dẫn áp dụng TCVN ISO 9001 tại chính quyền địa phương",
        ),
        # Published by ISO in 2026; Việt Nam has not yet adopted it as a TCVN. Offered so
        # an agency preparing the transition can say so; its wording names the ISO edition.
        Standard(
            ISO_9001_2026,
            "ISO 9001:2026",
            "tiêu chuẩn ISO 9001:2026",
            "Hệ thống quản lý chất lượng – Các yêu cầu (chưa chấp nhận thành TCVN)",
            in_force=False,
        ),
    )
}
DEFAULT = TCVN_9001_2015
CHOICES: list[tuple[str, str]] = [(s.code, s.label) for s in STANDARDS.values()]


def standard(code: str | None) -> Standard:
    """The standard stored under `code`; an unknown or empty code (a record older than
    the choice) reads as the default rather than failing a page."""
    return STANDARDS.get(code or DEFAULT, STANDARDS[DEFAULT])
