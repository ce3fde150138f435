"""Write screens of the internal audit in the permission matrix (qms/organization/tests/
matrix.py): the programme, audits, teams, plans, checklists, question banks and
qualifications are the ISO secretary's (MANAGE_AUDITS); recording a finding on an audit whose
team the walker is not on is the secretary's alone (RECORD_FINDINGS; a team member's own right
is tested in test_pages.py)."""

from django.urls import reverse

from qms.audits import services
from qms.audits.models import QuestionBank
from qms.audits.tests import builders as b
from qms.organization.access import Action
from qms.organization.models import Membership, Role, User
from qms.organization.services import set_roles
from qms.organization.tests.matrix import Case, World


def _outside_auditor(world: World) -> User:
    """A qualified auditor of agency A who is none of the roles walked."""

    def make() -> User:
        user = User.objects.create_user("auditor_matrix", full_name="Kiểm Toán Viên")
        membership = Membership.objects.create(user=user, agency=world.agency, position="CV")
        set_roles(membership, [Role.INTERNAL_AUDITOR])
        b.qualify(world.agency, user)
        return user

    return world.once("outside_auditor", make)  # type: ignore[no-any-return]


def _programme(world: World):
    return "post", reverse("audits:programme_create", args=[world.agency.pk, 2026]), {}


def _row(world: World):
    programme = b.programme(world.agency)
    url = reverse("audits:row_add", args=[world.agency.pk, programme.pk])
    return "post", url, {"unit": world.unit.pk, "months": ["6"]}


def _new(world: World):
    programme = b.programme(world.agency)
    url = reverse("audits:new", args=[world.agency.pk, programme.pk])
    data = {
        "title": "Đánh giá nội bộ",
        "starts_on": "10/06/2026",
        "ends_on": "12/06/2026",
        "units": [world.unit.pk],
        "clauses": ["9.2"],
    }
    return "post", url, data


def _team(world: World):
    auditor = _outside_auditor(world)
    audit = b.audit(world.agency, [world.unit])
    url = reverse("audits:team_add", args=[world.agency.pk, audit.pk])
    return "post", url, {"person": auditor.pk, "is_lead": "on"}


def _plan(world: World):
    audit = b.audit(world.agency, [world.unit])
    return "post", reverse("audits:plan_draft", args=[world.agency.pk, audit.pk]), {}


def _checklist(world: World):
    audit = b.audit(world.agency, [world.unit])
    return "post", reverse("audits:checklist_build", args=[world.agency.pk, audit.pk]), {}


def _bank(world: World):
    url = reverse("audits:banks", args=[world.agency.pk])
    return "post", url, {"title": "Đánh giá nội bộ", "clause": "9.2"}


def _question(world: World):
    bank = services.save_bank(QuestionBank(agency=world.agency, clause="9.2", title="9.2"))
    return "post", bank.get_absolute_url(), {"text": "Có chương trình đánh giá không?"}


def _qualification(world: World):
    url = reverse("audits:auditors", args=[world.agency.pk])
    data = {
        "person": world.secretary.pk,
        "certificate_number": "01/CC",
        "issued_by": "Viện Năng suất Việt Nam",
        "issued_on": "20/05/2025",
    }
    return "post", url, data


def _finding(world: World):
    audit = b.planned(world.cast, units=[world.unit], lead=_outside_auditor(world))
    url = reverse("audits:finding_new", args=[world.agency.pk, audit.pk])
    data = {
        "kind": "observation",
        "clause": "9.2",
        "unit": world.unit.pk,
        "description": "Chương trình chưa nêu tiêu chí chọn chuyên gia.",
    }
    return "post", url, data


CASES = [
    Case("the year's audit programme drafted", Action.MANAGE_AUDITS, _programme),
    Case("a unit added to the audit programme", Action.MANAGE_AUDITS, _row),
    Case("a new internal audit", Action.MANAGE_AUDITS, _new),
    Case("an auditor added to an audit team", Action.MANAGE_AUDITS, _team),
    Case("the audit plan drafted", Action.MANAGE_AUDITS, _plan),
    Case("an audit's checklist copied from the banks", Action.MANAGE_AUDITS, _checklist),
    Case("a question bank", Action.MANAGE_AUDITS, _bank),
    Case("a question added to a bank", Action.MANAGE_AUDITS, _question),
    Case("an auditor's qualification", Action.MANAGE_AUDITS, _qualification),
    Case("a finding on an audit one is not on the team of", Action.RECORD_FINDINGS, _finding),
]
