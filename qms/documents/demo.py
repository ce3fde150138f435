"""Demo documents of the two seed agencies, built through the services as the story ran.

Ban Quản lý Khu kinh tế Hải Phòng: the legal register; the starter set, four procedures for
administrative procedures (TTHC) and two internal procedures, issued on 18/3/2024 by
Quyết định số 85/QĐ-BQL (in force from 01/4/2024), one procedure issued alone in 01/2025;
NĐ 61/2018/NĐ-CP replaced by NĐ 118/2025/NĐ-CP from 01/7/2025, which flags the procedures
citing it (to be updated by 01/10/2025); and the draft "Bộ tài liệu ISO năm 2026" of four
revisions 2, three approved and one in review, left for the user to issue.

UBND huyện Bình Sơn: a smaller set issued on 10/10/2023 by Quyết định số 1702/QĐ-UBND,
before the agency announced conformity by QĐ 1771/QĐ-UBND of 23/10/2023 (the seed).

Decision numbers 85/QĐ-BQL and 1702/QĐ-UBND, the procedures' committed times and every
person's part are invented; the legal texts and their dates are real. Services stamp the
signature grid with today's date, so the demo then dates each step as the story has it.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from qms.agenda import inbox
from qms.documents import services, starter
from qms.documents.docx import Fill, Form, Grid, Section, Step
from qms.documents.models import (
    Amendment,
    Citation,
    Document,
    DocumentReview,
    Kind,
    LegalBasisReview,
    LegalDocument,
    Posting,
    ReadConfirmation,
    ReadRequirement,
    Revision,
)
from qms.documents.starter import QD19, TT26, LegalSpec, Spec, ensure_legal
from qms.organization.demo import BS_GROUNDS, HP_GROUNDS
from qms.organization.models import Agency, Role, Unit, User
from qms.paperwork.kinds import SignForm

D = dt.date
L = LegalDocument.Type
HP_NAME = "Ban Quản lý Khu kinh tế Hải Phòng"
BS_NAME = "Ủy ban nhân dân huyện Bình Sơn"

# --- the legal register ----------------------------------------------------------------

TT116 = LegalSpec(
    L.CIRCULAR,
    "116/2015/TT-BTC",
    D(2015, 8, 11),
    "Bộ Tài chính",
    "quy định công tác quản lý tài chính đối với việc tư vấn, xây dựng, áp dụng, duy trì và "
    "cải tiến hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2008 vào hoạt "
    "động của các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước",
    D(2015, 10, 26),
)
QD1091 = LegalSpec(
    L.DECISION,
    "1091/QĐ-UBND",
    D(2017, 5, 9),
    "Ủy ban nhân dân thành phố Hải Phòng",
    "về việc phê duyệt kế hoạch chuyển đổi và áp dụng Hệ thống quản lý chất lượng theo tiêu "
    "chuẩn quốc gia TCVN ISO 9001:2015 vào hoạt động của các sở, ban, ngành, Ủy ban nhân dân "
    "các quận, huyện và các cơ quan hành chính nhà nước thuộc sở, ngành thành phố Hải Phòng",
    D(2017, 5, 9),
)
INVESTMENT_LAW = LegalSpec(
    L.LAW, "61/2020/QH14", D(2020, 6, 17), "Quốc hội", "Luật Đầu tư", D(2021, 1, 1)
)
ND31 = LegalSpec(
    L.DECREE,
    "31/2021/NĐ-CP",
    D(2021, 3, 26),
    "Chính phủ",
    "quy định chi tiết và hướng dẫn thi hành một số điều của Luật Đầu tư",
    D(2021, 3, 26),
)
ND61 = LegalSpec(
    L.DECREE,
    "61/2018/NĐ-CP",
    D(2018, 4, 23),
    "Chính phủ",
    "về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính",
    D(2018, 6, 21),
)
ND118 = LegalSpec(
    L.DECREE,
    "118/2025/NĐ-CP",
    D(2025, 6, 9),
    "Chính phủ",
    "về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông tại Bộ phận Một "
    "cửa và Cổng Dịch vụ công quốc gia",
    D(2025, 7, 1),
)
ND30 = LegalSpec(
    L.DECREE, "30/2020/NĐ-CP", D(2020, 3, 5), "Chính phủ", "về công tác văn thư", D(2020, 3, 5)
)
LABOUR_CODE = LegalSpec(
    L.LAW, "45/2019/QH14", D(2019, 11, 20), "Quốc hội", "Bộ luật Lao động", D(2021, 1, 1)
)
ND152 = LegalSpec(
    L.DECREE,
    "152/2020/NĐ-CP",
    D(2020, 12, 30),
    "Chính phủ",
    "quy định về người lao động nước ngoài làm việc tại Việt Nam và tuyển dụng, quản lý người "
    "lao động Việt Nam làm việc cho tổ chức, cá nhân nước ngoài tại Việt Nam",
    D(2021, 2, 15),
)
BUILDING_LAW = LegalSpec(
    L.LAW, "50/2014/QH13", D(2014, 6, 18), "Quốc hội", "Luật Xây dựng", D(2015, 1, 1)
)
ND15 = LegalSpec(
    L.DECREE,
    "15/2021/NĐ-CP",
    D(2021, 3, 3),
    "Chính phủ",
    "quy định chi tiết một số nội dung về quản lý dự án đầu tư xây dựng",
    D(2021, 3, 3),
)
ND01 = LegalSpec(
    L.DECREE, "01/2021/NĐ-CP", D(2021, 1, 4), "Chính phủ", "về đăng ký doanh nghiệp", D(2021, 1, 4)
)
HP_LEGAL = [QD19, TT26, TT116, QD1091, INVESTMENT_LAW, ND31, ND61, ND118, ND30]
HP_LEGAL += [LABOUR_CODE, ND152, BUILDING_LAW, ND15]
BS_LEGAL = [QD19, TT26, TT116, ND61, BUILDING_LAW, ND15, ND01]


# --- procedures for administrative procedures (TTHC) -----------------------------------


TthcStep = tuple[str, str, float, str]  # who, what, working days, form or result


@dataclass
class Tthc:
    """What differs between two TTHC procedures; `steps` are (who, what, days, result)."""

    purpose: str
    scope: str
    terms: str
    conditions: str
    dossier: str
    time: str
    place: str
    fees: str
    steps: list[TthcStep]
    forms: str


def _days(days: float) -> str:
    """ "0,5 ngày", "05 ngày": a decimal comma, whole numbers below 10 with a leading zero."""
    text = f"{days:02.0f}" if days == int(days) else f"{days:g}".replace(".", ",")
    return f"{text} ngày"


def tthc_sections(t: Tthc) -> list[Section]:
    """The seven sections of a TTHC procedure; its work table adds up to the time."""
    total = sum(days for _who, _what, days, _result in t.steps)
    content = (
        f"5.1 Điều kiện thực hiện\n{t.conditions}\n5.2 Thành phần hồ sơ\n{t.dossier}\n"
        f"5.3 Số lượng hồ sơ\n01 bộ.\n5.4 Thời gian giải quyết\n{t.time}\n"
        f"5.5 Nơi tiếp nhận và trả kết quả\n{t.place}\n5.6 Phí, lệ phí\n{t.fees}\n"
        "5.7 Quy trình xử lý công việc"
    )
    steps = [Step(who, what, result, _days(days)) for who, what, days, result in t.steps]
    total_line = f"Tổng thời gian giải quyết: {_days(total)} làm việc."
    return [
        Section("Mục đích", t.purpose),
        Section("Phạm vi", t.scope),
        Section("Tài liệu viện dẫn", "- Tiêu chuẩn quốc gia TCVN ISO 9001:2015, điều 8.2 và 8.5;"),
        Section("Định nghĩa và viết tắt", t.terms),
        Section("Nội dung", content, steps, total_line),
        Section("Biểu mẫu", t.forms),
        Section("Hồ sơ cần lưu"),
    ]


ONE_STOP = "Bộ phận Một cửa"
HP_ONE_STOP_FORMS = (
    "Sử dụng các biểu mẫu của Quy trình tiếp nhận và trả kết quả giải quyết thủ tục hành chính "
    "tại Bộ phận Một cửa (QT.VP.01) và mẫu đơn, tờ khai theo quy định của pháp luật chuyên ngành."
)
HP_PLACE = (
    "Bộ phận Một cửa của Ban Quản lý Khu kinh tế Hải Phòng; hoặc nộp trực tuyến trên Cổng Dịch "
    "vụ công."
)
HP_TERMS = "- BQL: Ban Quản lý Khu kinh tế Hải Phòng;\n- TTHC: Thủ tục hành chính;"
LEADERS = "Lãnh đạo Ban"
CLERK = "Văn phòng (văn thư)"


def _investment_steps(study: float, review: float, sign: float) -> list[TthcStep]:
    return [
        (ONE_STOP, "Tiếp nhận, kiểm tra, số hóa hồ sơ; chuyển Phòng Quản lý đầu tư.", 0.5,
         "BM.VP.01.01; BM.VP.01.04"),
        ("Trưởng phòng Quản lý đầu tư", "Phân công chuyên viên thụ lý.", 0.5, "BM.VP.01.04"),
        ("Chuyên viên Phòng Quản lý đầu tư", "Thẩm định hồ sơ, lấy ý kiến cơ quan liên quan "
         "(nếu cần); dự thảo kết quả hoặc văn bản trả lời.", study, "Dự thảo kết quả"),
        ("Trưởng phòng Quản lý đầu tư", "Xem xét, ký nháy, trình Lãnh đạo Ban.", review,
         "Tờ trình"),
        (LEADERS, "Xem xét, ký kết quả.", sign, "Kết quả đã ký"),
        (CLERK, "Vào sổ, đóng dấu, phát hành; chuyển Bộ phận Một cửa.", 0.5, "Sổ văn bản đi"),
        (ONE_STOP, "Trả kết quả cho nhà đầu tư; cập nhật trạng thái hồ sơ.", 0.5,
         "Sổ theo dõi hồ sơ"),
    ]  # fmt: skip


HP_INVESTMENT_TIME = (
    "15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ; Ban Quản lý cam kết giải quyết trong 10 ngày "
    "làm việc."
)
HP_INVESTMENT_TIME_2026 = (
    "15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ; Ban Quản lý cam kết giải quyết trong 08 ngày "
    "làm việc."
)


def investment_registration(days: tuple[float, float, float], time: str) -> list[Section]:
    return tthc_sections(
        Tthc(
            purpose="Quy định trình tự, trách nhiệm và thời gian cấp Giấy chứng nhận đăng ký "
            "đầu tư đối với dự án không thuộc diện chấp thuận chủ trương đầu tư tại các khu "
            "công nghiệp, khu kinh tế do Ban Quản lý quản lý.",
            scope="Áp dụng đối với nhà đầu tư đề nghị cấp Giấy chứng nhận đăng ký đầu tư; "
            "Bộ phận Một cửa, Phòng Quản lý đầu tư, Văn phòng và Lãnh đạo Ban thực hiện.",
            terms=f"{HP_TERMS}\n- GCNĐKĐT: Giấy chứng nhận đăng ký đầu tư.",
            conditions="- Dự án không thuộc ngành, nghề cấm đầu tư kinh doanh;\n- Có địa điểm "
            "thực hiện dự án trong khu công nghiệp, khu kinh tế;\n- Phù hợp với quy hoạch; "
            "đáp ứng điều kiện về suất đầu tư, lao động (nếu có) và điều kiện tiếp cận thị "
            "trường đối với nhà đầu tư nước ngoài.",
            dossier="- Văn bản đề nghị thực hiện dự án đầu tư;\n- Bản sao giấy tờ pháp lý của "
            "nhà đầu tư;\n- Đề xuất dự án đầu tư;\n- Tài liệu chứng minh năng lực tài chính của "
            "nhà đầu tư;\n- Đề xuất nhu cầu sử dụng đất hoặc bản sao thỏa thuận thuê địa điểm;"
            "\n- Giải trình về sử dụng công nghệ (đối với dự án thuộc diện phải giải trình).",
            time=time,
            place=HP_PLACE,
            fees="Không.",
            steps=_investment_steps(*days),
            forms=HP_ONE_STOP_FORMS,
        )
    )


def investment_adjustment() -> list[Section]:
    return tthc_sections(
        Tthc(
            purpose="Quy định trình tự, trách nhiệm và thời gian điều chỉnh Giấy chứng nhận "
            "đăng ký đầu tư đối với dự án không thuộc diện chấp thuận điều chỉnh chủ trương đầu "
            "tư.",
            scope="Áp dụng đối với nhà đầu tư đề nghị điều chỉnh dự án đầu tư; Bộ phận Một "
            "cửa, Phòng Quản lý đầu tư, Văn phòng và Lãnh đạo Ban thực hiện.",
            terms=f"{HP_TERMS}\n- GCNĐKĐT: Giấy chứng nhận đăng ký đầu tư.",
            conditions="- Dự án đã được cấp GCNĐKĐT;\n- Nội dung điều chỉnh không thuộc diện "
            "phải chấp thuận điều chỉnh chủ trương đầu tư.",
            dossier="- Văn bản đề nghị điều chỉnh dự án đầu tư;\n- Báo cáo tình hình triển khai "
            "dự án đầu tư đến thời điểm điều chỉnh;\n- Quyết định của nhà đầu tư về việc điều "
            "chỉnh dự án;\n- Tài liệu giải trình nội dung điều chỉnh.",
            time="10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ; Ban Quản lý cam kết giải "
            "quyết trong 07 ngày làm việc.",
            place=HP_PLACE,
            fees="Không.",
            steps=_investment_steps(3, 1, 1),
            forms=HP_ONE_STOP_FORMS,
        )
    )


def work_permit() -> list[Section]:
    unit = "Phòng Quản lý doanh nghiệp và lao động"
    return tthc_sections(
        Tthc(
            purpose="Quy định trình tự, trách nhiệm và thời gian cấp giấy phép lao động cho "
            "người lao động nước ngoài làm việc cho doanh nghiệp trong khu công nghiệp, khu "
            "kinh tế.",
            scope=f"Áp dụng đối với người sử dụng lao động đề nghị cấp giấy phép lao động; Bộ "
            f"phận Một cửa, {unit}, Văn phòng và Lãnh đạo Ban thực hiện.",
            terms=f"{HP_TERMS}\n- GPLĐ: Giấy phép lao động.",
            conditions="- Người lao động đủ 18 tuổi trở lên, có năng lực hành vi dân sự đầy đủ;"
            "\n- Có trình độ chuyên môn, kinh nghiệm phù hợp và đủ sức khỏe;\n- Nhu cầu sử "
            "dụng người lao động nước ngoài đã được chấp thuận.",
            dossier="- Văn bản đề nghị cấp giấy phép lao động của người sử dụng lao động;\n- "
            "Giấy chứng nhận sức khỏe;\n- Phiếu lý lịch tư pháp hoặc văn bản xác nhận không "
            "phải là người phạm tội;\n- Văn bản chứng minh là nhà quản lý, giám đốc điều hành, "
            "chuyên gia hoặc lao động kỹ thuật;\n- 02 ảnh màu;\n- Bản sao hộ chiếu còn giá trị;"
            "\n- Văn bản chấp thuận nhu cầu sử dụng người lao động nước ngoài.",
            time="05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ; Ban Quản lý cam kết giải "
            "quyết trong 04 ngày làm việc.",
            place=HP_PLACE,
            fees="Theo quy định của Hội đồng nhân dân thành phố Hải Phòng.",
            steps=[
                (ONE_STOP, "Tiếp nhận, kiểm tra, số hóa hồ sơ; chuyển phòng.", 0.5,
                 "BM.VP.01.01; BM.VP.01.04"),
                (f"Chuyên viên {unit}", "Thẩm định hồ sơ; dự thảo giấy phép lao động hoặc văn "
                 "bản trả lời nêu rõ lý do.", 2, "Dự thảo giấy phép"),
                (f"Lãnh đạo {unit}", "Xem xét, ký nháy, trình Lãnh đạo Ban.", 0.5, "Tờ trình"),
                (LEADERS, "Xem xét, ký giấy phép lao động.", 0.5, "Giấy phép lao động"),
                (f"{CLERK}; {ONE_STOP}", "Vào sổ, đóng dấu; trả kết quả, cập nhật trạng thái.",
                 0.5, "Sổ theo dõi hồ sơ"),
            ],
            forms=HP_ONE_STOP_FORMS,
        )
    )  # fmt: skip


def building_permit() -> list[Section]:
    unit = "Phòng Quản lý quy hoạch và xây dựng"
    return tthc_sections(
        Tthc(
            purpose="Quy định trình tự, trách nhiệm và thời gian cấp giấy phép xây dựng đối với "
            "công trình trong khu công nghiệp, khu kinh tế thuộc thẩm quyền của Ban Quản lý.",
            scope=f"Áp dụng đối với chủ đầu tư đề nghị cấp giấy phép xây dựng; Bộ phận Một cửa, "
            f"{unit}, Văn phòng và Lãnh đạo Ban thực hiện.",
            terms=f"{HP_TERMS}\n- GPXD: Giấy phép xây dựng.",
            conditions="- Phù hợp với quy hoạch xây dựng được duyệt;\n- Bảo đảm an toàn công "
            "trình, phòng cháy, chữa cháy và bảo vệ môi trường;\n- Thiết kế xây dựng đã được "
            "thẩm định, phê duyệt theo quy định.",
            dossier="- Đơn đề nghị cấp giấy phép xây dựng;\n- Bản sao giấy tờ chứng minh quyền "
            "sử dụng đất;\n- Quyết định phê duyệt dự án và văn bản thông báo kết quả thẩm định "
            "của cơ quan chuyên môn về xây dựng (nếu có);\n- Bản vẽ thiết kế xây dựng;\n- Văn "
            "bản kết quả thực hiện thủ tục về phòng cháy, chữa cháy và môi trường (nếu có).",
            time="20 ngày kể từ ngày nhận đủ hồ sơ hợp lệ; Ban Quản lý cam kết giải quyết "
            "trong 15 ngày làm việc.",
            place=HP_PLACE,
            fees="Lệ phí cấp giấy phép xây dựng theo quy định của Hội đồng nhân dân thành phố.",
            steps=[
                (ONE_STOP, "Tiếp nhận, kiểm tra, số hóa hồ sơ; chuyển phòng.", 0.5,
                 "BM.VP.01.01; BM.VP.01.04"),
                (f"Trưởng {unit[0].lower()}{unit[1:]}", "Phân công chuyên viên thụ lý.", 0.5,
                 "BM.VP.01.04"),
                (f"Chuyên viên {unit}", "Thẩm định hồ sơ, kiểm tra thực địa (nếu cần); dự thảo "
                 "giấy phép xây dựng.", 10, "Dự thảo giấy phép"),
                (f"Trưởng {unit[0].lower()}{unit[1:]}", "Xem xét, trình Lãnh đạo Ban.", 1.5,
                 "Tờ trình"),
                (LEADERS, "Xem xét, ký giấy phép xây dựng.", 2, "Giấy phép xây dựng"),
                (f"{CLERK}; {ONE_STOP}", "Vào sổ, đóng dấu; trả kết quả, cập nhật trạng thái.",
                 0.5, "Sổ theo dõi hồ sơ"),
            ],
            forms=HP_ONE_STOP_FORMS,
        )
    )  # fmt: skip


# --- internal procedures of Hải Phòng ---------------------------------------------------

ONE_STOP_STEPS = [
    Step(
        f"Công chức {ONE_STOP}",
        "Hướng dẫn, kiểm tra hồ sơ. Hồ sơ đầy đủ: lập Giấy tiếp nhận hồ sơ và hẹn trả kết quả, "
        "số hóa hồ sơ; hồ sơ chưa đầy đủ: lập Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ; hồ sơ "
        "không đủ điều kiện: lập Phiếu từ chối tiếp nhận giải quyết hồ sơ.",
        "BM.VP.01.01; BM.VP.01.02",
        "Trong ngày",
    ),
    Step(
        ONE_STOP,
        "Chuyển hồ sơ (bản giấy và bản điện tử) kèm Phiếu kiểm soát quá trình giải quyết hồ sơ "
        "đến phòng chuyên môn trong ngày làm việc hoặc đầu giờ ngày làm việc tiếp theo.",
        "BM.VP.01.04",
        "Trong ngày",
    ),
    Step(
        "Phòng chuyên môn",
        "Giải quyết hồ sơ theo quy trình của từng thủ tục hành chính; ghi Phiếu kiểm soát và "
        "cập nhật trạng thái ở từng bước. Hồ sơ cần bổ sung: thông báo bằng văn bản qua Bộ phận "
        "Một cửa, nêu rõ lý do.",
        "BM.VP.01.04",
        "Theo quy trình TTHC",
    ),
    Step(
        "Phòng chuyên môn",
        "Hồ sơ không kịp trả đúng hẹn: lập Phiếu xin lỗi và hẹn lại ngày trả kết quả, gửi Bộ "
        "phận Một cửa để thông báo cho tổ chức, cá nhân.",
        "BM.VP.01.03",
        "Trước hạn ít nhất 01 ngày",
    ),
    Step(
        ONE_STOP,
        "Nhận kết quả, cập nhật trạng thái; trả kết quả cho tổ chức, cá nhân và thu phí, lệ phí "
        "(nếu có); trả kết quả sớm hơn thời hạn khi hồ sơ được giải quyết xong.",
        "Sổ theo dõi hồ sơ",
        "Theo Giấy hẹn",
    ),
    Step(
        f"{ONE_STOP}; Văn phòng",
        "Lấy ý kiến đánh giá mức độ hài lòng; thống kê tỷ lệ hồ sơ trước hạn, đúng hạn, quá "
        "hạn; báo cáo hằng tháng để theo dõi mục tiêu chất lượng.",
        "Báo cáo thống kê",
        "Hằng tháng",
    ),
]

ONE_STOP_SECTIONS = [
    Section(
        "Mục đích",
        "Quy định thống nhất việc hướng dẫn, tiếp nhận, số hóa, chuyển hồ sơ, theo dõi và trả "
        "kết quả giải quyết thủ tục hành chính tại Bộ phận Một cửa của Ban Quản lý, bảo đảm "
        "công khai, minh bạch và đúng thời hạn.",
    ),
    Section(
        "Phạm vi",
        "Áp dụng đối với tất cả thủ tục hành chính thuộc thẩm quyền giải quyết của Ban Quản lý "
        "được tiếp nhận trực tiếp, qua dịch vụ bưu chính công ích hoặc trực tuyến; Bộ phận Một "
        "cửa và các phòng chuyên môn thực hiện.",
    ),
    Section("Tài liệu viện dẫn", "- Tiêu chuẩn quốc gia TCVN ISO 9001:2015, điều 8.2 và 8.5;"),
    Section(
        "Định nghĩa và viết tắt",
        "- Bộ phận Một cửa: bộ phận tiếp nhận và trả kết quả giải quyết thủ tục hành chính của "
        "Ban Quản lý;\n- Phiếu kiểm soát: Phiếu kiểm soát quá trình giải quyết hồ sơ, đi kèm hồ "
        "sơ qua từng bước;\n- Hồ sơ quá hạn: hồ sơ trả kết quả sau thời hạn ghi trên Giấy tiếp "
        "nhận hồ sơ và hẹn trả kết quả.",
    ),
    Section(
        "Nội dung",
        "5.1 Yêu cầu chung\n- Thủ tục hành chính được niêm yết công khai, đầy đủ tại Bộ phận Một "
        "cửa và trên Cổng Dịch vụ công;\n- Mọi hồ sơ được cấp mã số hồ sơ và cập nhật trạng thái "
        "trên Hệ thống thông tin giải quyết thủ tục hành chính của thành phố.\n"
        "5.2 Trình tự thực hiện",
        ONE_STOP_STEPS,
    ),
    Section("Biểu mẫu"),
    Section("Hồ sơ cần lưu"),
]

MAIL_SECTIONS = [
    Section(
        "Mục đích",
        "Quy định việc tiếp nhận, đăng ký, trình, chuyển giao văn bản đến và soạn thảo, kiểm "
        "tra, ký, phát hành văn bản đi của Ban Quản lý, bảo đảm đúng thể thức, kịp thời và "
        "được lưu đầy đủ.",
    ),
    Section("Phạm vi", "Áp dụng đối với Văn phòng và các phòng, đơn vị thuộc Ban Quản lý."),
    Section("Tài liệu viện dẫn", "- Tiêu chuẩn quốc gia TCVN ISO 9001:2015, điều 7.5;"),
    Section(
        "Định nghĩa và viết tắt",
        "- Văn bản đến: văn bản, bao gồm văn bản điện tử, do cơ quan, tổ chức, cá nhân gửi đến "
        "Ban Quản lý;\n- Văn bản đi: văn bản do Ban Quản lý phát hành;\n- VT: Văn thư.",
    ),
    Section(
        "Nội dung",
        "5.1 Văn bản đến",
        [
            Step(
                CLERK,
                "Tiếp nhận, kiểm tra, đăng ký văn bản đến trên phần mềm.",
                "Sổ văn bản đến",
                "Trong ngày",
            ),
            Step(
                "Chánh Văn phòng",
                "Đề xuất phân phối, trình Lãnh đạo Ban cho ý kiến chỉ đạo.",
                "Phiếu trình",
                "Trong ngày",
            ),
            Step(LEADERS, "Cho ý kiến chỉ đạo giải quyết.", "Ý kiến chỉ đạo", "01 ngày"),
            Step(
                "Phòng, đơn vị được giao",
                "Giải quyết văn bản theo thời hạn được giao.",
                "Văn bản giải quyết",
                "Theo chỉ đạo",
            ),
        ],  # fmt: skip
        "5.2 Văn bản đi\n- Người soạn thảo dự thảo văn bản, trưởng phòng kiểm tra nội dung và ký "
        "nháy;\n- Văn phòng kiểm tra thể thức, kỹ thuật trình bày trước khi trình ký;\n- Văn thư "
        "cấp số, ngày, đóng dấu hoặc ký số của cơ quan, phát hành trong ngày và lưu bản gốc.",
    ),
    Section("Biểu mẫu", "Sử dụng các mẫu sổ và thể thức văn bản theo Nghị định số 30/2020/NĐ-CP."),
    Section("Hồ sơ cần lưu"),
]

ONE_STOP_FORMS = [
    (
        "BM.VP.01.01",
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        Form(
            [
                Fill(["Mã hồ sơ", "Tên tổ chức, cá nhân", "Địa chỉ, số điện thoại"]),
                Fill(["Nội dung yêu cầu giải quyết"]),
                Grid(["TT", "Tên giấy tờ", "Hình thức (bản chính, bản sao)", "Số lượng"], 5),
                Fill(["Thời gian giải quyết", "Thời gian nhận hồ sơ", "Thời gian trả kết quả"]),
            ],
            ["Người nộp hồ sơ", "Người tiếp nhận hồ sơ"],
        ),
    ),
    (
        "BM.VP.01.02",
        "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        Form(
            [
                Fill(["Mã hồ sơ", "Tên tổ chức, cá nhân", "Nội dung yêu cầu giải quyết"]),
                "Hồ sơ cần bổ sung, hoàn thiện những nội dung sau:",
                Grid(["TT", "Nội dung yêu cầu bổ sung, hoàn thiện", "Lý do"], 4),
                "Khi có vướng mắc, ông (bà) liên hệ Bộ phận Một cửa để được hướng dẫn.",
            ],
            ["Người hướng dẫn"],
        ),
    ),
    (
        "BM.VP.01.03",
        "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
        Form(
            [
                Fill(["Kính gửi", "Mã hồ sơ", "Nội dung yêu cầu giải quyết"]),
                Fill(["Ngày hẹn trả kết quả ghi trên Giấy tiếp nhận"]),
                Fill(["Lý do chậm trả kết quả"], lines=2),
                Fill(["Ngày hẹn trả kết quả mới"]),
                "Ban Quản lý xin lỗi ông (bà) vì sự chậm trễ này và hẹn trả kết quả vào ngày nêu "
                "trên.",
            ],
            ["Thủ trưởng đơn vị giải quyết"],
        ),
    ),
    (
        "BM.VP.01.04",
        "Phiếu kiểm soát quá trình giải quyết hồ sơ",
        Form(
            [
                Fill(["Mã hồ sơ", "Tên tổ chức, cá nhân", "Thủ tục hành chính"]),
                Fill(["Ngày hẹn trả kết quả"]),
                Grid(
                    [
                        "Tên cơ quan, đơn vị",
                        "Thời gian giao, nhận hồ sơ",
                        "Kết quả (trước hạn, đúng hạn, quá hạn)",
                        "Ghi chú",
                    ],
                    7,
                ),
            ],
            national_header=False,
        ),
    ),
]

OFFICE = "Văn phòng Ban Quản lý"
INVESTMENT = "Phòng Quản lý đầu tư"
LABOUR = "Phòng Quản lý doanh nghiệp và lao động"
BUILDING = "Phòng Quản lý quy hoạch và xây dựng"
ONE_STOP_UNIT = "Bộ phận Một cửa"
KEEP_WITH_FILE = "Lưu cùng hồ sơ thủ tục hành chính"


def _tthc_records(unit: str) -> list[tuple[str, str, str]]:
    return [
        ("Hồ sơ đề nghị và kết quả giải quyết", unit, "Lâu dài"),
        ("Phiếu kiểm soát quá trình giải quyết hồ sơ", f"{ONE_STOP}; {unit}", KEEP_WITH_FILE),
        ("Sổ theo dõi hồ sơ (điện tử)", ONE_STOP, "05 năm"),
    ]


def hp_specs() -> list[Spec]:
    """The starter set, then Hải Phòng's own procedures and forms."""
    one_stop = (ND61.number, *starter.SYSTEM_CITES)
    investment = (INVESTMENT_LAW.number, ND31.number, ND61.number)
    own = [
        Spec("QT.DT.01", Kind.TTHC_PROCEDURE, "Quy trình cấp Giấy chứng nhận đăng ký đầu tư",
             sections=investment_registration((5, 1, 2), HP_INVESTMENT_TIME),
             records=_tthc_records(INVESTMENT), cites=investment, owner=INVESTMENT),
        Spec("QT.DT.02", Kind.TTHC_PROCEDURE,
             "Quy trình điều chỉnh Giấy chứng nhận đăng ký đầu tư",
             sections=investment_adjustment(), records=_tthc_records(INVESTMENT),
             cites=investment, owner=INVESTMENT),
        Spec("QT.LD.01", Kind.TTHC_PROCEDURE,
             "Quy trình cấp giấy phép lao động cho người lao động nước ngoài",
             sections=work_permit(), records=_tthc_records(LABOUR),
             cites=(LABOUR_CODE.number, ND152.number, ND61.number), owner=LABOUR),
        Spec("QT.XD.01", Kind.TTHC_PROCEDURE, "Quy trình cấp giấy phép xây dựng",
             sections=building_permit(), records=_tthc_records(BUILDING),
             cites=(BUILDING_LAW.number, ND15.number, ND61.number), owner=BUILDING),
        Spec("QT.VP.01", Kind.INTERNAL_PROCEDURE,
             "Quy trình tiếp nhận và trả kết quả giải quyết thủ tục hành chính tại Bộ phận "
             "Một cửa", sections=ONE_STOP_SECTIONS, cites=one_stop, owner=ONE_STOP_UNIT,
             records=[("Giấy tiếp nhận hồ sơ và hẹn trả kết quả", ONE_STOP, KEEP_WITH_FILE),
                      ("Sổ theo dõi hồ sơ (điện tử)", ONE_STOP, "05 năm"),
                      ("Báo cáo thống kê kết quả giải quyết TTHC", OFFICE, "05 năm")]),
        *[Spec(code, Kind.FORM_TEMPLATE, title, form=form, procedure="QT.VP.01",
               owner=ONE_STOP_UNIT) for code, title, form in ONE_STOP_FORMS],
        Spec("QT.VP.02", Kind.INTERNAL_PROCEDURE, "Quy trình quản lý văn bản đến, văn bản đi",
             sections=MAIL_SECTIONS, cites=(ND30.number,), owner=OFFICE,
             records=[("Sổ đăng ký văn bản đến, văn bản đi (điện tử)", CLERK, "Lâu dài"),
                      ("Bản gốc văn bản đi", CLERK, "Theo Danh mục hồ sơ của cơ quan")]),
    ]  # fmt: skip
    return [*starter.STARTER, *own]


