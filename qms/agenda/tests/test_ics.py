"""The ICS feed: RFC 5545 text, one event per visible obligation, a secret that can be revoked."""

import datetime as dt
import gzip

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qms.agenda import ics, registry
from qms.agenda.models import CalendarFeed
from qms.agenda.tests.conftest import DAY, PREFIX, item, office, put
from qms.organization.models import Membership, Unit
from qms.organization.services import set_roles

D = dt.date


def unfold(text):
    """RFC 5545 §3.1: remove CRLF followed by one space."""
    return text.replace("\r\n ", "")


def lines(text):
    assert text.endswith("\r\n")
    return text[:-2].split("\r\n")


def events(text):
    """Each VEVENT as a dict of its properties (name with parameters → value)."""
    found, current = [], None
    for line in lines(unfold(text)):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            name, value = line.split(":", 1)
            current[name] = value
    return found


def feed_url(user):
    return reverse("agenda:ics", args=[CalendarFeed.objects.get_or_create(user=user)[0].token])


def test_it_escapes_text_values():
    assert ics.escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_it_folds_lines_at_75_octets_without_splitting_a_character():
    line = "SUMMARY:" + "Rà soát căn cứ pháp lý của thủ tục hành chính đã được công bố " * 5
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert unfold(folded) == line
    assert ics.fold("SHORT:x") == "SHORT:x"


