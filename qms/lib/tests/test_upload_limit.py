"""A request larger than an upload may be is refused with 413 before its body is read."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from qms.plans.models import Evidence, Plan, PlanTask
from qms.plans.services import create_plan

MB = 1024 * 1024


@pytest.fixture
def task(cast):
    plan = create_plan(cast.a, year=2026, title="Duy trì HTQLCL năm 2026")
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ISSUED)
    return PlanTask.objects.create(
        plan=plan,
        order=1,
        content="Đánh giá nội bộ",
        lead_kind="committee",
        timing={"parts": [{"kind": "month", "month": 7}]},
    )


def _evidence_url(cast, task):
    return reverse("plans:task_progress", args=[cast.a.pk, task.pk, "evidence"])


def test_a_body_announced_past_the_limit_is_refused_unread(cast, login, task):
    client = login(cast.users["secretary"])
    # The body is 5 bytes: had anything tried to read the 5 GB announced, it would fail.
    response = client.generic(
        "POST",
        _evidence_url(cast, task),
        b"x=123",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(5 * 1024 * MB),
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "Tệp quá lớn" in page and "20 MB" in page
    assert not Evidence.objects.exists()


@override_settings(QMS_MAX_UPLOAD_MB=1)
def test_a_real_upload_past_the_limit_is_refused_and_the_limit_is_the_setting(cast, login, task):
    # Past 1 MB plus what Django takes of ordinary fields (2.5 MB).
    big = SimpleUploadedFile("Biên bản.pdf", b"%PDF" + b"0" * (4 * MB))
    response = login(cast.users["secretary"]).post(_evidence_url(cast, task), {"file": big})
    assert response.status_code == 413
    assert "1 MB" in response.content.decode()
    assert not Evidence.objects.exists()


def test_ordinary_requests_pass(cast, login, task):
    client = login(cast.users["secretary"])
    assert client.get(reverse("plans:task", args=[cast.a.pk, task.pk])).status_code == 200
    small = SimpleUploadedFile("Biên bản.pdf", "%PDF-1.4 biên bản".encode())
    response = client.post(_evidence_url(cast, task), {"file": small})
    assert response.status_code == 302
    assert Evidence.objects.count() == 1
