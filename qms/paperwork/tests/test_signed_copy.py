"""The signed copy: a scan or a digitally signed PDF, its SHA-256 and what its signature says
(pyHanko through lib.signedpdf), shown on the record and in the register; a replacement keeps
the old one in the history."""

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qms.lib import selfsigned
from qms.organization.tests.factories import draft_with_members, issued

D = dt.date


@pytest.fixture(scope="module")
def authority():
    return selfsigned.make_ca()


@pytest.fixture
def decision(cast):
    return issued(cast.a, ["An"], 3, D(2026, 2, 1))


def attach(client, decision, name, content, content_type="application/pdf"):
    url = reverse("paperwork:attach", args=[decision.agency_id, decision.paper_id])
    upload = SimpleUploadedFile(name, content, content_type)
    return client.post(url, {"file": upload}, follow=True)


def test_a_digitally_signed_pdf_shows_its_signer_and_that_nothing_changed(
    cast, login, decision, authority, settings
):
    signed, _ca = selfsigned.sign_pdf(selfsigned.minimal_pdf(), "Nguyễn Văn Ký", ca=authority)
    client = login(cast.users["secretary"])
    page = attach(client, decision, "QD-03.pdf", signed).content.decode()
    decision.paper.refresh_from_db()
    assert decision.paper.signed_copy_sha256 == hashlib.sha256(signed).hexdigest()
    assert "Nguyễn Văn Ký" in page and "Chưa thay đổi kể từ khi ký" in page
    # No root configured by the operator: never "valid".
    assert "Chưa cấu hình tổ chức chứng thực tin cậy" in page and "hợp lệ" not in page.lower()
    download = client.get(reverse("paperwork:signed_copy", args=[cast.a.pk, decision.paper_id]))
    body = download.streaming_content if download.streaming else [download.content]
    assert b"".join(body) == signed


def test_a_pdf_changed_after_signing_is_reported_as_changed(cast, login, decision, authority):
    signed, _ca = selfsigned.sign_pdf(selfsigned.minimal_pdf(), "Nguyễn Văn Ký", ca=authority)
    altered = selfsigned.append_after_signing(signed)
    page = attach(login(cast.users["head"]), decision, "QD-03.pdf", altered).content.decode()
    assert "Bị thay đổi sau khi ký" in page


def test_a_trusted_root_is_reported_as_trusted(
    cast, login, decision, authority, tmp_path, settings
):
    from qms.lib import signedpdf

    signed, ca_pem = selfsigned.sign_pdf(selfsigned.minimal_pdf(), "Nguyễn Văn Ký", ca=authority)
    roots = tmp_path / "roots.pem"
    roots.write_bytes(ca_pem)
    settings.QMS_TRUSTED_ROOTS = str(roots)
    signedpdf._cached_roots.cache_clear()
    page = attach(login(cast.users["head"]), decision, "QD-03.pdf", signed).content.decode()
    signedpdf._cached_roots.cache_clear()
    assert "Tổ chức chứng thực tin cậy" in page


def test_a_scan_is_kept_with_its_checksum_and_replacing_it_keeps_history(cast, login, decision):
    client = login(cast.users["secretary"])
    scan = b"\xff\xd8\xff\xe0" + b"0" * 2000
    page = attach(client, decision, "QD-03.jpg", scan, "image/jpeg").content.decode()
    assert "Bản quét: không có chữ ký số để kiểm tra." in page
    signed, _ca = selfsigned.sign_pdf(selfsigned.minimal_pdf())
    attach(client, decision, "QD-03-ky-so.pdf", signed)
    decision.paper.refresh_from_db()
    shas = [h.signed_copy_sha256 for h in decision.paper.history.order_by("history_date")]
    assert hashlib.sha256(scan).hexdigest() in shas
    assert shas[-1] == hashlib.sha256(signed).hexdigest()
    register = client.get(reverse("paperwork:register", args=[cast.a.pk]), {"year": 2026})
    assert "Đã có" in register.content.decode()


def test_a_draft_takes_no_signed_copy_and_staff_cannot_attach(cast, login, decision):
    draft = draft_with_members(cast.a, ["Bình"])
    page = attach(login(cast.users["secretary"]), draft, "x.pdf", selfsigned.minimal_pdf())
    assert "sau khi văn bản đã được ban hành" in page.content.decode()
    response = attach(login(cast.users["staff"]), decision, "x.pdf", selfsigned.minimal_pdf())
    assert response.status_code == 403
    decision.paper.refresh_from_db()
    assert not decision.paper.has_signed_copy


def test_a_file_that_is_not_a_pdf_or_image_is_refused(cast, login, decision):
    page = attach(login(cast.users["secretary"]), decision, "virus.exe", b"MZ\x90\x00")
    decision.paper.refresh_from_db()
    assert not decision.paper.has_signed_copy
    assert "không được chấp nhận" in page.content.decode()


def test_the_original_of_an_amended_plan_still_takes_its_signed_copy(cast, login):
    from qms.plans import services as plans

    plan = plans.create_plan(cast.a, year=2026, title="Duy trì HTQLCL năm 2026", signer_name="A")
    plan.tasks.create(
        order=1, content="Kiện toàn", timing={"parts": [{"kind": "month", "month": 3}]}
    )
    plans.submit(plan, cast.users["secretary"])
    plans.issue(plan, number=5, issued_on=D(2026, 1, 15), by=cast.users["head"])
    plans.amend(plan, reason="Bổ sung nhiệm vụ")
    original = plan.versions.get().paper
    assert original.pk != type(plan).objects.get(pk=plan.pk).paper_id
    signed, _ca = selfsigned.sign_pdf(selfsigned.minimal_pdf())
    url = reverse("paperwork:attach", args=[cast.a.pk, original.pk])
    upload = SimpleUploadedFile("KH-05.pdf", signed, "application/pdf")
    assert login(cast.users["secretary"]).post(url, {"file": upload}).status_code == 302
    original.refresh_from_db()
    assert original.has_signed_copy
