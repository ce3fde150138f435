"""The two seed plans, entered in full: Ban Quản lý Khu kinh tế Hải Phòng 2026 (issued, with
some progress) and UBND huyện Bình Sơn 2024 (issued, closed as history). The text is the
seeds' own where it is the plan's content; timings are rules, their wording generated."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from qms.organization.models import Agency, CommitteeDecision, Unit, User
from qms.organization.services import QD19_GROUND, TT26_GROUND
from qms.paperwork import services as paperwork
from qms.paperwork.kinds import SignForm
from qms.plans import services
from qms.plans.models import (
    AgencyEvent,
    Coordination,
    Plan,
    PlanSection,
    PlanTask,
    ProgressNote,
)

D = dt.date


def month(m: int, **extra: Any) -> dict[str, Any]:
    return {"parts": [{"kind": "month", "month": m}], **extra}


def months(*ms: int, **extra: Any) -> dict[str, Any]:
    return {"parts": [{"kind": "months", "months": list(ms)}], **extra}


def event(key: str, days: int) -> dict[str, Any]:
    return {"parts": [{"kind": "event", "event": key, "offset_days": days}]}


def after_document_set(m: int, days: int, action: str) -> dict[str, Any]:
    return month(
        m, alternative={"event": "document_set_effective", "offset_days": days, "action": action}
    )


HP_PURPOSE = """- Tiếp tục thực hiện việc áp dụng, duy trì và cải tiến Hệ thống ISO trong hoạt động của cơ quan, đơn vị thuộc Ban Quản lý đảm bảo chất lượng, hiệu quả trong công tác quản lý, chỉ đạo, điều hành; đồng thời hỗ trợ tích cực cho công tác cải cách thủ tục hành chính, chuyển đổi số và hiện đại hóa nền hành chính.
- Rà soát, cập nhật để hoàn thiện các nội dung về quy định, quy trình xử lý công việc, đồng thời nâng cao nhận thức, trách nhiệm của mỗi công chức, viên chức, người lao động trong việc tạo điều kiện thuận lợi, giải quyết nhanh, hiệu quả yêu cầu của nhà đầu tư và doanh nghiệp.
- Các phòng chuyên môn nghiệp vụ, đơn vị sự nghiệp thường xuyên kiểm tra, rà soát các văn bản pháp luật mới ban hành có liên quan đến hoạt động thuộc các lĩnh vực trong thẩm quyền của Ban Quản lý để thực hiện công bố lại khi có sự thay đổi phạm vi áp dụng Hệ thống ISO."""  # noqa: E501

HP_ORGANISATION = """1. Ban Chỉ đạo ISO của Ban Quản lý
- Chỉ đạo thực hiện việc duy trì, mở rộng, cải tiến có hiệu quả Hệ thống quản lý chất lượng theo tiêu chuẩn quốc gia TCVN ISO 9001:2015 trong hoạt động của cơ quan.
- Chỉ đạo các phòng chuyên môn nghiệp vụ chủ động cập nhật, rà soát, sửa đổi, bổ sung, xây dựng các quy trình nội bộ trong giải quyết TTHC, quy trình giải quyết công việc chuyên môn nhằm cắt giảm thời gian, cắt giảm số thủ tục hành chính của Ban và thực hiện việc công bố lại hệ thống theo quy định để đưa vào áp dụng trong nội bộ cơ quan.
- Tổ chức tổng kết, đánh giá việc áp dụng Hệ thống quản lý chất lượng theo tiêu chuẩn quốc gia TCVN ISO 9001:2015, 6 tháng và cả năm tại cơ quan Ban Quản lý; đề nghị hình thức khen thưởng đối với các cá nhân, tập thể có những sáng kiến duy trì, cải tiến Hệ thống quản lý chất lượng theo tiêu chuẩn quốc gia TCVN ISO 9001:2015 tại Ban Quản lý.
2. Văn phòng Ban Quản lý
- Chịu trách nhiệm đôn đốc các phòng chuyên môn nghiệp vụ thực hiện việc xây dựng, sửa đổi, bổ sung các quy trình nội bộ thủ tục hành chính phục vụ cho việc công bố lại Hệ thống quản lý chất lượng theo tiêu chuẩn quốc gia TCVN ISO 9001:2015 theo quy định.
- Hướng dẫn các phòng chuyên môn nghiệp vụ, Bộ phận Một cửa thực hiện việc niêm yết, công khai các quyết định về việc công bố các quy trình Hệ thống quản lý chất lượng theo tiêu chuẩn quốc gia TCVN ISO 9001:2015.
- Tham mưu lãnh đạo Ban rà soát, kịp thời bố trí công chức đầu mối triển khai áp dụng tại các phòng chuyên môn nghiệp vụ; tổ chức phổ biến việc áp dụng đến toàn thể công chức, nhân viên Ban Quản lý; tham mưu tiêu chí thi đua, khen thưởng đối với công chức, nhân viên tích cực trong công tác ISO.
- Xây dựng dự toán và thực hiện thanh toán kinh phí theo quy định cho Ban Chỉ đạo ISO của Ban Quản lý về duy trì và cải tiến Hệ thống quản lý chất lượng theo tiêu chuẩn quốc gia TCVN ISO 9001:2015; đảm bảo cơ sở vật chất và trang thiết bị ứng dụng công nghệ thông tin trong xây dựng và triển khai áp dụng Hệ thống ISO.
3. Các phòng chuyên môn thuộc Ban Quản lý
- Trưởng phòng các phòng chuyên môn nghiệp vụ tổ chức triển khai thực hiện hiệu quả các nội dung của Kế hoạch, gắn kết quả thực hiện với đánh giá mức độ hoàn thành nhiệm vụ và thi đua của từng cá nhân.
- Chủ động rà soát, xây dựng, cập nhật, sửa đổi, bổ sung các quy định, quy trình nội bộ thủ tục hành chính, quy trình giải quyết công việc chuyên môn của phòng mình để trình lãnh đạo Ban quyết định, công bố và đưa vào áp dụng tại Ban Quản lý.
- Chịu trách nhiệm thường xuyên thực hiện việc kiểm tra, rà soát các văn bản pháp luật mới ban hành và có liên quan đến hoạt động thuộc lĩnh vực của phòng để có căn cứ cho việc bổ sung, sửa đổi, bãi bỏ các quy trình, biểu mẫu hồ sơ thủ tục hành chính theo chức năng, nhiệm vụ được giao; đảm bảo chất lượng, thời gian quy định.
- Trưởng phòng có trách nhiệm chỉ đạo, hướng dẫn cán bộ, công chức, viên chức, người lao động nắm rõ nội dung các quy trình, thủ tục và các quy định chức năng, nhiệm vụ của phòng để đáp ứng các yêu cầu công việc được giao; sắp xếp hồ sơ, tài liệu, thực hiện lưu trữ tài liệu đúng quy định.
- Thực hiện nghiêm chế độ báo cáo theo quy định đồng thời có các biện pháp điều chỉnh, khắc phục kịp thời sau khi được kiểm tra đánh giá.
4. Thư ký Ban Chỉ đạo ISO
- Chịu trách nhiệm cung cấp đầy đủ các tài liệu, hướng dẫn việc cập nhật xây dựng các quy trình nội bộ thủ tục hành chính, quy trình giải quyết công việc chuyên môn và tổng hợp các quy trình, biểu mẫu của các phòng chuyên môn nghiệp vụ để trình lãnh đạo Ban Quản lý công bố đưa vào áp dụng, thực hiện theo quy định.
- Hướng dẫn, phối hợp, đôn đốc các phòng chuyên môn thực hiện đảm bảo đúng tiến độ thời gian; tổng hợp, xây dựng báo cáo tình hình thực hiện Hệ thống ISO."""  # noqa: E501

OFFICE = "Văn phòng Ban Quản lý"

# (content, timing, lead kind, lead unit or text, coordinations [(who, duty)], expected result)
HP_TASKS: list[tuple[str, dict[str, Any], str, str, list[tuple[str, str]], str]] = [
    (
        "Rà soát, kiện toàn nhân sự Ban Chỉ đạo ISO",
        {"parts": [{"kind": "year"}]},
        "unit",
        OFFICE,
        [],
        "Quyết định kiện toàn",
    ),
    (
        "Rà soát, đánh giá lại các quy trình, thủ tục để phù hợp với yêu cầu cắt giảm thời gian, "
        "cắt giảm số thủ tục hành chính của Ban Quản lý.",
        month(6),
        "unit",
        OFFICE,
        [("Các phòng chuyên môn có thủ tục hành chính", "")],
        "Rút ngắn thời gian xử lý Thủ tục hành chính.",
    ),
    (
        "Đào tạo cập nhật Hệ thống ISO",
        {
            "parts": [{"kind": "quarter", "quarter": 3}],
            "note": "Thời gian đào tạo: 01 ngày tại Ban Quản lý",
        },
        "committee",
        "",
        [
            ("Ban Chỉ đạo", "mời giảng viên, chuẩn bị tài liệu đào tạo và tham gia quản lý lớp;"),
            (
                "Phòng chuyên môn nghiệp vụ, đơn vị sự nghiệp",
                "cử công chức, viên chức, người lao động tham gia đào tạo đảm bảo đúng đối tượng;",
            ),
            (OFFICE, "chuẩn bị cơ sở vật chất phục vụ đào tạo."),
        ],
        "Toàn bộ học viên được đào tạo, cập nhật kiến thức về Hệ thống ISO",
    ),
    (
        "Rà soát, sửa đổi, bổ sung các quy trình ISO cho các hoạt động của Ban Quản lý",
        {
            "parts": [
                {
                    "kind": "recurring",
                    "every": 3,
                    "label": "đối với việc rà soát căn cứ pháp lý của các quy trình ISO",
                },
                {
                    "kind": "event",
                    "event": "tthc_catalogue_approved",
                    "offset_days": 0,
                    "label": "thực hiện việc tổng rà soát, sửa đổi, bổ sung các quy trình ISO",
                },
            ]
        },
        "committee",
        "",
        [
            (
                "Các phòng",
                "phối hợp rà soát lại các quy trình đã soạn đề xuất điều chỉnh, sửa đổi, bổ sung.",
            ),
            (
                "Thư ký BCĐ",
                "tổng hợp, phối hợp cùng các phòng chuyên môn nghiệp vụ tiến hành "
                "chỉnh sửa Hệ thống.",
            ),
        ],
        "Bộ tài liệu ISO (Quyết định ban hành Bộ tài liệu ISO và các quy trình)",
    ),
    (
        "Tổ chức đánh giá nội bộ",
        after_document_set(7, 30, "tổ chức đánh giá nội bộ"),
        "committee",
        "",
        [
            ("Các phòng", "cử công chức tham gia đoàn đánh giá nội bộ đảm bảo đúng quy định."),
            ("Thư ký BCĐ", "tổng hợp biên bản đánh giá nội bộ."),
        ],
        "Biên bản đánh giá nội bộ",
    ),
    (
        "Họp xem xét của lãnh đạo",
        after_document_set(7, 35, "tổ chức họp xem xét lãnh đạo"),
        "leadership",
        "Lãnh đạo Ban",
        [("Ban Chỉ đạo ISO", "")],
        "Biên bản họp xem xét lãnh đạo",
    ),
    (
        "Công bố lại sự phù hợp của Hệ thống ISO (nếu có sự thay đổi)",
        event("management_review_held", 10),
        "text",
        "Ban Chỉ đạo ISO trình Trưởng ban ban hành Quyết định công bố sự phù hợp của Hệ thống ISO",
        [(OFFICE, "")],
        "Quyết định công bố Hệ thống ISO",
    ),
    (
        "Đánh giá thử",
        event("inspection_notice", -15),
        "committee",
        "",
        [("Mời chuyên gia đánh giá", "")],
        "Báo cáo đánh giá",
    ),
]

BS_PURPOSE = """1. Mục đích:
- Xây dựng, áp dụng, duy trì và cải tiến HTQLCL theo Tiêu chuẩn Quốc gia TCVN ISO 9001:2015 tại UBND huyện gắn với cải cách hành chính, chuyển đổi số nhằm góp phần đổi mới phương thức làm việc, nâng cao năng suất, hiệu quả hoạt động của cơ quan hành chính nhà nước để có đủ năng lực vận hành nền kinh tế số, xã hội số đáp ứng yêu cầu phát triển kinh tế - xã hội, quốc phòng, an ninh và hội nhập quốc tế; nâng cao chất lượng cung cấp dịch vụ công cho người dân, tổ chức.
- Đảm bảo việc thực hiện áp dụng HTQLCL theo Tiêu chuẩn Quốc gia TCVN ISO 9001:2015 tại UBND huyện tiếp tục có hiệu lực và hiệu quả.
2. Yêu cầu:
- Thường xuyên rà soát, chỉnh sửa, bổ sung và cập nhật kịp thời các quy trình giải quyết TTHC và công việc chuyên môn tại UBND huyện theo Quyết định công bố Bộ thủ tục hành chính do UBND tỉnh ban hành và các văn bản quy phạm pháp luật hiện hành vào HTQLCL.
- Tổ chức kiểm soát toàn diện hoạt động của các cơ quan chuyên môn thuộc UBND huyện; thực hiện công tác tự đánh giá kết quả thực hiện nhiệm vụ được giao năm 2024 đảm bảo trung thực, khách quan."""  # noqa: E501

BS_ORGANISATION = """1. Ban chỉ đạo ISO
- Các thành viên của Ban Chỉ đạo ISO thường xuyên chỉ đạo, theo dõi, đôn đốc kiểm tra, bảo đảm hiệu lực, hiệu quả việc xây dựng, áp dụng, duy trì, cải tiến HTQLCL theo TCVN ISO 9001:2015 của UBND huyện tại các cơ quan chuyên môn thuộc UBND huyện và Kế hoạch này.
- Tổ chức phổ biến, hướng dẫn áp dụng các tài liệu đến các cơ quan chuyên môn thuộc phạm vi áp dụng HTQLCL của UBND huyện.
2. Phòng Kinh tế và Hạ tầng
- Tham mưu UBND huyện ban hành Chính sách chất lượng, Mục tiêu chất lượng, Kế hoạch, Chương trình đánh giá nội bộ, Kế hoạch giải quyết rủi ro và cơ hội, Bảng nhận diện, đánh giá, giải quyết rủi ro và cơ hội năm 2024.
- Tham mưu UBND huyện tổ chức đánh giá nội bộ và tổ chức họp xem xét của Lãnh đạo tối thiểu một năm một lần; thực hiện công bố lại khi có sự điều chỉnh, mở rộng, thu hẹp phạm vi áp dụng của hệ thống quản lý chất lượng.
- Định kỳ hoặc đột xuất tổng hợp, báo cáo UBND huyện tình hình, kết quả áp dụng, duy trì và cải tiến HTQLCL theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015 của các cơ quan chuyên môn thuộc UBND huyện đã thực hiện trong năm 2024.
3. Thủ trưởng các cơ quan chuyên môn áp dụng HTQLCL thuộc UBND huyện
- Căn cứ vào Kế hoạch này, xây dựng mục tiêu chất lượng; Kế hoạch hoàn thành mục tiêu chất lượng năm 2024 của từng cơ quan để tổ chức triển khai áp dụng HTQLCL tại cơ quan.
- Rà soát các thủ tục hành chính và các quy định của pháp luật thuộc lĩnh vực phụ trách đề xuất huỷ bỏ, sửa đổi, bổ sung để cập nhật kịp thời vào hệ thống đảm bảo toàn bộ hoạt động giải quyết thủ tục hành chính nằm trong phạm vi áp dụng của HTQLCL.
- Định kỳ 06 tháng (trước ngày 20/6) và hằng năm (trước ngày 20/11) báo cáo kết quả áp dụng, duy trì và cải tiến HTQLCL tại cơ quan cho UBND huyện (qua Phòng Kinh tế và Hạ tầng) để tổng hợp, tham mưu UBND huyện báo cáo UBND tỉnh, Sở Khoa học và Công nghệ theo đúng quy định."""  # noqa: E501

BS_SECRETARIAT = "Ban chỉ đạo ISO/ Tổ thư ký ISO"
BS_CHAIR = "Chủ tịch UBND huyện"
# (content, timing, lead text, approver)
BS_TASKS: list[tuple[str, dict[str, Any], str, str]] = [
    ("Xây dựng chính sách và mục tiêu chất lượng năm 2024", month(1), BS_SECRETARIAT, BS_CHAIR),
    (
        "Xây dựng kế hoạch duy trì và cải tiến HTQLCL theo tiêu chuẩn TCVN ISO 9001:2015",
        month(1),
        BS_SECRETARIAT,
        BS_CHAIR,
    ),
    (
        "Rà soát, sửa đổi, bổ sung Hệ thống tài liệu HTQLCL theo tiêu chuẩn TCVN ISO 9001:2015 "
        "của UBND huyện cho phù hợp với yêu cầu thực tế tại từng cơ quan chuyên môn và khi có sự "
        "thay đổi các quy định của pháp luật có liên quan.",
        {"parts": [{"kind": "continuous"}]},
        "Tổ thư ký ISO và cơ quan chuyên môn",
        "Tổ thư ký ISO",
    ),
    (
        "Thực hiện đánh giá nội bộ, thực hiện hành động khắc phục, cải tiến hệ HTQLCL.",
        months(6, 11),
        BS_SECRETARIAT,
        "Đoàn đánh giá nội bộ",
    ),
    (
        "Thực hiện hoạt động xem xét của lãnh đạo về hệ thống quản lý chất lượng",
        months(7, 11),
        "Lãnh đạo UBND huyện và Ban chỉ đạo ISO",
        BS_CHAIR,
    ),
    (
        "Ban hành Quyết định công bố lại (nếu có) HTQLCL phù hợp TCVN ISO 9001:2015 theo Quyết "
        "định 19/2014/QĐ-TTg.",
        months(7, 12, note="(hoặc khi có thay đổi danh mục TTHC)"),
        "Tổ thư ký ISO",
        BS_CHAIR,
    ),
    (
        "Báo cáo tình hình thực hiện duy trì và cải tiến HTQLCL theo TCVN ISO 9001:2015 năm 2024.",
        month(11, note="(hoặc khi có yêu cầu của cấp trên)"),
        "Tổ thư ký ISO và cơ quan chuyên môn",
        "UBND huyện ban hành báo cáo UBND tỉnh, Sở KH&CN",
    ),
]


def _unit(agency: Agency, name: str) -> Unit | None:
    return Unit.objects.filter(agency=agency, name=name).first()


def _attach_signed_copy(plan: Plan, registry: User) -> None:
    """The registry scans nothing here: the deputy head signed the plan digitally. The demo
    signs with a throwaway certificate authority and trusts it, so the page shows what a
    deployment with QMS_TRUSTED_ROOTS shows for a signature it trusts."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qms.lib import selfsigned
    from qms.lib.uploads import check_upload
    from qms.paperwork import services as paperwork

    text = f"Ke hoach so {plan.paper.number_text}/{plan.paper.symbol} - ban ky so"
    signed, ca_pem = selfsigned.sign_pdf(
        selfsigned.minimal_pdf(text), "Nguyễn Văn Chuẩn", "Ban Quản lý Khu kinh tế Hải Phòng"
    )
    upload = SimpleUploadedFile("KH-12-BQL-2026-da-ky.pdf", signed, "application/pdf")
    checked = check_upload(upload, paperwork.SIGNED_COPY_FILES)
    paperwork.attach_signed_copy(plan.paper, checked, registry, trust_roots=[ca_pem])


