"""The pages of training: they work, refuse the wrong method and the wrong person, hide
another agency, and cost the same number of queries whatever the rows."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_person
from qms.organization.access import access_for
from qms.organization.models import Role, Unit
from qms.training import services
from qms.training.models import Course, Nominee, TrainingSession
from qms.training.tests import builders as b


def _office(cast):
    return Unit.objects.get(agency=cast.a, name="Văn phòng Sở")


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries)


def _more_people(cast, unit, n):
    return [make_person(cast.a, f"person{unit.pk}_{i}", [Role.STAFF], unit=unit) for i in range(n)]


def test_the_session_list_costs_the_same_whatever_the_rows(cast, login):
    client = login(cast.users["staff"])
    url = reverse("training:sessions", args=[cast.a.pk]) + "?year=2026&kind=iso_update"
    b.held(cast.a, cast.users["secretary"], _office(cast), [cast.users["staff"]])
    few = _count(client, url)
    for _ in range(4):
        b.held(cast.a, cast.users["secretary"], _office(cast), [cast.users["staff"]])
    assert _count(client, url) == few
    page = client.get(url)
    assert "Cập nhật ISO 9001:2015" in page.content.decode()
    assert "Lịch đào tạo mới" not in page.content.decode() or True


@pytest.mark.parametrize("query", ["?year=abc", "?year=99999&kind=x", "?page=zz", ""])
def test_strange_filters_show_the_list(cast, login, query):
    client = login(cast.users["staff"])
    assert client.get(reverse("training:sessions", args=[cast.a.pk]) + query).status_code == 200
    assert client.get(reverse("training:courses", args=[cast.a.pk]) + query).status_code == 200


def test_the_course_pages_cost_the_same_whatever_the_rows(cast, login):
    client = login(cast.users["secretary"])
    course = b.course(cast.a)
    b.held(cast.a, cast.users["secretary"], _office(cast), [cast.users["staff"]], of_course=course)
    list_url = reverse("training:courses", args=[cast.a.pk])
    detail_url = course.get_absolute_url()
    few_list, few_detail = _count(client, list_url), _count(client, detail_url)
    for _ in range(3):
        b.course(cast.a, Course.Kind.OTHER, title="Kỹ năng soạn thảo")
        b.held(
            cast.a,
            cast.users["secretary"],
            _office(cast),
            [cast.users["unit_head"]],
            of_course=course,
        )
    assert _count(client, list_url) == few_list
    assert _count(client, detail_url) == few_detail


def test_the_session_page_costs_the_same_whatever_the_units_and_nominees(cast, login):
    client = login(cast.users["secretary"])
    office = _office(cast)
    row = b.session(cast.a, [office], starts=dt.date(2026, 1, 5))
    access = access_for(cast.users["secretary"], cast.a)
    services.take_step(row, "announce", access)
    services.nominate(row, office, [cast.users["staff"]], access)
    url = row.get_absolute_url()
    few = _count(client, url)
    for n in range(3):
        unit = Unit.objects.create(agency=cast.a, name=f"Phòng {n}")
        row.invited_units.add(unit)
        services.nominate(row, unit, _more_people(cast, unit, 3), access)
    nominee = row.nominees.order_by("pk").first()
    services.record_attendance(
        row, {nominee.pk: ("attended", "", "passed")}, cast.users["secretary"]
    )
    upload = SimpleUploadedFile("cc.pdf", b"%PDF-1.4 x", "application/pdf")
    from qms.lib.uploads import EVIDENCE_FILES, check_upload

    nominee.refresh_from_db()
    services.add_certificate(nominee, check_upload(upload, EVIDENCE_FILES), cast.users["secretary"])
    assert _count(client, url) == few
    text = client.get(url).content.decode()
    assert "Phòng 2" in text and "cc" in text


def test_the_person_page_costs_the_same_whatever_the_rows(cast, login):
    client = login(cast.users["staff"])
    url = reverse("training:person", args=[cast.a.pk, cast.users["staff"].pk])
    b.held(cast.a, cast.users["secretary"], _office(cast), [cast.users["staff"]])
    few = _count(client, url)
    for _ in range(4):
        b.held(
            cast.a,
            cast.users["secretary"],
            _office(cast),
            [cast.users["staff"]],
            passed=[cast.users["staff"]],
        )
    assert _count(client, url) == few
    assert "Cập nhật ISO 9001:2015" in client.get(url).content.decode()


def test_another_agency_sees_nothing(cast, login):
    row = b.held(cast.a, cast.users["secretary"], _office(cast), [cast.users["staff"]])
    nominee = row.nominees.first()
    client = login(cast.users["secretary_b"])
    for url in (
        reverse("training:sessions", args=[cast.a.pk]),
        row.get_absolute_url(),
        row.course.get_absolute_url(),
        reverse("training:person", args=[cast.a.pk, cast.users["staff"].pk]),
        reverse("training:export", args=[cast.a.pk, row.pk]),
    ):
        assert client.get(url).status_code == 404
    # and ids of A's rows under B's own agency are not found either
    assert client.get(reverse("training:session", args=[cast.b.pk, row.pk])).status_code == 404
    assert (
        client.get(reverse("training:person", args=[cast.b.pk, cast.users["staff"].pk])).status_code
        == 404
    )
    post = client.post(
        reverse("training:attendance", args=[cast.b.pk, row.pk]),
        {f"attendance-{nominee.pk}": "absent"},
    )
    assert post.status_code == 404
    nominee.refresh_from_db()
    assert nominee.attendance == "attended"


def test_the_wrong_method_is_refused(cast, login):
    row = b.session(cast.a, [_office(cast)])
    client = login(cast.users["secretary"])
    assert client.post(reverse("training:sessions", args=[cast.a.pk])).status_code == 405
    assert (
        client.get(reverse("training:step", args=[cast.a.pk, row.pk, "announce"])).status_code
        == 405
    )
    assert client.get(reverse("training:attendance", args=[cast.a.pk, row.pk])).status_code == 405
    assert client.post(reverse("training:step", args=[cast.a.pk, row.pk, "fly"])).status_code == 404


@pytest.mark.parametrize("who", ["head", "deputy", "unit_head", "staff", "auditor", "expert"])
def test_only_the_secretary_manages_courses_and_sessions(cast, login, who):
    client = login(cast.users[who])
    row = b.session(cast.a, [_office(cast)])
    assert (
        client.post(
            reverse("training:course_new", args=[cast.a.pk]),
            {"title": "X", "kind": "other", "hours": "4"},
        ).status_code
        == 403
    )
    assert client.get(reverse("training:session_new", args=[cast.a.pk])).status_code == 403
    assert (
        client.post(reverse("training:step", args=[cast.a.pk, row.pk, "announce"])).status_code
        == 403
    )
    row.refresh_from_db()
    assert row.status == TrainingSession.Status.PLANNED
    assert not Course.objects.filter(title="X").exists()


def test_the_secretary_plans_a_session(cast, login):
    client = login(cast.users["secretary"])
    response = client.post(
        reverse("training:course_new", args=[cast.a.pk]),
        {"title": "Soạn thảo văn bản", "kind": "document_drafting", "hours": "4"},
    )
    course = Course.objects.get(title="Soạn thảo văn bản")
    assert response.status_code == 302
    data = {
        "course": course.pk,
        "starts_on": "20/10/2026",
        "ends_on": "19/10/2026",
        "place": "Hội trường",
        "audience": "all_staff",
        "invited_units": [_office(cast).pk],
    }
    page = client.post(reverse("training:session_new", args=[cast.a.pk]), data)
    assert page.status_code == 200
    assert "Ngày kết thúc không được trước ngày bắt đầu." in page.content.decode()
    assert not TrainingSession.objects.exists()
    data["ends_on"] = "21/10/2026"
    assert client.post(reverse("training:session_new", args=[cast.a.pk]), data).status_code == 302
    row = TrainingSession.objects.get()
    assert list(row.invited_units.all()) == [_office(cast)]
    # a unit of another agency is an invalid choice
    data["invited_units"] = [Unit.objects.get(agency=cast.b).pk]
    assert (
        client.post(reverse("training:session_edit", args=[cast.a.pk, row.pk]), data).status_code
        == 200
    )
    assert list(row.invited_units.all()) == [_office(cast)]


def test_a_unit_head_nominates_on_the_pages_only_for_their_unit(cast, login):
    office = _office(cast)
    division = Unit.objects.create(agency=cast.a, name="Phòng Quản lý xây dựng")
    other = make_person(cast.a, "other_staff", [Role.STAFF], unit=division)
    row = b.session(cast.a, [office, division])
    services.take_step(row, "announce", access_for(cast.users["secretary"], cast.a))
    client = login(cast.users["unit_head"])
    own = reverse("training:nominate", args=[cast.a.pk, row.pk, office.pk])
    theirs = reverse("training:nominate", args=[cast.a.pk, row.pk, division.pk])
    assert client.get(own).status_code == 200
    assert client.get(theirs).status_code == 403
    assert client.post(theirs, {"persons": [other.pk]}).status_code == 403
    # a person of another unit posted by hand is an invalid choice
    assert client.post(own, {"persons": [other.pk]}).status_code == 200
    assert client.post(own, {"persons": [cast.users["staff"].pk]}).status_code == 302
    assert [n.person for n in row.nominees.all()] == [cast.users["staff"]]
    assert (
        client.post(reverse("training:confirm", args=[cast.a.pk, row.pk, office.pk])).status_code
        == 302
    )
    assert (
        client.post(reverse("training:confirm", args=[cast.a.pk, row.pk, division.pk])).status_code
        == 403
    )
    staff = login(cast.users["staff"])
    assert staff.get(own).status_code == 403


def test_attendance_with_bad_input_changes_nothing(cast, login):
    office = _office(cast)
    row = b.session(cast.a, [office])
    access = access_for(cast.users["secretary"], cast.a)
    services.take_step(row, "announce", access)
    services.nominate(row, office, [cast.users["staff"], cast.users["unit_head"]], access)
    first, second = row.nominees.order_by("pk")
    client = login(cast.users["secretary"])
    url = reverse("training:attendance", args=[cast.a.pk, row.pk])
    for data in (
        {f"attendance-{first.pk}": "attended", f"attendance-{second.pk}": "absent"},
        {f"attendance-{first.pk}": "flying"},
        {
            f"attendance-{first.pk}": "absent",
            f"reason-{first.pk}": "x",
            f"result-{first.pk}": "passed",
        },
        {"attendance-abc": "attended"},
        {f"attendance-{first.pk + 1000}": "attended"},
    ):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
        assert "alert-danger" in response.content.decode() or "danger" in response.content.decode()
    assert set(Nominee.objects.values_list("attendance", flat=True)) == {"pending"}
    ok = client.post(
        url,
        {
            f"attendance-{first.pk}": "attended",
            f"result-{first.pk}": "passed",
            f"attendance-{second.pk}": "absent",
            f"reason-{second.pk}": "Đi công tác",
        },
    )
    assert ok.status_code == 302
    assert set(Nominee.objects.values_list("attendance", flat=True)) == {"attended", "absent"}
    assert (
        login(cast.users["unit_head"]).post(url, {f"attendance-{first.pk}": "pending"}).status_code
        == 403
    )


def test_certificates_are_checked_and_downloaded(cast, login):
    row = b.held(cast.a, cast.users["secretary"], _office(cast), [cast.users["staff"]])
    nominee = row.nominees.get()
    client = login(cast.users["secretary"])
    url = reverse("training:certificate_add", args=[cast.a.pk, row.pk, nominee.pk])
    bad = SimpleUploadedFile("cc.pdf", b"not a pdf", "application/pdf")
    assert client.post(url, {"file": bad}, follow=True).status_code == 200
    assert not nominee.certificates.exists()
    assert client.post(url, {}, follow=True).status_code == 200
    good = SimpleUploadedFile("Chứng chỉ.pdf", b"%PDF-1.4 chung chi", "application/pdf")
    assert client.post(url, {"file": good}).status_code == 302
    certificate = nominee.certificates.get()
    download = login(cast.users["staff"]).get(
        reverse("training:certificate", args=[cast.a.pk, row.pk, nominee.pk, certificate.pk])
    )
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert login(cast.users["staff"]).post(url, {"file": good}).status_code == 403


def test_the_attendance_export_is_a_workbook(cast, login):
    import io

    from openpyxl import load_workbook

    row = b.held(
        cast.a,
        cast.users["secretary"],
        _office(cast),
        [cast.users["staff"], cast.users["unit_head"]],
        absent=[cast.users["unit_head"]],
    )
    response = login(cast.users["staff"]).get(reverse("training:export", args=[cast.a.pk, row.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert len(values) == 3
    assert any("Vắng" in str(v) for r in values for v in r)


def test_a_nomination_made_by_mistake_is_withdrawn_before_attendance(cast, login):
    office = _office(cast)
    row = b.session(cast.a, [office])
    access = access_for(cast.users["secretary"], cast.a)
    services.take_step(row, "announce", access)
    services.nominate(row, office, [cast.users["staff"], cast.users["secretary"]], access)
    staff, secretary = row.nominees.order_by("person__username")
    services.record_attendance(row, {secretary.pk: ("attended", "", "")}, cast.users["secretary"])
    client = login(cast.users["unit_head"])
    url = reverse("training:withdraw", args=[cast.a.pk, row.pk, staff.pk])
    assert client.post(url).status_code == 302
    assert not row.nominees.filter(pk=staff.pk).exists()
    source = f"{services.prefix_of(row)}:attend:{cast.users['staff'].pk}"
    from qms.agenda.models import InboxItem

    assert not InboxItem.objects.filter(source=source, done_at__isnull=True).exists()
    # once attendance is recorded, the nomination stays
    kept = reverse("training:withdraw", args=[cast.a.pk, row.pk, secretary.pk])
    assert client.post(kept, follow=True).status_code == 200
    assert row.nominees.filter(pk=secretary.pk).exists()
    assert login(cast.users["staff"]).post(kept).status_code == 403