# --- Bình Sơn ---------------------------------------------------------------------------

BS_ONE_STOP_FORMS = (
    "Sử dụng mẫu đơn, tờ khai theo quy định của pháp luật chuyên ngành và các mẫu phiếu của "
    "Bộ phận Một cửa theo Thông tư số 01/2018/TT-VPCP."
)
BS_PLACE = "Bộ phận Một cửa huyện Bình Sơn; hoặc nộp trực tuyến trên Cổng Dịch vụ công."
BS_TERMS = "- UBND: Ủy ban nhân dân;\n- TTHC: Thủ tục hành chính;"


def household_business() -> list[Section]:
    unit = "Phòng Tài chính - Kế hoạch"
    return tthc_sections(
        Tthc(
            purpose="Quy định trình tự, trách nhiệm và thời gian đăng ký thành lập hộ kinh "
            "doanh trên địa bàn huyện.",
            scope=f"Áp dụng đối với cá nhân, thành viên hộ gia đình đăng ký thành lập hộ kinh "
            f"doanh; Bộ phận Một cửa huyện và {unit} thực hiện.",
            terms=f"{BS_TERMS}\n- HKD: Hộ kinh doanh.",
            conditions="- Ngành, nghề đăng ký kinh doanh không bị cấm;\n- Tên hộ kinh doanh đặt "
            "đúng quy định;\n- Hồ sơ hợp lệ và đã nộp lệ phí.",
            dossier="- Giấy đề nghị đăng ký hộ kinh doanh;\n- Bản sao giấy tờ pháp lý của cá "
            "nhân đối với các thành viên hộ gia đình đăng ký hộ kinh doanh;\n- Bản sao biên bản "
            "họp thành viên hộ gia đình về việc thành lập hộ kinh doanh (nếu có);\n- Bản sao văn "
            "bản ủy quyền cho một thành viên làm chủ hộ kinh doanh (nếu có).",
            time="03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.",
            place=BS_PLACE,
            fees="Lệ phí đăng ký hộ kinh doanh theo quy định của Hội đồng nhân dân tỉnh Quảng "
            "Ngãi.",
            steps=[
                (ONE_STOP, "Tiếp nhận, kiểm tra, số hóa hồ sơ; chuyển phòng.", 0.5,
                 "Giấy tiếp nhận và hẹn trả kết quả"),
                (f"Chuyên viên {unit}", "Thẩm định hồ sơ; dự thảo Giấy chứng nhận đăng ký hộ "
                 "kinh doanh.", 1.5, "Dự thảo Giấy chứng nhận"),
                (f"Trưởng phòng {unit[6:]}", "Xem xét, ký Giấy chứng nhận.", 0.5,
                 "Giấy chứng nhận đăng ký hộ kinh doanh"),
                (ONE_STOP, "Trả kết quả, cập nhật trạng thái hồ sơ.", 0.5, "Sổ theo dõi hồ sơ"),
            ],
            forms=BS_ONE_STOP_FORMS,
        )
    )  # fmt: skip