def _set_text(plan: Plan, **text: object) -> None:
    """The plan's own text (the draft's signing details are its paper's)."""
    for name, value in text.items():
        setattr(plan, name, value)
    plan.save()


def _hai_phong(agency: Agency) -> Plan:
    plan = services.create_plan(
        agency,
        year=2026,
        title="Duy trì và cải tiến Hệ thống Quản lý chất lượng theo tiêu chuẩn quốc gia TCVN "
        "ISO 9001:2015 năm 2026",
        recipients="\n".join(
            [
                "UBND TP (để b/c)",
                "VP UBND TP",
                "Các Sở KH&CN; TC; Nội vụ",
                "Chi cục TCĐLCL",
                "Lãnh đạo Ban",
                "Các PCM (để thực hiện)",
            ]
        ),
        archive_units="BCĐ ISO, VP/BQL",
        signer=User.objects.filter(username="lanhdao.hp").first(),
        signer_name="Nguyễn Văn Chuẩn",
        signer_position="Phó Trưởng ban",
        sign_form=SignForm.KT,
    )
    _set_text(
        plan,
        intro="Thực hiện Quyết định số 1091/QĐ-UBND ngày 09/5/2017 của Ủy ban nhân dân thành "
        "phố về việc phê duyệt kế hoạch chuyển đổi và áp dụng Hệ thống quản lý chất lượng "
        "theo tiêu chuẩn quốc gia TCVN ISO 9001:2015 vào hoạt động của các sở, ban, ngành, "
        "Ủy ban nhân dân các quận, huyện và các cơ quan hành chính nhà nước thuộc sở, "
        "ngành thành phố Hải Phòng. Ban Quản lý Khu kinh tế Hải Phòng (Ban Quản lý) xây "
        "dựng Kế hoạch duy trì và cải tiến Hệ thống Quản lý chất lượng theo tiêu chuẩn "
        "quốc gia TCVN ISO 9001:2015 (Hệ thống ISO) của Ban Quản lý năm 2026, cụ thể như "
        "sau:",
        purpose=HP_PURPOSE,
        section_two_title="NHIỆM VỤ TRỌNG TÂM",
        organisation=HP_ORGANISATION,
        closing="Quá trình triển khai thực hiện, nếu phát sinh vướng mắc, các phòng chuyên môn "
        "báo cáo lãnh đạo Ban (qua Văn phòng Ban Quản lý) xem xét, chỉ đạo giải quyết "
        "kịp thời./.",
        columns=["timing", "lead", "coordination", "expected_result"],
    )
    for order, (content, timing, kind, lead, coordinations, result) in enumerate(HP_TASKS, 1):
        unit = _unit(agency, lead) if kind == "unit" else None
        task = PlanTask.objects.create(
            plan=plan,
            order=order,
            content=content,
            timing=timing,
            lead_kind=kind,
            lead_unit=unit,
            lead_text=lead if kind in ("text", "leadership") else "",
            expected_result=result,
        )
        for index, (who, duty) in enumerate(coordinations):
            Coordination.objects.create(
                task=task,
                order=index,
                unit=_unit(agency, who),
                text="" if _unit(agency, who) else who,
                duty=duty,
            )
    return plan


