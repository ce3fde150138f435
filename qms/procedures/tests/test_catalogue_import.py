"""Importing the province's catalogue: every error named, nothing imported from a bad file;
a preview of what is new, amended and abolished; applying it exactly, once; and what the
change asks of the agencies (the plan event, the revisions of the covering procedures)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from qms.agenda.models import InboxItem, Obligation
from qms.documents.models import Document, Kind, Revision
from qms.organization.models import Unit
from qms.plans import services as plan_services
from qms.plans.models import Plan
from qms.procedures import catalogue
from qms.procedures.models import AdminProcedure, AgencyProcedure, CatalogueImport
from qms.procedures.tests.test_catalogue_files import BASE, rows_csv, rows_xlsx

DECIDED = dt.date(2026, 5, 15)


def _preview(cast, rows, *, whole=False, xlsx=False):
    content = rows_xlsx(rows) if xlsx else rows_csv(rows)
    return catalogue.preview(
        cast.a.province,
        content,
        ".xlsx" if xlsx else ".csv",
        "danh-muc.csv",
        whole=whole,
        by=cast.users["overseer"],
    )


def _apply(cast, found, number="1234/QĐ-UBND", day=DECIDED):
    catalogue.apply(found, number, day, cast.users["overseer"])


@pytest.fixture
def loaded(cast):
    _apply(cast, _preview(cast, BASE))
    return cast


def test_a_bad_file_imports_nothing_and_names_each_error(cast):
    bad = [
        (
            "1.00964",
            "Cấp Giấy chứng nhận đăng ký đầu tư",
            "Đầu tư",
            "Cấp tỉnh",
            "15",
            "ngày",
            "",
            "",
        ),
        ("1.009646.H38", "", "Đầu tư", "Cấp vùng", "mười", "ngày làm việc", "", ""),
        ("1.009646.H38", "Điều chỉnh", "", "Cấp xã", "2.3", "giờ", "Mức độ 9", "Tạm ngưng"),
    ]
    with pytest.raises(catalogue.CatalogueFileError) as raised:
        _preview(cast, bad)
    found = {(e.row, e.column, e.value): e.why for e in raised.value.errors}
    assert found == {
        (2, "Mã TTHC", "1.00964"): "không đúng dạng mã TTHC quốc gia (ví dụ 1.000948.H38)",
        (3, "Tên thủ tục hành chính", ""): "bắt buộc",
        (3, "Cấp thực hiện", "Cấp vùng"): "không phải cấp thực hiện đã biết (tỉnh, huyện, xã)",
        (3, "Thời hạn giải quyết", "mười"): "không phải số ngày ≥ 0 (cho phép nửa ngày)",
        (4, "Lĩnh vực", ""): "bắt buộc",
        (4, "Thời hạn giải quyết", "2.3"): "không phải số ngày ≥ 0 (cho phép nửa ngày)",
        (4, "Đơn vị tính", "giờ"): "không phải “ngày làm việc” hoặc “ngày”",
        (
            4,
            "Mức độ DVC trực tuyến",
            "Mức độ 9",
        ): "không phải “Toàn trình”, “Một phần” hoặc để trống",
        (
            4,
            "Tình trạng",
            "Tạm ngưng",
        ): "không phải tình trạng đã biết (để trống, còn hiệu lực, bãi bỏ)",
        (4, "Mã TTHC", "1.009646.H38"): "trùng với dòng 3",
    }
    assert not CatalogueImport.objects.exists()
    assert not AdminProcedure.objects.exists()


def test_a_file_without_the_columns_is_refused_by_name(cast):
    content = rows_csv([("1.009645.H38", "Tên")], headers=["STT", "Mã TTHC", "Tên TTHC"])
    with pytest.raises(ValidationError) as raised:
        catalogue.preview(
            cast.a.province, content, ".csv", "x.csv", whole=False, by=cast.users["overseer"]
        )
    assert "Lĩnh vực, Cấp thực hiện, Thời hạn giải quyết" in raised.value.messages[0]


def test_headers_are_matched_whatever_their_case_and_diacritics(cast):
    headers = [
        "stt",
        "MA TTHC",
        "ten thu tuc hanh chinh",
        "LĨNH VỰC",
        "cap thuc hien",
        "Thời gian giải quyết",
    ]
    rows = parse_rows = catalogue.parse(
        rows_csv([row[:5] for row in BASE], headers=headers), ".csv"
    )
    assert [r["code"] for r in rows] == [row[0] for row in BASE]
    assert parse_rows[0]["day_kind"] == "working"  # no unit column: working days


def test_the_district_level_is_refused_for_a_decision_from_july_2025(cast):
    district = [
        ("1.001234.000.00.00.H55", "Đăng ký khai sinh", "Hộ tịch", "Cấp huyện", "3", "", "", "")
    ]
    with pytest.raises(catalogue.CatalogueFileError) as raised:
        catalogue.parse(rows_csv(district), ".csv", dt.date(2025, 7, 1))
    assert (
        raised.value.errors[0].why
        == "không còn cấp huyện trong danh mục công bố từ ngày 01/07/2025"
    )
    found = _preview(cast, district)  # no date given yet: checked when applied
    with pytest.raises(ValidationError, match="cấp huyện"):
        _apply(cast, found, day=dt.date(2025, 8, 1))
    _apply(cast, found, day=dt.date(2025, 6, 30))
    assert AdminProcedure.objects.get().level == "district"


def test_a_first_import_adds_every_tthc_with_its_decision(cast):
    found = _preview(cast, BASE, xlsx=True)
    assert [e["code"] for e in found.changes["new"]] == [row[0] for row in BASE]
    assert AdminProcedure.objects.count() == 0  # a preview changes nothing
    _apply(cast, found)
    first = AdminProcedure.objects.get(code="1.009645.000.00.00.H38")
    assert (first.time_days, first.day_kind, first.online) == (Decimal(15), "calendar", "full")
    assert (first.decision_number, first.decision_date, first.in_force_from) == (
        "1234/QĐ-UBND",
        DECIDED,
        DECIDED,
    )
    found.refresh_from_db()
    assert found.status == CatalogueImport.Status.APPLIED


def test_reimporting_the_same_file_changes_nothing(loaded):
    found = _preview(loaded, BASE, whole=True, xlsx=True)
    assert catalogue.has_changes(found.changes) is False
    assert found.changes["unchanged"] == len(BASE)
    with pytest.raises(ValidationError, match="không thay đổi gì"):
        _apply(loaded, found)


def test_a_reimport_shows_and_applies_the_amended_and_abolished_rows(loaded):
    amended = list(BASE)
    amended[0] = (*BASE[0][:4], "8", "ngày làm việc", "Toàn trình", "")
    amended[2] = (*BASE[2][:7], "Bãi bỏ")
    added = (
        "1.011111.000.00.00.H38",
        "Cấp giấy phép môi trường",
        "Môi trường",
        "Cấp tỉnh",
        "20",
        "",
        "",
        "",
    )
    found = _preview(loaded, [*amended[:3], added], whole=True)
    changes = found.changes
    assert [e["code"] for e in changes["new"]] == ["1.011111.000.00.00.H38"]
    assert changes["amended"] == [
        {
            "code": "1.009645.000.00.00.H38",
            "name": "Cấp Giấy chứng nhận đăng ký đầu tư",
            "changes": {"time_days": ["15", "8"], "day_kind": ["calendar", "working"]},
        }
    ]
    # Marked "bãi bỏ", and absent from a file that is the whole catalogue.
    assert {e["code"] for e in changes["abolished"]} == {
        "2.000205.000.00.00.H38",
        "1.009994.000.00.00.H38",
    }
    _apply(loaded, found, "2000/QĐ-UBND", dt.date(2026, 9, 1))
    first = AdminProcedure.objects.get(code="1.009645.000.00.00.H38")
    assert (first.status, first.time_days, first.amended_on) == ("amended", 8, dt.date(2026, 9, 1))
    gone = AdminProcedure.objects.get(code="2.000205.000.00.00.H38")
    assert (gone.status, gone.abolished_on) == ("abolished", dt.date(2026, 9, 1))
    assert AdminProcedure.objects.count() == 5  # nothing deleted
    assert [h.status for h in gone.history.order_by("history_date")] == ["in_force", "abolished"]
    again = _preview(loaded, [*amended[:3], added], whole=True)
    assert catalogue.has_changes(again.changes) is False


def test_a_file_that_is_not_the_whole_catalogue_abolishes_only_what_it_marks(loaded):
    found = _preview(loaded, BASE[:1])
    assert found.changes["abolished"] == []


def test_a_preview_is_applied_once_and_not_after_the_catalogue_changed(loaded):
    changed = [(*BASE[0][:4], "12", "ngày", "Toàn trình", "")]
    first, second = _preview(loaded, changed), _preview(loaded, changed)
    _apply(loaded, first)
    with pytest.raises(ValidationError, match="đã được áp dụng"):
        _apply(loaded, first)
    with pytest.raises(ValidationError, match="đã thay đổi"):
        _apply(loaded, second)


def _issued_plan(agency, year=2026):
    plan = plan_services.create_plan(agency, year=year, title=f"Kế hoạch ISO năm {year}")
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ISSUED)
    return plan


def _cover(agency, code, document_code, unit=None):
    document = Document.objects.create(
        agency=agency,
        code=document_code,
        kind=Kind.TTHC_PROCEDURE,
        title=f"Quy trình {document_code}",
        status=Document.Status.IN_FORCE,
        owner_unit=unit,
    )
    procedure = AdminProcedure.objects.get(province=agency.province, code=code)
    return AgencyProcedure.objects.create(
        agency=agency, procedure=procedure, document=document, unit=unit
    )


def test_applying_a_change_records_the_plan_event_and_the_revisions(loaded):
    cast = loaded
    office = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    handling = _cover(cast.a, "1.009645.000.00.00.H38", "QT.DT.01", office)
    plan_a, plan_a2, plan_b = _issued_plan(cast.a), _issued_plan(cast.a2), _issued_plan(cast.b)
    changed = [(*BASE[0][:4], "8", "ngày làm việc", "Toàn trình", ""), *BASE[1:]]
    _apply(cast, _preview(cast, changed), "2000/QĐ-UBND", dt.date(2026, 9, 1))
    # Only the agency that handles the amended TTHC; a change adding none leaves the others.
    assert list(plan_a.events.values_list("event", "occurred_on")) == [
        ("tthc_catalogue_approved", dt.date(2026, 9, 1))
    ]
    assert not plan_a2.events.exists() and not plan_b.events.exists()
    obligation = Obligation.objects.get(source__startswith=f"procedures.revise:{cast.a.pk}:")
    assert obligation.due_date == dt.date(2026, 12, 1)  # 3 months (QĐ 19 Art. 4.4(a))
    assert obligation.owner_unit_id == office.pk
    assert obligation.state == Obligation.State.OPEN
    assert "QT.DT.01" in obligation.title and "2000/QĐ-UBND" in obligation.title
    inbox = InboxItem.objects.filter(source=obligation.source, done_at__isnull=True)
    assert {i.user.username for i in inbox} == {"secretary", "unit_head"}
    # The procedure issued anew after the decision: the revision is done.
    document = handling.document
    revision = Revision.objects.create(
        document=document,
        revision_no=2,
        status=Revision.Status.ISSUED,
        issued_on=dt.date(2026, 10, 1),
    )
    document.current_revision = revision
    document.save(update_fields=["current_revision"])
    obligation.refresh_from_db()
    assert obligation.state == Obligation.State.DONE
    assert not InboxItem.objects.filter(source=obligation.source, done_at__isnull=True).exists()


def test_adding_tthc_records_the_event_for_every_agency_of_the_province(loaded):
    cast = loaded
    plan_a, plan_a2, plan_b = _issued_plan(cast.a), _issued_plan(cast.a2), _issued_plan(cast.b)
    old_plan = _issued_plan(cast.a, 2025)
    added = (
        "1.011111.000.00.00.H38",
        "Cấp giấy phép môi trường",
        "Môi trường",
        "Cấp tỉnh",
        "20",
        "",
        "",
        "",
    )
    _apply(loaded, _preview(cast, [*BASE, added]), "2000/QĐ-UBND", dt.date(2026, 9, 1))
    assert plan_a.events.filter(event="tthc_catalogue_approved").exists()
    assert plan_a2.events.filter(event="tthc_catalogue_approved").exists()
    assert not plan_b.events.exists()  # another province
    assert not old_plan.events.exists()  # a plan not covering the decision's date
    assert not Obligation.objects.filter(source__startswith="procedures.revise:").exists()
