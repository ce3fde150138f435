"""Demo content of the internal audit: auditors' qualifications, question banks, the year's
programme and audits with their teams, checklists and findings, in Vietnamese as agencies
write them.

- Hải Phòng (Ban Quản lý Khu kinh tế Hải Phòng), 2026: the programme issued, one audit held
  with five findings (two minor nonconformities, an observation, an opportunity for
  improvement, a strength); its report drafted, waiting for signature.
- Bình Sơn (UBND huyện Bình Sơn), 2024: the programme and two audits (June, November), held,
  their reports signed (the audits locked).

Runs after qms.risks.demo; a second run adds nothing. Bình Sơn was dissolved on 30/6/2025, so
its 2024 audits are written as history: the step "held" is taken by an actor standing for its
ISO secretary of the time (the access helper refuses any change to a dissolved agency today).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from qms.audits import services
from qms.audits.models import (
    Audit,
    AuditorQualification,
    AuditProgramme,
    Finding,
    ProgrammeRow,
    QuestionBank,
)
from qms.documents.models import Document
from qms.organization.models import Agency, Unit, User
from qms.paperwork import services as paperwork
from qms.paperwork.models import OfficialRecord

D = dt.date
HP = "Ban Quản lý Khu kinh tế Hải Phòng"
BS = "Ủy ban nhân dân huyện Bình Sơn"


@dataclass(frozen=True)
class Signer:
    username: str
    name: str
    position: str


@dataclass
class AuditSeed:
    title: str
    starts_on: dt.date
    ends_on: dt.date
    units: list[str]
    clauses: list[str]
    lead: str
    members: list[str]
    findings: list[tuple[str, str, str, str, str]]  # kind, clause, unit, procedure, text
    procedures: list[str] = field(default_factory=list)
    answers: int = 0  # checklist items answered "conforms"
    report_on: dt.date | None = None  # signed on; None: drafted only


@dataclass
class Seed:
    agency: str
    year: int
    secretary: str
    head: Signer
    qualifications: list[tuple[str, str, str, dt.date]]
    months: dict[str, list[int]]  # unit → months of the programme
    programme_on: dt.date
    audits: list[AuditSeed]


BANKS: list[tuple[str, str, list[str]]] = [
    (
        "7.5",
        "Kiểm soát thông tin dạng văn bản",
        [
            "Tài liệu sử dụng tại đơn vị có phải là bản đang có hiệu lực không?",
            "Hồ sơ giải quyết thủ tục hành chính có được lưu đủ thành phần, đúng thời hạn lưu "
            "trữ quy định trong quy trình không?",
            "Văn bản pháp luật làm căn cứ của quy trình có được cập nhật khi thay đổi không?",
        ],
    ),
    (
        "8.5",
        "Cung cấp dịch vụ",
        [
            "Hồ sơ được tiếp nhận, luân chuyển, giải quyết theo đúng các bước của quy trình?",
            "Phiếu kiểm soát quá trình giải quyết hồ sơ có được ghi đầy đủ, đúng thời gian?",
        ],
    ),
    (
        "9.1",
        "Theo dõi, đo lường, phân tích và đánh giá",
        [
            "Đơn vị có theo dõi, đo lường việc thực hiện mục tiêu chất lượng theo kỳ không?",
            "Kết quả khảo sát mức độ hài lòng có được tổng hợp, phân tích không?",
        ],
    ),
    (
        "10.2",
        "Sự không phù hợp và hành động khắc phục",
        ["Các điểm không phù hợp lần trước đã được khắc phục và đánh giá hiệu lực chưa?"],
    ),
]

HP_SEED = Seed(
    agency=HP,
    year=2026,
    secretary="thuky.hp",
    head=Signer("lanhdao.hp", "Nguyễn Văn Chuẩn", "Phó Trưởng ban"),
    qualifications=[
        ("thuky.hp", "0125/2024/CN-ĐGNB", "Viện Năng suất Việt Nam", D(2024, 5, 17)),
        ("qhxd.hp", "0126/2024/CN-ĐGNB", "Viện Năng suất Việt Nam", D(2024, 5, 17)),
        (
            "chanhvp.hp",
            "0311/2023/CN-ĐGNB",
            "Trung tâm Chứng nhận Phù hợp (QUACERT)",
            D(2023, 9, 8),
        ),
    ],
    months={
        "Văn phòng Ban Quản lý": [11],
        "Bộ phận Một cửa": [7],
        "Phòng Quản lý đầu tư": [7],
        "Phòng Quản lý quy hoạch và xây dựng": [11],
        "Phòng Quản lý doanh nghiệp và lao động": [7],
        "Phòng Quản lý tài nguyên và môi trường": [11],
        "Trung tâm Xúc tiến và Hỗ trợ đầu tư": [11],
    },
    programme_on=D(2026, 2, 10),
    audits=[
        AuditSeed(
            title="Đánh giá nội bộ HTQLCL năm 2026 (đợt 1)",
            starts_on=D(2026, 7, 14),
            ends_on=D(2026, 7, 16),
            units=[
                "Phòng Quản lý đầu tư",
                "Bộ phận Một cửa",
                "Phòng Quản lý doanh nghiệp và lao động",
            ],
            procedures=["QT.DT.01", "QT.LD.01"],
            clauses=["4.4", "6.1", "6.2", "7.5", "8.5", "8.7", "9.1", "10.2"],
            lead="thuky.hp",
            members=["qhxd.hp"],
            answers=5,
            findings=[
                (
                    "minor",
                    "7.5",
                    "Phòng Quản lý đầu tư",
                    "QT.DT.01",
                    "03/15 hồ sơ cấp Giấy chứng nhận đăng ký đầu tư được kiểm tra chưa lưu "
                    "Phiếu kiểm soát quá trình giải quyết hồ sơ theo biểu mẫu BM.DT.01-05 của "
                    "quy trình (hồ sơ số 000.22.31.H26-260412-0007, -0011, -0019).",
                ),
                (
                    "minor",
                    "8.5",
                    "Phòng Quản lý doanh nghiệp và lao động",
                    "QT.LD.01",
                    "Quy trình QT.LD.01 vẫn viện dẫn Nghị định 152/2020/NĐ-CP đã được sửa đổi, "
                    "bổ sung; 02 hồ sơ cấp giấy phép lao động giải quyết theo thành phần hồ sơ "
                    "cũ, chưa cập nhật yêu cầu mới.",
                ),
                (
                    "observation",
                    "9.1",
                    "Bộ phận Một cửa",
                    "",
                    "Kết quả khảo sát mức độ hài lòng quý II được tổng hợp nhưng chưa phân tích "
                    "nguyên nhân các ý kiến chưa hài lòng để đề xuất cải tiến.",
                ),
                (
                    "improvement",
                    "7.5",
                    "Bộ phận Một cửa",
                    "",
                    "Có thể số hóa toàn bộ sổ theo dõi hồ sơ trên Hệ thống thông tin giải quyết "
                    "thủ tục hành chính để bỏ sổ giấy, giảm thời gian tra cứu.",
                ),
                (
                    "strength",
                    "8.5",
                    "Phòng Quản lý đầu tư",
                    "QT.DT.01",
                    "100% hồ sơ cấp Giấy chứng nhận đăng ký đầu tư 6 tháng đầu năm được giải "
                    "quyết trước hoặc đúng hạn; 85% hồ sơ nộp trực tuyến toàn trình.",
                ),
            ],
        )
    ],
)

BS_SEED = Seed(
    agency=BS,
    year=2024,
    secretary="thuky.bs",
    head=Signer("chutich.bs", "Nguyễn Tưởng Duy", "Chủ tịch"),
    qualifications=[
        (
            "thuky.bs",
            "0457/2023/CN-ĐGNB",
            "Chi cục Tiêu chuẩn Đo lường Chất lượng Quảng Ngãi",
            D(2023, 6, 23),
        ),
        (
            "chanhvp.bs",
            "0458/2023/CN-ĐGNB",
            "Chi cục Tiêu chuẩn Đo lường Chất lượng Quảng Ngãi",
            D(2023, 6, 23),
        ),
    ],
    months={
        "Văn phòng HĐND và UBND huyện": [11],
        "Bộ phận Một cửa huyện": [6],
        "Phòng Kinh tế và Hạ tầng": [11],
        "Phòng Tài chính - Kế hoạch": [6],
        "Phòng Nội vụ": [11],
        "Phòng Tư pháp": [6],
        "Phòng Tài nguyên và Môi trường": [11],
        "Phòng Văn hóa và Thông tin": [6],
        "Phòng Lao động - Thương binh và Xã hội": [11],
    },
    programme_on=D(2024, 1, 22),
    audits=[
        AuditSeed(
            title="Đánh giá nội bộ HTQLCL năm 2024 (đợt 1)",
            starts_on=D(2024, 6, 11),
            ends_on=D(2024, 6, 13),
            units=[
                "Bộ phận Một cửa huyện",
                "Phòng Tài chính - Kế hoạch",
                "Phòng Tư pháp",
                "Phòng Văn hóa và Thông tin",
            ],
            clauses=["7.5", "8.5", "9.1", "10.2"],
            lead="chanhvp.bs",
            members=["thuky.bs"],
            answers=4,
            report_on=D(2024, 6, 20),
            findings=[
                (
                    "minor",
                    "8.5",
                    "Phòng Tư pháp",
                    "",
                    "02 hồ sơ chứng thực giải quyết quá hạn nhưng chưa có Phiếu xin lỗi và hẹn "
                    "lại ngày trả kết quả gửi người dân.",
                ),
                (
                    "observation",
                    "7.5",
                    "Phòng Tài chính - Kế hoạch",
                    "",
                    "Sổ theo dõi hồ sơ đăng ký hộ kinh doanh ghi chưa đầy đủ cột ngày trả kết quả.",
                ),
                (
                    "strength",
                    "8.5",
                    "Bộ phận Một cửa huyện",
                    "",
                    "Bộ phận Một cửa bố trí hướng dẫn viên hỗ trợ người dân nộp hồ sơ trực tuyến; "
                    "mức độ hài lòng đạt 98%.",
                ),
            ],
        ),
        AuditSeed(
            title="Đánh giá nội bộ HTQLCL năm 2024 (đợt 2)",
            starts_on=D(2024, 11, 12),
            ends_on=D(2024, 11, 14),
            units=[
                "Phòng Nội vụ",
                "Phòng Tài nguyên và Môi trường",
                "Phòng Lao động - Thương binh và Xã hội",
            ],
            clauses=["6.1", "6.2", "7.5", "9.1", "10.2"],
            lead="thuky.bs",
            members=["chanhvp.bs"],
            answers=3,
            report_on=D(2024, 11, 22),
            findings=[
                (
                    "minor",
                    "6.2",
                    "Phòng Tài nguyên và Môi trường",
                    "",
                    "Phòng chưa đo lường mục tiêu chất lượng quý III (tỷ lệ hồ sơ cấp Giấy chứng "
                    "nhận quyền sử dụng đất giải quyết đúng hạn).",
                ),
                (
                    "improvement",
                    "6.1",
                    "Phòng Nội vụ",
                    "",
                    "Nên bổ sung rủi ro về thay đổi nhân sự khi sắp xếp tổ chức bộ máy vào bảng "
                    "nhận diện rủi ro của phòng.",
                ),
            ],
        ),
    ],
)


class _Historic:
    """The actor of a step recorded as history (the ISO secretary of the time)."""

    def __init__(self, user: User) -> None:
        self.user = user

    def can(self, right: Any, /) -> bool:
        return right == "manage_audits"


def load() -> None:
    for seed in (HP_SEED, BS_SEED):
        agency = Agency.objects.filter(name=seed.agency).first()
        if agency is None or AuditProgramme.objects.filter(agency=agency).exists():
            continue
        _load(agency, seed)


def _sign(record: OfficialRecord, signer: Signer, day: dt.date, secretary: User) -> None:
    paper = record.paper
    paperwork.save_draft(
        paper,
        signer=User.objects.get(username=signer.username),
        signer_name=signer.name,
        signer_position=signer.position,
    )
    paperwork.offer_for_signature(record, secretary)
    number = paperwork.next_number(paper.agency, paper.issuer, day.year)
    paperwork.issue(paper, number=number, issued_on=day, by=None)


def _load(agency: Agency, seed: Seed) -> None:
    units = {u.name: u for u in Unit.objects.filter(agency=agency)}
    people = {u.username: u for u in User.objects.filter(memberships__agency=agency)}
    secretary = people[seed.secretary]
    for username, number, issued_by, day in seed.qualifications:
        services.record_qualification(
            AuditorQualification(
                agency=agency,
                person=people[username],
                certificate_number=number,
                issued_by=issued_by,
                issued_on=day,
            ),
            secretary,
        )
    for clause, title, questions in BANKS:
        bank = services.save_bank(QuestionBank(agency=agency, clause=clause, title=title))
        for text in questions:
            services.add_question(bank, text)
    programme = services.create_programme(agency, seed.year)
    for name, months in seed.months.items():
        if name in units:
            services.save_row(programme, ProgrammeRow(unit=units[name], months=months))
    _sign(programme, seed.head, seed.programme_on, secretary)
    for audit_seed in seed.audits:
        _audit(agency, seed, audit_seed, programme, units, people)


def _audit(
    agency: Agency,
    seed: Seed,
    spec: AuditSeed,
    programme: AuditProgramme,
    units: dict[str, Unit],
    people: dict[str, User],
) -> None:
    secretary = people[seed.secretary]
    procedures = list(Document.objects.filter(agency=agency, code__in=spec.procedures))
    audit = Audit(
        agency=agency,
        programme=programme,
        title=spec.title,
        clauses=spec.clauses,
        starts_on=spec.starts_on,
        ends_on=spec.ends_on,
    )
    services.save_audit(audit, [units[n] for n in spec.units if n in units], procedures)
    services.add_member(audit, people[spec.lead], is_lead=True)
    for username in spec.members:
        services.add_member(audit, people[username])
    services.build_checklist(audit)
    plan = services.draft_plan(audit)
    _sign(plan, seed.head, spec.starts_on - dt.timedelta(days=7), secretary)
    audit.refresh_from_db()
    lead = people[spec.lead]
    for item in audit.checklist.all()[: spec.answers]:
        services.answer_item(item, "conforms", "Đã kiểm tra hồ sơ, tài liệu tại đơn vị.", lead)
    by_code = {d.code: d for d in procedures}
    for kind, clause, unit, code, text in spec.findings:
        finding = Finding(
            audit=audit,
            agency=agency,
            kind=kind,
            clause=clause,
            unit=units[unit],
            procedure=by_code.get(code),
            description=text,
        )
        services.save_finding(finding, lead)
    audit = services.hold(audit, _Historic(secretary))
    report = services.draft_report(audit)
    if spec.report_on is None:
        return
    services.save_conclusion(
        report,
        "Hệ thống quản lý chất lượng được duy trì phù hợp với TCVN ISO 9001:2015; các phòng có "
        "điểm không phù hợp thực hiện hành động khắc phục trong vòng 30 ngày.",
    )
    signer = Signer(spec.lead, lead.full_name, "Trưởng đoàn đánh giá")
    _sign(report, signer, spec.report_on, secretary)