def _hai_phong_progress(plan: Plan, secretary: User) -> None:
    """Issued in January; by November the review of procedures (task 2) and the training
    (task 3) are done, the committee's reconstitution (task 1) is under way, and the internal
    audit and management review wait past July for the new document set."""
    services.submit(plan)
    services.issue(plan, number=12, issued_on=D(2026, 1, 20), by=secretary)
    _attach_signed_copy(plan, secretary)
    first, second, third = plan.tasks.order_by("order")[:3]
    decision = CommitteeDecision.objects.filter(agency=plan.agency, paper__status="issued").first()
    if decision:
        first.fulfilled_by = f"organization.committeedecision:{decision.pk}"
        first.save(update_fields=["fulfilled_by"])
    ProgressNote.objects.create(
        task=first,
        on=D(2026, 2, 10),
        author=secretary,
        text="Đã rà soát nhân sự; dự thảo Quyết định kiện toàn đã trình lãnh đạo Ban.",
    )
    ProgressNote.objects.create(
        task=second,
        on=D(2026, 5, 28),
        author=secretary,
        text="Các phòng đã gửi đề xuất rút ngắn thời gian cho 14 thủ tục hành chính.",
    )
    ProgressNote.objects.create(
        task=second,
        on=D(2026, 6, 26),
        author=secretary,
        text="Lãnh đạo Ban đã phê duyệt rút ngắn thời gian giải quyết của 14 thủ tục hành chính.",
    )
    services.set_task_status(second, PlanTask.Status.DONE)
    ProgressNote.objects.create(
        task=third,
        on=D(2026, 9, 18),
        author=secretary,
        text="Đã tổ chức lớp đào tạo cập nhật 01 ngày cho 62 công chức, viên chức tại Ban Quản lý.",
    )
    services.set_task_status(third, PlanTask.Status.DONE)
    services.set_task_status(first, PlanTask.Status.IN_PROGRESS)
    _quarterly_reviews(plan.tasks.get(order=4), secretary)


