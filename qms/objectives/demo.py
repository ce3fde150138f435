"""Demo quality policy and objectives of the two seed agencies.

- Ban Quản lý Khu kinh tế Hải Phòng, 2026: the policy issued in January; the agency's
  objectives (on-time rate and satisfaction computed from the TTHC results the procedures
  demo imported) and two units' objectives, each serving one of them; the results of the
  quarters that have ended, one unit objective missed with its follow-up recorded and
  another missed period still waiting for its follow-up; the plan to reach each objective.
- UBND huyện Bình Sơn, 2024 (the seed's first task: "Xây dựng chính sách và mục tiêu chất
  lượng năm 2024", approved by the chairman): the policy and objectives issued in January
  2024, entered quarter by quarter until the district was dissolved on 30/6/2025.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from qms.objectives import services
from qms.objectives.models import ObjectiveAction, QualityObjective, QualityPolicy
from qms.organization.models import Agency, Unit, User
from qms.paperwork import services as paperwork
from qms.paperwork.models import OfficialRecord

D = dt.date
S = QualityObjective.Status
HP = "Ban Quản lý Khu kinh tế Hải Phòng"
BS = "Ủy ban nhân dân huyện Bình Sơn"

HP_POLICY = "\n".join(
    [
        "Ban Quản lý Khu kinh tế Hải Phòng cam kết:",
        "1. Giải quyết thủ tục hành chính công khai, minh bạch, đúng quy định của pháp luật, "
        "lấy sự hài lòng của nhà đầu tư, doanh nghiệp và người dân làm thước đo chất lượng "
        "phục vụ.",
        "2. Không ngừng cải cách thủ tục hành chính, đẩy mạnh chuyển đổi số, giải quyết hồ sơ "
        "nhanh chóng, chính xác, đúng hạn.",
        "3. Duy trì và cải tiến thường xuyên Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc "
        "gia TCVN ISO 9001:2015; mọi cán bộ, công chức hiểu và thực hiện chính sách này.",
    ]
)
BS_POLICY = "\n".join(
    [
        "Ủy ban nhân dân huyện Bình Sơn cam kết:",
        "1. Giải quyết thủ tục hành chính cho tổ chức, công dân nhanh chóng, đúng pháp luật, "
        "công khai, minh bạch.",
        "2. Xây dựng đội ngũ cán bộ, công chức chuyên nghiệp, tận tụy, trách nhiệm.",
        "3. Áp dụng, duy trì và cải tiến hiệu lực Hệ thống quản lý chất lượng theo Tiêu chuẩn "
        "quốc gia TCVN ISO 9001:2015.",
    ]
)


@dataclass(frozen=True)
class Signer:
    username: str
    name: str
    position: str


def load() -> None:
    for name, build in ((HP, _hai_phong), (BS, _binh_son)):
        agency = Agency.objects.filter(name=name).first()
        if agency is not None and not QualityPolicy.objects.filter(agency=agency).exists():
            build(agency)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _unit(agency: Agency, name: str) -> Unit:
    return Unit.objects.get(agency=agency, name=name)


def _issue(record: OfficialRecord, signer: Signer, day: dt.date, secretary: User) -> None:
    paper = record.paper
    paperwork.save_draft(
        paper,
        signer=_user(signer.username),
        signer_name=signer.name,
        signer_position=signer.position,
    )
    paperwork.offer_for_signature(record, secretary)
    number = paperwork.next_number(paper.agency, paper.issuer, day.year)
    paperwork.issue(paper, number=number, issued_on=day, by=None)


def _objective(agency: Agency, year: int, **fields: object) -> QualityObjective:
    return QualityObjective.objects.create(agency=agency, year=year, status=S.ACCEPTED, **fields)


def _actions(objective: QualityObjective, rows: list[tuple[str, dt.date, bool]]) -> None:
    for description, due, done in rows:
        action = services.add_action(
            objective, ObjectiveAction(description=description, due_date=due)
        )
        if done:
            services.set_action_done(action, True)


@transaction.atomic
def _hai_phong(agency: Agency) -> None:
    secretary = _user("thuky.hp")
    head = Signer("truongban.hp", "Phạm Quốc Thắng", "Trưởng ban")
    _issue(services.draft_policy(agency, HP_POLICY), head, D(2026, 1, 8), secretary)
    office = _unit(agency, "Văn phòng Ban Quản lý")
    investment = _unit(agency, "Phòng Quản lý đầu tư")
    on_time = _objective(
        agency,
        2026,
        statement="Giải quyết hồ sơ thủ tục hành chính đúng và trước hạn",
        indicator="Tỷ lệ hồ sơ TTHC giải quyết đúng hạn",
        target=Decimal("98"),
        period="quarter",
        owner_unit=office,
        source="tthc_on_time",
        order=1,
    )
    satisfied = _objective(
        agency,
        2026,
        statement="Nâng cao mức độ hài lòng của tổ chức, cá nhân",
        indicator="Tỷ lệ tổ chức, cá nhân hài lòng với việc giải quyết TTHC",
        target=Decimal("90"),
        period="quarter",
        owner_unit=office,
        source="satisfaction",
        order=2,
    )
    unit_rate = _objective(
        agency,
        2026,
        unit=investment,
        parent=on_time,
        statement="Giải quyết 100% hồ sơ đầu tư đúng hạn",
        indicator="Tỷ lệ hồ sơ TTHC của phòng giải quyết đúng hạn",
        target=Decimal("100"),
        period="quarter",
        source="tthc_on_time_unit",
        proposed_by=_user("truongphong.hp"),
        order=1,
    )
    complaints = _objective(
        agency,
        2026,
        unit=office,
        parent=satisfied,
        statement="Không để phát sinh phản ánh về thái độ phục vụ tại Bộ phận Một cửa",
        indicator="Số phản ánh, kiến nghị về thái độ phục vụ",
        unit_of_measure="phản ánh",
        direction="le",
        target=Decimal("0"),
        period="quarter",
        proposed_by=_user("chanhvp.hp"),
        order=1,
    )
    services.year_set(agency, 2026)
    objective_set = agency.objective_sets.get(year=2026)
    _issue(objective_set, head, D(2026, 1, 20), secretary)
    services.measure_due(agency, D(2026, 10, 1))  # Q1–Q3 from the imported TTHC results
    clerk = _user("chanhvp.hp")
    for key, value, note in (
        ("2026-Q1", "0", "Không có phản ánh."),
        ("2026-Q2", "1", "01 phản ánh qua đường dây nóng ngày 12/5/2026."),
        ("2026-Q3", "0", "Không có phản ánh."),
    ):
        complaints.refresh_from_db()
        services.enter_measurement(complaints, key, Decimal(value), clerk, note=note)
    missed = complaints.measurements.get(period_key="2026-Q2")
    services.record_follow_up(
        missed,
        "Công chức Bộ phận Một cửa chưa hướng dẫn đầy đủ thành phần hồ sơ; cần phân tích "
        "nguyên nhân và tổ chức bồi dưỡng kỹ năng giao tiếp.",
        D(2026, 7, 31),
        secretary,
    )
    for late in unit_rate.measurements.filter(achieved=False).order_by("period_start")[:1]:
        services.record_follow_up(
            late,
            "Một số hồ sơ chậm do chờ ý kiến thẩm định của các sở, ngành; cần rút ngắn thời "
            "gian lấy ý kiến.",
            D(2026, 5, 15),
            _user("truongphong.hp"),
        )
    _actions(
        on_time,
        [
            (
                "Rà soát, cắt giảm thời gian giải quyết 10 TTHC có tỷ lệ trễ hạn cao",
                D(2026, 3, 31),
                True,
            ),
            (
                "Theo dõi, nhắc hạn hồ sơ hằng tuần trên hệ thống một cửa điện tử",
                D(2026, 12, 31),
                False,
            ),
        ],
    )
    _actions(
        satisfied,
        [("Khảo sát mức độ hài lòng hằng quý tại Bộ phận Một cửa", D(2026, 12, 15), False)],
    )
    _actions(
        unit_rate,
        [
            ("Lập phiếu theo dõi hồ sơ lấy ý kiến các sở, ngành", D(2026, 4, 30), True),
            ("Đề xuất quy chế phối hợp lấy ý kiến thẩm định dự án đầu tư", D(2026, 12, 20), False),
        ],
    )
    _actions(
        complaints,
        [("Bồi dưỡng kỹ năng giao tiếp cho công chức Bộ phận Một cửa", D(2026, 8, 31), True)],
    )


@transaction.atomic
def _binh_son(agency: Agency) -> None:
    secretary = _user("thuky.bs")
    chairman = Signer("chutich.bs", "Nguyễn Tưởng Duy", "Chủ tịch")
    _issue(services.draft_policy(agency, BS_POLICY), chairman, D(2024, 1, 10), secretary)
    economy = _unit(agency, "Phòng Kinh tế và Hạ tầng")
    office = _unit(agency, "Văn phòng HĐND và UBND huyện")
    on_time = _objective(
        agency,
        2024,
        statement="Giải quyết hồ sơ thủ tục hành chính đúng hạn",
        indicator="Tỷ lệ hồ sơ TTHC giải quyết đúng hạn",
        target=Decimal("95"),
        period="quarter",
        owner_unit=office,
        order=1,
    )
    permits = _objective(
        agency,
        2024,
        unit=economy,
        parent=on_time,
        statement="Cấp giấy phép xây dựng đúng hạn",
        indicator="Tỷ lệ hồ sơ cấp giấy phép xây dựng trả đúng hạn",
        target=Decimal("100"),
        period="quarter",
        proposed_by=_user("truongphongkt.bs"),
        order=1,
    )
    public = _objective(
        agency,
        2024,
        unit=office,
        parent=on_time,
        statement="Niêm yết, công khai đầy đủ thủ tục hành chính tại Bộ phận Một cửa",
        indicator="Tỷ lệ TTHC được niêm yết, công khai",
        target=Decimal("100"),
        period="half",
        proposed_by=_user("chanhvp.bs"),
        order=2,
    )
    services.year_set(agency, 2024)
    _issue(agency.objective_sets.get(year=2024), chairman, D(2024, 1, 25), secretary)
    entries = [
        (
            on_time,
            [("2024-Q1", "97.8"), ("2024-Q2", "96.5"), ("2024-Q3", "98.1"), ("2024-Q4", "98.6")],
        ),
        (
            permits,
            [("2024-Q1", "100"), ("2024-Q2", "96.3"), ("2024-Q3", "100"), ("2024-Q4", "100")],
        ),
        (public, [("2024-H1", "100"), ("2024-H2", "100")]),
    ]
    for objective, values in entries:
        objective.refresh_from_db()
        for key, value in values:
            services.enter_measurement(
                objective, key, Decimal(value), secretary, note="Số liệu từ sổ theo dõi hồ sơ."
            )
    services.record_follow_up(
        permits.measurements.get(period_key="2024-Q2"),
        "02 hồ sơ cấp phép xây dựng trễ hạn do thiếu công chức thẩm định trong tháng 5/2024.",
        D(2024, 7, 31),
        secretary,
    )
    _actions(
        permits,
        [("Bố trí công chức dự phòng thẩm định hồ sơ cấp phép xây dựng", D(2024, 8, 31), True)],
    )
    _actions(
        public,
        [("Cập nhật niêm yết TTHC theo quyết định công bố mới của tỉnh", D(2024, 6, 30), True)],
    )
