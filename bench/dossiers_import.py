"""Benchmark: importing the one-stop system's per-dossier export, and the results page.

1,000,000 dossier rows as CSV (and BENCH_XLSX_ROWS, default 200,000, as XLSX: writing a
million-row XLSX with openpyxl takes minutes, so it is written once and the rate scaled),
generated once into var/bench/ and reused; each file is imported end to end through the
service the import page calls (`results.create_import` + `results.run_import`: reading,
working-day buckets, replacing the period in one transaction), each in a fresh process so
its peak memory (ru_maxrss) is its own. Then the results page over Django's test client
with DailyResult rows worth 2,000,000 dossiers in one agency (a TTHC × day cell for each of
300 TTHC on every day of 2026). Prints rows/s, peak MB, and median / p95 ms.

    .venv/bin/python bench/dossiers_import.py                          # SQLite (temporary)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qms_bench \
        .venv/bin/python bench/dossiers_import.py
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
XLSX_ROWS = int(os.environ.get("BENCH_XLSX_ROWS", "200000"))
PAGE_DOSSIERS = int(os.environ.get("BENCH_PAGE_DOSSIERS", "2000000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))
PROCEDURES = 300
CACHE = ROOT / "var" / "bench"

sys.path.insert(0, str(ROOT))
os.environ.setdefault("QMS_VAR_DIR", tempfile.mkdtemp(prefix="qms-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms.settings")
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.core.files import File  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from qms.organization.models import Agency, Membership, Province, Role, User  # noqa: E402
from qms.organization.services import set_roles  # noqa: E402
from qms.procedures import results  # noqa: E402
from qms.procedures.models import (  # noqa: E402
    BUCKETS,
    AdminProcedure,
    AgencyProcedure,
    DailyResult,
    ResultImport,
)

YEAR_START, YEAR_END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
HEADER = [
    "Mã hồ sơ",
    "Mã TTHC",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày trả kết quả",
    "Trạng thái",
    "Hình thức tiếp nhận",
    "Tạm dừng bổ sung",
]
CHANNELS = ["Trực tuyến", "Trực tuyến", "Trực tuyến", "Trực tiếp", "Bưu chính"]


def codes() -> list[str]:
    return [f"1.{n:06d}.H38" for n in range(PROCEDURES)]


def dossiers(count: int):
    """Deterministic dossiers of 2026 (some carried over from December 2025)."""
    rng = random.Random(12)
    first = dt.date(2025, 12, 1).toordinal()
    text = {n: f"{dt.date.fromordinal(n):%d/%m/%Y}" for n in range(first, first + 460)}
    all_codes = codes()
    for i in range(count):
        received = first + rng.randint(0, 390)
        due = received + rng.randint(5, 20)
        roll = rng.random()
        if roll < 0.04:
            resolved, status = "", "Đang xử lý"
        elif roll < 0.05:
            resolved, status = text[received + 2], "Trả lại"
        elif roll < 0.055:
            resolved, status = text[received + 1], "Rút hồ sơ"
        else:
            resolved, status = text[due + rng.choice((-3, -1, 0, 0, 0, 1))], "Đã trả kết quả"
        pause = ""
        if rng.random() < 0.05:
            pause = f"{text[received + 1]}-{text[received + 3]}"
        yield [
            f"HS{i:08d}",
            all_codes[i % PROCEDURES],
            text[received],
            text[due],
            resolved,
            status,
            CHANNELS[i % 5],
            pause,
        ]


def csv_file() -> Path:
    path = CACHE / f"dossiers-{ROWS}.csv"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows(dossiers(ROWS))
    return path


def xlsx_file() -> Path:
    path = CACHE / f"dossiers-{XLSX_ROWS}.xlsx"
    if not path.exists():
        from openpyxl import Workbook

        CACHE.mkdir(parents=True, exist_ok=True)
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Hồ sơ")
        sheet.append(HEADER)
        for row in dossiers(XLSX_ROWS):
            sheet.append(row)
        book.save(path)
    return path


def agency(name: str) -> tuple[Agency, User]:
    province = Province.objects.get_or_create(name="Tỉnh Đo Kiểm")[0]
    agency = Agency.objects.create(
        province=province,
        name=name,
        kind=Agency.Kind.COMMUNE_COMMITTEE,
        abbreviation="UBND",
        place_name="Đo Kiểm",
        head_title="Chủ tịch",
        deputy_title="Phó Chủ tịch",
    )
    existing = {p.code: p for p in AdminProcedure.objects.filter(province=province)}
    new = [
        AdminProcedure(
            province=province, code=c, name=f"Thủ tục {c}", field="Đầu tư", level="province"
        )
        for c in codes()
        if c not in existing
    ]
    AdminProcedure.objects.bulk_create(new)
    AgencyProcedure.objects.bulk_create(
        AgencyProcedure(agency=agency, procedure=p, committed_days=10)
        for p in AdminProcedure.objects.filter(province=province)
    )
    user = User.objects.create_user(f"thuky-{agency.pk}", password="x", full_name="Thư ký")
    set_roles(Membership.objects.create(user=user, agency=agency), [Role.ISO_SECRETARY])
    return agency, user


def import_one(kind: str, path: str) -> None:
    """In a child process: one import end to end; prints a JSON line."""
    target, user = agency(f"Cơ quan nhập {kind} {time.time_ns()}")
    started = time.perf_counter()
    with open(path, "rb") as handle:
        made = results.create_import(
            target, user, File(handle, name=Path(path).name), YEAR_START, YEAR_END
        )
    results.run_import(made)
    seconds = time.perf_counter() - started
    made.refresh_from_db()
    assert made.status == ResultImport.Status.DONE, made.errors[:5]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": made.rows_total, "seconds": seconds, "peak_mb": peak}))


def measure(kind: str, path: Path) -> dict:
    env = {**os.environ}
    out = subprocess.run(
        [sys.executable, __file__, "import", kind, str(path)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def page_rows(target: Agency) -> int:
    """DailyResult rows worth PAGE_DOSSIERS dossiers over 2026: each TTHC on every day."""
    rng = random.Random(7)
    handled = list(
        AgencyProcedure.objects.filter(agency=target).values_list("procedure_id", flat=True)
    )
    days = [YEAR_START + dt.timedelta(days=n) for n in range(365)]
    per_cell = max(1, PAGE_DOSSIERS // (len(handled) * len(days)))
    source = ResultImport.objects.create(
        agency=target,
        period_start=YEAR_START,
        period_end=YEAR_END,
        shape=ResultImport.Shape.AGGREGATED,
        file_name="bench",
        status=ResultImport.Status.DONE,
        by=User.objects.filter(memberships__agency=target).first(),
    )
    batch, made = [], 0
    for day in days:
        for procedure in handled:
            counts = dict.fromkeys(BUCKETS, 0)
            counts["received_online"] = per_cell
            late = 1 if rng.random() < 0.05 else 0
            counts["resolved_late"] = late
            counts["resolved_on_time"] = per_cell - late
            batch.append(
                DailyResult(agency=target, procedure_id=procedure, day=day, source=source, **counts)
            )
            made += 1
            if len(batch) == 5000:
                DailyResult.objects.bulk_create(batch)
                batch = []
    DailyResult.objects.bulk_create(batch)
    return made


def page_times(client: Client, url: str) -> tuple[float, float]:
    client.get(url)
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    call_command("migrate", verbosity=0)
    engine = django.db.connection.vendor
    started = time.perf_counter()
    paths = {"CSV": csv_file(), "XLSX": xlsx_file()}
    names = ", ".join(map(str, paths.values()))
    print(f"files ready in {time.perf_counter() - started:.0f} s: {names}", flush=True)
    for kind, path in paths.items():
        found = measure(kind, path)
        rate = found["rows"] / found["seconds"]
        print(
            f"{engine}: {kind} {found['rows']:,} rows in {found['seconds']:.1f} s: "
            f"{rate:,.0f} rows/s, peak {found['peak_mb']:.0f} MB",
            flush=True,
        )
    target, user = agency("Cơ quan trang kết quả")
    made = page_rows(target)
    print(f"{engine}: {made:,} DailyResult rows worth {PAGE_DOSSIERS:,} dossiers")
    client = Client()
    client.force_login(user)
    base = f"/agencies/{target.pk}/procedures/results/"
    for label, query in (
        ("results page, year by TTHC", "?year=2026"),
        ("results page, month by field", "?year=2026&part=m06&by=field"),
        ("results page, year by month", "?year=2026&by=month"),
        ("late dossiers", "late/?year=2026"),
    ):
        median, p95 = page_times(client, base + query)
        print(f"{engine}: {label}: median {median:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    if sys.argv[1:2] == ["import"]:
        import_one(sys.argv[2], sys.argv[3])
    else:
        main()
