"""The server errors of the attack on the demo (issue 9 §5), one by one: each input is now
refused with a message, and data stored before the rules still renders."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document as Docx
from openpyxl import load_workbook

from qms.documents.models import LegalBasisReview, LegalDocument
from qms.organization.models import Unit
from qms.plans.models import Plan, PlanEvent, PlanTask
from qms.plans.services import create_plan

FAR = dt.date(9999, 12, 31)
OUT_OF_RANGE = "Vui lòng nhập ngày trong khoảng từ 01/01/1990 đến 31/12/2100."


@pytest.fixture
def plan(cast):
    plan = create_plan(cast.a, year=2026, title="Duy trì HTQLCL năm 2026")
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ISSUED)
    plan.refresh_from_db()
    PlanTask.objects.create(
        plan=plan,
        order=1,
        content="Tổ chức đánh giá nội bộ",
        lead_kind="committee",
        timing={
            "parts": [{"kind": "month", "month": 7}],
            "alternative": {"event": "document_set_effective", "offset_days": 30},
        },
    )
    PlanTask.objects.create(
        plan=plan,
        order=2,
        content="Đánh giá thử",
        lead_kind="committee",
        timing={"parts": [{"kind": "event", "event": "inspection_notice", "offset_days": -15}]},
    )
    return plan


@pytest.fixture
def secretary(cast, login):
    return login(cast.users["secretary"])


def test_an_event_dated_9999_is_refused(cast, secretary, plan):
    url = reverse("plans:event", args=[cast.a.pk, plan.pk])
    data = {"event": "document_set_effective", "occurred_on": "31/12/9999"}
    response = secretary.post(url, data)
    assert response.status_code == 400
    assert OUT_OF_RANGE in response.content.decode()
    assert not PlanEvent.objects.exists()


@pytest.mark.parametrize(
    ("event", "day"),
    [("document_set_effective", FAR), ("inspection_notice", dt.date(1, 1, 1))],
)
def test_the_plan_still_renders_with_an_event_stored_before_the_rule(
    cast, secretary, plan, event, day
):
    # 31/12/9999 + 30 days and 01/01/0001 − 15 days are both outside the calendar.
    PlanEvent.objects.create(
        plan=plan, event=event, occurred_on=day, recorded_by=cast.users["head"]
    )
    task = plan.tasks.get(order=1 if event == "document_set_effective" else 2)
    for name, args in [
        ("plans:detail", [plan.pk]),
        ("plans:timeline", [plan.pk]),
        ("plans:task", [task.pk]),
        ("plans:export", [plan.pk, "docx"]),
        ("plans:export", [plan.pk, "xlsx"]),
    ]:
        assert secretary.get(reverse(name, args=[cast.a.pk, *args])).status_code == 200, name


def test_the_legal_register_refuses_a_change_dated_9999_and_renders_one_stored(cast, secretary):
    legal, amending = (
        LegalDocument.objects.create(
            agency=cast.a,
            doc_type=LegalDocument.Type.choices[0][0],
            number=number,
            issuer="Bộ Khoa học và Công nghệ",
            title="Quy định chi tiết thi hành",
            issued_on=dt.date(2014, 9, 15),
        )
        for number in ("26/2014/TT-BKHCN", "01/2026/TT-BKHCN")
    )
    url = reverse("documents:legal_status", args=[cast.a.pk, legal.pk])
    data = {"status": "amended", "changed_by": amending.pk, "change_effective_on": "31/12/9999"}
    response = secretary.post(url, data)
    assert response.status_code == 400
    assert OUT_OF_RANGE in response.content.decode()
    legal.refresh_from_db()
    assert legal.change_effective_on is None
    # Stored before the rule: the page shows it (the 3-month deadline is clamped, not fatal).
    LegalDocument.objects.filter(pk=legal.pk).update(
        status="amended", changed_by=amending, change_effective_on=FAR
    )
    assert (
        secretary.get(reverse("documents:legal_detail", args=[cast.a.pk, legal.pk])).status_code
        == 200
    )
    assert secretary.get(reverse("documents:legal_list", args=[cast.a.pk])).status_code == 200


def test_a_huge_id_in_the_legal_review_form_is_an_invalid_choice(cast, secretary):
    huge = "9223372036854775808"
    data = {
        "unit": huge,
        "reviewed_on": "01/07/2026",
        "result": LegalBasisReview.Result.choices[0][0],
        "legal_documents": [huge],
    }
    with translation.override("vi"):
        response = secretary.post(reverse("documents:legal_review_create", args=[cast.a.pk]), data)
    assert response.status_code == 400
    assert not LegalBasisReview.objects.exists()


@pytest.mark.parametrize("unit", ["9223372036854775808", "9" * 500, "²", "-3", "abc"])
def test_a_huge_or_strange_unit_filter_on_the_people_list_is_ignored(cast, secretary, unit):
    response = secretary.get(reverse("organization:person_list", args=[cast.a.pk]), {"unit": unit})
    assert response.status_code == 200
    assert "Secretary" in response.content.decode()


def test_a_real_unit_filter_still_filters(cast, secretary):
    office = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    response = secretary.get(
        reverse("organization:person_list", args=[cast.a.pk]), {"unit": office.pk}
    )
    page = response.content.decode()
    assert "Secretary" in page and "Deputy" not in page


def test_a_vertical_tab_typed_in_a_title_is_cleaned_and_old_ones_still_export(
    cast, secretary, plan
):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.DRAFT)  # editable
    url = reverse("plans:edit", args=[cast.a.pk, plan.pk])
    form = secretary.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data |= {"title": "Duy trì\x0bHTQLCL\x07 năm 2026", "columns": ["timing", "lead"]}
    data |= {"sections-TOTAL_FORMS": "0", "sections-INITIAL_FORMS": "0"}
    response = secretary.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    plan.refresh_from_db()
    assert plan.title == "Duy trì HTQLCL năm 2026"
    # A task content stored with a vertical tab before input was cleaned.
    PlanTask.objects.filter(plan=plan, order=1).update(content="Đánh giá\x0bnội bộ\x1b")
    response = secretary.get(reverse("plans:export", args=[cast.a.pk, plan.pk, "xlsx"]))
    assert response.status_code == 200
    cells = [c.value for row in load_workbook(io.BytesIO(response.content)).active for c in row]
    assert "Đánh giá nội bộ" in cells
    docx = secretary.get(reverse("plans:export", args=[cast.a.pk, plan.pk, "docx"]))
    assert docx.status_code == 200
    assert "Đánh giá nội bộ" in "\n".join(
        cell.text for table in Docx(io.BytesIO(docx.content)).tables for cell in table._cells
    )


@pytest.mark.parametrize("target", ["Quy trình", "documents:list", "//evil.example/x", ""])
def test_a_next_that_is_not_a_path_goes_back_to_the_document(cast, secretary, target):
    # Found by the fuzz test: a word in `next` was looked up as a view name (a 500).
    from qms.documents import services
    from qms.documents.tests.test_revision_life import make_document

    document = make_document(cast.a, "QT-05")
    legal = LegalDocument.objects.create(
        agency=cast.a,
        doc_type=LegalDocument.Type.choices[0][0],
        number="30/2020/NĐ-CP",
        issuer="Chính phủ",
        title="Về công tác văn thư",
    )
    citation = services.cite(document, legal)
    response = secretary.post(
        reverse("documents:citation_resolve", args=[cast.a.pk, citation.pk]),
        {"next": target, "resolution": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == document.get_absolute_url()