def house_permit() -> list[Section]:
    unit = "Phòng Kinh tế và Hạ tầng"
    return tthc_sections(
        Tthc(
            purpose="Quy định trình tự, trách nhiệm và thời gian cấp giấy phép xây dựng đối với "
            "nhà ở riêng lẻ trên địa bàn huyện.",
            scope=f"Áp dụng đối với hộ gia đình, cá nhân đề nghị cấp giấy phép xây dựng nhà ở "
            f"riêng lẻ; Bộ phận Một cửa huyện, {unit} và Lãnh đạo UBND huyện thực hiện.",
            terms=f"{BS_TERMS}\n- GPXD: Giấy phép xây dựng.",
            conditions="- Phù hợp với quy hoạch xây dựng được duyệt;\n- Bảo đảm an toàn cho "
            "công trình và các công trình lân cận;\n- Thiết kế bảo đảm khoảng cách an toàn theo "
            "quy định.",
            dossier="- Đơn đề nghị cấp giấy phép xây dựng;\n- Bản sao giấy tờ chứng minh quyền "
            "sử dụng đất;\n- 02 bộ bản vẽ thiết kế xây dựng;\n- Cam kết bảo đảm an toàn đối với "
            "công trình liền kề (nếu có).",
            time="15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ; UBND huyện cam kết giải quyết trong "
            "12 ngày làm việc.",
            place=BS_PLACE,
            fees="Lệ phí cấp giấy phép xây dựng theo quy định của Hội đồng nhân dân tỉnh Quảng "
            "Ngãi.",
            steps=[
                (ONE_STOP, "Tiếp nhận, kiểm tra, số hóa hồ sơ; chuyển phòng.", 0.5,
                 "Giấy tiếp nhận và hẹn trả kết quả"),
                (f"Trưởng phòng {unit[6:]}", "Phân công chuyên viên thụ lý.", 0.5,
                 "Phiếu kiểm soát"),
                (f"Chuyên viên {unit}", "Thẩm định hồ sơ, kiểm tra thực địa; dự thảo giấy "
                 "phép.", 7, "Dự thảo giấy phép"),
                (f"Trưởng phòng {unit[6:]}", "Xem xét, trình Lãnh đạo UBND huyện.", 1,
                 "Tờ trình"),
                ("Lãnh đạo UBND huyện", "Xem xét, ký giấy phép xây dựng.", 2,
                 "Giấy phép xây dựng"),
                ("Văn thư; Bộ phận Một cửa", "Vào sổ, đóng dấu; trả kết quả.", 0.5,
                 "Sổ theo dõi hồ sơ"),
            ],
            forms=BS_ONE_STOP_FORMS,
        )
    )  # fmt: skip


