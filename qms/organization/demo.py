"""Demo organisations drawn from the two seed plans: Ban Quản lý Khu kinh tế Hải Phòng (2026)
and UBND huyện Bình Sơn, Quảng Ngãi (2024, dissolved with the district level on 01/7/2025).

Loading is idempotent: every row is found by its natural key and brought back to the demo
values, so the command can be run again to restore the demo without duplicating anything.
People other than the named signers of the seeds are invented for the demo.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from qms.organization import services
from qms.organization.models import (
    Agency,
    CommitteeDecision,
    CommitteeMember,
    CommitteeRole,
    Membership,
    Province,
    Role,
    Unit,
    User,
    today,
)
from qms.paperwork import services as paperwork
from qms.paperwork.kinds import SignForm

DEMO_PASSWORD = "Demo@2026"
D = dt.date


@dataclass
class Person:
    username: str
    full_name: str
    position: str
    unit: str | None
    roles: list[str]
    can_log_in: bool = True
    expires_on: dt.date | None = None


@dataclass
class Seat:
    username: str
    role: str
    duty: str = ""


@dataclass
class Decision:
    number: int
    signed_on: dt.date
    kind: str
    signer: str
    signer_position: str
    sign_form: str
    seats: list[Seat]
    proposal: str = ""


@dataclass
class AgencySpec:
    name: str
    kind: str
    abbreviation: str
    place_name: str
    head_title: str
    deputy_title: str
    parent_agency_name: str = ""
    collective_name: str = ""
    is_dost: bool = False
    valid_to: dt.date | None = None
    dissolution_note: str = ""
    units: list[tuple[str, str, str | None]] = field(default_factory=list)  # name, kind, parent
    people: list[Person] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    draft_next: bool = False


HP_GROUNDS = "\n".join(
    [
        services.QD19_GROUND,
        services.TT26_GROUND,
        "Căn cứ Quyết định số 1091/QĐ-UBND ngày 09/5/2017 của Ủy ban nhân dân thành phố về "
        "việc phê duyệt kế hoạch chuyển đổi và áp dụng Hệ thống quản lý chất lượng theo tiêu "
        "chuẩn quốc gia TCVN ISO 9001:2015",
    ]
)

HAI_PHONG_BQL = AgencySpec(
    name="Ban Quản lý Khu kinh tế Hải Phòng",
    kind=Agency.Kind.ECONOMIC_ZONE_AUTHORITY,
    abbreviation="BQL",
    place_name="Hải Phòng",
    head_title="Trưởng ban",
    deputy_title="Phó Trưởng ban",
    parent_agency_name="Ủy ban nhân dân thành phố Hải Phòng",
    units=[
        ("Văn phòng Ban Quản lý", Unit.Kind.OFFICE, None),
        ("Bộ phận Một cửa", Unit.Kind.ONE_STOP_UNIT, "Văn phòng Ban Quản lý"),
        ("Phòng Quản lý đầu tư", Unit.Kind.DIVISION, None),
        ("Phòng Quản lý quy hoạch và xây dựng", Unit.Kind.DIVISION, None),
        ("Phòng Quản lý doanh nghiệp và lao động", Unit.Kind.DIVISION, None),
        ("Phòng Quản lý tài nguyên và môi trường", Unit.Kind.DIVISION, None),
        ("Trung tâm Xúc tiến và Hỗ trợ đầu tư", Unit.Kind.PUBLIC_SERVICE_UNIT, None),
    ],
    people=[
        Person(
            "truongban.hp", "Phạm Quốc Thắng", "Trưởng ban", None, [Role.HEAD], can_log_in=False
        ),
        Person("lanhdao.hp", "Nguyễn Văn Chuẩn", "Phó Trưởng ban", None, [Role.DEPUTY_HEAD]),
        Person(
            "vanthu.hp",
            "Phạm Thị Lan",
            "Văn thư",
            "Văn phòng Ban Quản lý",
            [Role.REGISTRY_CLERK],
        ),
        Person(
            "chanhvp.hp",
            "Vũ Thị Lan",
            "Chánh Văn phòng",
            "Văn phòng Ban Quản lý",
            [Role.UNIT_HEAD, Role.INTERNAL_AUDITOR],
            can_log_in=False,
        ),
        Person(
            "thuky.hp",
            "Phạm Thị Thu Hà",
            "Chuyên viên Văn phòng",
            "Văn phòng Ban Quản lý",
            [Role.ISO_SECRETARY, Role.INTERNAL_AUDITOR],
        ),
        Person(
            "truongphong.hp",
            "Lê Văn Nam",
            "Trưởng phòng Quản lý đầu tư",
            "Phòng Quản lý đầu tư",
            [Role.UNIT_HEAD],
        ),
        Person(
            "chuyenvien.hp",
            "Đỗ Thị Mai",
            "Chuyên viên Phòng Quản lý đầu tư",
            "Phòng Quản lý đầu tư",
            [Role.STAFF],
        ),
        Person(
            "qhxd.hp",
            "Hoàng Văn Dũng",
            "Trưởng phòng Quản lý quy hoạch và xây dựng",
            "Phòng Quản lý quy hoạch và xây dựng",
            [Role.UNIT_HEAD, Role.INTERNAL_AUDITOR],
            can_log_in=False,
        ),
        Person(
            "dnld.hp",
            "Bùi Thị Hằng",
            "Phó Trưởng phòng Quản lý doanh nghiệp và lao động",
            "Phòng Quản lý doanh nghiệp và lao động",
            [Role.UNIT_HEAD],
            can_log_in=False,
        ),
        Person(
            "motcua.hp",
            "Ngô Minh Tuấn",
            "Chuyên viên Bộ phận Một cửa",
            "Bộ phận Một cửa",
            [Role.STAFF],
            can_log_in=False,
        ),
    ],
    decisions=[
        Decision(
            46,
            D(2023, 3, 15),
            CommitteeDecision.Kind.ESTABLISHMENT,
            "Phạm Quốc Thắng",
            "Trưởng ban",
            SignForm.OWN,
            [
                Seat("truongban.hp", CommitteeRole.CHAIR),
                Seat("lanhdao.hp", CommitteeRole.VICE_CHAIR),
                Seat("chanhvp.hp", CommitteeRole.MEMBER),
                Seat("truongphong.hp", CommitteeRole.MEMBER),
                Seat("thuky.hp", CommitteeRole.SECRETARY),
            ],
            proposal="Xét đề nghị của Chánh Văn phòng Ban Quản lý",
        ),
        Decision(
            128,
            D(2025, 8, 12),
            CommitteeDecision.Kind.RECONSTITUTION,
            "Nguyễn Văn Chuẩn",
            "Phó Trưởng ban",
            SignForm.KT,
            [
                Seat("lanhdao.hp", CommitteeRole.CHAIR, "Phụ trách chung"),
                Seat("chanhvp.hp", CommitteeRole.VICE_CHAIR, "Thường trực Ban Chỉ đạo"),
                Seat("truongphong.hp", CommitteeRole.MEMBER),
                Seat("qhxd.hp", CommitteeRole.MEMBER),
                Seat("dnld.hp", CommitteeRole.MEMBER),
                Seat("thuky.hp", CommitteeRole.SECRETARY, "Thư ký Ban Chỉ đạo ISO"),
            ],
            proposal="Xét đề nghị của Chánh Văn phòng Ban Quản lý",
        ),
    ],
    draft_next=True,
)

HAI_PHONG_DOST = AgencySpec(
    name="Sở Khoa học và Công nghệ Hải Phòng",
    kind=Agency.Kind.SPECIALISED_DEPARTMENT,
    abbreviation="SKHCN",
    place_name="Hải Phòng",
    head_title="Giám đốc",
    deputy_title="Phó Giám đốc",
    parent_agency_name="Ủy ban nhân dân thành phố Hải Phòng",
    is_dost=True,
    units=[("Phòng Tiêu chuẩn Đo lường Chất lượng", Unit.Kind.DIVISION, None)],
    people=[
        Person(
            "sokhcn.hp",
            "Trần Thị Bích Ngọc",
            "Chuyên viên Phòng Tiêu chuẩn Đo lường Chất lượng",
            "Phòng Tiêu chuẩn Đo lường Chất lượng",
            [Role.PROVINCE_OVERSEER],
        )
    ],
)

BS_GROUNDS = "\n".join(
    [
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015",
        services.QD19_GROUND,
        services.TT26_GROUND,
    ]
)

BINH_SON = AgencySpec(
    name="Ủy ban nhân dân huyện Bình Sơn",
    kind=Agency.Kind.DISTRICT_COMMITTEE,
    abbreviation="UBND",
    place_name="Bình Sơn",
    head_title="Chủ tịch",
    deputy_title="Phó Chủ tịch",
    collective_name="Ủy ban nhân dân",
    valid_to=D(2025, 6, 30),
    dissolution_note=(
        "Cấp huyện kết thúc hoạt động từ ngày 01/7/2025 khi thực hiện chính quyền địa phương "
        "hai cấp; hồ sơ được lưu giữ để tra cứu."
    ),
    units=[
        ("Văn phòng HĐND và UBND huyện", Unit.Kind.OFFICE, None),
        ("Bộ phận Một cửa huyện", Unit.Kind.ONE_STOP_UNIT, "Văn phòng HĐND và UBND huyện"),
        ("Phòng Kinh tế và Hạ tầng", Unit.Kind.DIVISION, None),
        ("Phòng Tài chính - Kế hoạch", Unit.Kind.DIVISION, None),
        ("Phòng Nội vụ", Unit.Kind.DIVISION, None),
        ("Phòng Tư pháp", Unit.Kind.DIVISION, None),
        ("Phòng Tài nguyên và Môi trường", Unit.Kind.DIVISION, None),
        ("Phòng Văn hóa và Thông tin", Unit.Kind.DIVISION, None),
        ("Phòng Lao động - Thương binh và Xã hội", Unit.Kind.DIVISION, None),
    ],
    people=[
        Person(
            "chutich.bs",
            "Nguyễn Tưởng Duy",
            "Chủ tịch UBND huyện",
            None,
            [Role.HEAD],
            can_log_in=False,
        ),
        Person(
            "phochutich.bs",
            "Võ Văn Thanh",
            "Phó Chủ tịch UBND huyện",
            None,
            [Role.DEPUTY_HEAD],
            can_log_in=False,
        ),
        Person(
            "truongphongkt.bs",
            "Lê Quang Vinh",
            "Trưởng phòng Kinh tế và Hạ tầng",
            "Phòng Kinh tế và Hạ tầng",
            [Role.UNIT_HEAD],
            can_log_in=False,
        ),
        Person(
            "thuky.bs",
            "Trương Thị Hồng",
            "Chuyên viên Phòng Kinh tế và Hạ tầng",
            "Phòng Kinh tế và Hạ tầng",
            [Role.ISO_SECRETARY],
        ),
        Person(
            "chanhvp.bs",
            "Phan Văn Lực",
            "Chánh Văn phòng HĐND và UBND huyện",
            "Văn phòng HĐND và UBND huyện",
            [Role.UNIT_HEAD],
            can_log_in=False,
        ),
    ],
    decisions=[
        Decision(
            1650,
            D(2023, 9, 28),
            CommitteeDecision.Kind.RECONSTITUTION,
            "Nguyễn Tưởng Duy",
            "Chủ tịch",
            SignForm.OWN,
            [
                Seat("chutich.bs", CommitteeRole.CHAIR),
                Seat("truongphongkt.bs", CommitteeRole.VICE_CHAIR, "Thường trực Ban Chỉ đạo"),
                Seat("chanhvp.bs", CommitteeRole.MEMBER),
                Seat("thuky.bs", CommitteeRole.SECRETARY, "Tổ trưởng Tổ thư ký ISO"),
            ],
            proposal="Xét đề nghị của Trưởng phòng Kinh tế và Hạ tầng",
        ),
    ],
)

QUANG_NGAI_DOST = AgencySpec(
    name="Sở Khoa học và Công nghệ Quảng Ngãi",
    kind=Agency.Kind.SPECIALISED_DEPARTMENT,
    abbreviation="SKHCN",
    place_name="Quảng Ngãi",
    head_title="Giám đốc",
    deputy_title="Phó Giám đốc",
    parent_agency_name="Ủy ban nhân dân tỉnh Quảng Ngãi",
    is_dost=True,
    units=[("Phòng Tiêu chuẩn Đo lường Chất lượng", Unit.Kind.DIVISION, None)],
    people=[
        Person(
            "sokhcn.qn",
            "Huỳnh Văn Phúc",
            "Chuyên viên Phòng Tiêu chuẩn Đo lường Chất lượng",
            "Phòng Tiêu chuẩn Đo lường Chất lượng",
            [Role.PROVINCE_OVERSEER],
        )
    ],
)

PROVINCES = {
    "Hải Phòng": [HAI_PHONG_BQL, HAI_PHONG_DOST],
    "Quảng Ngãi": [BINH_SON, QUANG_NGAI_DOST],
}
GROUNDS = {HAI_PHONG_BQL.name: HP_GROUNDS, BINH_SON.name: BS_GROUNDS}

DEMO_LOGINS = [
    ("admin", "System administrator"),
    ("thuky.hp", "ISO secretary, Ban Quản lý Khu kinh tế Hải Phòng"),
    ("lanhdao.hp", "Deputy head, Ban Quản lý Khu kinh tế Hải Phòng"),
    ("truongphong.hp", "Head of unit, Ban Quản lý Khu kinh tế Hải Phòng"),
    ("chuyenvien.hp", "Staff, Ban Quản lý Khu kinh tế Hải Phòng"),
    ("vanthu.hp", "Registry clerk (văn thư), Ban Quản lý Khu kinh tế Hải Phòng"),
    ("thuky.bs", "ISO secretary, UBND huyện Bình Sơn (dissolved, read-only)"),
    ("sokhcn.hp", "Province overseer, Sở KH&CN Hải Phòng"),
    ("sokhcn.qn", "Province overseer, Sở KH&CN Quảng Ngãi"),
]


def _user(username: str, full_name: str, can_log_in: bool, **extra: object) -> User:
    user, _created = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name}
    )
    user.full_name = full_name
    for key, value in extra.items():
        setattr(user, key, value)
    if can_log_in:
        user.set_password(DEMO_PASSWORD)
    else:
        user.set_unusable_password()
    user.save()
    return user


def _agency(province: Province, spec: AgencySpec, parent: Agency | None) -> Agency:
    agency, _created = Agency.objects.update_or_create(
        province=province,
        name=spec.name,
        defaults={
            "parent": parent,
            "kind": spec.kind,
            "abbreviation": spec.abbreviation,
            "place_name": spec.place_name,
            "head_title": spec.head_title,
            "deputy_title": spec.deputy_title,
            "parent_agency_name": spec.parent_agency_name,
            "collective_name": spec.collective_name,
            "is_dost": spec.is_dost,
            "valid_to": spec.valid_to,
            "dissolution_note": spec.dissolution_note,
        },
    )
    return agency


def _units(agency: Agency, spec: AgencySpec) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for order, (name, kind, parent) in enumerate(spec.units, start=1):
        units[name], _created = Unit.objects.update_or_create(
            agency=agency,
            name=name,
            defaults={
                "kind": kind,
                "order": order,
                "is_active": True,
                "parent": units[parent] if parent else None,
            },
        )
    return units


def _people(agency: Agency, spec: AgencySpec, units: dict[str, Unit]) -> dict[str, User]:
    users: dict[str, User] = {}
    for person in spec.people:
        user = _user(person.username, person.full_name, person.can_log_in)
        membership, _created = Membership.objects.update_or_create(
            user=user,
            agency=agency,
            defaults={
                "position": person.position,
                "is_active": True,
                "unit": units[person.unit] if person.unit else None,
                "expires_on": person.expires_on,
            },
        )
        services.set_roles(membership, person.roles)
        users[person.username] = user
    return users


def _decisions(agency: Agency, spec: AgencySpec, users: dict[str, User]) -> None:
    """Issue the seed decisions in order, unless they are already there."""
    positions = dict(
        Membership.objects.filter(agency=agency).values_list("user__username", "position")
    )
    if not spec.decisions:
        return
    # Whoever keeps the agency's register records the decisions: its ISO secretary.
    registry = next((u for name, u in users.items() if name.startswith("thuky")), None)
    registry = registry or next(iter(users.values()))
    for decision in spec.decisions:
        if CommitteeDecision.objects.filter(
            agency=agency,
            paper__number=decision.number,
            paper__issued_on=decision.signed_on,
        ).exists():
            continue
        paper = paperwork.new_paper(
            agency,
            CommitteeDecision,
            subject=services.decision_subject(agency, decision.kind),
            grounds=GROUNDS[agency.name],
            proposal=decision.proposal,
            recipients="\n".join(
                ["Như Điều 3", "Sở Khoa học và Công nghệ (để b/c)", "Lãnh đạo cơ quan"]
            ),
            sign_form=decision.sign_form,
            signer=next((u for u in users.values() if u.full_name == decision.signer), None),
            signer_name=decision.signer,
            signer_position=decision.signer_position,
        )
        draft = CommitteeDecision.objects.create(
            agency=agency,
            paper=paper,
            kind=decision.kind,
            replaces=services.decision_in_force(agency, decision.signed_on),
            duties=services.default_duties(agency),
        )
        paperwork.link(paper, draft)
        for order, seat in enumerate(decision.seats, start=1):
            user = users[seat.username]
            CommitteeMember.objects.create(
                agency=agency,
                decision=draft,
                user=user,
                full_name=user.full_name,
                position=positions[seat.username],
                committee_role=seat.role,
                duty=seat.duty,
                order=order,
            )
        services.issue_decision(
            draft, number=decision.number, signed_on=decision.signed_on, by=registry
        )


@transaction.atomic
def load() -> None:
    _user("admin", "Quản trị hệ thống", True, is_staff=True, is_superuser=True)
    for province_name, specs in PROVINCES.items():
        province, _created = Province.objects.get_or_create(name=province_name)
        level = "thành phố" if province_name == "Hải Phòng" else "tỉnh"
        root, _created = Agency.objects.update_or_create(
            province=province,
            name=f"Ủy ban nhân dân {level} {province_name}",
            defaults={
                "kind": Agency.Kind.PROVINCIAL_COMMITTEE,
                "abbreviation": "UBND",
                "place_name": province_name,
                "head_title": "Chủ tịch",
                "deputy_title": "Phó Chủ tịch",
                "collective_name": "Ủy ban nhân dân",
            },
        )
        for spec in specs:
            agency = _agency(province, spec, root)
            units = _units(agency, spec)
            users = _people(agency, spec, units)
            _decisions(agency, spec, users)
            if (
                spec.draft_next
                and not agency.committee_decisions.filter(paper__status="draft").exists()
            ):
                # Seed task 1 of Hải Phòng 2026: the committee is being reconstituted.
                services.draft_reconstitution(agency, today())


def is_loaded() -> bool:
    return Province.objects.exists()
