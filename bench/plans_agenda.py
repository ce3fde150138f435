"""Benchmark: server time of the plan page and of "Việc của tôi" at province scale.

200 agencies × 30 issued plan tasks each (6,000 tasks, ~10,000 agenda obligations) in a
fresh database, then N requests to each page through Django's test client (the whole
request: middleware, access helper, queries, template). Prints median and p95 in ms.

    make bench                                    # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qms_bench make bench   # PostgreSQL
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

AGENCIES = int(os.environ.get("BENCH_AGENCIES", "200"))
TASKS = int(os.environ.get("BENCH_TASKS", "30"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QMS_VAR_DIR", tempfile.mkdtemp(prefix="qms-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms.settings")
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from qms.organization.models import Agency, Membership, Province, Role, Unit, User  # noqa: E402
from qms.organization.services import set_roles  # noqa: E402
from qms.plans import services  # noqa: E402
from qms.plans.models import PlanTask  # noqa: E402

TIMINGS = [
    {"parts": [{"kind": "month", "month": 6}]},
    {"parts": [{"kind": "months", "months": [6, 11]}]},
    {"parts": [{"kind": "recurring", "every": 3}]},
    {"parts": [{"kind": "quarter", "quarter": 3}]},
    {"parts": [{"kind": "event", "event": "inspection_notice", "offset_days": -15}]},
    {
        "parts": [{"kind": "month", "month": 7}],
        "alternative": {"event": "document_set_effective", "offset_days": 30},
    },
]


def build() -> list[tuple[int, int, int]]:
    """(agency id, plan id, secretary id) for every agency."""
    province = Province.objects.create(name="Tỉnh Đo Kiểm")
    made = []
    for a in range(AGENCIES):
        with transaction.atomic():
            made.append(_agency(province, a))
    return made


def _agency(province: Province, index: int) -> tuple[int, int, int]:
    agency = Agency.objects.create(
        province=province,
        name=f"Cơ quan số {index}",
        kind=Agency.Kind.COMMUNE_COMMITTEE,
        abbreviation="UBND",
        place_name="Đo Kiểm",
        head_title="Chủ tịch",
        deputy_title="Phó Chủ tịch",
    )
    units = [Unit.objects.create(agency=agency, name=f"Phòng {u}") for u in range(5)]
    user = User.objects.create_user(f"thuky{index}", password="x", full_name=f"Thư ký {index}")
    membership = Membership.objects.create(user=user, agency=agency, unit=units[0])
    set_roles(membership, [Role.ISO_SECRETARY])
    plan = services.create_plan(agency, year=2026, title="Duy trì HTQLCL năm 2026", signer_name="A")
    PlanTask.objects.bulk_create(
        [
            PlanTask(
                plan=plan,
                order=t + 1,
                content=f"Nhiệm vụ {t + 1} của kế hoạch",
                timing=TIMINGS[t % len(TIMINGS)],
                lead_kind="unit",
                lead_unit=units[t % 5],
            )
            for t in range(TASKS)
        ]
    )
    services.submit(plan)
    services.issue(plan, number=1, issued_on=dt.date(2026, 1, 10))
    return agency.pk, plan.pk, user.pk


def measure(client: Client, paths: list[str]) -> tuple[float, float]:
    times = []
    for i in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(paths[i % len(paths)])
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (paths[i % len(paths)], response.status_code)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    made = build()
    print(f"built {AGENCIES} agencies × {TASKS} tasks in {time.perf_counter() - started:.0f} s")
    from qms.agenda.models import Obligation

    print(f"agenda obligations: {Obligation.objects.count()}")
    results = {}
    for label, path in (
        ("plan page", "/agencies/{a}/plans/{p}/"),
        ("my agenda", "/agencies/{a}/agenda/"),
    ):
        medians, p95s = [], []
        for agency_id, plan_id, user_id in made[:: max(1, len(made) // 10)]:
            client = Client()
            client.force_login(User.objects.get(pk=user_id))
            client.get(path.format(a=agency_id, p=plan_id))  # warm the session
            median, p95 = measure(client, [path.format(a=agency_id, p=plan_id)])
            medians.append(median)
            p95s.append(p95)
        results[label] = (statistics.median(medians), max(p95s))
    engine = django.db.connection.vendor
    for label, (median, p95) in results.items():
        print(f"{engine}: {label}: median {median:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
