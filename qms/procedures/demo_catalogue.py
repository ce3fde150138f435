"""Demo data of the catalogue part: each province's TTHC catalogue, imported the way its Sở
KH&CN does it (a CSV export read, previewed, applied with the publishing decision), and each
demo agency's subset with its units, committed times and covering procedures.

- Hải Phòng: the economic-zone authority's fields (Đầu tư, Xây dựng, Môi trường, Lao động),
  province level, published in 2025. The Ban Quản lý handles 12 of them; its four TTHC
  procedures of the demo documents cover 9, the environmental ones and one labour TTHC are
  still uncovered. A 2026 catalogue file waits in preview: applying it is the event the
  Hải Phòng plan's task 4 waits for.
- Quảng Ngãi: Bình Sơn's district fields before 2025 (Hộ tịch, Đất đai, Xây dựng, Kinh
  doanh), published in 2023; its two TTHC procedures cover five, three are uncovered.

The codes have the national database's shape; they are illustrative, not looked up.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from qms.documents.models import Document
from qms.organization.models import Agency, Unit, User
from qms.procedures import catalogue
from qms.procedures.models import AdminProcedure, CatalogueImport

D = dt.date
HEADERS = [
    "STT",
    "Mã TTHC",
    "Tên thủ tục hành chính",
    "Lĩnh vực",
    "Cấp thực hiện",
    "Thời hạn giải quyết",
    "Đơn vị tính",
    "Mức độ DVC trực tuyến",
    "Tình trạng",
]
HP = "H38"
QN = "H55"
WD = "ngày làm việc"

# code, name, field, level, time, unit, online
HP_CATALOGUE = [
    (
        f"1.009645.000.00.00.{HP}",
        "Cấp Giấy chứng nhận đăng ký đầu tư đối với "
        "dự án không thuộc diện chấp thuận chủ trương đầu tư",
        "Đầu tư",
        "Cấp tỉnh",
        "15",
        "ngày",
        "Toàn trình",
    ),
    (
        f"1.009646.000.00.00.{HP}",
        "Điều chỉnh Giấy chứng nhận đăng ký đầu tư đối với dự "
        "án không thuộc diện chấp thuận điều chỉnh chủ trương đầu tư",
        "Đầu tư",
        "Cấp tỉnh",
        "10",
        WD,
        "Toàn trình",
    ),
    (
        f"1.009650.000.00.00.{HP}",
        "Điều chỉnh dự án đầu tư trong trường hợp chia, tách, sáp nhập dự án đầu tư",
        "Đầu tư",
        "Cấp tỉnh",
        "15",
        "ngày",
        "Một phần",
    ),
    (
        f"1.009663.000.00.00.{HP}",
        "Cấp lại Giấy chứng nhận đăng ký đầu tư",
        "Đầu tư",
        "Cấp tỉnh",
        "5",
        WD,
        "Toàn trình",
    ),
    (
        f"1.009662.000.00.00.{HP}",
        "Chấm dứt hoạt động dự án đầu tư",
        "Đầu tư",
        "Cấp tỉnh",
        "15",
        "ngày",
        "Một phần",
    ),
    (
        f"1.009994.000.00.00.{HP}",
        "Cấp giấy phép xây dựng mới đối với công trình "
        "không theo tuyến trong khu công nghiệp, khu kinh tế",
        "Xây dựng",
        "Cấp tỉnh",
        "20",
        "ngày",
        "Một phần",
    ),
    (
        f"1.009995.000.00.00.{HP}",
        "Cấp điều chỉnh giấy phép xây dựng đối với công trình trong khu công nghiệp, khu kinh tế",
        "Xây dựng",
        "Cấp tỉnh",
        "20",
        "ngày",
        "Một phần",
    ),
    (
        f"1.009996.000.00.00.{HP}",
        "Gia hạn giấy phép xây dựng",
        "Xây dựng",
        "Cấp tỉnh",
        "5",
        WD,
        "Một phần",
    ),
    (
        f"1.009972.000.00.00.{HP}",
        "Thẩm định Báo cáo nghiên cứu khả thi đầu tư xây dựng",
        "Xây dựng",
        "Cấp tỉnh",
        "35",
        "ngày",
        "Một phần",
    ),
    (
        f"1.010733.000.00.00.{HP}",
        "Cấp giấy phép môi trường đối với dự án trong khu công nghiệp, khu kinh tế",
        "Môi trường",
        "Cấp tỉnh",
        "20",
        "ngày",
        "Một phần",
    ),
    (
        f"1.010735.000.00.00.{HP}",
        "Thẩm định báo cáo đánh giá tác động môi trường",
        "Môi trường",
        "Cấp tỉnh",
        "30",
        "ngày",
        "Một phần",
    ),
    (
        f"1.010737.000.00.00.{HP}",
        "Cấp điều chỉnh giấy phép môi trường",
        "Môi trường",
        "Cấp tỉnh",
        "15",
        "ngày",
        "Toàn trình",
    ),
    (
        f"2.000205.000.00.00.{HP}",
        "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
        "Lao động",
        "Cấp tỉnh",
        "5",
        WD,
        "Toàn trình",
    ),
    (
        f"2.000192.000.00.00.{HP}",
        "Gia hạn giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
        "Lao động",
        "Cấp tỉnh",
        "5",
        WD,
        "Toàn trình",
    ),
    (
        f"1.000105.000.00.00.{HP}",
        "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động",
        "Lao động",
        "Cấp tỉnh",
        "3",
        WD,
        "Toàn trình",
    ),
    (
        f"1.009811.000.00.00.{HP}",
        "Đăng ký nội quy lao động của doanh nghiệp",
        "Lao động",
        "Cấp tỉnh",
        "7",
        WD,
        "Một phần",
    ),
]

INVESTMENT = "Phòng Quản lý đầu tư"
BUILDING = "Phòng Quản lý quy hoạch và xây dựng"
LABOUR = "Phòng Quản lý doanh nghiệp và lao động"
ENVIRONMENT = "Phòng Quản lý tài nguyên và môi trường"
# code (without the province's suffix), unit, committed working days, covering procedure
HP_HANDLED = [
    ("1.009645", INVESTMENT, "10", "QT.DT.01"),
    ("1.009663", INVESTMENT, "4", "QT.DT.01"),
    ("1.009646", INVESTMENT, "7", "QT.DT.02"),
    ("1.009650", INVESTMENT, None, "QT.DT.02"),
    ("1.009994", BUILDING, "15", "QT.XD.01"),
    ("1.009995", BUILDING, None, "QT.XD.01"),
    ("1.009996", BUILDING, "4", "QT.XD.01"),
    ("1.010733", ENVIRONMENT, None, None),
    ("1.010735", ENVIRONMENT, "25", None),
    ("2.000205", LABOUR, "4", "QT.LD.01"),
    ("2.000192", LABOUR, None, "QT.LD.01"),
    ("1.000105", LABOUR, "2", None),
]

QN_CATALOGUE = [
    (
        f"1.001193.000.00.00.{QN}",
        "Đăng ký khai sinh có yếu tố nước ngoài",
        "Hộ tịch",
        "Cấp huyện",
        "15",
        "ngày",
        "Một phần",
    ),
    (
        f"1.001695.000.00.00.{QN}",
        "Đăng ký kết hôn có yếu tố nước ngoài",
        "Hộ tịch",
        "Cấp huyện",
        "15",
        "ngày",
        "Một phần",
    ),
    (f"1.001022.000.00.00.{QN}", "Đăng ký khai sinh", "Hộ tịch", "Cấp xã", "1", WD, "Toàn trình"),
    (
        f"1.004203.000.00.00.{QN}",
        "Giao đất, cho thuê đất cho hộ gia đình, cá nhân không thông qua đấu giá quyền sử dụng đất",
        "Đất đai",
        "Cấp huyện",
        "20",
        "ngày",
        "Một phần",
    ),
    (
        f"1.004206.000.00.00.{QN}",
        "Chuyển mục đích sử dụng đất phải được phép của cơ quan "
        "nhà nước có thẩm quyền đối với hộ gia đình, cá nhân",
        "Đất đai",
        "Cấp huyện",
        "15",
        "ngày",
        "Một phần",
    ),
    (
        f"1.009997.000.00.00.{QN}",
        "Cấp giấy phép xây dựng đối với nhà ở riêng lẻ",
        "Xây dựng",
        "Cấp huyện",
        "15",
        "ngày",
        "Một phần",
    ),
    (
        f"1.009998.000.00.00.{QN}",
        "Cấp điều chỉnh giấy phép xây dựng đối với nhà ở riêng lẻ",
        "Xây dựng",
        "Cấp huyện",
        "15",
        "ngày",
        "Một phần",
    ),
    (
        f"1.010000.000.00.00.{QN}",
        "Gia hạn giấy phép xây dựng đối với nhà ở riêng lẻ",
        "Xây dựng",
        "Cấp huyện",
        "5",
        WD,
        "Một phần",
    ),
    (
        f"2.000720.000.00.00.{QN}",
        "Đăng ký thành lập hộ kinh doanh",
        "Thành lập và hoạt động của hộ kinh doanh",
        "Cấp huyện",
        "3",
        WD,
        "Toàn trình",
    ),
    (
        f"2.000575.000.00.00.{QN}",
        "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
        "Thành lập và hoạt động của hộ kinh doanh",
        "Cấp huyện",
        "3",
        WD,
        "Toàn trình",
    ),
    (
        f"2.000588.000.00.00.{QN}",
        "Tạm ngừng hoạt động hộ kinh doanh",
        "Thành lập và hoạt động của hộ kinh doanh",
        "Cấp huyện",
        "3",
        WD,
        "Toàn trình",
    ),
]
BS_HANDLED = [
    ("1.001193", "Phòng Tư pháp", "12", None),
    ("1.001695", "Phòng Tư pháp", None, None),
    ("1.004203", "Phòng Tài nguyên và Môi trường", None, None),
    ("1.009997", "Phòng Kinh tế và Hạ tầng", "12", "QT.KTHT.01"),
    ("1.009998", "Phòng Kinh tế và Hạ tầng", "12", "QT.KTHT.01"),
    ("2.000720", "Phòng Tài chính - Kế hoạch", None, "QT.TCKH.01"),
    ("2.000575", "Phòng Tài chính - Kế hoạch", "2.5", "QT.TCKH.01"),
    ("2.000588", "Phòng Tài chính - Kế hoạch", None, "QT.TCKH.01"),
]

# Hải Phòng's 2026 file, waiting in preview: the investment registration's time cut to 10
# working days, a TTHC of the Lao động field abolished, an environmental one added.
HP_2026 = [
    (*HP_CATALOGUE[0][:4], "10", WD, "Toàn trình", ""),
    *[(*row, "") for row in HP_CATALOGUE[1:14]],
    (*HP_CATALOGUE[14], "Bãi bỏ"),
    (*HP_CATALOGUE[15], ""),
    (
        f"1.012812.000.00.00.{HP}",
        "Cấp giấy xác nhận đăng ký môi trường đối với dự án trong khu công nghiệp",
        "Môi trường",
        "Cấp tỉnh",
        "10",
        WD,
        "Toàn trình",
        "",
    ),
]


def _csv(rows: Sequence[tuple[str, ...]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for number, row in enumerate(rows, start=1):
        writer.writerow([number, *row, *[""] * (8 - len(row))])
    return buffer.getvalue().encode("utf-8-sig")


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def _import(
    agency: Agency, rows: Sequence[tuple[str, ...]], name: str, by: User, on: dt.date
) -> CatalogueImport:
    found = catalogue.preview(agency.province, _csv(rows), ".csv", name, whole=True, by=by)
    CatalogueImport.objects.filter(pk=found.pk).update(at=_moment(on))
    return found


def _subset(
    agency: Agency, suffix: str, handled: list[tuple[str, str, str | None, str | None]]
) -> None:
    units = {u.name: u for u in Unit.objects.filter(agency=agency)}
    documents = {d.code: d for d in Document.objects.filter(agency=agency)}
    procedures = {p.code: p for p in AdminProcedure.objects.filter(province_id=agency.province_id)}
    for code, unit_name, committed, document_code in handled:
        procedure = procedures[f"{code}.000.00.00.{suffix}"]
        unit = units[unit_name]
        catalogue.add_procedures(agency, [procedure], unit)
        handling = agency.admin_procedures.get(procedure=procedure)
        catalogue.update_handling(
            handling,
            committed_days=Decimal(committed) if committed else None,
            unit=unit,
            document=documents.get(document_code or ""),
        )


def _province(dost_name: str, agency_name: str) -> tuple[Agency, Agency, User] | None:
    dost = Agency.objects.filter(name=dost_name, is_dost=True).first()
    agency = Agency.objects.filter(name=agency_name).first()
    if dost is None or agency is None:
        return None
    if AdminProcedure.objects.filter(province_id=dost.province_id).exists():
        return None  # loaded already
    overseer = User.objects.get(username="sokhcn.hp" if "Hải Phòng" in dost_name else "sokhcn.qn")
    return dost, agency, overseer


def _hai_phong() -> None:
    found = _province("Sở Khoa học và Công nghệ Hải Phòng", "Ban Quản lý Khu kinh tế Hải Phòng")
    if found is None:
        return
    dost, agency, overseer = found
    first = _import(
        dost, list(HP_CATALOGUE), "danh-muc-tthc-bql-kkt-2025.csv", overseer, D(2025, 5, 22)
    )
    catalogue.apply(first, "1425/QĐ-UBND", D(2025, 5, 20), overseer)
    _subset(agency, HP, HP_HANDLED)
    _import(dost, HP_2026, "danh-muc-tthc-bql-kkt-2026.csv", overseer, D(2026, 10, 5))


def _binh_son() -> None:
    found = _province("Sở Khoa học và Công nghệ Quảng Ngãi", "Ủy ban nhân dân huyện Bình Sơn")
    if found is None:
        return
    dost, agency, overseer = found
    first = _import(
        dost, list(QN_CATALOGUE), "danh-muc-tthc-cap-huyen-2023.csv", overseer, D(2023, 6, 15)
    )
    catalogue.apply(first, "1021/QĐ-UBND", D(2023, 6, 12), overseer)
    _subset(agency, QN, BS_HANDLED)


@transaction.atomic
def load() -> None:
    """Each province's catalogue and each demo agency's subset, unless already loaded."""
    _hai_phong()
    _binh_son()