BS_FORMS = {"BM.ISO.02.01", "BM.ISO.02.03", "BM.ISO.03.01", "BM.ISO.03.02", "BM.ISO.05.02"}


def bs_specs() -> list[Spec]:
    """Policy, objectives, the system procedures and a few of their forms, two TTHC."""
    chosen = [s for s in starter.STARTER if s.form is None or s.code in BS_FORMS]
    own = [
        Spec("QT.TCKH.01", Kind.TTHC_PROCEDURE, "Quy trình đăng ký thành lập hộ kinh doanh",
             sections=household_business(), cites=(ND01.number, ND61.number),
             records=_tthc_records("Phòng Tài chính - Kế hoạch"),
             owner="Phòng Tài chính - Kế hoạch"),
        Spec("QT.KTHT.01", Kind.TTHC_PROCEDURE,
             "Quy trình cấp giấy phép xây dựng đối với nhà ở riêng lẻ",
             sections=house_permit(), cites=(BUILDING_LAW.number, ND15.number, ND61.number),
             records=_tthc_records("Phòng Kinh tế và Hạ tầng"),
             owner="Phòng Kinh tế và Hạ tầng"),
    ]  # fmt: skip
    return [*chosen, *own]


# --- the workflow, dated as the story has it --------------------------------------------


