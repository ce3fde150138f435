"""The catalogue pages: the province's catalogue kept by its Sở KH&CN and read by every
agency of the province; the import, its error report, preview and application; the agency's
subset of it; who may do what, and what another province never sees."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from conftest import make_person
from qms.organization.models import Role, Unit
from qms.procedures import catalogue, views_catalogue
from qms.procedures.models import AdminProcedure, AgencyProcedure, CatalogueImport
from qms.procedures.tests.test_catalogue_files import BASE, HEADERS, rows_csv, rows_xlsx

DECIDED = dt.date(2026, 5, 15)


@pytest.fixture
def loaded(cast):
    found = catalogue.preview(
        cast.a.province, rows_csv(BASE), ".csv", "d.csv", whole=False, by=cast.users["overseer"]
    )
    catalogue.apply(found, "1234/QĐ-UBND", DECIDED, cast.users["overseer"])
    return cast


def _catalogue(cast, **query):
    return reverse("procedures:catalogue", args=[cast.dost1.pk])


def _upload(client, cast, content, name="danh-muc.csv", **extra):
    url = reverse("procedures:catalogue_import", args=[cast.dost1.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content), **extra})


def test_every_agency_of_the_province_reads_the_catalogue(loaded, login):
    cast = loaded
    for who in ("staff", "secretary", "overseer"):
        page = login(cast.users[who]).get(_catalogue(cast)).content.decode()
        assert "Cấp giấy phép lao động cho người lao động nước ngoài" in page
    assert login(cast.users["secretary_b"]).get(_catalogue(cast)).status_code == 404
    # Only a Sở KH&CN keeps one: another agency's id is no catalogue.
    url = reverse("procedures:catalogue", args=[cast.a.pk])
    assert login(cast.users["secretary"]).get(url).status_code == 404


def test_the_catalogue_is_searched_without_diacritics_and_filtered(loaded, login):
    client = login(loaded.users["staff"])
    page = client.get(_catalogue(loaded), {"q": "GIAY PHEP lao dong"}).content.decode()
    assert "2.000205.000.00.00.H38" in page and "1.009994.000.00.00.H38" not in page
    page = client.get(_catalogue(loaded), {"q": "1.009645"}).content.decode()
    assert "Cấp Giấy chứng nhận đăng ký đầu tư" in page
    assert "Điều chỉnh Giấy chứng nhận" not in page
    page = client.get(_catalogue(loaded), {"field": "Xây dựng"}).content.decode()
    assert "Cấp giấy phép xây dựng" in page and "1.009645.000.00.00.H38" not in page


def test_the_catalogue_page_costs_the_same_whatever_its_size(loaded, login):
    client = login(loaded.users["staff"])

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_catalogue(loaded), {"q": "cap"}).status_code == 200
        return len(ctx)

    few = queries()
    AdminProcedure.objects.bulk_create(
        AdminProcedure(
            province=loaded.a.province,
            code=f"1.{800000 + n:06d}.H38",
            name=f"Cấp phép thử {n}",
            field=f"Lĩnh vực {n % 7}",
            level="province",
        )
        for n in range(80)
    )
    assert queries() == few


def test_only_the_so_keeps_the_catalogue(loaded, login):
    cast = loaded
    assert _upload(login(cast.users["secretary"]), cast, rows_csv(BASE)).status_code == 403
    assert _upload(login(cast.users["secretary_b"]), cast, rows_csv(BASE)).status_code == 404
    secretary = make_person(cast.dost1, "thuky.so", [Role.ISO_SECRETARY])
    response = _upload(login(secretary), cast, rows_csv(BASE))
    assert response.status_code == 302


def test_a_bad_file_is_reported_row_by_row_and_imports_nothing(cast, login):
    bad = [("1.00964", "Cấp phép", "Đầu tư", "Cấp tỉnh", "-1", "", "", "")]
    page = _upload(login(cast.users["overseer"]), cast, rows_xlsx(bad), "dm.xlsx").content.decode()
    assert "Tệp có 2 lỗi; chưa nhập dòng nào." in page
    assert "không đúng dạng mã TTHC quốc gia (ví dụ 1.000948.H38)" in page
    assert "<td>3</td><td>Thời hạn giải quyết</td><td>-1</td>" in page
    assert not CatalogueImport.objects.exists()


def test_a_file_of_another_type_is_refused(cast, login):
    response = _upload(login(cast.users["overseer"]), cast, b"%PDF-1.4", "dm.pdf")
    assert "Loại tệp này không được chấp nhận" in response.content.decode()


def test_import_preview_and_apply_through_the_pages(loaded, login):
    cast = loaded
    client = login(cast.users["overseer"])
    changed = [(*BASE[0][:4], "8", "ngày làm việc", "Toàn trình", ""), *BASE[1:3]]
    response = _upload(client, cast, rows_csv(changed), whole="on")
    preview = client.get(response["Location"]).content.decode()
    assert "Thời hạn theo quy định" in preview and "<del>15</del> → 8" in preview
    assert 'id="count-abolished">1<' in preview
    found = CatalogueImport.objects.get(status="preview")
    url = reverse("procedures:catalogue_apply", args=[cast.dost1.pk, found.pk])
    refused = client.post(url, {"decision_number": "", "decision_date": "2026-09-01"})
    assert "Trường này là bắt buộc" in refused.content.decode()
    response = client.post(url, {"decision_number": "99/QĐ-UBND", "decision_date": "2026-09-01"})
    assert response.status_code == 302
    gone = AdminProcedure.objects.get(code="1.009994.000.00.00.H38")
    assert (gone.status, gone.abolished_on) == ("abolished", dt.date(2026, 9, 1))
    again = _upload(client, cast, rows_csv(changed), whole="on")
    page = client.get(again["Location"]).content.decode()
    assert "Tệp không thay đổi gì" in page and "apply-form" not in page


def test_the_exported_catalogue_imports_back_without_any_change(loaded, login):
    """The XLSX holds the filtered catalogue in the import's own columns and words: the Sở
    edits it in a spreadsheet and imports it back. A TTHC abolished, one with half days and
    one amended go through too."""
    cast = loaded
    half = AdminProcedure.objects.get(code=BASE[1][0])
    half.time_days, half.status, half.amended_on = Decimal("7.5"), "amended", DECIDED
    half.save()
    AdminProcedure.objects.filter(code=BASE[2][0]).update(status="abolished", abolished_on=DECIDED)
    url = reverse("procedures:catalogue_export", args=[cast.dost1.pk])
    client = login(cast.users["staff"])  # any member of an agency of the province reads it
    content = client.get(url).content
    rows = list(
        CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    )
    assert rows[0][:9] == ["STT", *HEADERS[1:]]
    assert len(rows) == 1 + AdminProcedure.objects.filter(province=cast.a.province).count()
    by_code = {row[1]: row for row in rows[1:]}
    assert by_code[half.code][2] == half.name and by_code[half.code][5] == 7.5
    assert by_code[half.code][8] == "Sửa đổi, bổ sung" and by_code[BASE[2][0]][8] == "Bãi bỏ"
    assert by_code[BASE[0][0]][9:11] == ["1234/QĐ-UBND", DECIDED]
    changes = catalogue.diff(cast.a.province, catalogue.parse(content, ".xlsx"), whole=True)
    assert not catalogue.has_changes(changes)
    field = login(cast.users["staff"]).get(url, {"field": "Xây dựng"}).content
    shown = CalamineWorkbook.from_filelike(io.BytesIO(field)).get_sheet_by_index(0).to_python()
    assert {row[3] for row in shown[1:]} == {"Xây dựng"}
    assert login(cast.users["secretary_b"]).get(url).status_code == 404


# --- the agency's subset ------------------------------------------------------------------


def _handlings(cast):
    return reverse("procedures:handlings", args=[cast.a.pk])


def _code(code):
    return AdminProcedure.objects.get(code=code)


def test_the_secretary_adds_tthc_and_a_whole_field(loaded, login):
    cast = loaded
    client = login(cast.users["secretary"])
    office = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    url = reverse("procedures:handling_add", args=[cast.a.pk])
    client.post(url, {"procedures": [_code(BASE[2][0]).pk], "unit": office.pk})
    url = reverse("procedures:handling_add_field", args=[cast.a.pk])
    response = client.post(url, {"field": "Đầu tư"})
    assert response.status_code == 302
    handled = AgencyProcedure.objects.filter(agency=cast.a, is_active=True)
    assert sorted(h.procedure.code for h in handled) == sorted(r[0] for r in BASE[:3])
    page = client.get(_handlings(cast)).content.decode()
    assert "Cấp giấy phép lao động cho người lao động nước ngoài" in page
    first = handled.first()
    assert reverse("procedures:steps", args=[cast.a.pk, first.pk]) in page
    # The chooser offers the rest of the catalogue, diacritics folded.
    choices = reverse("procedures:choices", args=[cast.a.pk])
    answer = client.get(choices, {"name": "procedures", "multiple": "1", "q": "xay dung"})
    assert "Cấp giấy phép xây dựng" in answer.content.decode()


def test_a_committed_time_longer_than_the_statutory_one_is_refused(loaded, login):
    cast = loaded
    handling = AgencyProcedure.objects.create(agency=cast.a, procedure=_code(BASE[2][0]))
    url = reverse("procedures:handling_edit", args=[cast.a.pk, handling.pk])
    client = login(cast.users["secretary"])
    page = client.post(url, {"committed_days": "6", "unit": "", "document": ""}).content.decode()
    assert "Thời gian cam kết (6 ngày) không được vượt thời hạn theo quy định (5 ngày)." in page
    handling.refresh_from_db()
    assert handling.committed_days is None
    assert (
        client.post(url, {"committed_days": "3.5", "unit": "", "document": ""}).status_code == 302
    )
    handling.refresh_from_db()
    assert handling.committed_days == Decimal("3.5")


def test_the_head_of_a_unit_manages_only_the_tthc_of_its_unit(loaded, login):
    cast = loaded
    office = Unit.objects.get(agency=cast.a, name="Văn phòng Sở")
    other = Unit.objects.create(agency=cast.a, name="Phòng Quản lý xây dựng")
    mine = AgencyProcedure.objects.create(agency=cast.a, procedure=_code(BASE[0][0]), unit=office)
    theirs = AgencyProcedure.objects.create(agency=cast.a, procedure=_code(BASE[1][0]), unit=other)
    client = login(cast.users["unit_head"])
    stop = "procedures:handling_stop"
    assert client.post(reverse(stop, args=[cast.a.pk, theirs.pk])).status_code == 403
    assert client.post(reverse(stop, args=[cast.a.pk, mine.pk])).status_code == 302
    mine.refresh_from_db()
    assert mine.is_active is False and mine.history.count() == 2
    # Moving a TTHC of its unit to another unit is not its call either.
    again = AgencyProcedure.objects.create(agency=cast.a, procedure=_code(BASE[2][0]), unit=office)
    url = reverse("procedures:handling_edit", args=[cast.a.pk, again.pk])
    assert client.post(url, {"committed_days": "", "unit": other.pk}).status_code == 403


def test_another_agency_never_reaches_the_subset(loaded, login):
    cast = loaded
    handling = AgencyProcedure.objects.create(agency=cast.a, procedure=_code(BASE[0][0]))
    client = login(cast.users["secretary_b"])
    assert client.get(_handlings(cast)).status_code == 404
    url = reverse("procedures:handling_edit", args=[cast.b.pk, handling.pk])
    assert client.get(url).status_code == 404
    # A TTHC of another province cannot be added: it is no choice.
    url = reverse("procedures:handling_add", args=[cast.b.pk])
    client.post(url, {"procedures": [handling.procedure_id]})
    assert not AgencyProcedure.objects.filter(agency=cast.b).exists()


def test_the_overseer_reads_the_subset_and_changes_nothing(loaded, login):
    cast = loaded
    handling = AgencyProcedure.objects.create(agency=cast.a, procedure=_code(BASE[0][0]))
    client = login(cast.users["overseer"])
    page = client.get(_handlings(cast)).content.decode()
    assert "Cấp Giấy chứng nhận đăng ký đầu tư" in page and "Thôi thực hiện" not in page
    url = reverse("procedures:handling_stop", args=[cast.a.pk, handling.pk])
    assert client.post(url).status_code == 403


def test_the_subset_page_costs_the_same_whatever_the_number_of_tthc(loaded, login):
    cast = loaded
    client = login(cast.users["secretary"])

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_handlings(cast)).status_code == 200
        return len(ctx)

    AgencyProcedure.objects.create(agency=cast.a, procedure=_code(BASE[0][0]))
    few = queries()
    for row in BASE[1:]:
        AgencyProcedure.objects.create(agency=cast.a, procedure=_code(row[0]))
    assert queries() == few


def test_the_subset_is_listed_a_page_at_a_time(loaded, login, monkeypatch):
    cast = loaded
    monkeypatch.setattr(views_catalogue, "PAGE_SIZE", 2)
    for row in BASE[:3]:
        AgencyProcedure.objects.create(agency=cast.a, procedure=_code(row[0]))
    client = login(cast.users["secretary"])
    first = client.get(_handlings(cast)).content.decode()
    second = client.get(_handlings(cast), {"page": 2}).content.decode()
    assert first.count('<tr id="handling-') == 2 and second.count('<tr id="handling-') == 1
    assert "3 thủ tục" in first and "Trang 2/2" in second