# The quarterly review of the procedures' legal grounds (task 4, first part): Q1–Q3 done.
QUARTERLY_REVIEWS = [
    ("0-0", D(2026, 3, 27), "Đã rà soát căn cứ pháp lý của các quy trình ISO quý I."),
    ("0-1", D(2026, 6, 26), "Đã rà soát căn cứ pháp lý quý II; cập nhật 03 quy trình."),
    ("0-2", D(2026, 9, 25), "Đã rà soát căn cứ pháp lý quý III; không phát sinh thay đổi."),
]


def _quarterly_reviews(task: PlanTask, secretary: User) -> None:
    for key, on, note in QUARTERLY_REVIEWS:
        services.record_occurrence(task, key, secretary, done=True, on=on, note=note)


def _binh_son(agency: Agency) -> Plan:
    chair = User.objects.filter(username="chutich.bs").first()
    plan = services.create_plan(
        agency,
        year=2024,
        title="Duy trì và cải tiến Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN "
        "ISO 9001:2015 của UBND huyện Bình Sơn năm 2024",
        recipients="\n".join(
            [
                "UBND tỉnh (thay B/cáo)",
                "Sở KH&CN (thay B/cáo)",
                "CT, các PCT. UBND huyện",
                "Ban chỉ đạo và Tổ thư ký ISO",
                "Các cơ quan chuyên môn thuộc UBND huyện",
                "VP HĐND&UBND huyện",
            ]
        ),
        signer=chair,
        signer_name="Nguyễn Tưởng Duy",
        signer_position="Chủ tịch",
        sign_form=SignForm.OWN,
        grounds="\n".join(
            [
                QD19_GROUND,
                TT26_GROUND,
                "Căn cứ Thông tư số 116/2015/TT-BTC ngày 11/8/2015 của Bộ Tài chính về việc quy "
                "định công tác quản lý tài chính đối với việc tư vấn, xây dựng, áp dụng, "
                "duy trì và cải tiến hệ thống quản lý chất lượng theo tiêu chuẩn quốc gia "
                "TCVN ISO 9001:2015 vào hoạt động của các cơ quan, tổ chức thuộc hệ thống "
                "hành chính nhà nước",
                "Căn cứ Quyết định số 1771/QĐ-UBND ngày 23/10/2023 của Chủ tịch UBND huyện "
                "Bình Sơn về việc công bố lại Hệ thống quản lý chất lượng của UBND huyện "
                "Bình Sơn phù hợp Tiêu chuẩn quốc gia TCVN ISO 9001:2015",
            ]
        ),
    )
    _set_text(
        plan,
        intro="UBND huyện Bình Sơn xây dựng kế hoạch thực hiện duy trì và cải tiến Hệ thống "
        "quản lý chất lượng (sau đây viết tắt là HTQLCL) theo Tiêu chuẩn Quốc gia TCVN ISO "
        "9001:2015 năm 2024, như sau:",
        purpose=BS_PURPOSE,
        section_two_title="NỘI DUNG KẾ HOẠCH",
        budget="Kinh phí duy trì và cải tiến HTQLCL được phân bổ tại Quyết định số "
        "2158/QĐ-UBND ngày 18/12/2023 của UBND huyện Bình Sơn.",
        organisation=BS_ORGANISATION,
        closing="Trên đây là Kế hoạch triển khai áp dụng, duy trì và cải tiến HTQLCL theo tiêu "
        "chuẩn Quốc gia TCVN ISO 9001:2015 của UBND huyện năm 2024; yêu cầu Ban chỉ đạo "
        "ISO, Tổ thư ký ISO và Thủ trưởng các cơ quan chuyên môn thuộc phạm vi áp dụng "
        "HTQLCL của UBND huyện triển khai thực hiện đạt hiệu quả./.",
        columns=["timing", "lead", "approver"],
        column_titles={
            "order": "TT",
            "content": "Công việc",
            "timing": "Thời gian thực hiện",
            "lead": "Chủ trì/ tham mưu",
            "approver": "Phê duyệt/ báo cáo",
        },
    )
    for order, (content, timing, lead, approver) in enumerate(BS_TASKS, 1):
        PlanTask.objects.create(
            plan=plan,
            order=order,
            content=content,
            timing=timing,
            lead_kind="text",
            lead_text=lead,
            approver=approver,
        )
    return plan