@dataclass
class Signers:
    drafter: User
    reviewer: User
    approver: User


@dataclass(frozen=True)
class Recorded:
    """A step as it happened: the demo replays the story, in which each person took their
    step when their post allowed it (Bình Sơn, dissolved since, was not yet). The rules of
    the workflow — state, separation of duties — still apply."""

    user: User

    def can(self, right: object) -> bool:
        return True


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def _planned_docx(
    spec: Spec, document: Document, revision: Revision, signers: Signers, issued_on: dt.date | None
) -> bytes:
    """The file as printed for signature: the grid already names who reviews and approves.
    Rendered from a copy so the revision itself is signed only through the services."""
    planned = copy.copy(revision)
    planned.reviewed_by, planned.approved_by = signers.reviewer, signers.approver
    planned.issued_on = issued_on
    return starter.render(spec, document, planned)


def _draft(
    spec: Spec,
    document: Document,
    signers: Signers,
    story: Story,
    amendments: list[tuple[str, str, str]],
) -> Revision:
    """A dated draft with its "Sửa đổi tài liệu" rows and its file."""
    summary = amendments[0][0] if amendments else "Ban hành lần đầu"
    revision = services.new_revision(document, signers.drafter, summary=summary)
    revision.drafted_on, revision.created_at = story.drafted, _moment(story.drafted)
    revision.save(update_fields=["drafted_on", "created_at"])
    for order, (request, where, what) in enumerate(amendments, start=1):
        Amendment.objects.create(
            revision=revision,
            order=order,
            request=request,
            location=where,
            description=what,
            amendment_no=order,
            amended_on=story.drafted,
        )
    content = _planned_docx(spec, document, revision, signers, story.issued)
    starter.attach_docx(revision, content, signers.drafter)
    return revision


