"""The plan's declared workflow (qms.plans.workflows): each step refused from the wrong state,
without the right, by the wrong person; the approval handed to the leadership's inbox and
taken out of it; the page offers only the buttons the person may press."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qms.agenda.models import InboxItem, Notification
from qms.organization.models import Role
from qms.organization.services import set_roles
from qms.paperwork.models import Paper
from qms.plans import services
from qms.plans.models import Plan
from qms.plans.workflows import APPROVE_KIND, REVISE_KIND

D = dt.date


def action(plan, name):
    return reverse("plans:action", args=[plan.agency_id, plan.pk, name])


def issue_url(plan):
    return reverse("paperwork:issue", args=[plan.agency_id, plan.paper_id])


def refused(change, *args, **kwargs):
    with pytest.raises(ValidationError) as caught:
        change(*args, **kwargs)
    return " ".join(caught.value.messages)


def open_items(kind, **filters):
    return InboxItem.objects.filter(kind=kind, done_at__isnull=True, **filters)


def test_each_step_is_refused_from_the_wrong_state_with_the_declared_reason(plan, cast):
    secretary, head = cast.users["secretary"], cast.users["head"]
    assert "đã ban hành mới được điều chỉnh" in refused(services.amend, plan, secretary)
    assert "đã ban hành mới được kết thúc" in refused(services.close, plan, secretary)
    assert "đã trình mới được trả lại" in refused(services.send_back, plan, head, "Sửa mục II")
    services.submit(plan, secretary)
    assert "Chỉ dự thảo kế hoạch" in refused(services.submit, plan, secretary)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED


def test_each_step_needs_its_right(plan, cast):
    # Only the ISO secretary submits, amends and closes; only the leadership sends back.
    for who in ("head", "deputy", "staff", "unit_head"):
        assert "không có quyền" in refused(services.submit, plan, cast.users[who])
    services.submit(plan, cast.users["secretary"])
    for who in ("secretary", "staff"):
        assert "không có quyền" in refused(services.send_back, plan, cast.users[who], "Sửa")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED


def test_sending_back_needs_a_comment_kept_in_the_plan_history(plan, cast):
    services.submit(plan, cast.users["secretary"])
    assert "ý kiến" in refused(services.send_back, plan, cast.users["head"], "   ").lower()
    services.send_back(plan, cast.users["head"], "Bổ sung kinh phí mục II")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and plan.is_editable
    assert plan.history.first().history_change_reason == "Bổ sung kinh phí mục II"
    assert plan.paper.status == Paper.Status.DRAFT  # its signing details may change again


def test_a_view_refuses_a_step_without_the_right_with_403_and_an_unknown_step_with_404(
    plan, login, cast
):
    assert login(cast.users["staff"]).post(action(plan, "submit")).status_code == 403
    assert login(cast.users["head"]).post(action(plan, "submit")).status_code == 403
    assert login(cast.users["secretary"]).post(action(plan, "approve")).status_code == 404
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_submitting_hands_the_approval_to_head_and_deputies_and_issuing_takes_it_out(
    plan, login, cast
):
    secretary, head, deputy = (cast.users[k] for k in ("secretary", "head", "deputy"))
    client = login(secretary)
    client.post(action(plan, "submit"))
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED
    items = open_items(APPROVE_KIND)
    assert {i.user_id for i in items} == {head.pk, deputy.pk}
    assert all(i.title == plan.title and i.url == plan.get_absolute_url() for i in items)
    # A notification at once: "Phê duyệt kế hoạch: …".
    assert Notification.objects.filter(
        user=deputy, title=f"Phê duyệt kế hoạch: {plan.title}"
    ).exists()
    # Submitted, the paper's signing details are locked.
    assert plan.paper.status == Paper.Status.SIGNING
    # The deputy head approves: the plan's Kế hoạch is recorded as signed.
    login(deputy).post(issue_url(plan), {"number": "7", "issued_on": "15/01/2026"})
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ISSUED
    assert not open_items(APPROVE_KIND).exists()
    assert InboxItem.objects.get(kind=APPROVE_KIND, user=head).done_by == deputy


def test_sending_back_takes_the_approval_out_and_hands_the_plan_to_its_secretary(plan, login, cast):
    secretary, head = cast.users["secretary"], cast.users["head"]
    login(secretary).post(action(plan, "submit"))
    login(head).post(action(plan, "send_back"), {"comment": "Bổ sung kinh phí"})
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert not open_items(APPROVE_KIND).exists()
    revise = open_items(REVISE_KIND).get()
    assert revise.user == secretary and "Bổ sung kinh phí" in revise.title
    # Submitted again: the revision leaves her inbox, the approval is back in theirs.
    login(secretary).post(action(plan, "submit"))
    assert not open_items(REVISE_KIND).exists()
    assert open_items(APPROVE_KIND).count() == 2


def test_whoever_submitted_a_plan_cannot_approve_it(plan, login, cast):
    # The secretary who also holds the head role (granted by someone else) submits…
    secretary = cast.users["secretary"]
    set_roles(secretary.memberships.get(agency=cast.a), [Role.ISO_SECRETARY, Role.HEAD])
    client = login(secretary)
    client.post(action(plan, "submit"))
    # …the approval waits for the head and the deputy, not for her…
    users = set(open_items(APPROVE_KIND).values_list("user_id", flat=True))
    assert users == {cast.users["head"].pk, cast.users["deputy"].pk}
    # …and she cannot record it as signed herself.
    response = client.post(issue_url(plan), {"number": "7", "issued_on": "15/01/2026"}, follow=True)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED
    assert "Người đã trình không được" in response.content.decode()
    # Another person may.
    login(cast.users["head"]).post(issue_url(plan), {"number": "7", "issued_on": "15/01/2026"})
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ISSUED


def buttons(client, plan):
    page = client.get(reverse("plans:detail", args=[plan.agency_id, plan.pk])).content.decode()
    names = ("submit", "send_back", "amend", "close")
    shown = {name for name in names if f'id="step-{name}"' in page}
    return shown, page


@pytest.mark.parametrize(
    ("state", "who", "expected"),
    [
        ("draft", "secretary", {"submit"}),
        ("draft", "head", set()),
        ("draft", "staff", set()),
        ("submitted", "secretary", set()),
        ("submitted", "head", {"send_back"}),
        ("submitted", "staff", set()),
        ("issued", "secretary", {"amend", "close"}),
        ("issued", "head", set()),
        ("issued", "staff", set()),
    ],
)
def test_the_plan_page_shows_only_the_buttons_the_person_may_press(
    plan, login, cast, state, who, expected
):
    if state != "draft":
        services.submit(plan, cast.users["secretary"])
    if state == "issued":
        services.issue(plan, number=3, issued_on=D(2026, 1, 15), by=cast.users["head"])
    shown, page = buttons(login(cast.users[who]), plan)
    assert shown == expected
    assert f'data-state="{state}"' in page  # the declared badge
    # The approval form (the register's) is the head's on a submitted plan, nobody else's.
    assert ('id="issue-form"' in page) is (state == "submitted" and who == "head")


def test_plan_templates_compare_no_states():
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "templates" / "plans"
    for template in folder.glob("*.html"):
        text = template.read_text()
        assert "status ==" not in text and "status !=" not in text, template.name


def test_a_plan_paper_takes_no_step_of_its_own_the_plan_puts_it_forward(plan, login, cast):
    client = login(cast.users["secretary"])
    paper_step = reverse("paperwork:step", args=[plan.agency_id, plan.paper_id, "submit"])
    assert client.post(paper_step).status_code == 404
    assert 'id="paper-steps"' not in client.get(plan.get_absolute_url()).content.decode()
    plan.paper.refresh_from_db()
    assert plan.paper.status == Paper.Status.DRAFT


def test_amending_asks_first_and_needs_a_reason_and_the_work_goes_on(plan, cast, login):
    from qms.plans.tests.conftest import issue as issue_plan

    issue_plan(plan)
    client = login(cast.users["secretary"])
    page = client.get(plan.get_absolute_url()).content.decode()
    card = page[page.index('id="card-amend"') :]
    assert 'data-confirm="Mở kế hoạch để sửa đổi, bổ sung?' in card
    assert "Lý do sửa đổi, bổ sung" in card
    client.post(action(plan, "amend"), {"comment": " "})
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ISSUED  # refused without a reason
    client.post(action(plan, "amend"), {"comment": "Bổ sung nhiệm vụ tập huấn"})
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and plan.amendment_no == 1
    # The tasks' progress forms stay while the amendment is drafted.
    task = plan.tasks.get(order=1)
    task_page = client.get(reverse("plans:task", args=[plan.agency_id, task.pk])).content
    note_form = reverse("plans:task_progress", args=[plan.agency_id, task.pk, "note"])
    assert f'action="{note_form}"' in task_page.decode()