# A programme over five years beside the annual plan (not from the seeds: the shape real
# programmes of other agencies take): rows per year under three phases, one row over the
# whole period, a window of months, "khi có yêu cầu", and an event the agency defined.
HP_PROGRAMME_TITLE = (
    "Chương trình duy trì, cải tiến Hệ thống quản lý chất lượng theo tiêu chuẩn quốc gia "
    "TCVN ISO 9001:2015 gắn với chuyển đổi số giai đoạn 2026–2030"
)
HP_PHASES = (
    "Giai đoạn 1 (năm 2026): Rà soát, đánh giá thực trạng",
    "Giai đoạn 2 (năm 2027–2028): Chuẩn hóa, áp dụng trên môi trường điện tử",
    "Giai đoạn 3 (năm 2029–2030): Đánh giá, tổng kết",
)
SCOPE_EVENT = {
    "label": "Điều chỉnh phạm vi áp dụng HTQLCL",
    "since": "ngày có quyết định điều chỉnh phạm vi áp dụng HTQLCL",
    "before": "ngày điều chỉnh phạm vi áp dụng HTQLCL",
    "when": "có quyết định điều chỉnh phạm vi áp dụng HTQLCL",
    "condition": "điều chỉnh phạm vi áp dụng HTQLCL",
}


