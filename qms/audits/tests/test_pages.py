"""The screens of the internal audit: they work, refuse the wrong method, refuse a user
without the right, hide the other agency, say why bad input is refused (changing nothing),
and cost the same number of queries whatever the rows."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from qms.audits import services
from qms.audits.models import (
    Audit,
    AuditorQualification,
    AuditProgramme,
    ChecklistItem,
    Finding,
    FindingFile,
    ProgrammeRow,
    QuestionBank,
)
from qms.audits.tests import builders as b

D = dt.date
PDF = b"%PDF-1.4\n% evidence\n%%EOF\n"


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _programme_url(cast, year=2026):
    return reverse("audits:programme", args=[cast.a.pk]) + f"?year={year}"


def test_the_programme_page_warns_when_the_year_has_none(cast, login):
    client = login(cast.users["staff"])
    page = client.get(_programme_url(cast)).content.decode()
    assert "Chưa có chương trình đánh giá nội bộ năm 2026" in page
    assert 'id="create-programme"' not in page  # staff draft nothing
    assert (
        client.post(reverse("audits:programme_create", args=[cast.a.pk, 2026])).status_code == 403
    )
    assert not AuditProgramme.objects.exists()


def test_the_secretary_drafts_the_programme_and_sees_the_units_not_covered(cast, login):
    client = login(cast.users["secretary"])
    response = client.post(reverse("audits:programme_create", args=[cast.a.pk, 2026]))
    assert response.status_code == 302
    programme = AuditProgramme.objects.get(agency=cast.a, year=2026)
    assert programme.paper.kind == "CTr"
    assert programme.paper.subject == "Chương trình đánh giá nội bộ năm 2026"
    other = b.division(cast.a)
    page = client.get(_programme_url(cast)).content.decode()
    assert "Văn phòng Sở chưa được đánh giá trong năm 2026." in page
    assert "Phòng Quản lý xây dựng chưa được đánh giá trong năm 2026." in page
    url = reverse("audits:row_add", args=[cast.a.pk, programme.pk])
    client.post(url, {"unit": b.office(cast.a).pk, "months": ["3", "9"]})
    client.post(url, {"unit": other.pk, "months": ["6"]})
    page = client.get(_programme_url(cast)).content.decode()
    assert "chưa được đánh giá" not in page
    assert "Mọi đơn vị của cơ quan đều được đánh giá" in page
    assert list(programme.rows.values_list("months", flat=True)) == [[3, 9], [6]]
    # The programme as DOCX, in the NĐ 30 layout.
    docx = client.get(reverse("audits:programme_docx", args=[cast.a.pk, programme.pk]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_a_bad_row_says_why_and_changes_nothing(cast, login):
    client = login(cast.users["secretary"])
    programme = b.programme(cast.a)
    url = reverse("audits:row_add", args=[cast.a.pk, programme.pk])
    response = client.post(url, {"unit": b.office(cast.a).pk}, follow=True)
    assert "Các tháng" in response.content.decode()
    response = client.post(url, {"months": ["1"]}, follow=True)
    assert "Chọn một đơn vị hoặc một quy trình." in response.content.decode()
    other_agency_unit = b.office(cast.b)
    response = client.post(url, {"unit": other_agency_unit.pk, "months": ["1"]}, follow=True)
    assert response.status_code == 200
    assert not ProgrammeRow.objects.exists()


def test_the_programme_page_costs_the_same_whatever_the_rows(cast, login):
    client = login(cast.users["secretary"])
    programme = b.programme(cast.a, units=[b.office(cast.a)])
    b.audit(cast.a, [b.office(cast.a)])
    few = _count(client, _programme_url(cast))
    for n in range(10):
        unit = b.division(cast.a, f"Phòng {n}")
        services.save_row(programme, ProgrammeRow(unit=unit, months=[n + 1]))
        b.audit(cast.a, [unit], title=f"Đợt {n}")
    assert _count(client, _programme_url(cast)) == few


def test_the_list_filters_and_costs_the_same_whatever_the_rows(cast, login):
    client = login(cast.users["staff"])
    other = b.division(cast.a)
    b.audit(cast.a, [b.office(cast.a)], title="Đánh giá Văn phòng")
    b.audit(cast.a, [other], title="Đánh giá Phòng Quản lý xây dựng")
    url = reverse("audits:list", args=[cast.a.pk])
    page = client.get(url, {"unit": other.pk}).content.decode()
    assert "Đánh giá Phòng Quản lý xây dựng" in page and "Đánh giá Văn phòng" not in page
    page = client.get(url, {"status": "held"}).content.decode()
    assert "Không có cuộc đánh giá phù hợp." in page
    # Nonsense filters are ignored, never an error.
    page = client.get(url, {"unit": "99999999999999999999999", "status": "x", "year": "abc"})
    assert page.status_code == 200 and "Đánh giá Văn phòng" in page.content.decode()
    few = _count(client, url)
    for n in range(30):
        b.audit(cast.a, [other], title=f"Đợt {n}")
    assert _count(client, url) == few
    assert (
        "Trang 1 / 2" in client.get(url).content.decode()
        or "page=2" in client.get(url).content.decode()
    )


def test_the_detail_page_costs_the_same_whatever_the_rows(cast, login):
    client = login(cast.users["secretary"])
    audit = b.planned(cast)
    bank = services.save_bank(QuestionBank(agency=cast.a, clause="7.5", title="Điều 7.5"))
    services.add_question(bank, "Câu hỏi 1")
    services.build_checklist(audit)
    b.finding(audit, cast.users["auditor"])
    url = audit.get_absolute_url()
    few = _count(client, url)
    for n in range(12):
        services.add_question(bank, f"Câu hỏi {n + 2}")
        b.finding(audit, cast.users["auditor"], "observation", description=f"Điểm lưu ý {n}")
    services.build_checklist(audit)
    assert _count(client, url) == few


def test_an_own_unit_auditor_is_refused_by_name(cast, login):
    client = login(cast.users["secretary"])
    b.qualify(cast.a, cast.users["staff"])
    audit = b.audit(cast.a, [b.office(cast.a)])
    url = reverse("audits:team_add", args=[cast.a.pk, audit.pk])
    page = client.post(url, {"person": cast.users["staff"].pk}, follow=True).content.decode()
    assert "Staff không được đánh giá Văn phòng Sở: đây là đơn vị của chính người đó." in page
    assert not audit.team.exists()
    # Not qualified: not even offered.
    page = client.post(url, {"person": cast.users["head"].pk}, follow=True).content.decode()
    assert "lựa chọn" in page and not audit.team.exists()


def test_the_secretary_plans_an_audit_through_the_screens(cast, login):
    client = login(cast.users["secretary"])
    programme = b.programme(cast.a)
    b.qualify(cast.a, cast.users["auditor"])
    data = {
        "title": "Đánh giá nội bộ đợt 1 năm 2026",
        "starts_on": "10/06/2026",
        "ends_on": "09/06/2026",
        "units": [b.office(cast.a).pk],
        "clauses": ["7.5", "9.2"],
    }
    url = reverse("audits:new", args=[cast.a.pk, programme.pk])
    page = client.post(url, data).content.decode()
    assert "Ngày kết thúc cuộc đánh giá không được trước ngày bắt đầu." in page
    assert not Audit.objects.exists()
    data["ends_on"] = "12/06/2026"
    response = client.post(url, data)
    audit = Audit.objects.get()
    assert response.url == audit.get_absolute_url()
    assert audit.clauses == ["7.5", "9.2"] and list(audit.units.all()) == [b.office(cast.a)]
    client.post(
        reverse("audits:team_add", args=[cast.a.pk, audit.pk]),
        {"person": cast.users["auditor"].pk, "is_lead": "on"},
    )
    assert audit.team.get().is_lead
    client.post(reverse("audits:plan_draft", args=[cast.a.pk, audit.pk]))
    page = client.get(audit.get_absolute_url()).content.decode()
    assert "Trưởng đoàn đánh giá" in page and 'id="plan-docx"' in page
    docx = client.get(reverse("audits:plan_docx", args=[cast.a.pk, audit.pk]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def _finding_data(audit):
    return {
        "kind": "minor",
        "clause": "7.5",
        "unit": audit.units.first().pk,
        "description": "Hồ sơ thiếu phiếu kiểm soát quá trình giải quyết.",
    }


def test_a_team_member_records_findings_for_that_audit_only(cast, login):
    audit = b.planned(cast)  # the cast's internal auditor leads it
    elsewhere = b.audit(cast.a, [b.office(cast.a)], title="Đợt khác")
    client = login(cast.users["auditor"])
    data = {**_finding_data(audit), "evidence": SimpleUploadedFile("bien-ban.pdf", PDF)}
    response = client.post(reverse("audits:finding_new", args=[cast.a.pk, audit.pk]), data)
    finding = Finding.objects.get()
    assert response.status_code == 302 and response.url == finding.get_absolute_url()
    assert finding.recorded_by == cast.users["auditor"] and finding.files.count() == 1
    stored = FindingFile.objects.get()
    download = client.get(reverse("audits:file", args=[cast.a.pk, stored.pk]))
    assert download.status_code == 200 and download.content == PDF
    page = client.get(finding.get_absolute_url()).content.decode()
    assert 'id="corrective-action"' in page  # a minor nonconformity
    url = reverse("audits:finding_new", args=[cast.a.pk, elsewhere.pk])
    assert client.post(url, _finding_data(elsewhere)).status_code == 403
    # A head of unit not on the team records nothing; the secretary records on every audit.
    refused = login(cast.users["unit_head"]).post(
        reverse("audits:finding_new", args=[cast.a.pk, audit.pk]), _finding_data(audit)
    )
    assert refused.status_code == 403 and Finding.objects.count() == 1
    assert (
        login(cast.users["secretary"])
        .post(reverse("audits:finding_new", args=[cast.a.pk, audit.pk]), _finding_data(audit))
        .status_code
        == 302
    )


def test_a_checklist_answer_is_recorded_by_the_team(cast, login):
    audit = b.planned(cast)
    bank = services.save_bank(QuestionBank(agency=cast.a, clause="9.2", title="Điều 9.2"))
    services.add_question(bank, "Đơn vị có chương trình đánh giá nội bộ?")
    assert (
        login(cast.users["staff"])
        .post(reverse("audits:checklist_build", args=[cast.a.pk, audit.pk]))
        .status_code
        == 403
    )
    login(cast.users["secretary"]).post(
        reverse("audits:checklist_build", args=[cast.a.pk, audit.pk])
    )
    item = ChecklistItem.objects.get(audit=audit)
    url = reverse("audits:answer", args=[cast.a.pk, audit.pk, item.pk])
    assert login(cast.users["staff"]).post(url, {"answer": "conforms"}).status_code == 403
    client = login(cast.users["auditor"])
    client.post(url, {"answer": "bogus"})
    item.refresh_from_db()
    assert item.answer == ""
    client.post(url, {"answer": "conforms", "evidence": "Chương trình số 05/CTr-SXD"})
    item.refresh_from_db()
    assert (item.answer, item.answered_by) == ("conforms", cast.users["auditor"])


def test_a_bad_finding_says_why_and_changes_nothing(cast, login):
    audit = b.planned(cast)
    client = login(cast.users["auditor"])
    url = reverse("audits:finding_new", args=[cast.a.pk, audit.pk])
    data = {**_finding_data(audit), "clause": "99.9", "description": ""}
    data["evidence"] = SimpleUploadedFile("virus.exe", b"MZ...")
    page = client.post(url, data).content.decode()
    assert "không được chấp nhận" in page
    assert not Finding.objects.exists()


def test_another_agency_sees_nothing_and_changes_nothing(cast, login):
    audit = b.planned(cast)
    finding = b.finding(audit, cast.users["auditor"])
    client = login(cast.users["secretary_b"])
    for url in (
        audit.get_absolute_url(),
        finding.get_absolute_url(),
        reverse("audits:programme", args=[cast.a.pk]),
        reverse("audits:list", args=[cast.a.pk]),
        reverse("audits:plan_docx", args=[cast.a.pk, audit.pk]),
        reverse("audits:export", args=[cast.a.pk, 2026]),
    ):
        assert client.get(url).status_code == 404
    # Through their own agency's address, A's records are not found either.
    assert client.get(reverse("audits:detail", args=[cast.b.pk, audit.pk])).status_code == 404
    assert client.get(reverse("audits:finding", args=[cast.b.pk, finding.pk])).status_code == 404
    edit = reverse("audits:finding_edit", args=[cast.b.pk, finding.pk])
    assert client.post(edit, _finding_data(audit)).status_code == 404
    step = reverse("audits:step", args=[cast.b.pk, audit.pk, "hold"])
    assert client.post(step).status_code == 404
    audit.refresh_from_db()
    assert audit.status == Audit.Status.PLANNED


def test_the_pages_refuse_the_wrong_method(cast, login):
    audit = b.planned(cast)
    client = login(cast.users["secretary"])
    assert client.post(audit.get_absolute_url()).status_code == 405
    assert client.get(reverse("audits:step", args=[cast.a.pk, audit.pk, "hold"])).status_code == 405
    assert client.get(reverse("audits:programme_create", args=[cast.a.pk, 2026])).status_code == 405
    assert client.post(reverse("audits:export", args=[cast.a.pk, 2026])).status_code == 405


@pytest.mark.parametrize("role", ["head", "unit_head", "staff", "auditor", "overseer"])
def test_only_the_secretary_manages_audits(cast, login, role):
    audit = b.audit(cast.a, [b.office(cast.a)])
    client = login(cast.users[role])
    for url in (
        reverse("audits:plan_draft", args=[cast.a.pk, audit.pk]),
        reverse("audits:team_add", args=[cast.a.pk, audit.pk]),
        reverse("audits:banks", args=[cast.a.pk]),
        reverse("audits:auditors", args=[cast.a.pk]),
    ):
        assert client.post(url, {}).status_code == 403
    assert client.get(audit.get_absolute_url()).status_code == 200


def test_the_secretary_holds_the_audit_and_the_report_locks_it(cast, login):
    audit = b.planned(cast)
    b.finding(audit, cast.users["auditor"], "strength")
    client = login(cast.users["secretary"])
    step = reverse("audits:step", args=[cast.a.pk, audit.pk, "hold"])
    assert login(cast.users["auditor"]).post(step).status_code == 403
    client = login(cast.users["secretary"])
    assert (
        client.post(reverse("audits:step", args=[cast.a.pk, audit.pk, "nope"])).status_code == 404
    )
    client.post(step)
    audit.refresh_from_db()
    assert audit.status == Audit.Status.HELD
    client.post(reverse("audits:report_draft", args=[cast.a.pk, audit.pk]))
    client.post(
        reverse("audits:report_conclusion", args=[cast.a.pk, audit.pk]),
        {"conclusion": "Hệ thống được duy trì phù hợp."},
    )
    report = audit.report
    b.sign(report, cast, D(2026, 6, 15), 30)
    audit.refresh_from_db()
    assert audit.is_locked
    page = client.get(audit.get_absolute_url()).content.decode()
    assert 'id="locked"' in page and 'id="new-finding"' not in page
    finding = audit.findings.get()
    response = login(cast.users["auditor"]).post(
        reverse("audits:finding_edit", args=[cast.a.pk, finding.pk]),
        _finding_data(audit),
        follow=True,
    )
    assert "không còn thay đổi được" in response.content.decode()
    finding.refresh_from_db()
    assert finding.kind == "strength"
    docx = client.get(reverse("audits:report_docx", args=[cast.a.pk, audit.pk]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_the_years_findings_export_as_xlsx(cast, login):
    audit = b.planned(cast)
    b.finding(audit, cast.users["auditor"], "major", description="=HYPERLINK(1)")
    b.finding(audit, cast.users["auditor"], "improvement", description="Cải tiến biểu mẫu")
    response = login(cast.users["staff"]).get(reverse("audits:export", args=[cast.a.pk, 2026]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["I2"].data_type == "s"  # user text never runs as a formula
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][4] == "Loại" and len(rows) == 3
    assert rows[1][4] == "Không phù hợp nặng" and rows[1][5] == "7.5 Thông tin dạng văn bản"
    assert rows[2][4] == "Cơ hội cải tiến"


def test_qualifications_are_recorded_with_their_certificate(cast, login):
    client = login(cast.users["secretary"])
    url = reverse("audits:auditors", args=[cast.a.pk])
    data = {
        "person": cast.users["staff"].pk,
        "certificate_number": "125/CN-ĐT",
        "issued_by": "Trung tâm Chứng nhận Phù hợp (QUACERT)",
        "issued_on": "20/05/2025",
        "file": SimpleUploadedFile("chung-chi.pdf", PDF),
    }
    assert client.post(url, data).status_code == 302
    qualification = AuditorQualification.objects.get()
    assert qualification.file_name == "chung-chi.pdf"
    page = client.get(url).content.decode()
    assert "125/CN-ĐT" in page and "20/05/2025" in page
    file = client.get(reverse("audits:auditor_file", args=[cast.a.pk, qualification.pk]))
    assert file.status_code == 200
    data["person"] = cast.users["secretary_b"].pk
    data["file"] = SimpleUploadedFile("chung-chi.pdf", PDF)
    page = client.post(url, data).content.decode()
    assert "lựa chọn" in page and AuditorQualification.objects.count() == 1


def test_question_banks_are_kept_and_questions_retired(cast, login):
    client = login(cast.users["secretary"])
    url = reverse("audits:banks", args=[cast.a.pk])
    page = client.post(url, {"title": "Không có gì"}).content.decode()
    assert "Chọn một điều khoản của tiêu chuẩn hoặc một quy trình." in page
    response = client.post(url, {"title": "Kiểm soát thông tin dạng văn bản", "clause": "7.5"})
    bank = QuestionBank.objects.get()
    assert response.url == bank.get_absolute_url()
    client.post(bank.get_absolute_url(), {"text": "Tài liệu có được kiểm soát?"})
    question = bank.questions.get()
    client.post(reverse("audits:question_toggle", args=[cast.a.pk, question.pk]))
    question.refresh_from_db()
    assert not question.is_active
    assert "Kiểm soát thông tin dạng văn bản" in client.get(url).content.decode()


def test_the_other_pages_cost_the_same_whatever_the_rows(cast, login):
    client = login(cast.users["secretary"])
    audit = b.planned(cast)
    finding = b.finding(audit, cast.users["auditor"])
    bank = services.save_bank(QuestionBank(agency=cast.a, clause="7.5", title="Điều 7.5"))
    services.add_question(bank, "Câu hỏi 1")
    urls = [
        finding.get_absolute_url(),
        reverse("audits:auditors", args=[cast.a.pk]),
        reverse("audits:banks", args=[cast.a.pk]),
        bank.get_absolute_url(),
    ]
    few = [_count(client, url) for url in urls]
    for n in range(8):
        services.add_file(finding, _checked(f"bang-chung-{n}.pdf"), cast.users["auditor"])
        b.qualify(cast.a, cast.users["staff"], number=f"CC-{n}")
        services.add_question(bank, f"Câu hỏi {n + 2}")
        services.save_bank(QuestionBank(agency=cast.a, clause="8.5", title=f"Bộ {n}"))
    assert [_count(client, url) for url in urls] == few


def _checked(name):
    from qms.lib.uploads import EVIDENCE_FILES, check_upload

    return check_upload(SimpleUploadedFile(name, PDF), EVIDENCE_FILES)


HOSTILE = ["", "0", "-1", "99999999999999999999999", "abc", "31/12/9999", "=cmd|'/C calc'!A0"]


def test_no_hostile_value_breaks_a_screen(cast, login):
    client = login(cast.users["secretary"])
    audit = b.planned(cast)
    finding = b.finding(audit, cast.users["auditor"])
    programme = audit.programme
    draft = b.audit(cast.a, [b.office(cast.a)], title="Đợt nháp")
    posts = [
        (
            reverse("audits:row_add", args=[cast.a.pk, programme.pk]),
            ["unit", "procedure", "months"],
        ),
        (
            reverse("audits:new", args=[cast.a.pk, programme.pk]),
            ["title", "starts_on", "ends_on", "units", "procedures", "clauses"],
        ),
        (
            reverse("audits:edit", args=[cast.a.pk, draft.pk]),
            ["title", "starts_on", "ends_on", "units", "clauses"],
        ),
        (reverse("audits:team_add", args=[cast.a.pk, draft.pk]), ["person", "is_lead"]),
        (
            reverse("audits:finding_new", args=[cast.a.pk, audit.pk]),
            ["kind", "clause", "unit", "procedure", "description"],
        ),
        (
            reverse("audits:finding_edit", args=[cast.a.pk, finding.pk]),
            ["kind", "clause", "unit", "description"],
        ),
        (
            reverse("audits:auditors", args=[cast.a.pk]),
            ["person", "certificate_number", "issued_by", "issued_on"],
        ),
        (reverse("audits:banks", args=[cast.a.pk]), ["title", "clause", "procedure"]),
        (reverse("audits:report_conclusion", args=[cast.a.pk, audit.pk]), ["conclusion"]),
    ]
    for url, fields in posts:
        for value in HOSTILE:
            response = client.post(url, dict.fromkeys(fields, value))
            assert response.status_code < 500, (url, value)
    for value in HOSTILE:
        for url in (
            reverse("audits:list", args=[cast.a.pk]),
            reverse("audits:programme", args=[cast.a.pk]),
        ):
            assert (
                client.get(
                    url, {"year": value, "unit": value, "status": value, "page": value}
                ).status_code
                == 200
            )
    assert Finding.objects.count() == 1 and audit.team.count() == 1
