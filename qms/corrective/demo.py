"""Demo content of the nonconformity register, in Vietnamese as agencies write it:

- Ban Quản lý Khu kinh tế Hải Phòng, 2026: three open nonconformities at different stages —
  citizens' feedback with its actions in progress (one overdue), one found in daily work
  waiting to be accepted, and one opened from the follow-up of a missed quality objective,
  waiting for its effectiveness verification in the ISO secretary's inbox;
- UBND huyện Bình Sơn, 2024 (dissolved since 01/7/2025, history): three closed and verified.

Runs after qms.objectives.demo (the follow-up) and qms.audits.demo; a second run adds
nothing (a nonconformity is found by its agency and title)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from qms.agenda import inbox
from qms.corrective import services
from qms.corrective.models import CorrectiveAction, Method, Nonconformity, Origin
from qms.objectives.models import FollowUp
from qms.organization.models import Agency, Unit, User

D = dt.date
HP = "Ban Quản lý Khu kinh tế Hải Phòng"
BS = "Ủy ban nhân dân huyện Bình Sơn"


@dataclass(frozen=True)
class _Recorded:
    """Who took a step, as it was recorded: the demo writes history of people who held
    their rights then (Bình Sơn is read-only now). Separation of duties still applies."""

    user: User

    def can(self, right: Any, /) -> bool:
        return True


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _unit(agency: Agency, name: str) -> Unit:
    return Unit.objects.get(agency=agency, name=name)


def _step(nc: Nonconformity, name: str, username: str, **values: Any) -> None:
    services.take(nc, name, _Recorded(_user(username)), values)


def _action(nc: Nonconformity, kind: str, text: str, owner: str, due: dt.date) -> CorrectiveAction:
    return services.save_action(
        CorrectiveAction(
            nonconformity=nc, kind=kind, description=text, owner=_user(owner), due_date=due
        ),
        _user(owner),
    )


def _done(action: CorrectiveAction, day: dt.date, note: str) -> None:
    services.mark_done(action, action.owner, day, note)


def _raise(agency: Agency, by: str, **fields: Any) -> Nonconformity | None:
    if Nonconformity.objects.filter(agency=agency, title=fields["title"]).exists():
        return None
    return services.raise_nonconformity(Nonconformity(agency=agency, **fields), _user(by))


def load() -> None:
    hai_phong = Agency.objects.filter(name=HP).first()
    if hai_phong is not None:
        with inbox.quiet():
            _hai_phong(hai_phong)
    binh_son = Agency.objects.filter(name=BS).first()
    if binh_son is not None:
        with inbox.quiet():
            _binh_son(binh_son)


C = CorrectiveAction.Kind


@transaction.atomic
def _hai_phong(agency: Agency) -> None:
    investment = _unit(agency, "Phòng Quản lý đầu tư")
    feedback = _raise(
        agency,
        "thuky.hp",
        title="Hướng dẫn thành phần hồ sơ điều chỉnh Giấy chứng nhận đăng ký đầu tư chưa đầy đủ",
        description=(
            "Ngày 14/9/2026, Công ty TNHH Cơ khí Đình Vũ phản ánh qua Cổng dịch vụ công: hồ "
            "sơ điều chỉnh Giấy chứng nhận đăng ký đầu tư bị yêu cầu bổ sung 02 lần do công "
            "chức tiếp nhận không hướng dẫn đầy đủ ngay từ đầu (thiếu văn bản ủy quyền và báo "
            "cáo tình hình thực hiện dự án). Kiểm tra sổ theo dõi: 04 hồ sơ cùng loại trong "
            "quý III/2026 phải bổ sung nhiều lần."
        ),
        origin=Origin.FEEDBACK,
        origin_note="Phản ánh số 152/PA-DVC ngày 14/9/2026 trên Cổng dịch vụ công thành phố",
        unit=investment,
        clause="8.2.1",
        severity="minor",
        raised_on=D(2026, 9, 16),
        owner=_user("truongphong.hp"),
    )
    if feedback is not None:
        _step(feedback, "accept", "thuky.hp")
        services.record_analysis(
            feedback,
            _user("truongphong.hp"),
            {
                "correction": "Gọi điện xin lỗi doanh nghiệp, hướng dẫn một lần đầy đủ và trả "
                "kết quả trước hạn 01 ngày.",
                "correction_on": D(2026, 9, 17),
                "method": Method.FIVE_WHYS,
                "whys": [
                    ["Vì sao hồ sơ phải bổ sung 02 lần?", "Công chức hướng dẫn thiếu giấy tờ"],
                    ["Vì sao hướng dẫn thiếu?", "Công chức mới, chưa nắm quy định mới"],
                    ["Vì sao chưa nắm quy định mới?", "Bộ hồ sơ mẫu chưa cập nhật Nghị định mới"],
                ],
                "root_cause": "Bộ hồ sơ mẫu và phiếu hướng dẫn tại Bộ phận Một cửa chưa được "
                "cập nhật khi quy định về hồ sơ điều chỉnh dự án đầu tư thay đổi.",
            },
        )
        _step(feedback, "analyse", "truongphong.hp")
        first = _action(feedback, C.CORRECTIVE, "Cập nhật bộ hồ sơ mẫu và phiếu hướng dẫn "
                        "thành phần hồ sơ điều chỉnh dự án đầu tư", "chuyenvien.hp",
                        D(2026, 10, 15))  # fmt: skip
        _action(feedback, C.CORRECTIVE, "Tập huấn cho công chức tiếp nhận hồ sơ về quy định "
                "mới", "truongphong.hp", D(2026, 11, 30))  # fmt: skip
        _step(feedback, "start", "truongphong.hp")
        _done(first, D(2026, 10, 12), "Đã cập nhật 05 mẫu, niêm yết tại Bộ phận Một cửa.")
    daily = _raise(
        agency,
        "chuyenvien.hp",
        title="Hồ sơ lưu thiếu phiếu kiểm soát quá trình giải quyết hồ sơ",
        description=(
            "Kiểm tra hồ sơ lưu tháng 11/2026: 03/20 hồ sơ cấp Giấy chứng nhận đăng ký đầu tư "
            "không có Phiếu kiểm soát quá trình giải quyết hồ sơ theo quy trình."
        ),
        origin=Origin.DAILY_WORK,
        unit=investment,
        clause="7.5.3",
        severity="minor",
        raised_on=D(2026, 11, 27),
    )
    del daily  # waits for the ISO secretary or the head of unit to accept it
    _from_follow_up(agency)


def _from_follow_up(agency: Agency) -> None:
    """The missed "no feedback on the attitude of the one-stop staff" objective (Q2/2026)."""
    follow_up = (
        FollowUp.objects.filter(objective__agency=agency, nonconformity__isnull=True)
        .filter(objective__statement__startswith="Không để phát sinh phản ánh")
        .first()
    )
    if follow_up is None:
        return
    nc = services.open_from_follow_up(follow_up, _user("thuky.hp"))
    nc.raised_on = D(2026, 7, 10)
    nc.owner = _user("chanhvp.hp")
    services.save_details(nc, _user("thuky.hp"))
    _step(nc, "accept", "thuky.hp")
    services.record_analysis(
        nc,
        _user("chanhvp.hp"),
        {
            "correction": "Lãnh đạo Văn phòng làm việc với công chức, xin lỗi người dân.",
            "correction_on": D(2026, 7, 13),
            "method": Method.CATEGORIES,
            "categories": ["people", "method"],
            "root_cause": "Công chức Bộ phận Một cửa chưa được bồi dưỡng kỹ năng giao tiếp; "
            "chưa có quy định về ứng xử khi tổ chức, cá nhân bức xúc.",
        },
    )
    _step(nc, "analyse", "chanhvp.hp")
    training = _action(nc, C.CORRECTIVE, "Bồi dưỡng kỹ năng giao tiếp, ứng xử cho công chức "
                       "Bộ phận Một cửa", "motcua.hp", D(2026, 8, 31))  # fmt: skip
    rules = _action(nc, C.IMPROVEMENT, "Ban hành Quy tắc ứng xử tại Bộ phận Một cửa",
                    "chanhvp.hp", D(2026, 9, 30))  # fmt: skip
    _step(nc, "start", "chanhvp.hp")
    _done(training, D(2026, 8, 25), "Đã tổ chức 01 lớp, 12 công chức tham dự.")
    _done(rules, D(2026, 9, 25), "Quyết định số 215/QĐ-BQL ngày 25/9/2026.")
    _step(nc, "request_verification", "chanhvp.hp")


@dataclass(frozen=True)
class _Closed:
    title: str
    description: str
    origin: str
    origin_note: str
    unit: str
    clause: str
    raised_on: dt.date
    owner: str
    correction: str
    categories: list[str]
    root_cause: str
    actions: list[tuple[str, str, dt.date, dt.date, str]]  # text, owner, due, done, result
    verified_on: dt.date
    note: str


BS_CLOSED = [
    _Closed(
        "Quy trình cấp giấy phép xây dựng chưa cập nhật căn cứ pháp lý mới",
        "Đợt đánh giá nội bộ tháng 6/2024: quy trình QT-07 còn viện dẫn Nghị định 59/2015/NĐ-CP "
        "đã được thay thế; biểu mẫu đơn đề nghị chưa theo mẫu mới.",
        Origin.INTERNAL_AUDIT,
        "Báo cáo đánh giá nội bộ đợt 1 năm 2024",
        "Phòng Kinh tế và Hạ tầng",
        "7.5.2",
        D(2024, 6, 14),
        "truongphongkt.bs",
        "Tạm dùng biểu mẫu mới của Bộ Xây dựng cho hồ sơ tiếp nhận từ 15/6/2024.",
        ["method", "material"],
        "Chưa phân công người theo dõi văn bản pháp luật mới của lĩnh vực xây dựng.",
        [
            (
                "Sửa đổi quy trình QT-07, cập nhật căn cứ pháp lý và biểu mẫu",
                "truongphongkt.bs",
                D(2024, 7, 31),
                D(2024, 7, 10),
                "Đã ban hành lần 3 ngày 10/7/2024",
            )
        ],
        D(2024, 7, 25),
        "Kiểm tra 12 hồ sơ tiếp nhận từ 11/7/2024: đều dùng biểu mẫu và căn cứ mới.",
    ),
    _Closed(
        "Hồ sơ chứng thực trả kết quả trễ hạn",
        "Phản ánh của ông Nguyễn Văn Hùng (xã Bình Thạnh) qua đường dây nóng: hồ sơ chứng "
        "thực hợp đồng trả trễ 02 ngày, không có phiếu xin lỗi và hẹn lại ngày trả.",
        Origin.FEEDBACK,
        "Phản ánh qua đường dây nóng ngày 03/4/2024",
        "Văn phòng HĐND và UBND huyện",
        "8.5.1",
        D(2024, 4, 4),
        "chanhvp.bs",
        "Xin lỗi công dân, trả kết quả ngay trong ngày 04/4/2024.",
        ["people"],
        "Công chức chưa thực hiện việc theo dõi hạn trả kết quả trên phần mềm một cửa.",
        [
            (
                "Cài đặt cảnh báo hồ sơ sắp đến hạn trên phần mềm một cửa",
                "chanhvp.bs",
                D(2024, 4, 30),
                D(2024, 4, 25),
                "Đã cài đặt, cảnh báo trước 01 ngày",
            ),
            (
                "Nhắc nhở công chức thực hiện Phiếu xin lỗi và hẹn lại ngày trả kết quả",
                "chanhvp.bs",
                D(2024, 4, 15),
                D(2024, 4, 12),
                "Đã quán triệt tại giao ban",
            ),
        ],
        D(2024, 4, 29),
        "Từ 25/4/2024 không còn hồ sơ trễ hạn không có phiếu xin lỗi.",
    ),
    _Closed(
        "Sổ theo dõi hồ sơ tại Bộ phận Một cửa ghi chép không đầy đủ",
        "Trong quá trình làm việc phát hiện sổ theo dõi hồ sơ tháng 9/2024 thiếu cột ngày trả "
        "kết quả của 11 hồ sơ.",
        Origin.DAILY_WORK,
        "",
        "Văn phòng HĐND và UBND huyện",
        "7.5.3",
        D(2024, 10, 2),
        "chanhvp.bs",
        "Bổ sung thông tin 11 hồ sơ từ phần mềm một cửa.",
        ["method"],
        "Mẫu sổ theo dõi chưa thống nhất giữa sổ giấy và phần mềm.",
        [
            (
                "Thống nhất dùng sổ theo dõi in từ phần mềm một cửa",
                "chanhvp.bs",
                D(2024, 10, 31),
                D(2024, 11, 8),
                "Áp dụng từ tháng 11/2024",
            )
        ],
        D(2024, 12, 10),
        "Kiểm tra tháng 11/2024: sổ theo dõi đầy đủ.",
    ),
]


@transaction.atomic
def _binh_son(agency: Agency) -> None:
    for row in BS_CLOSED:
        nc = _raise(
            agency,
            "thuky.bs",
            title=row.title,
            description=row.description,
            origin=row.origin,
            origin_note=row.origin_note,
            unit=_unit(agency, row.unit),
            clause=row.clause,
            severity="minor",
            raised_on=row.raised_on,
            owner=_user(row.owner),
        )
        if nc is None:
            continue
        _step(nc, "accept", "thuky.bs")
        services.record_analysis(
            nc,
            _user(row.owner),
            {
                "correction": row.correction,
                "correction_on": row.raised_on,
                "method": Method.CATEGORIES,
                "categories": row.categories,
                "root_cause": row.root_cause,
            },
        )
        _step(nc, "analyse", row.owner)
        actions = [_action(nc, C.CORRECTIVE, text, owner, due)
                   for text, owner, due, _d, _r in row.actions]  # fmt: skip
        _step(nc, "start", row.owner)
        for action, (_t, _o, _due, done, result) in zip(actions, row.actions, strict=True):
            _done(action, done, result)
        _step(nc, "request_verification", row.owner)
        _step(nc, "close", "thuky.bs", verified_on=row.verified_on, note=row.note)
