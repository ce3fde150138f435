"""A dissolved agency makes no new dated document: its register and its plan's progress
report carry the last day it existed, never today's date."""

import datetime as dt
import io

import docx
from django.urls import reverse
from django.utils import timezone

from qms.organization.models import Agency
from qms.plans import documents as plan_documents
from qms.plans import services as plans

END = dt.date(2025, 6, 30)


def _text(content):
    out = docx.Document(io.BytesIO(content))
    parts = [p.text for p in out.paragraphs]
    for table in out.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_the_register_of_a_dissolved_agency_is_dated_its_last_day(cast, login):
    Agency.objects.filter(pk=cast.a.pk).update(valid_to=END)
    response = login(cast.users["staff"]).get(reverse("documents:export", args=[cast.a.pk, "docx"]))
    assert response.status_code == 200
    text = _text(response.content)
    assert "ngày 30 tháng 6 năm 2025" in text and "30-06-2025" in response["Content-Disposition"]
    this_year = timezone.localdate().year
    assert f"năm {this_year}" not in text or this_year == 2025


def test_the_progress_report_of_a_dissolved_agency_is_dated_its_last_day(cast):
    Agency.objects.filter(pk=cast.a.pk).update(valid_to=END)
    cast.a.refresh_from_db()
    plan = plans.create_plan(cast.a, year=2025, title="Duy trì HTQLCL năm 2025")
    document = plan_documents.progress_document(plan, [], dt.date(2026, 12, 2))
    assert "Tính đến ngày 30/06/2025" in document.body[0].text