def _review(revision: Revision, signers: Signers, reviewed_on: dt.date) -> None:
    services.submit(revision, Recorded(signers.drafter))
    services.mark_reviewed(revision, Recorded(signers.reviewer))
    revision.reviewed_on = reviewed_on
    revision.save(update_fields=["reviewed_on"])


def _approve(revision: Revision, signers: Signers, approved_on: dt.date) -> None:
    services.approve(revision, Recorded(signers.approver))
    revision.approved_on = approved_on
    revision.save(update_fields=["approved_on"])


@dataclass
class Story:
    """The dates of one round of revisions."""

    drafted: dt.date
    reviewed: dt.date
    approved: dt.date | None
    issued: dt.date | None


def _prepare(
    spec: Spec,
    document: Document,
    signers: Signers,
    story: Story,
    amendments: list[tuple[str, str, str]] | None = None,
) -> Revision:
    """Drafted with its file, reviewed, and approved when the story says so."""
    revision = _draft(spec, document, signers, story, amendments or [])
    _review(revision, signers, story.reviewed)
    if story.approved is not None:
        _approve(revision, signers, story.approved)
    return revision


def _legal(agency: Agency, specs: list[LegalSpec]) -> dict[str, LegalDocument]:
    return {spec.number: ensure_legal(agency, spec) for spec in specs}


def _create(
    agency: Agency, specs: list[Spec], default_unit: str, created_on: dt.date
) -> list[tuple[Spec, Document]]:
    units: dict[str, Unit | None] = {u.name: u for u in Unit.objects.filter(agency=agency)}
    units[""] = units.get(default_unit)
    created = starter.create_documents(agency, specs, units)
    Document.objects.filter(pk__in=[d.pk for _s, d in created]).update(
        created_at=_moment(created_on)
    )
    return created


# --- Hải Phòng ---------------------------------------------------------------------------

HP_SET_NUMBER, HP_SET_SIGNED, HP_SET_EFFECTIVE = 85, D(2024, 3, 18), D(2024, 4, 1)
HP_ROUND_1 = Story(D(2024, 1, 15), D(2024, 2, 26), D(2024, 3, 11), HP_SET_SIGNED)
HP_RECIPIENTS = "\n".join(
    [
        "Như Điều 3",
        "Sở Khoa học và Công nghệ (để b/c)",
        "Lãnh đạo Ban",
        "Bộ phận Một cửa (để niêm yết)",
    ]
)
HP_PROPOSAL = "Xét đề nghị của Chánh Văn phòng Ban Quản lý"
HP_SIGNER = {
    "signer_name": "Nguyễn Văn Chuẩn",
    "signer_position": "Phó Trưởng ban",
    "sign_form": SignForm.KT,
}


def _users(*usernames: str) -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(username__in=usernames)}


def _hp_signers(people: dict[str, User]) -> dict[str, Signers]:
    """Who drafts and reviews, by owner unit; the deputy head in charge of ISO approves."""
    approver = people["lanhdao.hp"]
    secretary = Signers(people["thuky.hp"], people["chanhvp.hp"], approver)
    return {
        "": secretary,
        OFFICE: secretary,
        ONE_STOP_UNIT: secretary,
        INVESTMENT: Signers(people["chuyenvien.hp"], people["truongphong.hp"], approver),
        LABOUR: Signers(people["thuky.hp"], people["dnld.hp"], approver),
        BUILDING: Signers(people["thuky.hp"], people["qhxd.hp"], approver),
    }


def _hp_first_set(
    agency: Agency, created: list[tuple[Spec, Document]], signers: dict[str, Signers]
) -> None:
    """Revision 1 of everything but the building permit, issued by one decision in 2024; the
    building permit procedure follows on its own in January 2025."""
    document_set = services.create_set(
        agency,
        title="Bộ tài liệu Hệ thống quản lý chất lượng năm 2024",
        effective_on=HP_SET_EFFECTIVE,
        grounds=HP_GROUNDS,
        proposal=HP_PROPOSAL,
        recipients=HP_RECIPIENTS,
        created_at=_moment(HP_ROUND_1.drafted),
        signer=User.objects.get(username="lanhdao.hp"),
        **HP_SIGNER,
    )
    later: list[Revision] = []
    for spec, document in created:
        story = HP_ROUND_1
        if spec.code == "QT.XD.01":
            story = Story(D(2024, 11, 4), D(2024, 12, 16), D(2025, 1, 6), D(2025, 1, 10))
        revision = _prepare(spec, document, signers[spec.owner], story)
        if spec.code == "QT.XD.01":
            later.append(revision)
        else:
            services.add_to_set(document_set, revision)
    services.issue_set(
        document_set, number=HP_SET_NUMBER, signed_on=HP_SET_SIGNED, by=signers[""].drafter
    )
    approver = Recorded(signers[""].approver)
    for revision in later:
        services.issue(revision, D(2025, 1, 10), D(2025, 1, 15), by=approver)


