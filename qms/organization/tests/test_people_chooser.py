"""The people choosers: the forms that name a person list nobody; the endpoint answers what
the user types, at most CHOICES_SHOWN people, with diacritics ignored, only the people of the
agency the form accepts, and only to users with the right the form needs."""

from django.urls import reverse

from conftest import make_person
from qms.documents.forms import ReaderForm
from qms.lib.chooser import CHOICES_SHOWN
from qms.organization.forms import DelegationForm, MemberForm
from qms.organization.models import Role


def choices_url(agency, purpose):
    return reverse("organization:people_choices", args=[agency.pk, purpose])


def many_people(agency, n, start=0):
    for i in range(start, start + n):
        user = make_person(agency, f"nguoi{i}", [Role.STAFF], position="Chuyên viên")
        user.full_name = f"Nguyễn Văn Người {i}"
        user.save(update_fields=["full_name"])


def ask(client, agency, purpose, **params):
    return client.get(choices_url(agency, purpose), {"name": "person", **params})


def test_it_finds_people_by_name_without_diacritics(cast, login):
    many_people(cast.a, 3)
    client = login(cast.users["secretary"])
    html = ask(client, cast.a, "readers", person__search="nguyen van nguoi 1").content.decode()
    assert "Nguyễn Văn Người 1" in html
    assert "Nguyễn Văn Người 2" not in html
    assert 'name="person" value="' in html and 'type="radio"' in html
    # Found by the unit too, for a reader.
    by_unit = ask(client, cast.a, "readers", person__search="van phong").content.decode()
    assert "Secretary" in by_unit and "Nguyễn Văn Người" not in by_unit
    nothing = ask(client, cast.a, "readers", person__search="khong ai").content.decode()
    assert "Không có kết quả nào khớp" in nothing


def test_another_agencys_people_never_appear(cast, login):
    make_person(cast.b, "nguoi_b", [Role.STAFF])
    client = login(cast.users["secretary"])
    for purpose in ("readers", "committee"):
        html = ask(client, cast.a, purpose, person__search="nguoi").content.decode()
        assert "Nguoi_B" not in html
        every = ask(client, cast.a, purpose).content.decode()
        assert "Secretary_B" not in every and "Staff" in every
    # Nor can a chosen id of agency B be slipped in to be shown as chosen.
    b_user = cast.users["secretary_b"]
    html = ask(client, cast.a, "committee", person=b_user.pk).content.decode()
    assert f'value="{b_user.pk}"' not in html
    # An agency not one's own is not found at all.
    assert ask(client, cast.b, "readers").status_code == 404


def test_a_user_without_the_right_is_refused(cast, login):
    staff = login(cast.users["staff"])
    for purpose in ("readers", "committee", "delegation"):
        assert ask(staff, cast.a, purpose).status_code == 403
    # The head delegates; the secretary may not.
    assert ask(login(cast.users["secretary"]), cast.a, "delegation").status_code == 403
    assert ask(login(cast.users["head"]), cast.a, "delegation").status_code == 200
    assert ask(login(cast.users["secretary"]), cast.a, "nobody").status_code == 404
    assert staff.post(choices_url(cast.a, "readers")).status_code == 405


def test_the_head_is_never_offered_as_the_delegate(cast, login):
    html = ask(login(cast.users["head"]), cast.a, "delegation").content.decode()
    assert f'value="{cast.users["head"].pk}"' not in html
    assert f'value="{cast.users["deputy"].pk}"' in html
    assert f'value="{cast.users["expired_expert"].pk}"' not in html


def test_one_page_of_matches_then_how_many_more(cast, login):
    many_people(cast.a, CHOICES_SHOWN + 7)
    html = ask(login(cast.users["secretary"]), cast.a, "readers", person__search="nguoi")
    html = html.content.decode()
    assert html.count('name="person"') == CHOICES_SHOWN
    assert "Còn 7 kết quả khác" in html


def test_what_is_chosen_stays_offered_and_checked(cast, login):
    many_people(cast.a, 3)
    client = login(cast.users["unit_head"])
    staff = cast.users["staff"].memberships.get()
    html = ask(client, cast.a, "readers", person=staff.pk, person__search="nguoi 2").content
    html = html.decode()
    assert f'value="{staff.pk}" checked' in html
    assert "Nguyễn Văn Người 2" in html
    # A multiple choice keeps every ticked one.
    many = client.get(
        choices_url(cast.a, "readers"),
        {"name": "p", "multiple": "1", "p": [staff.pk, "junk"], "p__search": "zzz"},
    ).content.decode()
    assert f'type="checkbox" name="p" value="{staff.pk}" checked' in many


def test_the_query_count_does_not_grow_with_the_people(cast, login, django_assert_num_queries):
    client = login(cast.users["secretary"])
    chosen = cast.users["staff"].memberships.get().pk

    def answer():
        # session, user; agency, the user's roles there (access); the searched names; the
        # people shown with the one chosen = 6
        with django_assert_num_queries(6):
            response = ask(client, cast.a, "readers", person=chosen, person__search="ng")
        assert response.status_code == 200
        return response.content.decode()

    many_people(cast.a, 5)
    assert answer().count('name="person"') == 6
    many_people(cast.a, 295, start=5)
    assert answer().count('name="person"') == CHOICES_SHOWN + 1


def test_the_forms_list_nobody_and_keep_their_validation(cast):
    many_people(cast.a, 30)
    reader = ReaderForm(agency=cast.a)
    html = str(reader["person"])
    assert "Nguyễn Văn Người" not in html and "<option" not in html
    assert choices_url(cast.a, "readers") in html
    staff = cast.users["staff"].memberships.get()
    chosen = ReaderForm({"person": staff.pk}, agency=cast.a)
    assert chosen.is_valid(), chosen.errors
    assert f'value="{staff.pk}" checked' in str(chosen["person"])
    b_member = cast.users["secretary_b"].memberships.get()
    assert not ReaderForm({"person": b_member.pk}, agency=cast.a).is_valid()
    head = cast.users["head"]
    form = DelegationForm({"delegate": head.pk}, agency=cast.a, head=head)
    assert "delegate" in form.errors
    member = MemberForm(agency=cast.a, prefix="members-0")
    assert 'name="members-0-user__search"' in str(member["user"])
    assert "name=members-0-user" in str(member["user"])