def test_it_writes_a_calendar_that_parses(cast, client):
    staff = cast.users["staff"]
    title = "Họp xem xét, lãnh đạo; lần 2\nchuẩn bị " + "báo cáo đánh giá nội bộ " * 4
    put(
        cast.a,
        item("mine", DAY, owner_person_id=staff.pk, title=title),
        item("unit", D(2026, 12, 31), owner_unit_id=office(cast.a).pk),
    )
    response = client.get(feed_url(staff))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode("utf-8")
    raw = lines(text)
    assert raw[0] == "BEGIN:VCALENDAR" and raw[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in raw and any(line.startswith("PRODID:") for line in raw)
    assert all(len(line.encode("utf-8")) <= 75 for line in raw)
    assert "\n" not in text.replace("\r\n", "")  # only CRLF line ends
    found = {e["UID"]: e for e in events(text)}
    assert set(found) == {"test.src:mine@127.0.0.1", "test.src:unit@127.0.0.1"}
    mine = found["test.src:mine@127.0.0.1"]
    assert mine["DTSTART;VALUE=DATE"] == "20260715"
    assert mine["DTEND;VALUE=DATE"] == "20260716"
    assert mine["SUMMARY"] == ics.escape_text(title)
    assert "\\, lãnh đạo\\; lần 2\\nchuẩn bị" in mine["SUMMARY"]
    assert mine["URL"] == "http://testserver/things/mine/"
    assert "Staff" in mine["DESCRIPTION"]
    assert "DTSTAMP" in mine
    year_end = found["test.src:unit@127.0.0.1"]
    assert (year_end["DTSTART;VALUE=DATE"], year_end["DTEND;VALUE=DATE"]) == (
        "20261231",
        "20270101",
    )
    assert "Văn phòng Sở" in year_end["DESCRIPTION"]


def test_it_gives_only_open_dated_obligations_the_person_owns(cast, client):
    secretary = cast.users["secretary"]
    put(
        cast.a,
        item("nobody", DAY),  # the secretary's by fallback
        item("office", DAY, owner_unit_id=office(cast.a).pk),
        item("staff", DAY, owner_person_id=cast.users["staff"].pk),  # a colleague's
        item("waiting", None, waiting_for="Ban hành"),
        item("done", DAY, state="done"),
    )
    put(cast.b, item("b", DAY), prefix="b")  # agency B's secretary's, not ours
    put(cast.dost1, item("dost", DAY), prefix="dost")
    uids = [e["UID"] for e in events(client.get(feed_url(secretary)).content.decode())]
    assert sorted(uids) == ["test.src:nobody@127.0.0.1", "test.src:office@127.0.0.1"]
    assert events(client.get(feed_url(cast.users["overseer"])).content.decode()) == []
    b_uids = [
        e["UID"] for e in events(client.get(feed_url(cast.users["secretary_b"])).content.decode())
    ]
    assert b_uids == ["b:b@127.0.0.1"]


def test_it_covers_every_current_membership(cast, client):
    staff = cast.users["staff"]
    unit = Unit.objects.create(agency=cast.a2, name="Phòng Hành chính")
    set_roles(Membership.objects.create(user=staff, agency=cast.a2, unit=unit), ["staff"])
    put(cast.a, item("a", DAY, owner_person_id=staff.pk), prefix="a")
    put(cast.a2, item("a2", DAY, owner_unit_id=unit.pk), prefix="a2")
    uids = {e["UID"] for e in events(client.get(feed_url(staff)).content.decode())}
    assert uids == {"a:a@127.0.0.1", "a2:a2@127.0.0.1"}
    Membership.objects.filter(user=staff, agency=cast.a2).update(is_active=False)
    uids = {e["UID"] for e in events(client.get(feed_url(staff)).content.decode())}
    assert uids == {"a:a@127.0.0.1"}


def test_it_refuses_unknown_and_revoked_tokens(cast, login):
    staff = cast.users["staff"]
    client = login(staff)
    page = client.get(reverse("agenda:feed"))
    assert page.status_code == 200
    old = CalendarFeed.objects.get(user=staff).token
    assert f"http://testserver/calendar/{old}.ics" in page.content.decode()
    assert client.get(reverse("agenda:ics", args=[old])).status_code == 200
    response = client.post(reverse("agenda:feed_renew"))
    assert response.status_code == 302
    new = CalendarFeed.objects.get(user=staff).token
    assert new != old
    client.logout()
    assert client.get(reverse("agenda:ics", args=[old])).status_code == 404
    assert client.get(reverse("agenda:ics", args=[new])).status_code == 200
    assert client.get(reverse("agenda:ics", args=["x" * 43])).status_code == 404


def test_it_refuses_the_feed_of_a_deactivated_account(cast, client):
    staff = cast.users["staff"]
    url = feed_url(staff)
    staff.is_active = False
    staff.save()
    assert client.get(url).status_code == 404


def test_it_keeps_the_feed_page_and_renewal_to_the_logged_in_person(cast, client):
    assert client.get(reverse("agenda:feed")).status_code == 302
    assert client.post(reverse("agenda:feed_renew")).status_code == 302
    assert not CalendarFeed.objects.exists()


@pytest.mark.parametrize(
    ("name", "method"), [("agenda:feed", "post"), ("agenda:feed_renew", "get")]
)
def test_it_refuses_the_wrong_method_on_the_feed_pages(cast, login, name, method):
    client = login(cast.users["staff"])
    assert getattr(client, method)(reverse(name)).status_code == 405


def test_it_refuses_posting_to_the_feed(cast, client):
    assert client.post(feed_url(cast.users["staff"])).status_code == 405


def test_the_feed_queries_do_not_grow_with_obligations(cast, client):
    secretary = cast.users["secretary"]
    url = feed_url(secretary)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    put(cast.a, *[item(str(i), DAY + dt.timedelta(days=i)) for i in range(5)])
    # 1 feed with its user + 1 current memberships with their agencies' agenda versions and
    # committee seats + 1 their roles + 1 the obligations = 4
    assert count() == 4
    put(cast.a, *[item(str(i), DAY + dt.timedelta(days=i)) for i in range(65)])
    assert count() == 4
    # Unchanged: the rendered feed comes from the cache, the rows are not read again.
    assert count() == 3


def test_it_stamps_events_in_utc():
    moment = timezone.make_aware(dt.datetime(2026, 7, 15, 7, 0))  # 07:00 in Hà Nội
    text = ics.calendar("x", [], moment)
    assert "X-WR-CALNAME:x" in text
    event = ics.Event("u", DAY, "s", "http://x/", "d")
    assert "DTSTAMP:20260715T000000Z" in ics.calendar("x", [event], moment)


def test_an_unchanged_feed_answers_304_and_a_change_brings_new_content(cast, client):
    secretary = cast.users["secretary"]
    url = feed_url(secretary)
    put(cast.a, item("first", DAY, owner_person_id=secretary.pk))
    first = client.get(url)
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    assert "Việc first" in first.content.decode()
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    assert client.get(url, headers={"if-modified-since": modified}).status_code == 304
    # The same feed again without the validators: the same body, from the cache.
    assert client.get(url).content == first.content

    put(
        cast.a,
        item("first", DAY, owner_person_id=secretary.pk, title="Việc đã đổi tên"),
        item("second", DAY + dt.timedelta(days=1), owner_person_id=secretary.pk),
    )
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    text = changed.content.decode()
    assert "Việc đã đổi tên" in text and "Việc second" in text
    assert "Việc first" not in text


def test_a_feed_changes_when_an_obligation_leaves_it(cast, client):
    """Done, or taken away: the feed no longer shows it, even to a calendar holding its ETag."""
    secretary = cast.users["secretary"]
    url = feed_url(secretary)
    put(
        cast.a,
        item("a", DAY, owner_person_id=secretary.pk),
        item("b", DAY, owner_person_id=secretary.pk),
    )
    etag = client.get(url)["ETag"]
    put(
        cast.a,
        item("a", DAY, owner_person_id=secretary.pk),
        item("b", DAY, owner_person_id=secretary.pk, state="done"),
    )
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "Việc b" not in response.content.decode()


def test_an_unchanged_feed_answers_304_in_3_queries_that_read_no_obligation(
    cast, client, django_assert_num_queries
):
    """A calendar polls every hour: whatever the number of obligations, the answer to an
    unchanged feed comes from the agency's agenda version, not from counting them."""
    secretary = cast.users["secretary"]
    url = feed_url(secretary)

    def poll():
        etag = client.get(url)["ETag"]
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, headers={"if-none-match": etag}).status_code == 304
        return ctx.captured_queries

    put(cast.a, *[item(str(i), DAY, owner_person_id=secretary.pk) for i in range(3)])
    few = poll()
    put(cast.a, *[item(str(i), DAY, owner_person_id=secretary.pk) for i in range(120)])
    many = poll()
    # The feed with its person, the memberships with their agencies' versions and
    # committee seats, their roles.
    assert len(few) == len(many) == 3
    assert not [q for q in many if "agenda_obligation" in q["sql"]]