def _confirm(revision: Revision, user: User, day: dt.date) -> None:
    services.confirm_reading(revision, user)
    ReadConfirmation.objects.filter(revision=revision, user=user).update(confirmed_at=_moment(day))


def _hp_distribution(agency: Agency, people: dict[str, User]) -> None:
    """Who must read what (named when the set took effect), who has confirmed — all but
    the head of the building division for four system procedures and the one-stop desk's
    staff member for the policy — and the posting at the one-stop desk."""
    issued = Revision.objects.filter(document__agency=agency, status=Revision.Status.ISSUED)
    current = {r.document.code: r for r in issued.select_related("document__agency")}
    investment = Unit.objects.get(agency=agency, name=INVESTMENT)
    readers: list[tuple[str, dict[str, Any]]]
    readers = [(code, {"unit": investment}) for code in ("QT.DT.01", "QT.DT.02")]
    readers += [(f"QT.ISO.0{n}", {"role": Role.UNIT_HEAD}) for n in range(1, 6)]
    readers += [("CS.ISO.01", {"role": Role.STAFF})]
    for code, audience in readers:
        ReadRequirement.objects.create(
            revision=current[code], added_on=HP_SET_EFFECTIVE, **audience
        )
    for code in {code for code, _audience in readers}:
        services.sync_reading(current[code])
    for code in ("QT.DT.01", "QT.DT.02"):
        _confirm(current[code], people["truongphong.hp"], D(2024, 4, 2))
        _confirm(current[code], people["chuyenvien.hp"], D(2024, 4, 3))
    for code in ("QT.ISO.01", "QT.ISO.02", "QT.ISO.03", "QT.ISO.04", "QT.ISO.05"):
        _confirm(current[code], people["truongphong.hp"], D(2024, 4, 5))
        _confirm(current[code], people["chanhvp.hp"], D(2024, 4, 4))
        _confirm(current[code], people["dnld.hp"], D(2024, 4, 9))
    _confirm(current["QT.ISO.01"], people["qhxd.hp"], D(2024, 4, 8))
    _confirm(current["CS.ISO.01"], people["chuyenvien.hp"], D(2024, 4, 3))
    for code, _audience in readers:
        inbox.backdate(f"documents.reading:{current[code].pk}", _moment(HP_SET_EFFECTIVE))
    secretary = people["thuky.hp"]
    for code in ("QT.DT.01", "QT.DT.02", "QT.LD.01"):
        services.record_posting(
            current[code],
            secretary,
            place=Posting.Place.ONE_STOP,
            posted_on=D(2024, 4, 1),
            note="Niêm yết quy trình và thời gian giải quyết tại Bộ phận Một cửa.",
        )
    services.record_posting(
        current["CS.ISO.01"],
        secretary,
        place=Posting.Place.OFFICE,
        posted_on=D(2024, 4, 1),
        note="Niêm yết Chính sách chất lượng tại trụ sở Ban Quản lý.",
    )


def _hp_legal_change(agency: Agency, legal: dict[str, LegalDocument]) -> None:
    """NĐ 118/2025 replaces NĐ 61/2018 from 01/7/2025: every procedure citing it is flagged,
    to be updated by 01/10/2025; the secretary recorded it on 03/7/2025."""
    old, new = legal[ND61.number], legal[ND118.number]
    services.change_legal_status(old, LegalDocument.Status.REPLACED, new, ND118.effective_on)
    Citation.objects.filter(legal_document=old, flagged_on__isnull=False).update(
        flagged_on=D(2025, 7, 3)
    )
    inbox.backdate(f"documents.legal:{old.pk}", _moment(D(2025, 7, 3)))


def _hp_legal_reviews(
    agency: Agency, people: dict[str, User], legal: dict[str, LegalDocument]
) -> None:
    """The quarterly legal-basis reviews: the one that found NĐ 118/2025, and two recent."""
    units = {u.name: u for u in Unit.objects.filter(agency=agency)}
    changed = [legal[ND118.number].pk, legal[ND61.number].pk]
    services.record_legal_review(
        units[INVESTMENT],
        people["truongphong.hp"],
        D(2025, 7, 8),
        LegalBasisReview.Result.CHANGES_FOUND,
        "Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 thay thế Nghị định số 61/2018/NĐ-CP từ "
        "ngày 01/7/2025; cần cập nhật QT.DT.01 và QT.DT.02.",
        changed,
    )
    services.record_legal_review(
        units[INVESTMENT],
        people["truongphong.hp"],
        D(2026, 10, 5),
        LegalBasisReview.Result.NO_CHANGE,
        "",
        [legal[INVESTMENT_LAW.number].pk, legal[ND31.number].pk],
    )
    services.record_legal_review(
        units[OFFICE], people["thuky.hp"], D(2026, 9, 28), LegalBasisReview.Result.NO_CHANGE, "", []
    )


def _hp_document_reviews(agency: Agency, people: dict[str, User]) -> None:
    """The yearly review of every document in force (March 2025 and March 2026; the building
    permit procedure a year after it took effect), except the investment registration
    procedure, found in July 2025 to need revising: its revision 2 waits in the 2026 set."""
    secretary = people["thuky.hp"]
    documents = Document.objects.filter(agency=agency, status=Document.Status.IN_FORCE)
    for document in documents.order_by("code"):
        if document.code == "QT.DT.01":
            services.record_document_review(
                document,
                people["truongphong.hp"],
                D(2025, 7, 15),
                DocumentReview.Result.REVISE,
                "Cập nhật căn cứ theo Nghị định số 118/2025/NĐ-CP và rút ngắn thời gian "
                "giải quyết.",
            )
            continue
        yearly = [D(2025, 3, 25), D(2026, 3, 24)]
        days = [D(2026, 1, 12)] if document.code == "QT.XD.01" else yearly
        for day in days:
            services.record_document_review(
                document, secretary, day, DocumentReview.Result.NO_CHANGE, YEARLY_REVIEW
            )


YEARLY_REVIEW = "Rà soát định kỳ: tài liệu vẫn phù hợp với quy định và thực tế áp dụng."


# (code, revised sections, amendments (request, where, what), in review rather than approved)
ND118_CHANGE = (
    "Cập nhật theo Nghị định số 118/2025/NĐ-CP",
    "Mục 3; mục 5",
    "Thay căn cứ Nghị định số 61/2018/NĐ-CP bằng Nghị định số 118/2025/NĐ-CP về thực hiện thủ "
    "tục hành chính theo cơ chế một cửa, một cửa liên thông.",
)
SHORTER = (
    "Rút ngắn thời gian giải quyết theo chỉ đạo của Lãnh đạo Ban",
    "Mục 5.4; mục 5.7",
    "Rút ngắn thời gian giải quyết từ 10 xuống 08 ngày làm việc; bước thẩm định còn 04 ngày.",
)
HP_2026_ROUND = Story(D(2026, 10, 12), D(2026, 10, 26), D(2026, 11, 5), None)
HP_2026_IN_REVIEW = Story(D(2026, 10, 20), D(2026, 11, 10), None, None)


def _hp_2026_revisions() -> list[tuple[str, list[Section] | None, list[tuple[str, str, str]]]]:
    return [
        ("QT.VP.01", None, [ND118_CHANGE]),
        (
            "QT.DT.01",
            investment_registration((4, 1, 1), HP_INVESTMENT_TIME_2026),
            [ND118_CHANGE, SHORTER],
        ),
        ("QT.DT.02", None, [ND118_CHANGE]),
        ("QT.LD.01", None, [ND118_CHANGE]),
    ]


