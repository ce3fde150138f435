"""The starter set (bộ tài liệu mẫu): quality policy, quality objectives, the five system
procedures and their forms, following the framework model of QĐ 101/QĐ-BKHCN (21/01/2019)
in our own wording, and the service that adds them to an agency's register as drafts.

The standard is referred to by clause numbers only (its text is copyrighted). "{agency}"
in a text is replaced by the agency's name, "{standard}" by the standard it applies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from qms.documents import services
from qms.documents.docx import (
    Fill,
    Form,
    Grid,
    Section,
    Step,
    form_docx,
    procedure_docx,
    revision_filename,
    simple_docx,
)
from qms.documents.models import Document, Kind, LegalDocument, RecordToKeep, Revision
from qms.lib.uploads import DOCX, OFFICE_FILES, check_upload
from qms.organization import standards
from qms.organization.models import Agency, Unit, User

D = dt.date
SECRETARY = "Thư ký ISO"
LEADER = "Lãnh đạo cơ quan"
UNITS = "Các phòng, đơn vị"


@dataclass(frozen=True)
class LegalSpec:
    """An entry of the legal register, as `ensure_legal` creates it when missing."""

    doc_type: str
    number: str
    issued_on: dt.date
    issuer: str
    title: str
    effective_on: dt.date


@dataclass
class Spec:
    """One document of a set to create: a procedure (`sections`), a policy or objectives
    (`text`) or a form (`form`, attached to the procedure coded `procedure`)."""

    code: str
    kind: str
    title: str
    sections: list[Section] = field(default_factory=list)
    text: str = ""
    form: Form | None = None
    procedure: str = ""
    records: list[tuple[str, str, str]] = field(default_factory=list)  # name, keeper, kept
    cites: tuple[str, ...] = ()
    owner: str = ""  # the owner unit's name, where the caller maps names to units


QD19 = LegalSpec(
    LegalDocument.Type.DECISION,
    "19/2014/QĐ-TTg",
    D(2014, 3, 5),
    "Thủ tướng Chính phủ",
    "về việc áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2008 "
    "vào hoạt động của các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước",
    D(2014, 5, 18),
)
TT26 = LegalSpec(
    LegalDocument.Type.CIRCULAR,
    "26/2014/TT-BKHCN",
    D(2014, 10, 10),
    "Bộ Khoa học và Công nghệ",
    "quy định chi tiết thi hành Quyết định số 19/2014/QĐ-TTg ngày 05/3/2014 của Thủ tướng "
    "Chính phủ về việc áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO "
    "9001:2008 vào hoạt động của các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước",
    D(2014, 12, 1),
)
STARTER_LEGAL = (QD19, TT26)
SYSTEM_CITES = (QD19.number, TT26.number)


# --- quality policy and objectives -----------------------------------------------------

POLICY = """{agency} cam kết xây dựng, áp dụng, duy trì và thường xuyên cải tiến Hệ thống quản lý chất lượng theo {standard} trong toàn bộ hoạt động giải quyết thủ tục hành chính và công việc chuyên môn, với phương châm: CHUYÊN NGHIỆP – MINH BẠCH – ĐÚNG HẸN – TẬN TỤY.
Để thực hiện phương châm đó, cơ quan cam kết:
- Giải quyết thủ tục hành chính đúng quy định của pháp luật; công khai, minh bạch trình tự, thành phần hồ sơ, thời hạn giải quyết và phí, lệ phí;
- Bảo đảm hồ sơ được trả kết quả đúng hẹn hoặc trước hẹn; chủ động rút ngắn thời gian giải quyết; xin lỗi tổ chức, cá nhân và hẹn lại ngày trả kết quả khi hồ sơ quá hạn;
- Lắng nghe, tiếp nhận và giải quyết kịp thời phản ánh, kiến nghị của tổ chức, cá nhân; lấy sự hài lòng của người dân, doanh nghiệp làm thước đo chất lượng phục vụ;
- Đẩy mạnh ứng dụng công nghệ thông tin, cung cấp dịch vụ công trực tuyến, số hóa hồ sơ và chuyển đổi số trong hoạt động của cơ quan;
- Thường xuyên đào tạo, bồi dưỡng để cán bộ, công chức, viên chức, người lao động có đủ năng lực, phẩm chất và tinh thần trách nhiệm;
- Nhận diện và giải quyết rủi ro, tận dụng cơ hội; cập nhật kịp thời các thay đổi của văn bản quy phạm pháp luật vào Hệ thống quản lý chất lượng.
Lãnh đạo cơ quan cam kết bố trí đủ nguồn lực để thực hiện Chính sách chất lượng này. Chính sách chất lượng được phổ biến đến toàn thể cán bộ, công chức, viên chức, người lao động, niêm yết tại trụ sở cơ quan và được xem xét định kỳ tại cuộc họp xem xét của lãnh đạo để bảo đảm luôn phù hợp."""  # noqa: E501

OBJECTIVES = """Để thực hiện Chính sách chất lượng, {agency} đề ra các mục tiêu chất lượng sau:
1. 100% thủ tục hành chính thuộc thẩm quyền giải quyết được xây dựng quy trình và áp dụng Hệ thống quản lý chất lượng.
2. Tối thiểu 98% hồ sơ thủ tục hành chính được giải quyết đúng hạn hoặc trước hạn; 100% hồ sơ quá hạn có văn bản xin lỗi và hẹn lại ngày trả kết quả.
3. Tối thiểu 95% tổ chức, cá nhân được hỏi đánh giá hài lòng với việc giải quyết thủ tục hành chính.
4. 100% thủ tục hành chính được công khai đầy đủ, chính xác, kịp thời tại Bộ phận Một cửa và trên Cổng Dịch vụ công.
5. 100% hồ sơ, kết quả giải quyết thủ tục hành chính được số hóa theo quy định.
6. 100% phản ánh, kiến nghị của tổ chức, cá nhân được xem xét, trả lời đúng thời hạn.
7. 100% thay đổi của văn bản quy phạm pháp luật được cập nhật vào Hệ thống quản lý chất lượng trong thời hạn 03 tháng kể từ ngày văn bản có hiệu lực.
8. Tổ chức đánh giá nội bộ và họp xem xét của lãnh đạo ít nhất 01 lần trong năm.
Các phòng, đơn vị căn cứ mục tiêu chất lượng của cơ quan xây dựng mục tiêu chất lượng và kế hoạch thực hiện mục tiêu của đơn vị mình. Kết quả thực hiện được theo dõi, đánh giá định kỳ 06 tháng, hằng năm và báo cáo tại cuộc họp xem xét của lãnh đạo."""  # noqa: E501


# --- QT.ISO.01 Kiểm soát thông tin dạng văn bản ----------------------------------------

QT01 = [
    Section(
        "Mục đích",
        "Quy định thống nhất cách thức xây dựng, soát xét, phê duyệt, ban hành, phân phối, "
        "sửa đổi, thu hồi tài liệu và kiểm soát hồ sơ của Hệ thống quản lý chất lượng, bảo "
        "đảm tài liệu đang sử dụng là phiên bản có hiệu lực, được cập nhật kịp thời theo thay "
        "đổi của pháp luật, và hồ sơ được lưu giữ đầy đủ, dễ truy xuất.",
    ),
    Section(
        "Phạm vi",
        "Áp dụng đối với toàn bộ tài liệu nội bộ, tài liệu có nguồn gốc bên ngoài và hồ sơ "
        "thuộc phạm vi áp dụng Hệ thống quản lý chất lượng của cơ quan. Các phòng, đơn vị và "
        "cán bộ, công chức, viên chức, người lao động thuộc phạm vi áp dụng có trách nhiệm thực "
        "hiện quy trình này.",
    ),
    Section(
        "Tài liệu viện dẫn",
        "- {standard}, điều 7.5;\n"
        "- Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;",
    ),
    Section(
        "Định nghĩa và viết tắt",
        "4.1 Định nghĩa\n"
        "- Thông tin dạng văn bản: thông tin cơ quan phải kiểm soát và duy trì cùng phương tiện "
        "chứa thông tin đó, gồm tài liệu và hồ sơ, ở dạng giấy hoặc điện tử;\n"
        "- Tài liệu: thông tin dạng văn bản quy định cách thức thực hiện công việc (chính sách, "
        "mục tiêu chất lượng, quy trình, hướng dẫn, biểu mẫu), được duy trì và cập nhật;\n"
        "- Hồ sơ: thông tin dạng văn bản làm bằng chứng về hoạt động đã thực hiện hoặc kết quả "
        "đạt được; hồ sơ không được sửa đổi sau khi lập;\n"
        "- Tài liệu có nguồn gốc bên ngoài: văn bản quy phạm pháp luật, tiêu chuẩn, văn bản "
        "hướng dẫn của cơ quan cấp trên và tài liệu khác do bên ngoài ban hành được cơ quan sử "
        "dụng.\n"
        "4.2 Viết tắt\n"
        "- HTQLCL: Hệ thống quản lý chất lượng;\n"
        "- TTHC: Thủ tục hành chính;\n"
        "- BCĐ ISO: Ban Chỉ đạo ISO;\n"
        "- QT: Quy trình; BM: Biểu mẫu.",
    ),
    Section(
        "Nội dung",
        "5.1 Mã hiệu tài liệu\n"
        "- Quy trình hệ thống được đánh mã hiệu QT.ISO.xx; biểu mẫu của quy trình được đánh mã "
        "hiệu BM.ISO.xx.yy, trong đó xx là số thứ tự của quy trình, yy là số thứ tự của biểu mẫu "
        "trong quy trình;\n"
        "- Quy trình giải quyết TTHC và quy trình nội bộ do phòng, đơn vị chủ trì được đánh mã "
        "hiệu theo ký hiệu của phòng, đơn vị đó, do Thư ký ISO cấp và cập nhật vào Danh mục tài "
        "liệu nội bộ;\n"
        "- Lần ban hành được ghi bằng hai chữ số (01, 02, …) và tăng lên mỗi khi tài liệu được "
        "ban hành lại.\n"
        "5.2 Trình tự xây dựng, sửa đổi và ban hành tài liệu",
        [
            Step(
                "Phòng, đơn vị; cá nhân có đề nghị",
                "Lập Phiếu đề nghị xây dựng, sửa đổi tài liệu, nêu rõ lý do (văn bản quy phạm pháp "
                "luật thay đổi, danh mục TTHC thay đổi, kết quả đánh giá nội bộ, đề xuất cải "
                "tiến…), gửi Thư ký ISO.",
                "BM.ISO.01.01",
            ),
            Step(
                f"{SECRETARY}; {LEADER}",
                "Thư ký ISO xem xét sự cần thiết, báo cáo Lãnh đạo cơ quan; Lãnh đạo cơ quan cho "
                "ý kiến chấp thuận hoặc không chấp thuận và giao người soạn thảo.",
                "BM.ISO.01.01 có ý kiến của lãnh đạo",
            ),
            Step(
                "Người được giao soạn thảo",
                "Soạn thảo mới hoặc sửa đổi tài liệu theo cấu trúc quy định; ghi nội dung thay đổi "
                "vào bảng Sửa đổi tài liệu; lấy ý kiến các phòng, đơn vị có liên quan.",
                "Dự thảo tài liệu",
            ),
            Step(
                f"Trưởng phòng, đơn vị chủ trì; {SECRETARY}",
                "Soát xét sự phù hợp của dự thảo với quy định của pháp luật, với thực tế thực hiện "
                "và với các tài liệu khác của HTQLCL; ký soát xét.",
                "Dự thảo đã soát xét",
            ),
            Step(
                LEADER,
                "Phê duyệt tài liệu. Các tài liệu được đưa vào áp dụng cùng đợt được ban hành bằng "
                "Quyết định ban hành Bộ tài liệu HTQLCL.",
                "Tài liệu được phê duyệt; Quyết định ban hành",
            ),
            Step(
                f"{SECRETARY}; Văn phòng",
                "Cập nhật Danh mục tài liệu nội bộ; phân phối tài liệu đến các phòng, đơn vị (ưu "
                "tiên trên phần mềm ISO điện tử) và theo dõi việc xác nhận đã đọc; đánh dấu "
                "“Hết hiệu lực” và thu hồi phiên bản cũ.",
                "BM.ISO.01.02",
            ),
            Step(
                f"{UNITS}; {SECRETARY}",
                "Áp dụng tài liệu; rà soát tài liệu ít nhất 01 lần/năm và rà soát căn cứ pháp lý "
                "của các quy trình 03 tháng/lần; đề nghị sửa đổi trong thời hạn 03 tháng kể từ "
                "ngày văn bản quy phạm pháp luật mới có hiệu lực.",
                "Kết quả rà soát",
            ),
        ],
        "5.3 Kiểm soát tài liệu có nguồn gốc bên ngoài\n"
        "- Các phòng, đơn vị theo dõi văn bản quy phạm pháp luật, văn bản hướng dẫn thuộc lĩnh "
        "vực phụ trách; Thư ký ISO tổng hợp vào Danh mục tài liệu có nguồn gốc bên ngoài, ghi rõ "
        "số, ký hiệu, ngày ban hành, ngày có hiệu lực và tình trạng hiệu lực;\n"
        "- Khi văn bản được sửa đổi, bổ sung, thay thế hoặc bãi bỏ, Thư ký ISO cập nhật tình "
        "trạng và thông báo cho phòng, đơn vị có quy trình viện dẫn văn bản đó để sửa đổi quy "
        "trình.\n"
        "5.4 Kiểm soát hồ sơ\n"
        "- Hồ sơ được lập ngay khi công việc hoàn thành, ghi đầy đủ, rõ ràng, không tẩy xóa; hồ "
        "sơ điện tử được lưu trên phần mềm, bảo đảm truy xuất được;\n"
        "- Mỗi phòng, đơn vị lập Danh mục hồ sơ, xác định nơi lưu và thời gian lưu theo mục 7 "
        "của từng quy trình;\n"
        "- Hết thời gian lưu, hồ sơ được chuyển lưu trữ cơ quan hoặc xử lý theo quy định của "
        "pháp luật về lưu trữ.",
    ),
    Section("Biểu mẫu"),
    Section("Hồ sơ cần lưu"),
]

QT01_RECORDS = [
    ("Phiếu đề nghị xây dựng, sửa đổi tài liệu", SECRETARY, "03 năm"),
    (
        "Bản gốc tài liệu đã phê duyệt và Quyết định ban hành",
        f"Văn phòng ({SECRETARY})",
        "05 năm kể từ khi tài liệu hết hiệu lực",
    ),
    ("Danh mục tài liệu nội bộ", SECRETARY, "Đến khi có bản cập nhật"),
    (
        "Danh mục tài liệu có nguồn gốc bên ngoài",
        f"{SECRETARY}; các phòng, đơn vị",
        "Đến khi có bản cập nhật",
    ),  # noqa: E501
    ("Danh mục hồ sơ", UNITS, "Đến khi có bản cập nhật"),
    ("Kết quả rà soát tài liệu, rà soát căn cứ pháp lý", SECRETARY, "03 năm"),
]


# --- QT.ISO.02 Đánh giá nội bộ ---------------------------------------------------------

QT02 = [
    Section(
        "Mục đích",
        "Quy định cách thức lập chương trình, chuẩn bị, tiến hành và báo cáo kết quả đánh giá "
        "nội bộ nhằm xác định Hệ thống quản lý chất lượng của cơ quan có phù hợp với yêu cầu của "
        "{standard}, với quy định của cơ quan và của pháp luật, có "
        "được áp dụng và duy trì một cách hiệu lực hay không.",
    ),
    Section(
        "Phạm vi",
        "Áp dụng cho các cuộc đánh giá nội bộ định kỳ (ít nhất 01 lần/năm) và đột xuất đối với "
        "tất cả các phòng, đơn vị, quá trình thuộc phạm vi áp dụng Hệ thống quản lý chất lượng.",
    ),
    Section(
        "Tài liệu viện dẫn",
        "- {standard}, điều 9.2;\n"
        "- Tiêu chuẩn quốc gia TCVN ISO 19011:2018 về hướng dẫn đánh giá hệ thống quản lý;\n"
        "- Quy trình kiểm soát sự không phù hợp và hành động khắc phục (QT.ISO.03);",
    ),
    Section(
        "Định nghĩa và viết tắt",
        "- Đánh giá nội bộ: quá trình có hệ thống, độc lập, được lập thành văn bản do cơ quan "
        "tự tiến hành để thu thập bằng chứng khách quan và xác định mức độ đáp ứng chuẩn mực "
        "đánh giá;\n"
        "- Chuẩn mực đánh giá: các yêu cầu dùng làm chuẩn để so sánh với bằng chứng khách quan "
        "(yêu cầu của tiêu chuẩn, tài liệu của HTQLCL, quy định của pháp luật);\n"
        "- Điểm không phù hợp: việc không đáp ứng một yêu cầu;\n"
        "- Điểm lưu ý: vấn đề chưa đến mức không phù hợp nhưng có nguy cơ dẫn đến không phù hợp "
        "hoặc có thể cải tiến;\n"
        "- Chuyên gia đánh giá nội bộ: công chức, viên chức đã được đào tạo về đánh giá nội bộ "
        "và được Lãnh đạo cơ quan giao nhiệm vụ;\n"
        "- ĐGNB: Đánh giá nội bộ; HĐKP: Hành động khắc phục.",
    ),
    Section(
        "Nội dung",
        "5.1 Yêu cầu chung\n"
        "- Đánh giá nội bộ được thực hiện ít nhất 01 lần/năm theo Kế hoạch duy trì và cải tiến "
        "HTQLCL, và sau khi Bộ tài liệu mới được ban hành;\n"
        "- Chương trình đánh giá căn cứ vào tầm quan trọng của các quá trình, những thay đổi ảnh "
        "hưởng đến cơ quan và kết quả của các lần đánh giá trước;\n"
        "- Chuyên gia đánh giá không đánh giá công việc của chính mình.\n"
        "5.2 Trình tự thực hiện",
        [
            Step(
                SECRETARY,
                "Lập Chương trình đánh giá nội bộ: phạm vi, chuẩn mực, thời gian, thành phần Đoàn "
                "đánh giá và lịch đánh giá từng phòng, đơn vị; trình Lãnh đạo cơ quan.",
                "BM.ISO.02.01",
                "Trước 10 ngày",
            ),
            Step(
                LEADER,
                "Phê duyệt Chương trình, quyết định thành lập Đoàn đánh giá nội bộ; Thư ký ISO "
                "thông báo đến các phòng, đơn vị được đánh giá.",
                "Chương trình đã phê duyệt",
                "Trước 07 ngày",
            ),
            Step(
                "Trưởng đoàn; chuyên gia đánh giá",
                "Nghiên cứu tài liệu, hồ sơ có liên quan; chuẩn bị Phiếu ghi chép đánh giá theo "
                "phòng, đơn vị được phân công.",
                "BM.ISO.02.02",
                "Trước 03 ngày",
            ),
            Step(
                "Đoàn đánh giá; phòng, đơn vị được đánh giá",
                "Họp khai mạc; đánh giá tại các phòng, đơn vị qua phỏng vấn, xem xét tài liệu, hồ "
                "sơ và quan sát thực tế; ghi nhận bằng chứng vào Phiếu ghi chép đánh giá.",
                "BM.ISO.02.02",
                "Theo Chương trình",
            ),
            Step(
                "Đoàn đánh giá",
                "Tổng hợp kết quả; thống nhất với trưởng phòng, đơn vị các điểm không phù hợp, "
                "điểm lưu ý; lập Phiếu yêu cầu hành động khắc phục cho từng điểm không phù hợp; "
                "họp kết thúc.",
                "BM.ISO.03.01",
                "Ngày cuối đánh giá",
            ),
            Step(
                "Trưởng đoàn",
                "Lập Báo cáo đánh giá nội bộ gửi Lãnh đạo cơ quan và Thư ký ISO.",
                "BM.ISO.02.03",
                "05 ngày làm việc",
            ),
            Step(
                f"{UNITS}; {SECRETARY}",
                "Thực hiện hành động khắc phục theo Quy trình QT.ISO.03; Thư ký ISO theo dõi và "
                "tổng hợp kết quả làm đầu vào cho cuộc họp xem xét của lãnh đạo.",
                "BM.ISO.03.02",
                "Theo thời hạn khắc phục",
            ),
        ],
    ),
    Section("Biểu mẫu"),
    Section("Hồ sơ cần lưu"),
]

QT02_RECORDS = [
    ("Chương trình đánh giá nội bộ", SECRETARY, "03 năm"),
    ("Quyết định thành lập Đoàn đánh giá nội bộ", SECRETARY, "03 năm"),
    ("Phiếu ghi chép đánh giá", SECRETARY, "03 năm"),
    ("Báo cáo đánh giá nội bộ", SECRETARY, "03 năm"),
    ("Phiếu yêu cầu hành động khắc phục", f"{SECRETARY}; phòng, đơn vị liên quan", "03 năm"),
]


# --- QT.ISO.03 Kiểm soát sự không phù hợp và hành động khắc phục -------------------------

QT03 = [
    Section(
        "Mục đích",
        "Quy định cách thức phát hiện, xử lý đầu ra không phù hợp (kết quả giải quyết thủ tục "
        "hành chính, công việc không đáp ứng yêu cầu) và thực hiện hành động khắc phục nhằm loại "
        "bỏ nguyên nhân của sự không phù hợp, ngăn ngừa tái diễn; đồng thời ghi nhận các đề xuất "
        "cải tiến.",
    ),
    Section(
        "Phạm vi",
        "Áp dụng đối với mọi sự không phù hợp được phát hiện qua đánh giá nội bộ, kiểm tra của "
        "cơ quan có thẩm quyền, phản ánh, kiến nghị, khiếu nại của tổ chức, cá nhân, quá trình "
        "giải quyết công việc hằng ngày, theo dõi mục tiêu chất lượng và xem xét của lãnh đạo, "
        "tại tất cả các phòng, đơn vị thuộc phạm vi áp dụng Hệ thống quản lý chất lượng.",
    ),
    Section(
        "Tài liệu viện dẫn",
        "- {standard}, điều 8.7 và điều 10.2;\n- Quy trình đánh giá nội bộ (QT.ISO.02);",
    ),
    Section(
        "Định nghĩa và viết tắt",
        "- Sự không phù hợp: việc không đáp ứng một yêu cầu của tiêu chuẩn, của pháp luật, của "
        "tài liệu HTQLCL hoặc của tổ chức, cá nhân;\n"
        "- Đầu ra không phù hợp: kết quả giải quyết TTHC hoặc công việc chưa đúng, chưa đủ hoặc "
        "không đúng hạn so với quy định;\n"
        "- Khắc phục (sửa chữa): hành động nhằm loại bỏ sự không phù hợp đã được phát hiện;\n"
        "- Hành động khắc phục: hành động nhằm loại bỏ nguyên nhân của sự không phù hợp và ngăn "
        "ngừa việc tái diễn;\n"
        "- HĐKP: Hành động khắc phục.",
    ),
    Section(
        "Nội dung",
        "5.1 Kiểm soát đầu ra không phù hợp\n"
        "- Người phát hiện đầu ra không phù hợp báo cáo ngay trưởng phòng, đơn vị quản lý công "
        "việc; đầu ra không phù hợp được nhận biết, không chuyển sang bước tiếp theo và không trả "
        "cho tổ chức, cá nhân;\n"
        "- Trưởng phòng, đơn vị quyết định cách xử lý: sửa chữa, làm lại, hủy bỏ kết quả đã ban "
        "hành theo thẩm quyền hoặc thông báo cho tổ chức, cá nhân; hồ sơ quá hạn phải có văn bản "
        "xin lỗi và hẹn lại ngày trả kết quả;\n"
        "- Kết quả sau khi xử lý được kiểm tra lại trước khi chuyển tiếp hoặc trả cho tổ chức, "
        "cá nhân.\n"
        "5.2 Trình tự thực hiện hành động khắc phục",
        [
            Step(
                f"Người phát hiện; Đoàn đánh giá; {SECRETARY}",
                "Ghi nhận sự không phù hợp vào Phiếu yêu cầu hành động khắc phục: mô tả sự việc, "
                "bằng chứng và yêu cầu không được đáp ứng.",
                "BM.ISO.03.01",
                "Khi phát hiện",
            ),
            Step(
                "Trưởng phòng, đơn vị có sự không phù hợp",
                "Khắc phục ngay hậu quả; phân tích nguyên nhân gốc rễ (hỏi “tại sao” nhiều lần, "
                "sơ đồ nhân quả…).",
                "BM.ISO.03.01",
                "03 ngày làm việc",
            ),
            Step(
                "Trưởng phòng, đơn vị có sự không phù hợp",
                "Đề xuất hành động khắc phục tương ứng với nguyên nhân, người thực hiện và thời "
                "hạn; xem xét sự cần thiết cập nhật rủi ro, cơ hội và sửa đổi tài liệu.",
                "BM.ISO.03.01",
                "03 ngày làm việc",
            ),
            Step(
                f"{LEADER} (hoặc Trưởng đoàn đánh giá)",
                "Xem xét, phê duyệt hành động khắc phục được đề xuất.",
                "BM.ISO.03.01",
                "02 ngày làm việc",
            ),
            Step(
                "Phòng, đơn vị; cá nhân được giao",
                "Thực hiện hành động khắc phục trong thời hạn đã được phê duyệt.",
                "Bằng chứng thực hiện",
                "Theo thời hạn được duyệt",
            ),
            Step(
                f"{SECRETARY}; chuyên gia đánh giá",
                "Kiểm tra kết quả và đánh giá hiệu lực của hành động khắc phục; nếu chưa có hiệu "
                "lực, yêu cầu phân tích lại nguyên nhân và thực hiện lại từ bước 3.",
                "BM.ISO.03.01",
                "Khi hết thời hạn",
            ),
            Step(
                SECRETARY,
                "Cập nhật Sổ theo dõi sự không phù hợp và hành động khắc phục; tổng hợp báo cáo "
                "tại cuộc họp xem xét của lãnh đạo.",
                "BM.ISO.03.02",
                "Thường xuyên",
            ),
        ],
        "5.3 Cải tiến\n"
        "Cán bộ, công chức, viên chức được khuyến khích đề xuất sáng kiến, cải tiến. Đề xuất "
        "được ghi nhận và xử lý như hành động khắc phục; kết quả là căn cứ xét thi đua, khen "
        "thưởng.",
    ),
    Section("Biểu mẫu"),
    Section("Hồ sơ cần lưu"),
]

QT03_RECORDS = [
    (
        "Phiếu yêu cầu hành động khắc phục đã hoàn thành",
        f"{SECRETARY}; phòng, đơn vị liên quan",
        "03 năm",
    ),  # noqa: E501
    ("Sổ theo dõi sự không phù hợp và hành động khắc phục", SECRETARY, "03 năm"),
    (
        "Văn bản xin lỗi và hẹn lại ngày trả kết quả",
        "Bộ phận Một cửa; phòng chuyên môn",
        "Lưu cùng hồ sơ thủ tục hành chính",
    ),
]


# --- QT.ISO.04 Xem xét của lãnh đạo ----------------------------------------------------

QT04 = [
    Section(
        "Mục đích",
        "Quy định cách thức chuẩn bị, tổ chức và theo dõi kết quả cuộc họp xem xét của lãnh "
        "đạo, nhằm bảo đảm Hệ thống quản lý chất lượng luôn thích hợp, thỏa đáng, có hiệu lực "
        "và phù hợp với định hướng của cơ quan.",
    ),
    Section(
        "Phạm vi",
        "Áp dụng đối với cuộc họp xem xét của lãnh đạo định kỳ (ít nhất 01 lần/năm, sau đánh giá "
        "nội bộ) và đột xuất khi có thay đổi lớn về chức năng, nhiệm vụ, tổ chức bộ máy, phạm vi "
        "áp dụng Hệ thống quản lý chất lượng hoặc quy định của pháp luật.",
    ),
    Section("Tài liệu viện dẫn", "- {standard}, điều 9.3;"),
    Section(
        "Định nghĩa và viết tắt",
        "- Xem xét của lãnh đạo: hoạt động do lãnh đạo cơ quan chủ trì nhằm đánh giá toàn diện "
        "HTQLCL theo định kỳ, quyết định các cơ hội cải tiến và nhu cầu thay đổi;\n"
        "- Đầu vào của xem xét: các thông tin, báo cáo được trình tại cuộc họp;\n"
        "- Đầu ra của xem xét: các quyết định, hành động được thống nhất tại cuộc họp;\n"
        "- XXLĐ: Xem xét của lãnh đạo.",
    ),
    Section(
        "Nội dung",
        "5.1 Đầu vào của cuộc họp\n"
        "- Tình trạng thực hiện các quyết định của cuộc họp xem xét trước;\n"
        "- Những thay đổi về các vấn đề nội bộ và bên ngoài liên quan đến HTQLCL (chức năng, "
        "nhiệm vụ, tổ chức bộ máy, văn bản quy phạm pháp luật, danh mục TTHC);\n"
        "- Kết quả giải quyết TTHC (tỷ lệ hồ sơ trước hạn, đúng hạn, quá hạn), mức độ hài lòng "
        "và phản ánh, kiến nghị của tổ chức, cá nhân;\n"
        "- Mức độ đạt được mục tiêu chất lượng;\n"
        "- Sự không phù hợp và hành động khắc phục; kết quả đánh giá nội bộ và kết quả kiểm tra "
        "của cơ quan có thẩm quyền;\n"
        "- Sự thỏa đáng của nguồn lực; hiệu lực của các hành động giải quyết rủi ro và cơ hội;\n"
        "- Các cơ hội cải tiến.\n"
        "5.2 Trình tự thực hiện",
        [
            Step(
                SECRETARY,
                "Dự kiến thời gian, thành phần, nội dung cuộc họp; trình Lãnh đạo cơ quan quyết "
                "định và thông báo đến các phòng, đơn vị.",
                "Thông báo họp",
                "Trước 10 ngày",
            ),
            Step(
                UNITS,
                "Báo cáo kết quả thực hiện HTQLCL của đơn vị theo các nội dung đầu vào tại mục "
                "5.1, gửi Thư ký ISO.",
                "BM.ISO.04.01",
                "Trước 05 ngày",
            ),
            Step(
                SECRETARY,
                "Tổng hợp báo cáo chung về tình hình áp dụng HTQLCL; chuẩn bị tài liệu họp.",
                "Báo cáo tổng hợp",
                "Trước 02 ngày",
            ),
            Step(
                f"{LEADER}; Ban Chỉ đạo ISO; trưởng các phòng, đơn vị",
                "Họp xem xét các nội dung đầu vào; kết luận về sự phù hợp và hiệu lực của "
                "HTQLCL; quyết định cơ hội cải tiến, nhu cầu thay đổi và nguồn lực.",
                "Kết luận cuộc họp",
                "Theo thông báo",
            ),
            Step(
                SECRETARY,
                "Lập Biên bản họp xem xét của lãnh đạo, trình người chủ trì ký; gửi các phòng, "
                "đơn vị thực hiện.",
                "BM.ISO.04.02",
                "03 ngày làm việc",
            ),
            Step(
                f"{UNITS}; {SECRETARY}",
                "Thực hiện các quyết định của cuộc họp; Thư ký ISO theo dõi, báo cáo kết quả và "
                "tham mưu ban hành Quyết định công bố lại khi phạm vi áp dụng HTQLCL thay đổi.",
                "Quyết định công bố lại (nếu có)",
                "Theo biên bản",
            ),
        ],
    ),
    Section("Biểu mẫu"),
    Section("Hồ sơ cần lưu"),
]

QT04_RECORDS = [
    ("Thông báo họp xem xét của lãnh đạo", "Văn phòng", "03 năm"),
    ("Báo cáo của các phòng, đơn vị và báo cáo tổng hợp", SECRETARY, "03 năm"),
    ("Biên bản họp xem xét của lãnh đạo", SECRETARY, "05 năm"),
    ("Báo cáo kết quả thực hiện các quyết định của cuộc họp", SECRETARY, "03 năm"),
]


# --- QT.ISO.05 Quản lý rủi ro và cơ hội ------------------------------------------------

QT05 = [
    Section(
        "Mục đích",
        "Quy định cách thức xác định bối cảnh và các bên quan tâm; nhận diện, phân tích, đánh "
        "giá rủi ro và cơ hội trong hoạt động của cơ quan; hoạch định, thực hiện các biện pháp "
        "giải quyết rủi ro, tận dụng cơ hội và đánh giá hiệu lực của các biện pháp đó.",
    ),
    Section(
        "Phạm vi",
        "Áp dụng đối với các quá trình giải quyết thủ tục hành chính và công việc chuyên môn "
        "thuộc phạm vi áp dụng Hệ thống quản lý chất lượng, tại tất cả các phòng, đơn vị của cơ "
        "quan.",
    ),
    Section(
        "Tài liệu viện dẫn",
        "- {standard}, điều 4.1, 4.2 và 6.1;\n"
        "- Tiêu chuẩn quốc gia TCVN ISO 31000:2018 về quản lý rủi ro;",
    ),
    Section(
        "Định nghĩa và viết tắt",
        "- Rủi ro: tác động của sự không chắc chắn đến kết quả mong đợi, như hồ sơ bị giải quyết "
        "sai, quá hạn hoặc mục tiêu chất lượng không đạt;\n"
        "- Cơ hội: tình huống, điều kiện thuận lợi có thể tận dụng để nâng cao chất lượng giải "
        "quyết công việc;\n"
        "- Khả năng xảy ra (K): mức độ thường xuyên rủi ro có thể xảy ra, chấm từ 1 đến 3;\n"
        "- Mức độ ảnh hưởng (A): mức độ hậu quả nếu rủi ro xảy ra, chấm từ 1 đến 3;\n"
        "- Mức rủi ro (M) = K × A: cao khi M từ 6 trở lên, trung bình khi M bằng 3 hoặc 4, "
        "thấp khi M bằng 1 hoặc 2.",
    ),
    Section(
        "Nội dung",
        "5.1 Trình tự thực hiện",
        [
            Step(
                f"{SECRETARY}; {UNITS.lower()}",
                "Xác định các vấn đề nội bộ, bên ngoài và nhu cầu, mong đợi của các bên quan tâm "
                "(tổ chức, cá nhân, cơ quan cấp trên, cán bộ, công chức…).",
                "BM.ISO.05.01",
                "Tháng 01 hằng năm",
            ),
            Step(
                UNITS,
                "Nhận diện rủi ro và cơ hội theo từng quá trình, thủ tục hành chính; mô tả nguyên "
                "nhân và hậu quả.",
                "BM.ISO.05.02",
                "Tháng 01 hằng năm",
            ),
            Step(
                UNITS,
                "Chấm khả năng xảy ra, mức độ ảnh hưởng và xác định mức rủi ro; rủi ro mức cao "
                "bắt buộc phải có biện pháp giải quyết.",
                "BM.ISO.05.02",
                "Tháng 01 hằng năm",
            ),
            Step(
                f"Trưởng phòng, đơn vị; {SECRETARY}",
                "Đề xuất biện pháp giải quyết rủi ro, tận dụng cơ hội, người thực hiện và thời "
                "hạn; Thư ký ISO tổng hợp Kế hoạch giải quyết rủi ro và cơ hội của cơ quan.",
                "BM.ISO.05.03",
                "Tháng 02 hằng năm",
            ),
            Step(
                LEADER,
                "Phê duyệt Bảng nhận diện, đánh giá, giải quyết rủi ro và cơ hội và Kế hoạch giải "
                "quyết rủi ro và cơ hội.",
                "BM.ISO.05.02; BM.ISO.05.03",
                "Tháng 02 hằng năm",
            ),
            Step(
                UNITS,
                "Thực hiện các biện pháp theo kế hoạch đã được phê duyệt.",
                "Bằng chứng thực hiện",
                "Theo kế hoạch",
            ),
            Step(
                f"{SECRETARY}; chuyên gia đánh giá nội bộ",
                "Đánh giá hiệu lực của các biện pháp; cập nhật bảng khi bối cảnh, pháp luật, tổ "
                "chức thay đổi hoặc phát sinh sự không phù hợp; báo cáo tại cuộc họp xem xét của "
                "lãnh đạo.",
                "BM.ISO.05.02",
                "06 tháng, hằng năm",
            ),
        ],
        "5.2 Rà soát\n"
        "Bảng nhận diện, đánh giá, giải quyết rủi ro và cơ hội được rà soát ít nhất 01 lần/năm "
        "và khi có thay đổi về chức năng, nhiệm vụ, tổ chức bộ máy, danh mục thủ tục hành chính "
        "hoặc văn bản quy phạm pháp luật có liên quan.",
    ),
    Section("Biểu mẫu"),
    Section("Hồ sơ cần lưu"),
]

QT05_RECORDS = [
    ("Bảng phân tích bối cảnh và nhu cầu, mong đợi của các bên quan tâm", SECRETARY, "03 năm"),
    (
        "Bảng nhận diện, đánh giá, giải quyết rủi ro và cơ hội",
        f"{SECRETARY}; {UNITS.lower()}",
        "03 năm",
    ),  # noqa: E501
    ("Kế hoạch giải quyết rủi ro và cơ hội", SECRETARY, "03 năm"),
    ("Kết quả đánh giá hiệu lực của các biện pháp", SECRETARY, "03 năm"),
]


# --- forms -----------------------------------------------------------------------------

SIGN_APPROVE = ["Người lập", "Lãnh đạo phê duyệt"]
CHECK = "☐"


def grid(columns: str, rows: int = 5, widths: str = "") -> Grid:
    """A blank table: columns as "TT | Mã hiệu | …", widths in mm as "10 24 …" (optional)."""
    return Grid([c.strip() for c in columns.split("|")], rows, [float(w) for w in widths.split()])


def fill(labels: str, lines: int = 1) -> Fill:
    """Lines to write on, labels separated by "|"."""
    return Fill([label.strip() for label in labels.split("|")], lines)


# (procedure, code, title, layout)
FORMS: list[tuple[str, str, str, Form]] = [
    (
        "QT.ISO.01",
        "BM.ISO.01.01",
        "Phiếu đề nghị xây dựng, sửa đổi tài liệu",
        Form(
            [
                fill("Phòng, đơn vị đề nghị | Người đề nghị | Tên tài liệu | Mã hiệu"),
                f"Đề nghị: {CHECK} Xây dựng mới    {CHECK} Sửa đổi, bổ sung    {CHECK} Hủy bỏ",
                grid("TT | Trang/Phần | Nội dung hiện hành | Nội dung đề nghị | Lý do", 4),
                fill("Ý kiến của Thư ký ISO | Ý kiến của Lãnh đạo cơ quan", lines=2),
            ],
            ["Người đề nghị", SECRETARY, "Lãnh đạo phê duyệt"],
        ),
    ),
    (
        "QT.ISO.01",
        "BM.ISO.01.02",
        "Danh mục tài liệu nội bộ",
        Form(
            [
                grid(
                    "TT | Mã hiệu | Tên tài liệu | Lần ban hành | Ngày ban hành | "
                    "Đơn vị chủ trì | Ghi chú",
                    10,
                    "10 24 47 17 20 27 20",
                )
            ],
            SIGN_APPROVE,
            national_header=False,
        ),
    ),
    (
        "QT.ISO.01",
        "BM.ISO.01.03",
        "Danh mục tài liệu có nguồn gốc bên ngoài",
        Form(
            [
                grid(
                    "TT | Số, ký hiệu | Ngày ban hành | Cơ quan ban hành | Trích yếu | "
                    "Ngày hiệu lực | Tình trạng",
                    10,
                    "10 26 20 27 42 20 20",
                )
            ],
            ["Người lập"],
            national_header=False,
        ),
    ),
    (
        "QT.ISO.01",
        "BM.ISO.01.04",
        "Danh mục hồ sơ",
        Form(
            [
                fill("Phòng, đơn vị"),
                grid("TT | Tên hồ sơ | Thuộc quy trình | Nơi lưu | Thời gian lưu | Ghi chú", 10),
            ],
            ["Người lập", "Trưởng phòng, đơn vị"],
            national_header=False,
        ),
    ),
    (
        "QT.ISO.02",
        "BM.ISO.02.01",
        "Chương trình đánh giá nội bộ",
        Form(
            [
                fill("Phạm vi đánh giá | Chuẩn mực đánh giá | Thời gian đánh giá"),
                fill("Trưởng đoàn đánh giá | Thành viên Đoàn đánh giá"),
                "Lịch đánh giá:",
                grid(
                    "TT | Thời gian | Phòng, đơn vị được đánh giá | Quá trình, nội dung đánh giá "
                    "| Chuyên gia đánh giá",
                    6,
                ),
            ],
            SIGN_APPROVE,
        ),
    ),
    (
        "QT.ISO.02",
        "BM.ISO.02.02",
        "Phiếu ghi chép đánh giá",
        Form(
            [
                fill("Phòng, đơn vị được đánh giá | Người được đánh giá"),
                fill("Chuyên gia đánh giá | Ngày đánh giá"),
                grid(
                    "TT | Điều khoản/Quá trình | Nội dung kiểm tra | Bằng chứng ghi nhận | "
                    "Kết luận (Phù hợp/KPH/Lưu ý)",
                    8,
                    "10 28 45 52 30",
                ),
            ],
            ["Chuyên gia đánh giá"],
            national_header=False,
        ),
    ),
    (
        "QT.ISO.02",
        "BM.ISO.02.03",
        "Báo cáo đánh giá nội bộ",
        Form(
            [
                fill("Thời gian đánh giá | Phạm vi đánh giá | Chuẩn mực đánh giá"),
                fill("Đoàn đánh giá", lines=2),
                "1. Các phát hiện:",
                grid(
                    "TT | Phòng, đơn vị | Nội dung phát hiện | Điều khoản | Phân loại (KPH/Lưu ý)",
                    6,
                ),
                fill("2. Đánh giá chung về sự phù hợp và hiệu lực của HTQLCL", lines=3),
                fill("3. Kiến nghị", lines=2),
            ],
            ["Trưởng đoàn đánh giá"],
        ),
    ),
    (
        "QT.ISO.03",
        "BM.ISO.03.01",
        "Phiếu yêu cầu hành động khắc phục",
        Form(
            [
                fill(
                    "Số phiếu | Phòng, đơn vị | Nguồn phát hiện | Người phát hiện, ngày phát hiện"
                ),
                fill(
                    "1. Mô tả sự không phù hợp (bằng chứng, yêu cầu không được đáp ứng) | "
                    "2. Khắc phục ngay | 3. Nguyên nhân | "
                    "4. Hành động khắc phục, người thực hiện, thời hạn | 5. Ý kiến phê duyệt | "
                    "6. Kết quả thực hiện và đánh giá hiệu lực",
                    lines=2,
                ),
            ],
            ["Người phát hiện", "Trưởng phòng, đơn vị", "Người kiểm tra hiệu lực"],
            national_header=False,
        ),
    ),
    (
        "QT.ISO.03",
        "BM.ISO.03.02",
        "Sổ theo dõi sự không phù hợp và hành động khắc phục",
        Form(
            [
                grid(
                    "TT | Số phiếu | Ngày phát hiện | Phòng, đơn vị | Nội dung không phù hợp | "
                    "Thời hạn khắc phục | Kết quả, hiệu lực",
                    10,
                    "10 16 20 25 44 22 28",
                )
            ],
            national_header=False,
        ),
    ),
    (
        "QT.ISO.04",
        "BM.ISO.04.01",
        "Báo cáo kết quả thực hiện Hệ thống quản lý chất lượng của đơn vị",
        Form(
            [
                fill("Phòng, đơn vị | Kỳ báo cáo"),
                fill(
                    "1. Tình trạng thực hiện các quyết định của cuộc họp xem xét trước | "
                    "2. Những thay đổi ảnh hưởng đến HTQLCL | "
                    "3. Kết quả giải quyết TTHC, mức độ hài lòng, phản ánh, kiến nghị | "
                    "4. Mức độ đạt mục tiêu chất lượng | "
                    "5. Sự không phù hợp và hành động khắc phục | "
                    "6. Kết quả giải quyết rủi ro và cơ hội | "
                    "7. Nhu cầu nguồn lực và đề xuất cải tiến",
                    lines=2,
                ),
            ],
            ["Trưởng phòng, đơn vị"],
        ),
    ),
    (
        "QT.ISO.04",
        "BM.ISO.04.02",
        "Biên bản họp xem xét của lãnh đạo",
        Form(
            [
                fill("Thời gian | Địa điểm | Chủ trì | Thư ký cuộc họp"),
                fill("Thành phần tham dự", lines=2),
                "I. NỘI DUNG XEM XÉT",
                fill(
                    "1. Tình trạng thực hiện các quyết định của cuộc họp trước | "
                    "2. Những thay đổi liên quan đến HTQLCL | "
                    "3. Kết quả hoạt động của HTQLCL (TTHC, mục tiêu, đánh giá nội bộ, hành động "
                    "khắc phục, rủi ro và cơ hội) | 4. Sự thỏa đáng của nguồn lực",
                    lines=2,
                ),
                "II. KẾT LUẬN VÀ QUYẾT ĐỊNH",
                grid("TT | Nội dung quyết định, hành động | Đơn vị thực hiện | Thời hạn", 5),
                "Cuộc họp kết thúc vào hồi …… giờ …… cùng ngày.",
            ],
            ["Thư ký cuộc họp", "Chủ trì cuộc họp"],
        ),
    ),
    (
        "QT.ISO.05",
        "BM.ISO.05.01",
        "Bảng phân tích bối cảnh và nhu cầu, mong đợi của các bên quan tâm",
        Form(
            [
                "1. Các vấn đề nội bộ và bên ngoài",
                grid("TT | Vấn đề | Nội bộ/Bên ngoài | Ảnh hưởng đến HTQLCL | Cách theo dõi"),
                "2. Các bên quan tâm",
                grid("TT | Bên quan tâm | Nhu cầu, mong đợi | Cách đáp ứng"),
            ],
            SIGN_APPROVE,
            national_header=False,
        ),
    ),
    (
        "QT.ISO.05",
        "BM.ISO.05.02",
        "Bảng nhận diện, đánh giá, giải quyết rủi ro và cơ hội",
        Form(
            [
                fill("Phòng, đơn vị | Năm"),
                grid(
                    "TT | Quá trình/TTHC | Rủi ro/Cơ hội | Nguyên nhân | K | A | M | "
                    "Biện pháp giải quyết | Trách nhiệm, thời hạn",
                    8,
                    "10 22 28 22 9 9 10 31 24",
                ),
                "Ghi chú: K – khả năng xảy ra (1–3); A – mức độ ảnh hưởng (1–3); M = K × A: cao "
                "khi từ 6 trở lên, trung bình khi bằng 3 hoặc 4, thấp khi bằng 1 hoặc 2.",
            ],
            SIGN_APPROVE,
            national_header=False,
        ),
    ),
    (
        "QT.ISO.05",
        "BM.ISO.05.03",
        "Kế hoạch giải quyết rủi ro và cơ hội",
        Form(
            [
                grid(
                    "TT | Rủi ro/Cơ hội | Biện pháp | Đơn vị, người thực hiện | Thời hạn | "
                    "Đánh giá hiệu lực",
                    8,
                )
            ],
            SIGN_APPROVE,
        ),
    ),
]


def _procedure(
    code: str, title: str, sections: list[Section], records: list[tuple[str, str, str]]
) -> list[Spec]:
    """A system procedure and its forms, the forms right after it."""
    procedure = Spec(
        code,
        Kind.SYSTEM_PROCEDURE,
        title,
        sections=sections,
        records=records,
        cites=SYSTEM_CITES,
    )
    forms = [
        Spec(form_code, Kind.FORM_TEMPLATE, form_title, form=form, procedure=code)
        for owner, form_code, form_title, form in FORMS
        if owner == code
    ]
    return [procedure, *forms]


STARTER: list[Spec] = [
    Spec("CS.ISO.01", Kind.QUALITY_POLICY, "Chính sách chất lượng", text=POLICY),
    Spec("MT.ISO.01", Kind.QUALITY_OBJECTIVES, "Mục tiêu chất lượng", text=OBJECTIVES),
    *_procedure("QT.ISO.01", "Quy trình kiểm soát thông tin dạng văn bản", QT01, QT01_RECORDS),
    *_procedure("QT.ISO.02", "Quy trình đánh giá nội bộ", QT02, QT02_RECORDS),
    *_procedure(
        "QT.ISO.03",
        "Quy trình kiểm soát sự không phù hợp và hành động khắc phục",
        QT03,
        QT03_RECORDS,
    ),
    *_procedure("QT.ISO.04", "Quy trình xem xét của lãnh đạo", QT04, QT04_RECORDS),
    *_procedure("QT.ISO.05", "Quy trình quản lý rủi ro và cơ hội", QT05, QT05_RECORDS),
]


# --- creating documents ----------------------------------------------------------------


def ensure_legal(agency: Agency, spec: LegalSpec) -> LegalDocument:
    """The agency's register entry for `spec`, created when missing (an existing entry is
    kept as the agency recorded it)."""
    legal, _created = LegalDocument.objects.get_or_create(
        agency=agency,
        number=spec.number,
        defaults={
            "doc_type": spec.doc_type,
            "issued_on": spec.issued_on,
            "issuer": spec.issuer,
            "title": spec.title,
            "effective_on": spec.effective_on,
        },
    )
    return legal


def create_document(
    agency: Agency,
    spec: Spec,
    owner_unit: Unit | None,
    procedures: dict[str, Document],
    legal: dict[str, LegalDocument],
) -> Document:
    """The register entry of `spec` with its records to keep and its legal bases."""
    document = Document.objects.create(
        agency=agency,
        kind=spec.kind,
        code=spec.code,
        title=spec.title,
        owner_unit=owner_unit,
        procedure=procedures.get(spec.procedure),
    )
    RecordToKeep.objects.bulk_create(
        RecordToKeep(document=document, order=n, name=name, keeper=keeper, retention=kept)
        for n, (name, keeper, kept) in enumerate(spec.records, start=1)
    )
    for number in spec.cites:
        if number in legal:
            services.cite(document, legal[number])
    return document


def render(spec: Spec, document: Document, revision: Revision) -> bytes:
    """The DOCX of one revision of `spec`, in the layout of its kind."""
    if spec.form is not None:
        return form_docx(document, revision, spec.form)
    agency = document.agency
    if spec.sections:
        named = applied(agency)
        sections = [
            replace(section, text=section.text.replace("{standard}", named))
            for section in spec.sections
        ]
        return procedure_docx(document, revision, sections)
    text = spec.text.replace("{agency}", agency.name)
    return simple_docx(document, revision, text.replace("{standard}", applied(agency)))


def applied(agency: Agency) -> str:
    """The standard the agency applies, as a starter text names it (R-16: data, not code)."""
    return standards.standard(agency.standard).full_name_opening


def attach_docx(revision: Revision, content: bytes, by: User) -> None:
    """Attach generated DOCX bytes to a draft through the same check as any upload."""
    name = revision_filename(revision.document, revision)
    upload = SimpleUploadedFile(name, content, content_type=DOCX)
    services.add_file(revision, check_upload(upload, OFFICE_FILES), by)


def create_documents(
    agency: Agency, specs: Iterable[Spec], units: dict[str, Unit | None]
) -> list[tuple[Spec, Document]]:
    """Register entries for the specs whose code the agency does not use yet; forms are
    linked to their procedure, new or already there. `units` maps `Spec.owner` to a unit
    ("" → the default owner)."""
    specs = list(specs)
    codes = {s.code for s in specs} | {s.procedure for s in specs if s.procedure}
    existing = {d.code: d for d in Document.objects.filter(agency=agency, code__in=codes)}
    legal = {
        ld.number: ld
        for ld in LegalDocument.objects.filter(
            agency=agency, number__in={n for s in specs for n in s.cites}
        )
    }
    created: list[tuple[Spec, Document]] = []
    for spec in specs:
        if spec.code in existing:
            continue
        document = create_document(agency, spec, units.get(spec.owner), existing, legal)
        existing[spec.code] = document
        created.append((spec, document))
    return created


@transaction.atomic
def create_starter_set(agency: Agency, by: User, owner_unit: Unit | None) -> list[Document]:
    """Add the starter set to the agency's register, each document with revision 1 as a
    draft drafted by `by` and its generated DOCX attached. Codes the agency already uses
    are skipped, so it can be run again; returns the documents created."""
    for legal in STARTER_LEGAL:
        ensure_legal(agency, legal)
    created = create_documents(agency, STARTER, {"": owner_unit})
    for spec, document in created:
        revision = services.new_revision(document, by, summary="Ban hành lần đầu")
        attach_docx(revision, render(spec, document, revision), by)
    return [document for _spec, document in created]
