"""Demo content of the risks app: for each seed agency, the year's context (internal and
external issues, interested parties, the review) and the risk and opportunity register with
assessments, treatments (some done and checked, one check due) — in Vietnamese as agencies
write them. Runs after qms.procedures.demo; a second run adds nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from qms.documents.models import Document, Kind
from qms.organization.models import Agency, Unit, User
from qms.risks import services
from qms.risks.models import (
    ContextIssue,
    InterestedParty,
    Risk,
    RiskAssessment,
    Treatment,
)
from qms.risks.scale import scale_of

D = dt.date


@dataclass
class Step:
    """A treatment: what, which unit (or person by username), due; done/checked dates."""

    action: str
    due: dt.date
    unit: str = ""
    person: str = ""
    done: dt.date | None = None
    done_note: str = ""
    checked: dt.date | None = None
    effective: bool = True
    check_note: str = ""


@dataclass
class Row:
    kind: str
    unit: str
    description: str
    cause: str
    consequence: str
    score: tuple[int, int]
    after: tuple[int, int] | None = None  # reassessed after treatment
    steps: list[Step] = field(default_factory=list)
    process: bool = False  # tied to the agency's first TTHC procedure


@dataclass
class Seed:
    agency: str
    year: int
    secretary: str
    reviewed_on: dt.date
    issues: list[tuple[str, str, str, str]]
    parties: list[tuple[str, str, str, str]]
    rows: list[Row]


HP = Seed(
    agency="Ban Quản lý Khu kinh tế Hải Phòng",
    year=2026,
    secretary="thuky.hp",
    reviewed_on=D(2026, 1, 20),
    issues=[
        (
            "external",
            "political_legal",
            "Văn bản quy phạm pháp luật về đầu tư, xây dựng thay đổi nhanh (Luật Xây dựng "
            "sửa đổi, các nghị định hướng dẫn).",
            "Quy trình ISO phải cập nhật kịp thời; nguy cơ áp dụng văn bản hết hiệu lực.",
        ),
        (
            "external",
            "technological",
            "Thành phố triển khai dịch vụ công trực tuyến toàn trình và Hệ thống thông tin "
            "giải quyết thủ tục hành chính dùng chung.",
            "Cơ hội rút ngắn thời gian giải quyết; yêu cầu công chức thành thạo phần mềm.",
        ),
        (
            "external",
            "economic",
            "Nhu cầu đầu tư vào các khu công nghiệp tăng mạnh, số hồ sơ dự án tăng khoảng "
            "30% so với năm trước.",
            "Áp lực về thời gian thẩm định, dễ phát sinh hồ sơ trễ hạn.",
        ),
        (
            "internal",
            "people",
            "Phòng Quản lý quy hoạch và xây dựng thiếu công chức có chuyên môn thẩm định.",
            "Hồ sơ cấp phép xây dựng có nguy cơ giải quyết quá hạn.",
        ),
        (
            "internal",
            "facilities",
            "Trang thiết bị tại Bộ phận Một cửa đã cũ, đường truyền chưa ổn định.",
            "Ảnh hưởng đến việc tiếp nhận, số hóa hồ sơ.",
        ),
    ],
    parties=[
        (
            "Nhà đầu tư, doanh nghiệp trong khu kinh tế",
            "Thủ tục đơn giản, giải quyết đúng hoặc trước hạn, thông tin minh bạch.",
            "Công khai quy trình, thời hạn trên Cổng dịch vụ công; khảo sát mức độ hài lòng "
            "hằng quý.",
            "Phòng Quản lý đầu tư",
        ),
        (
            "Ủy ban nhân dân thành phố Hải Phòng",
            "Hoàn thành chỉ tiêu cải cách hành chính, chỉ số PAR Index, SIPAS.",
            "Báo cáo định kỳ kết quả giải quyết thủ tục hành chính và áp dụng ISO.",
            "Văn phòng Ban Quản lý",
        ),
        (
            "Sở Khoa học và Công nghệ",
            "Hệ thống quản lý chất lượng được duy trì, cải tiến theo TCVN ISO 9001:2015.",
            "Báo cáo tình hình áp dụng, duy trì hệ thống hằng năm.",
            "Văn phòng Ban Quản lý",
        ),
        (
            "Người lao động tại các khu công nghiệp",
            "Được giải quyết kịp thời các thủ tục về lao động, nhà ở công nhân.",
            "Niêm yết thủ tục, hướng dẫn tại Bộ phận Một cửa và trên trang thông tin.",
            "Phòng Quản lý doanh nghiệp và lao động",
        ),
    ],
    rows=[
        Row(
            "risk",
            "Phòng Quản lý quy hoạch và xây dựng",
            "Hồ sơ cấp giấy phép xây dựng giải quyết trễ hạn do thiếu nhân lực thẩm định.",
            "Số hồ sơ tăng; phòng thiếu 02 công chức có chuyên môn kết cấu.",
            "Vi phạm thời hạn giải quyết; tổ chức, doanh nghiệp không hài lòng; phải xin lỗi.",
            (4, 4),
            after=(2, 4),
            process=True,
            steps=[
                Step(
                    "Điều động 01 công chức từ Phòng Quản lý đầu tư hỗ trợ thẩm định.",
                    D(2026, 3, 31),
                    unit="Phòng Quản lý quy hoạch và xây dựng",
                    done=D(2026, 3, 25),
                    done_note="Đã điều động theo Quyết định của Trưởng ban.",
                    checked=D(2026, 5, 5),
                    check_note="Quý II không còn hồ sơ trễ hạn.",
                ),
                Step(
                    "Theo dõi hằng tuần số hồ sơ sắp đến hạn trên Hệ thống thông tin giải "
                    "quyết TTHC.",
                    D(2026, 6, 30),
                    person="truongphong.hp",
                    done=D(2026, 6, 28),
                    done_note="Đã lập bảng theo dõi và nhắc việc hằng tuần.",
                ),
            ],
        ),
        Row(
            "risk",
            "Văn phòng Ban Quản lý",
            "Văn bản pháp luật thay đổi nhanh, quy trình ISO không được cập nhật kịp thời.",
            "Chưa có đầu mối theo dõi văn bản mới ban hành.",
            "Áp dụng căn cứ pháp lý hết hiệu lực; kết quả giải quyết bị khiếu nại.",
            (3, 4),
            steps=[
                Step(
                    "Giao Thư ký ISO rà soát văn bản mới hằng tháng, đề xuất cập nhật quy trình.",
                    D(2027, 1, 15),
                    person="thuky.hp",
                ),
            ],
        ),
        Row(
            "risk",
            "Bộ phận Một cửa",
            "Thất lạc hồ sơ giấy khi luân chuyển giữa Bộ phận Một cửa và các phòng.",
            "Luân chuyển thủ công, chưa số hóa toàn bộ hồ sơ.",
            "Phải yêu cầu bổ sung lại hồ sơ; ảnh hưởng uy tín cơ quan.",
            (2, 3),
        ),
        Row(
            "opportunity",
            "Phòng Quản lý đầu tư",
            "Triển khai dịch vụ công trực tuyến toàn trình cho thủ tục cấp, điều chỉnh giấy "
            "chứng nhận đăng ký đầu tư.",
            "Thành phố đầu tư hạ tầng số và phần mềm dùng chung.",
            "Giảm 30% thời gian giải quyết; nhà đầu tư không phải đi lại.",
            (4, 5),
            steps=[
                Step(
                    "Tập huấn sử dụng phần mềm dịch vụ công cho công chức phòng.",
                    D(2026, 4, 30),
                    unit="Phòng Quản lý đầu tư",
                    done=D(2026, 4, 20),
                    done_note="Đã tập huấn cho 8 công chức.",
                    checked=D(2026, 6, 1),
                    check_note="Tỷ lệ hồ sơ nộp trực tuyến tăng từ 45% lên 72%.",
                ),
            ],
        ),
    ],
)

BS = Seed(
    agency="Ủy ban nhân dân huyện Bình Sơn",
    year=2024,
    secretary="thuky.bs",
    reviewed_on=D(2024, 2, 5),
    issues=[
        (
            "external",
            "political_legal",
            "Chủ trương sắp xếp đơn vị hành chính, thay đổi chức năng, nhiệm vụ các phòng "
            "chuyên môn.",
            "Phải điều chỉnh phạm vi, quy trình của hệ thống quản lý chất lượng.",
        ),
        (
            "external",
            "social",
            "Người dân các xã vùng núi còn hạn chế trong sử dụng dịch vụ công trực tuyến.",
            "Tỷ lệ hồ sơ trực tuyến thấp; cần hướng dẫn trực tiếp.",
        ),
        (
            "internal",
            "resources",
            "Kinh phí cho duy trì, cải tiến hệ thống quản lý chất lượng còn hạn chế.",
            "Chậm tổ chức đánh giá nội bộ, đào tạo.",
        ),
        (
            "internal",
            "processes",
            "Một số quy trình nội bộ chưa phù hợp thực tế sau khi thay đổi thủ tục hành chính.",
            "Công chức thực hiện không thống nhất.",
        ),
    ],
    parties=[
        (
            "Người dân trên địa bàn huyện",
            "Được hướng dẫn tận tình, giải quyết hồ sơ đúng hạn.",
            "Niêm yết công khai thủ tục; đường dây nóng tiếp nhận phản ánh.",
            "Văn phòng HĐND và UBND huyện",
        ),
        (
            "Ủy ban nhân dân tỉnh Quảng Ngãi",
            "Hoàn thành kế hoạch cải cách hành chính, áp dụng ISO theo Quyết định 19/2014/QĐ-TTg.",
            "Báo cáo định kỳ; công bố hệ thống quản lý chất lượng phù hợp.",
            "Phòng Nội vụ",
        ),
        (
            "Doanh nghiệp, hộ kinh doanh",
            "Thủ tục đăng ký kinh doanh nhanh gọn.",
            "Rút ngắn thời gian giải quyết so với quy định.",
            "Phòng Tài chính - Kế hoạch",
        ),
    ],
    rows=[
        Row(
            "risk",
            "Phòng Kinh tế và Hạ tầng",
            "Hồ sơ cấp giấy phép xây dựng nhà ở riêng lẻ trễ hạn do phải xác minh thực địa.",
            "Địa bàn rộng, thiếu phương tiện đi lại; cán bộ kiêm nhiệm nhiều việc.",
            "Người dân phải chờ đợi; phát sinh phản ánh, kiến nghị.",
            (3, 4),
            after=(2, 3),
            steps=[
                Step(
                    "Lập lịch xác minh thực địa cố định thứ Ba, thứ Năm hằng tuần.",
                    D(2024, 4, 30),
                    unit="Phòng Kinh tế và Hạ tầng",
                    done=D(2024, 4, 15),
                    done_note="Đã ban hành lịch xác minh.",
                    checked=D(2024, 6, 10),
                    check_note="Số hồ sơ trễ hạn giảm từ 7 xuống 1 hồ sơ/quý.",
                ),
            ],
        ),
        Row(
            "risk",
            "Văn phòng HĐND và UBND huyện",
            "Công chức mới chưa nắm vững các quy trình ISO.",
            "Luân chuyển, tuyển dụng mới trong năm.",
            "Thực hiện sai quy trình; phát sinh điểm không phù hợp khi đánh giá nội bộ.",
            (3, 3),
            steps=[
                Step(
                    "Tổ chức lớp phổ biến hệ thống quản lý chất lượng cho công chức mới.",
                    D(2024, 9, 30),
                    unit="Văn phòng HĐND và UBND huyện",
                    done=D(2024, 10, 20),
                    done_note="Đã tổ chức cho 12 công chức.",
                ),
            ],
        ),
        Row(
            "opportunity",
            "Bộ phận Một cửa huyện",
            "Tận dụng tổ công nghệ số cộng đồng để hướng dẫn người dân nộp hồ sơ trực tuyến.",
            "Tỉnh thành lập tổ công nghệ số cộng đồng ở các thôn.",
            "Tăng tỷ lệ hồ sơ trực tuyến, giảm tải cho Bộ phận Một cửa.",
            (3, 4),
        ),
    ],
)


def load() -> None:
    for seed in (HP, BS):
        agency = Agency.objects.filter(name=seed.agency).first()
        if agency is None or Risk.objects.filter(agency=agency).exists():
            continue
        _load(agency, seed)


def _load(agency: Agency, seed: Seed) -> None:
    units = {u.name: u for u in Unit.objects.filter(agency=agency)}
    people = {u.username: u for u in User.objects.filter(memberships__agency=agency)}
    secretary = people[seed.secretary]
    for side, category, description, effect in seed.issues:
        ContextIssue.objects.create(
            agency=agency,
            year=seed.year,
            side=side,
            category=category,
            description=description,
            effect=effect,
        )
    for name, needs, response, unit in seed.parties:
        InterestedParty.objects.create(
            agency=agency,
            year=seed.year,
            name=name,
            needs=needs,
            response=response,
            monitored_by=units.get(unit),
        )
    services.record_review(
        agency, seed.year, secretary, seed.reviewed_on, "Bối cảnh được cập nhật đầu năm."
    )
    process = (
        Document.objects.filter(agency=agency, kind=Kind.TTHC_PROCEDURE).order_by("code").first()
    )
    for row in seed.rows:
        _row(agency, seed, row, units, people, process)
    services.draft_plan(agency, seed.year)  # the plan, drafted for signing


def _row(
    agency: Agency,
    seed: Seed,
    row: Row,
    units: dict[str, Unit],
    people: dict[str, User],
    process: Document | None,
) -> None:
    secretary = people[seed.secretary]
    unit = units.get(row.unit) or next(iter(units.values()))
    risk = Risk(
        agency=agency,
        year=seed.year,
        unit=unit,
        process=process if row.process else None,
        kind=row.kind,
        description=row.description,
        cause=row.cause,
        consequence=row.consequence,
        likelihood=row.score[0],
        impact=row.score[1],
    )
    services.create_risk(risk, secretary)
    RiskAssessment.objects.filter(risk=risk).update(assessed_on=D(seed.year, 1, 15))
    scale = scale_of(agency)
    for step in row.steps:
        owner = people.get(step.person)
        treatment = Treatment(
            risk=risk,
            action=step.action,
            owner_unit=None if owner else units.get(step.unit, unit),
            owner_person=owner,
            due_on=step.due,
            done_on=step.done,
            done_note=step.done_note,
            done_by=owner if step.done else None,
            checked_on=step.checked,
            checked_by=secretary if step.checked else None,
            result=(Treatment.Result.EFFECTIVE if step.effective else "") if step.checked else "",
            result_note=step.check_note,
        )
        services.save_treatment(treatment, scale)
    if row.steps:
        risk.status = Risk.Status.TREATING
        risk.save(update_fields=["status"])
    if row.after:
        last = max((s.checked or s.done or s.due) for s in row.steps)
        services.reassess(risk, secretary, *row.after, "Đánh giá lại sau khi xử lý", on=last)
    services.sync_agenda(risk)
