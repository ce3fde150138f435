"""The management review: the inputs compiled from the records in a constant number of
queries, the meeting held (the plan event), the decisions on the agenda of who carries them
out, the minutes signed and the record locked, and rights by role and agency."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document as Docx

from qms.agenda.models import InboxItem, Obligation
from qms.organization.models import Unit
from qms.paperwork import services as paperwork
from qms.plans import services as plan_services
from qms.plans.models import Plan, PlanTask
from qms.review import services
from qms.review.models import ManagementReview, ReviewOutput
from qms.risks.tests import factories as risks

D = dt.date


JUNE_20 = D(2026, 6, 20)


def _review(cast, meeting_on=JUNE_20, **fields):
    review = ManagementReview(
        agency=cast.a, meeting_on=meeting_on, chair=cast.users["head"], place="Phòng họp số 1"
    )
    for name, value in fields.items():
        setattr(review, name, value)
    return services.plan_review(review, [cast.users["secretary"], cast.users["unit_head"]])


def _compiled_queries(review):
    with CaptureQueriesContext(connection) as done:
        services.compile_inputs(review)
    return len(done)


def test_the_inputs_are_compiled_in_a_constant_number_of_queries(cast):
    review = _review(cast)
    services.compile_inputs(review)  # the first press creates the inputs, later ones update
    few = _compiled_queries(review)
    for n in range(15):
        risks.treatment(risks.risk(cast.a, description=f"Rủi ro {n}"), due=D(2026, 3, 1))
        risks.risk(cast.a, kind="opportunity", description=f"Cơ hội {n}")
    assert _compiled_queries(review) == few
    review.refresh_from_db()
    assert review.status == ManagementReview.Status.COMPILED
    keys = list(review.inputs.values_list("key", flat=True))
    assert keys[:2] == ["previous_actions", "context"] and "risk_treatment" in keys
    treatment = review.inputs.get(key="risk_treatment")
    assert ["Quá hạn chưa thực hiện", "15"] in treatment.figures
    assert "Cơ hội 0" in review.inputs.get(key="improvement").text


def test_the_period_runs_from_the_previous_meeting_of_the_year(cast):
    first = _review(cast, D(2026, 6, 20))
    second = _review(cast, D(2026, 12, 10))
    period = services.period_of(second)
    assert (period.start, period.end, period.previous) == (D(2026, 6, 21), D(2026, 12, 10), first)
    assert services.period_of(first).start == D(2026, 1, 1)
    ReviewOutput.objects.create(
        review=first,
        kind="improvement",
        description="Rà soát quy trình",
        owner_unit=None,
        owner_person=cast.users["staff"],
        due_on=D(2026, 9, 1),
    )
    services.compile_inputs(second)
    previous = second.inputs.get(key="previous_actions")
    assert ["Quá hạn chưa hoàn thành", "1"] in previous.figures
    assert first.get_absolute_url() in [url for _label, url in previous.links]


def test_holding_the_review_records_the_plan_event(cast):
    plan = plan_services.create_plan(cast.a, year=2026, title="Kế hoạch ISO năm 2026")
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ISSUED)
    task = PlanTask.objects.create(
        plan=plan,
        order=1,
        content="Công bố lại hệ thống quản lý chất lượng",
        lead_kind="committee",
        timing={"parts": [{"kind": "event", "event": "management_review_held", "offset_days": 10}]},
    )
    review = _review(cast)
    with pytest.raises(ValidationError, match="tổng hợp|Compile"):
        services.hold(review, D(2026, 6, 20), "Hệ thống vận hành ổn định", cast.users["secretary"])
    services.compile_inputs(review)
    with pytest.raises(ValidationError):
        services.hold(review, D(2026, 6, 20), "  ", cast.users["secretary"])
    services.hold(review, D(2026, 6, 20), "Hệ thống vận hành ổn định", cast.users["secretary"])
    task.refresh_from_db()
    assert plan.events.get(event="management_review_held").occurred_on == D(2026, 6, 20)
    assert task.last_due == D(2026, 6, 30)


def test_the_minutes_print_the_inputs_and_decisions_and_lock_the_review_once_signed(cast):
    review = _review(cast)
    services.compile_inputs(review)
    services.save_output(
        ReviewOutput(
            review=review,
            kind="resources",
            description="Bổ sung 01 máy quét tài liệu cho bộ phận một cửa",
            owner_unit=Unit.objects.get(agency=cast.a, name="Văn phòng Sở"),
            due_on=D(2026, 9, 30),
        )
    )
    paper = review.paper
    paperwork.save_draft(paper, signer=cast.users["head"], signer_name="Nguyễn Văn Giám Đốc")
    # Nothing is signed before the meeting is held: the minutes are not put forward.
    assert not ManagementReview.has_paper_flow()
    with pytest.raises(ValidationError):
        paperwork.issue(paper, number=4, issued_on=D(2026, 6, 20), by=cast.users["head"])
    services.hold(review, D(2026, 6, 20), "Duy trì hệ thống", cast.users["secretary"])
    review.refresh_from_db()
    assert review.ready_to_issue()
    assert InboxItem.objects.filter(user=cast.users["head"], done_at=None).exists()
    with pytest.raises(ValidationError):  # decisions are recorded before the meeting is closed
        services.save_output(
            ReviewOutput(
                review=review,
                kind="change",
                description="x",
                owner_person=cast.users["staff"],
                due_on=D(2026, 9, 1),
            )
        )
    paperwork.issue(review.paper, number=4, issued_on=D(2026, 6, 22), by=cast.users["head"])
    review.refresh_from_db()
    with pytest.raises(ValidationError):
        services.compile_inputs(review)
    text = "\n".join(p.text for p in Docx(io.BytesIO(_docx(cast, review))).paragraphs)
    assert "BIÊN BẢN" in text and "Mức độ đạt được các mục tiêu chất lượng" in text
    assert "Duy trì hệ thống" in text and "Chủ trì: Head" in text


def _docx(cast, review):
    from django.test import Client

    client = Client()
    client.force_login(cast.users["staff"])
    response = client.get(reverse("review:docx", args=[cast.a.pk, review.pk]))
    assert response.status_code == 200
    return response.content


def test_a_decision_is_on_the_agenda_of_its_owner_who_records_it_done(cast, login):
    review = _review(cast)
    output = services.save_output(
        ReviewOutput(
            review=review,
            kind="improvement",
            description="Số hóa hồ sơ lưu trữ",
            owner_person=cast.users["staff"],
            due_on=D(2026, 8, 31),
        )
    )
    item = Obligation.objects.get(source=f"review.review:{review.pk}:output:{output.pk}")
    assert item.owner_person == cast.users["staff"] and item.due_date == D(2026, 8, 31)
    done = reverse("review:output_done", args=[cast.a.pk, review.pk, output.pk])
    assert login(cast.users["unit_head"]).post(done, {"done_on": "01/08/2026"}).status_code == 403
    response = login(cast.users["staff"]).post(
        done, {"done_on": "01/08/2026", "result": "Đã số hóa 1.200 hồ sơ"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    output.refresh_from_db()
    assert output.done_on == D(2026, 8, 1) and item.state == Obligation.State.DONE


def test_rights_by_role_and_agency(cast, login):
    review = _review(cast)
    new = reverse("review:new", args=[cast.a.pk])
    data = {"meeting_on": "10/12/2026", "chair": cast.users["head"].pk, "place": "Hội trường"}
    assert login(cast.users["unit_head"]).post(new, data).status_code == 403
    assert login(cast.users["staff"]).get(review.get_absolute_url()).status_code == 200
    assert login(cast.users["secretary_b"]).get(review.get_absolute_url()).status_code == 404
    other = reverse("review:detail", args=[cast.b.pk, review.pk])
    assert login(cast.users["secretary_b"]).get(other).status_code == 404
    compile_url = reverse("review:compile", args=[cast.a.pk, review.pk])
    assert login(cast.users["staff"]).post(compile_url).status_code == 403
    assert login(cast.users["secretary"]).post(new, data).status_code == 302
    assert ManagementReview.objects.filter(agency=cast.a).count() == 2
    # A chair from another agency is refused as an invalid choice, nothing saved.
    data["chair"] = cast.users["secretary_b"].pk
    assert login(cast.users["secretary"]).post(new, data).status_code == 200
    assert ManagementReview.objects.filter(agency=cast.a).count() == 2


def test_the_pages_cost_the_same_whatever_the_number_of_decisions(cast, login):
    review = _review(cast)
    services.compile_inputs(review)
    client = login(cast.users["secretary"])

    def count(url):
        with CaptureQueriesContext(connection) as done:
            assert client.get(url).status_code == 200
        return len(done)

    detail, listing = review.get_absolute_url(), reverse("review:list", args=[cast.a.pk])
    before = count(detail), count(listing)
    for n in range(12):
        ReviewOutput.objects.create(
            review=review,
            kind="change",
            description=f"Quyết định {n}",
            owner_person=cast.users["staff"],
            due_on=D(2026, 9, 1),
        )
        _review(cast, D(2026, 1, 1) + dt.timedelta(days=n))
    assert (count(detail), count(listing)) == before