def test_a_change_of_an_obligation_changes_the_feed_version(cast, client):
    """Added, changed, done, cleared: each gives the feed a new ETag, so the calendar that
    holds the old one gets the new content; a change rolled back leaves the ETag."""
    secretary = cast.users["secretary"]
    url = feed_url(secretary)
    mine = item("mine", DAY, owner_person_id=secretary.pk)
    put(cast.a, mine)
    etags = [client.get(url)["ETag"]]
    put(cast.a, mine, item("office", DAY, owner_unit_id=office(cast.a).pk))
    etags.append(client.get(url)["ETag"])
    put(cast.a, mine, item("office", DAY + dt.timedelta(days=3), owner_unit_id=office(cast.a).pk))
    etags.append(client.get(url)["ETag"])
    put(cast.a, mine, item("office", DAY, owner_unit_id=office(cast.a).pk, state="done"))
    etags.append(client.get(url)["ETag"])
    registry.clear(PREFIX)
    response = client.get(url, headers={"if-none-match": etags[-1]})
    assert response.status_code == 200
    assert events(response.content.decode()) == []
    etags.append(response["ETag"])
    assert len(set(etags)) == 5
    # The same items again change nothing: the calendar keeps getting 304.
    assert client.get(url, headers={"if-none-match": etags[-1]}).status_code == 304
    with pytest.raises(ValueError, match="Duplicate"), transaction.atomic():
        put(cast.a, mine, mine)
    assert client.get(url, headers={"if-none-match": etags[-1]}).status_code == 304
    # Another agency's obligations are not this person's: their feed stays as it was.
    put(cast.b, item("b", DAY), prefix="b")
    assert client.get(url, headers={"if-none-match": etags[-1]}).status_code == 304


def test_a_calendar_that_accepts_gzip_gets_the_same_feed_compressed(cast, client):
    secretary = cast.users["secretary"]
    url = feed_url(secretary)
    put(cast.a, *[item(str(i), DAY, owner_person_id=secretary.pk) for i in range(30)])
    plain = client.get(url)
    packed = client.get(url, headers={"accept-encoding": "gzip, deflate"})
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) * 5 < len(plain.content)
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert packed["ETag"] == f"W/{plain['ETag']}"
    # Either ETag sent back means the same feed: 304.
    for etag in (plain["ETag"], packed["ETag"]):
        again = client.get(url, headers={"if-none-match": etag, "accept-encoding": "gzip"})
        assert again.status_code == 304
