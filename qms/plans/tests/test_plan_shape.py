"""The shape of a plan (issue 11 §3): a row saved without a lead yet ("Chưa phân công"),
submitted only once the secretary confirms; sections I and III optional; as many
coordinating units as needed in one save, each with its duty."""

import io

import docx
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from qms.agenda.models import InboxItem, Obligation
from qms.lib import officialdoc as od
from qms.organization.models import Unit
from qms.plans import documents, services
from qms.plans.forms import PlanForm, SectionFormSet
from qms.plans.models import Coordination, Plan, PlanTask


def url(name, plan, *args):
    return reverse(f"plans:{name}", args=[plan.agency_id, plan.pk, *args])


def text_of(content):
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def task_data(order, content, lead_kind, *, lead_unit="", coordinations=()):
    data = {
        "order": order,
        "content": content,
        "lead_kind": lead_kind,
        "lead_unit": lead_unit,
        "lead_text": "",
        "approver": "",
        "expected_result": "",
        "note": "",
        "part0-kind": "month",
        "part0-month": "12",
        "part1-kind": "",
        "timing-alt_event": "",
        "coordinations-TOTAL_FORMS": str(len(coordinations)),
        "coordinations-INITIAL_FORMS": "0",
        "coordinations-MIN_NUM_FORMS": "0",
        "coordinations-MAX_NUM_FORMS": "100",
    }
    for i, (unit, text, duty) in enumerate(coordinations):
        data |= {
            f"coordinations-{i}-order": str(i),
            f"coordinations-{i}-unit": unit,
            f"coordinations-{i}-text": text,
            f"coordinations-{i}-duty": duty,
        }
    return data


def add_unassigned(plan, *orders):
    for order in orders:
        PlanTask.objects.create(
            plan=plan,
            order=order,
            content=f"Nhiệm vụ chưa giao {order}",
            lead_kind=PlanTask.Lead.UNASSIGNED,
            timing={"parts": [{"kind": "month", "month": 12}]},
        )


def test_it_saves_a_row_without_a_lead_and_prints_it_chua_phan_cong(plan, login, cast):
    client = login(cast.users["secretary"])
    office = Unit.objects.get(agency=cast.a, parent=None)
    # A unit left chosen in the form is not kept: the row has no lead yet.
    data = task_data(4, "Khảo sát hiện trạng", "unassigned", lead_unit=str(office.pk))
    response = client.post(reverse("plans:task_create", args=[plan.agency_id, plan.pk]), data)
    assert response.status_code == 302
    task = plan.tasks.get(order=4)
    assert task.lead_kind == PlanTask.Lead.UNASSIGNED and task.lead_unit is None
    page = client.get(url("detail", plan)).content.decode()
    row = page.split('data-task="4"')[1].split("</tr>")[0]
    assert "Chưa phân công" in row
    assert "Chưa phân công" in text_of(client.get(url("export", plan, "docx")).content)
    sheet = load_workbook(io.BytesIO(client.get(url("export", plan, "xlsx")).content)).active
    assert "Chưa phân công" in [cell.value for cell in sheet[5]]


def test_an_unassigned_row_of_a_plan_in_force_reaches_the_secretaries_and_the_dashboard(
    plan, login, cast
):
    add_unassigned(plan, 4, 5)
    PlanTask.objects.filter(plan=plan, order=4).update(
        timing={"parts": [{"kind": "date", "day": timezone.localdate().isoformat()}]}
    )
    dashboard = reverse("organization:dashboard", args=[cast.a.pk])
    assert "unassigned-tasks" not in login(cast.users["staff"]).get(dashboard).content.decode()
    this_year = timezone.localdate().year
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ISSUED, year=this_year)
    plan.refresh_from_db()
    services.sync_agenda(plan)
    task = plan.tasks.get(order=4)
    obligation = Obligation.objects.get(source=f"plans.plan:{plan.pk}:{task.pk}:0")
    assert obligation.owner_unit_id is None and obligation.owner_group == ""
    assert obligation.owner_text == "Chưa phân công"
    prefix = f"plans.plan:{plan.pk}"
    work = InboxItem.objects.filter(source__startswith=prefix, title__startswith="4. ")
    assert [item.user for item in work] == [cast.users["secretary"]]
    page = login(cast.users["staff"]).get(dashboard).content.decode()
    notice = page.split('id="unassigned-tasks"')[1].split("</div></div>")[0]
    assert f"Kế hoạch năm {plan.year} còn 2 nhiệm vụ chưa phân công" in notice
    assert plan.get_absolute_url() in notice


def test_the_other_agency_does_not_count_the_unassigned_rows(plan, login, cast):
    add_unassigned(plan, 4)
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ISSUED)
    page = login(cast.users["secretary_b"]).get(reverse("organization:dashboard", args=[cast.b.pk]))
    assert page.context["unassigned"] == []