def _hai_phong_programme(agency: Agency, secretary: User) -> Plan:
    plan = services.create_plan(
        agency,
        year=2026,
        last_year=2030,
        title=HP_PROGRAMME_TITLE,
        recipients="UBND TP (để b/c)\nSở KH&CN\nLãnh đạo Ban\nCác PCM (để thực hiện)",
        signer=User.objects.filter(username="lanhdao.hp").first(),
        signer_name="Nguyễn Văn Chuẩn",
        signer_position="Phó Trưởng ban",
        sign_form=SignForm.KT,
    )
    plan.purpose = (
        "1. Mục đích\n- Duy trì, cải tiến có hiệu lực, hiệu quả Hệ thống quản lý chất lượng "
        "của Ban Quản lý trong cả giai đoạn, gắn với chuyển đổi số.\n"
        "2. Yêu cầu\n- Mỗi phòng chuyên môn thực hiện đúng nhiệm vụ và thời gian theo từng năm."
    )
    plan.save()
    scope = AgencyEvent.objects.create(agency=agency, **SCOPE_EVENT)
    phases = [
        PlanSection.objects.create(plan=plan, order=n, title=title)
        for n, title in enumerate(HP_PHASES, 1)
    ]
    office = Unit.objects.filter(agency=agency, parent=None).first()
    period = {"kind": "period", "years": 5}
    survey = {"kind": "window", "month": 3, "to_month": 5}
    report = {"kind": "on_request", "label": "của Sở Khoa học và Công nghệ"}
    rescope = {"kind": "event", "event": scope.key, "offset_days": 30}
    rows = [
        (None, 2026, "Duy trì, cải tiến HTQLCL đáp ứng yêu cầu của tiêu chuẩn", period),
        (0, 2026, "Khảo sát, đánh giá thực trạng áp dụng HTQLCL tại các phòng", survey),
        (
            0,
            2026,
            "Tập huấn áp dụng HTQLCL trên môi trường điện tử",
            {"kind": "quarter", "quarter": 3},
        ),
        (1, 2027, "Số hóa hồ sơ HTQLCL, quản lý trên phần mềm", {"kind": "half", "half": 1}),
        (1, 2027, "Báo cáo kết quả thực hiện Chương trình", report),
        (1, 2028, "Rà soát, cập nhật các quy trình thuộc phạm vi được điều chỉnh", rescope),
        (2, 2030, "Tổng kết 05 năm thực hiện Chương trình, đề xuất khen thưởng", {"kind": "end"}),
    ]
    for order, (phase, year, content, part) in enumerate(rows, 1):
        PlanTask.objects.create(
            plan=plan,
            order=order,
            section=None if phase is None else phases[phase],
            year=year,
            content=content,
            timing={"parts": [part]},
            lead_kind=PlanTask.Lead.UNIT if office else PlanTask.Lead.COMMITTEE,
            lead_unit=office,
        )
    services.rederive(plan)
    services.submit(plan)
    number = paperwork.next_number(agency, plan.paper.issuer, 2026)
    services.issue(plan, number=number, issued_on=D(2026, 2, 5), by=secretary)
    _programme_progress(plan, secretary)
    return plan