def _hp_2026_set(
    agency: Agency,
    specs: dict[str, Spec],
    signers: dict[str, Signers],
    legal: dict[str, LegalDocument],
) -> None:
    """The draft "Bộ tài liệu ISO năm 2026": revisions 2 built around NĐ 118/2025, three
    approved and the work-permit procedure still in review. Not issued: the 2026 plan's
    internal audit and management review wait for the day it takes effect."""
    document_set = services.create_set(
        agency,
        title="Bộ tài liệu ISO năm 2026",
        effective_on=None,
        grounds=HP_GROUNDS,
        proposal=HP_PROPOSAL,
        recipients=HP_RECIPIENTS,
        created_at=_moment(HP_2026_ROUND.drafted),
        signer=User.objects.get(username="lanhdao.hp"),
        **HP_SIGNER,
    )
    documents = {d.code: d for d in Document.objects.filter(agency=agency)}
    for code, sections, amendments in _hp_2026_revisions():
        document, spec = documents[code], specs[code]
        if not document.citations.filter(legal_document=legal[ND118.number]).exists():
            services.cite(document, legal[ND118.number])
        revised = copy.copy(spec)
        revised.sections = sections or spec.sections
        story = HP_2026_IN_REVIEW if code == "QT.LD.01" else HP_2026_ROUND
        revision = _prepare(revised, document, signers[spec.owner], story, amendments)
        services.add_to_set(document_set, revision)
        # Waiting since its last step: approval (to issue) or review (to approve).
        inbox.backdate(
            f"documents.revision:{revision.pk}", _moment(story.approved or story.reviewed)
        )


MAIL_CHANGE = (
    "Quản lý văn bản điện tử theo Nghị định số 30/2020/NĐ-CP",
    "Mục 5",
    "Bổ sung bước số hóa, ký số văn bản đi; sổ đăng ký văn bản đến, văn bản đi lập bằng "
    "điện tử trên Hệ thống quản lý văn bản và điều hành.",
)
HP_MAIL_ROUND = Story(D(2026, 11, 10), D(2026, 11, 17), D(2026, 11, 20), D(2026, 11, 24))
BUILDING_CHANGE = (
    ND118_CHANGE[0],
    "Mục 3; mục 5.2",
    "Thay căn cứ Nghị định số 61/2018/NĐ-CP bằng Nghị định số 118/2025/NĐ-CP; tiếp nhận hồ sơ "
    "cấp giấy phép xây dựng qua Bộ phận Một cửa và Cổng Dịch vụ công.",
)
HP_BUILDING_DRAFTED, HP_BUILDING_SENT = D(2026, 11, 20), D(2026, 11, 25)


def _hp_work_waiting(
    agency: Agency, specs: dict[str, Spec], signers: dict[str, Signers], people: dict[str, User]
) -> None:
    """What waits for people at the end of November 2026, besides the 2026 set: revision 2
    of the mail procedure, issued on its own on 24/11/2026, that every head of unit and
    every staff member must read within 10 days (the Chánh Văn phòng already has); and the
    building permit procedure updated for NĐ 118/2025 by the head of its division, sent for
    review on 25/11/2026 to the ISO secretary and the leadership."""
    documents = {d.code: d for d in Document.objects.filter(agency=agency)}
    office = signers[OFFICE]
    mail = _prepare(specs["QT.VP.02"], documents["QT.VP.02"], office, HP_MAIL_ROUND, [MAIL_CHANGE])
    for role in (Role.UNIT_HEAD, Role.STAFF):
        ReadRequirement.objects.create(revision=mail, role=role)
    day = HP_MAIL_ROUND.issued
    assert day is not None
    services.issue(mail, day, day, by=Recorded(office.approver))
    _confirm(mail, people["chanhvp.hp"], D(2026, 11, 25))
    inbox.backdate(f"documents.reading:{mail.pk}", _moment(day))
    building = Signers(people["qhxd.hp"], people["thuky.hp"], office.approver)
    story = Story(HP_BUILDING_DRAFTED, HP_BUILDING_SENT, None, None)
    revision = _draft(specs["QT.XD.01"], documents["QT.XD.01"], building, story, [BUILDING_CHANGE])
    services.submit(revision, Recorded(building.drafter))
    inbox.backdate(f"documents.revision:{revision.pk}", _moment(HP_BUILDING_SENT))


HP_PEOPLE = ["thuky.hp", "chanhvp.hp", "lanhdao.hp", "truongphong.hp", "chuyenvien.hp"]
HP_PEOPLE += ["dnld.hp", "qhxd.hp"]


def _hai_phong(agency: Agency) -> None:
    people = _users(*HP_PEOPLE)
    signers = _hp_signers(people)
    legal = _legal(agency, HP_LEGAL)
    specs = hp_specs()
    # Up to 2025, history: the work it handed out is in the inboxes, without notifications.
    with inbox.quiet():
        created = _create(agency, specs, OFFICE, D(2024, 1, 10))
        _hp_first_set(agency, created, signers)
        _hp_distribution(agency, people)
        _hp_legal_change(agency, legal)
        _hp_legal_reviews(agency, people, legal)
        _hp_document_reviews(agency, people)
    # The autumn of 2026: each hand-off notified its people.
    _hp_2026_set(agency, {s.code: s for s in specs}, signers, legal)
    _hp_work_waiting(agency, {s.code: s for s in specs}, signers, people)


# --- Bình Sơn, 2023 ----------------------------------------------------------------------

BS_SET_NUMBER, BS_SET_SIGNED = 1702, D(2023, 10, 10)
BS_ROUND = Story(D(2023, 8, 21), D(2023, 9, 25), D(2023, 10, 5), BS_SET_SIGNED)


def _binh_son(agency: Agency) -> None:
    people = _users("thuky.bs", "truongphongkt.bs", "chutich.bs")
    signers = Signers(people["thuky.bs"], people["truongphongkt.bs"], people["chutich.bs"])
    _legal(agency, BS_LEGAL)
    created = _create(agency, bs_specs(), "Phòng Kinh tế và Hạ tầng", D(2023, 8, 15))
    # The document set of a collective body: "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ
    # TỊCH", the form UBND documents are most often signed in.
    deputy = User.objects.get(username="phochutich.bs")
    document_set = services.create_set(
        agency,
        title="Bộ tài liệu Hệ thống quản lý chất lượng năm 2023",
        effective_on=None,
        grounds=BS_GROUNDS,
        proposal="Xét đề nghị của Trưởng phòng Kinh tế và Hạ tầng",
        recipients="\n".join(
            ["Như Điều 3", "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi (để b/c)", "CT, các PCT"]
        ),
        created_at=_moment(BS_ROUND.drafted),
        sign_form=SignForm.TM_KT,
        signer=deputy,
        signer_name=deputy.full_name,
        signer_position="Phó Chủ tịch",
    )
    for spec, document in created:
        revision = _prepare(spec, document, signers, BS_ROUND)
        services.add_to_set(document_set, revision)
    services.issue_set(
        document_set, number=BS_SET_NUMBER, signed_on=BS_SET_SIGNED, by=signers.drafter
    )
    for document in Document.objects.filter(agency=agency, kind=Kind.TTHC_PROCEDURE):
        assert document.current_revision is not None
        services.record_posting(
            document.current_revision,
            signers.drafter,
            place=Posting.Place.ONE_STOP,
            posted_on=D(2023, 10, 16),
            note="Niêm yết tại Bộ phận Một cửa huyện.",
        )


@transaction.atomic
def load() -> None:
    """Both agencies' documents, unless the agency already has documents."""
    for name, build in ((HP_NAME, _hai_phong), (BS_NAME, _binh_son)):
        agency = Agency.objects.filter(name=name).first()
        if agency is None or Document.objects.filter(agency=agency).exists():
            continue
        build(agency)
