"""Demo data of the steps part: one-stop process steps for a few TTHC of each demo agency,
and the 2026 swap the holidays library itself knows (a Saturday worked for a day off)."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from qms.organization.models import Agency, Unit
from qms.procedures import steps
from qms.procedures.models import AgencyProcedure, WorkdayChange
from qms.procedures.steps import StepRow

# (agency, how many of its active TTHC, by national code, get steps)
PICKS = (("Ban Quản lý Khu kinh tế Hải Phòng", 4), ("Ủy ban nhân dân huyện Bình Sơn", 2))
SWAP_YEAR = 2026
# Reception, transfer, the head of the unit's review, the leadership's signature, return.
FIXED = Decimal("3")
SHORTEST = Decimal("4")  # below this a procedure gets the short one-stop sequence
HALF = Decimal("0.5")


def load() -> None:
    for name, count in PICKS:
        agency = Agency.objects.filter(name=name).first()
        if agency is not None:
            _agency_steps(agency, count)
    _swaps(SWAP_YEAR)


def _agency_steps(agency: Agency, count: int) -> None:
    handlings = (
        AgencyProcedure.objects.filter(agency=agency, is_active=True)
        .select_related("procedure", "unit", "agency")
        .order_by("procedure__code")
    )
    picked = 0
    for handling in handlings:
        if picked == count:
            return
        limit = _limit(handling)
        if limit is None or limit < 2:
            continue  # no time, or too short for a sequence of steps
        if not handling.steps.exists():  # a second run keeps the steps given the first time
            steps.set_steps(handling, _rows(handling, limit))
        picked += 1


def _limit(handling: AgencyProcedure) -> Decimal | None:
    """The working days the steps may take: the committed time, else the statutory one."""
    limits = steps.Limits.of(handling)
    candidates = [d for d in (limits.committed, limits.statutory_working) if d is not None]
    return min(candidates) if candidates else None


def _rows(handling: AgencyProcedure, limit: Decimal) -> list[StepRow]:
    """A one-stop sequence adding up to `limit` (rounded down to a half day)."""
    agency = handling.agency
    one_stop = (
        Unit.objects.filter(agency=agency, kind=Unit.Kind.ONE_STOP_UNIT).values_list(
            "name", flat=True
        )
    ).first() or "Bộ phận Một cửa"
    unit = handling.unit.name if handling.unit else "Phòng chuyên môn"
    leaders = f"{agency.head_title} hoặc {agency.deputy_title}"
    total = (limit / HALF).to_integral_value(rounding=ROUND_FLOOR) * HALF
    reception = StepRow(
        "Tiếp nhận hồ sơ tại Bộ phận Một cửa; kiểm tra thành phần hồ sơ, số hóa và cập nhật "
        "vào hệ thống thông tin giải quyết thủ tục hành chính.",
        one_stop,
        HALF,
        "Phiếu tiếp nhận hồ sơ và hẹn trả kết quả",
    )
    giving_back = StepRow(
        "Trả kết quả cho tổ chức, cá nhân; cập nhật trạng thái hồ sơ trên hệ thống.",
        one_stop,
        HALF,
        "Sổ theo dõi hồ sơ",
    )
    if total < SHORTEST:
        appraisal = total - 3 * HALF
        return [
            reception,
            StepRow("Thẩm định hồ sơ, dự thảo kết quả.", unit, appraisal, "Dự thảo kết quả"),
            StepRow("Lãnh đạo phê duyệt, ký kết quả.", leaders, HALF, "Kết quả đã ký"),
            giving_back,
        ]
    return [
        reception,
        StepRow(
            "Chuyển hồ sơ đến phòng chuyên môn; lãnh đạo phòng phân công chuyên viên thụ lý.",
            unit,
            HALF,
            "Phiếu kiểm soát quá trình giải quyết hồ sơ",
        ),
        StepRow(
            "Thẩm định hồ sơ, lấy ý kiến cơ quan liên quan (nếu cần); dự thảo kết quả.",
            f"Chuyên viên {unit}",
            total - FIXED,
            "Dự thảo kết quả, tờ trình",
        ),
        StepRow("Lãnh đạo phòng xem xét, trình ký.", unit, HALF, "Tờ trình"),
        StepRow("Lãnh đạo phê duyệt, ký kết quả.", leaders, Decimal(1), "Kết quả đã ký"),
        giving_back,
    ]


def _swaps(year: int) -> None:
    """The Saturdays worked in exchange for the days off the holidays library lists."""
    for swap in steps.library_swaps(year):
        if WorkdayChange.objects.filter(day=swap.worked).exists():
            continue
        note = f"Làm bù cho ngày nghỉ {swap.day_off:%d/%m/%Y}"
        steps.save_change(WorkdayChange(day=swap.worked, working=True, note=note))
