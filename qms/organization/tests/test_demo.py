"""The demo data of the two seed plans, loadable again without duplicates."""

from django.core.management import call_command
from django.urls import reverse

from qms.organization import demo, services
from qms.organization.models import Agency, CommitteeDecision, Membership, Unit, User, today


def test_it_loads_both_seed_agencies_with_their_people_and_committees(db):
    demo.load()
    bql = Agency.objects.get(name="Ban Quản lý Khu kinh tế Hải Phòng")
    binh_son = Agency.objects.get(name="Ủy ban nhân dân huyện Bình Sơn")
    assert bql.province.name == "Hải Phòng" and binh_son.province.name == "Quảng Ngãi"
    assert binh_son.is_dissolved and not bql.is_dissolved
    assert Unit.objects.filter(agency=bql, name="Văn phòng Ban Quản lý").exists()
    assert Unit.objects.filter(agency=binh_son, name="Phòng Kinh tế và Hạ tầng").exists()
    chair = services.members_on(bql, today()).get(committee_role="chair")
    assert chair.full_name == "Nguyễn Văn Chuẩn"
    signed = CommitteeDecision.objects.get(
        agency=bql, paper__status="issued", paper__sign_form="kt"
    ).paper
    assert (signed.signer_name, signed.signer_position) == ("Nguyễn Văn Chuẩn", "Phó Trưởng ban")
    assert CommitteeDecision.objects.filter(agency=bql, paper__status="draft").count() == 1
    for username, _who in demo.DEMO_LOGINS:
        assert User.objects.get(username=username).check_password(demo.DEMO_PASSWORD)


def test_it_reloads_without_duplicating_and_restores_changes(db):
    demo.load()
    counts = (User.objects.count(), Membership.objects.count(), CommitteeDecision.objects.count())
    Membership.objects.filter(user__username="thuky.hp").update(position="Đổi tạm")
    call_command("load_demo")
    assert counts == (
        User.objects.count(),
        Membership.objects.count(),
        CommitteeDecision.objects.count(),
    )
    assert Membership.objects.get(user__username="thuky.hp").position == "Chuyên viên Văn phòng"


def test_it_skips_a_database_that_already_holds_data(db):
    demo.load()
    User.objects.filter(username="thuky.hp").update(full_name="Giữ nguyên")
    call_command("load_demo", "--if-empty")
    assert User.objects.get(username="thuky.hp").full_name == "Giữ nguyên"


def test_it_keeps_bình_sơn_readable_but_unchangeable_for_its_secretary(db, client):
    demo.load()
    binh_son = Agency.objects.get(name="Ủy ban nhân dân huyện Bình Sơn")
    client.force_login(User.objects.get(username="thuky.bs"))
    page = client.get(reverse("organization:committee", args=[binh_son.pk])).content.decode()
    assert "Nguyễn Tưởng Duy" in page
    response = client.post(reverse("organization:decision_create", args=[binh_son.pk]))
    assert response.status_code == 403