def _programme_progress(plan: Plan, secretary: User) -> None:
    """The year 2026 of the programme as it stands in December: the survey done in May,
    the training in September."""
    survey, training = plan.tasks.filter(order__in=(2, 3)).order_by("order")
    services.record_occurrence(
        survey, "0-0", secretary, done=True, on=D(2026, 5, 25), note="Đã khảo sát 08 phòng."
    )
    services.record_occurrence(
        training, "0-0", secretary, done=True, on=D(2026, 9, 18), note="62 công chức tham dự."
    )


@transaction.atomic
def load() -> None:
    """Both seed plans, unless the agency already has its plan for that year."""
    hp = Agency.objects.filter(name="Ban Quản lý Khu kinh tế Hải Phòng").first()
    if hp and not Plan.objects.filter(agency=hp, year=2026, last_year=None).exists():
        plan = _hai_phong(hp)
        _hai_phong_progress(plan, User.objects.get(username="thuky.hp"))
    if hp and not Plan.objects.filter(agency=hp, last_year__isnull=False).exists():
        _hai_phong_programme(hp, User.objects.get(username="thuky.hp"))
    bs = Agency.objects.filter(name="Ủy ban nhân dân huyện Bình Sơn").first()
    if bs and not Plan.objects.filter(agency=bs, year=2024, last_year=None).exists():
        plan = _binh_son(bs)
        services.submit(plan)
        services.issue(plan, number=21, issued_on=D(2024, 1, 25))
        services.close(plan)
