"""The attendance of a session as XLSX (Danh sách học viên): one row per nominee, escaped
against spreadsheet formulas by qms.lib.sheets."""

from __future__ import annotations

from django.utils.text import slugify
from django.utils.translation import gettext as _

from qms.lib.sheets import xlsx
from qms.training.models import TrainingSession


def attendance_xlsx(session: TrainingSession) -> tuple[bytes, str]:
    """(content, file name). Two queries: the nominees with their people and units, and their
    certificates."""
    nominees = session.nominees.select_related("person", "unit").prefetch_related("certificates")
    headers = [
        _("No."),
        _("Full name"),
        _("Unit"),
        _("Attendance"),
        _("Reason for absence"),
        _("Result"),
        _("Certificates"),
    ]
    rows = [
        [
            n,
            nominee.person.full_name or nominee.person.username,
            nominee.unit.name,
            nominee.get_attendance_display(),
            nominee.absence_reason,
            nominee.get_result_display() if nominee.result else "",
            ", ".join(c.name for c in nominee.certificates.all()),
        ]
        for n, nominee in enumerate(nominees, start=1)
    ]
    title = _("Attendance")
    content = xlsx(title, headers, rows, (6, 30, 30, 16, 30, 14, 30))
    name = (
        f"danh-sach-hoc-vien-{slugify(session.course.title)[:40]}-{session.starts_on:%Y%m%d}.xlsx"
    )
    return content, name