def test_submitting_with_unassigned_rows_is_refused_until_the_secretary_confirms(plan, login, cast):
    add_unassigned(plan, 5, 4)
    client = login(cast.users["secretary"])
    page = client.get(url("detail", plan)).content.decode()
    label = "Tôi xác nhận trình kế hoạch khi còn 2 nhiệm vụ chưa phân công"
    assert label in page and 'name="confirm_unassigned"' in page
    response = client.post(url("action", plan, "submit"))
    assert response.status_code == 302
    said = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "Nhiệm vụ số 4, 5 chưa có đơn vị chủ trì" in said
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    client.post(url("action", plan, "submit"), {"confirm_unassigned": "on"})
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED


def test_the_service_checks_the_confirmation_not_the_page(plan):
    from django.core.exceptions import ValidationError

    add_unassigned(plan, 4)
    with pytest.raises(ValidationError, match="Nhiệm vụ số 4"):
        services.submit(plan)
    services.submit(plan, confirm_unassigned=True)
    assert plan.status == Plan.Status.SUBMITTED


def test_a_plan_with_every_row_assigned_is_submitted_without_the_checkbox(plan, login, cast):
    client = login(cast.users["secretary"])
    assert "confirm_unassigned" not in client.get(url("detail", plan)).content.decode()
    client.post(url("action", plan, "submit"))
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED


def body_headings(plan):
    blocks = documents.plan_body(plan, services.task_rows(plan))
    return [b.text for b in blocks if isinstance(b, od.Heading) and b.level == 1]


def test_sections_one_and_three_are_optional(plan, login, cast):
    assert body_headings(plan) == [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. NHIỆM VỤ TRỌNG TÂM",
        "III. TỔ CHỨC THỰC HIỆN",
    ]
    data = {
        "title": plan.title,
        "section_two_title": "Nội dung thực hiện",
        "purpose": "  \n",
        "organisation": "",
        "columns": ["timing", "lead"],
        "standard": plan.standard,
    }
    form = PlanForm(data, instance=plan)
    sections = SectionFormSet({"sections-TOTAL_FORMS": "0", "sections-INITIAL_FORMS": "0"},
                              instance=plan, prefix="sections")  # fmt: skip
    assert form.is_valid() and sections.is_valid(), form.errors
    services.save_plan_text(form, sections)
    plan.refresh_from_db()
    assert body_headings(plan) == ["I. NỘI DUNG THỰC HIỆN"]
    plan.organisation = "1. Văn phòng\n- Đôn đốc"
    assert body_headings(plan) == ["I. NỘI DUNG THỰC HIỆN", "II. TỔ CHỨC THỰC HIỆN"]
    plan.save()
    text = text_of(login(cast.users["secretary"]).get(url("export", plan, "docx")).content)
    assert "MỤC ĐÍCH, YÊU CẦU" not in text and "II. TỔ CHỨC THỰC HIỆN" in text


def test_three_coordinating_units_each_with_its_duty_in_one_save(plan, login, cast):
    client = login(cast.users["secretary"])
    form_page = client.get(reverse("plans:task_create", args=[plan.agency_id, plan.pk]))
    assert 'id="add-coordination"' in form_page.content.decode()
    assert form_page.context["formset"].total_form_count() == 3
    office = Unit.objects.get(agency=cast.a, parent=None)
    coordinations = [
        (str(office.pk), "", "tổng hợp, báo cáo"),
        ("", "Ban Chỉ đạo ISO", "chỉ đạo, kiểm tra"),
        ("", "Các phòng chuyên môn", "cung cấp hồ sơ"),
        ("", "Đơn vị tư vấn", "hướng dẫn áp dụng"),
    ]
    data = task_data(4, "Xây dựng tài liệu", "committee", coordinations=coordinations)
    response = client.post(reverse("plans:task_create", args=[plan.agency_id, plan.pk]), data)
    assert response.status_code == 302
    task = plan.tasks.get(order=4)
    saved = list(Coordination.objects.filter(task=task).values_list("duty", flat=True))
    assert saved == [duty for _unit, _text, duty in coordinations]
    page = client.get(url("detail", plan)).content.decode()
    row = page.split('data-task="4"')[1].split("</tr>")[0]
    expected = [
        f"{office.name} tổng hợp, báo cáo",
        "Ban Chỉ đạo ISO chỉ đạo, kiểm tra",
        "Các phòng chuyên môn cung cấp hồ sơ",
        "Đơn vị tư vấn hướng dẫn áp dụng",
    ]
    for label in expected:
        assert label in row, label
    text = text_of(client.get(url("export", plan, "docx")).content)
    assert "\n".join(expected) in text


def test_a_duty_without_a_unit_is_refused_with_a_message(plan, login, cast):
    data = task_data(4, "Xây dựng tài liệu", "committee", coordinations=[("", "", "tổng hợp")])
    client = login(cast.users["secretary"])
    response = client.post(reverse("plans:task_create", args=[plan.agency_id, plan.pk]), data)
    assert response.status_code == 200
    assert "Chọn đơn vị hoặc ghi rõ đơn vị phối hợp." in response.content.decode()
    assert not plan.tasks.filter(order=4).exists()
