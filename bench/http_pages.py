"""Benchmark: the main pages over HTTP, served as in production, at 100, 1,000 and 10,000 rows.

For each size, one agency holds that many documents (in force, cited, indexed for search),
an issued plan of that many tasks (on everyone's agenda) and handles that many TTHC of its
province's catalogue, with a year of results; gunicorn serves it as `make run`
does (scripts/gunicorn.conf.py: 2 workers, preloaded; QMS_PRODUCTION=1, SQLite under a
temporary QMS_VAR_DIR) with bench/http_settings.py, which adds a one-line hello view behind
the same middleware: the floor. An asyncio client (aiohttp) keeps BENCH_CONNECTIONS requests
in flight for BENCH_SECONDS per page, signed in as the agency's ISO secretary, and prints for
each page req/s, p50 and p99 in ms, and its cost as a multiple of the hello floor of the same
run (floor req/s ÷ page req/s; 1.0 is as cheap as hello).

    .venv/bin/python bench/http_pages.py               # about 6 minutes here
    BENCH_SIZES=100 BENCH_SECONDS=3 .venv/bin/python bench/http_pages.py    # a quick look
    BENCH_SIZES=100,10000 BENCH_PAGES=dashboard,ics,search .venv/bin/python bench/http_pages.py
                                          # some pages only (words of their names), and the floor

The client runs on the same machine and takes a share of its CPU: read the ratios, which
compare pages served under the same conditions, rather than the absolute figures.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "100,1000,10000").split(",")]
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "10"))
# Only the pages whose name holds one of these words (case ignored); the floor always runs.
PAGES = [w.strip().lower() for w in os.environ.get("BENCH_PAGES", "").split(",") if w.strip()]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")

FLOOR = "hello (floor)"
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


def server_env(var_dir: Path) -> dict[str, str]:
    """Production settings, as a deployment sets them, over plain HTTP on 127.0.0.1."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        QMS_PRODUCTION="1",
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-of-the-http-benchmark-0123456789",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        QMS_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="bench.http_settings",
        PYTHONPATH=str(ROOT),
    )
    return env


# --- seeding (runs in a child process, one per size) ----------------------------------------


def seed(size: int) -> dict[str, object]:
    """One agency with `size` documents and a plan of `size` tasks; the secretary's session."""
    import django

    django.setup()
    from django.db import transaction
    from django.urls import reverse

    from qms.agenda.models import CalendarFeed
    from qms.organization.models import Agency, Membership, Province, Role, Unit, User
    from qms.organization.services import set_roles

    with transaction.atomic():
        province = Province.objects.create(name="Tỉnh Đo Kiểm")
        agency = Agency.objects.create(
            province=province,
            name="Sở Xây dựng Đo Kiểm",
            kind=Agency.Kind.SPECIALISED_DEPARTMENT,
            abbreviation="SXD",
            place_name="Đo Kiểm",
            head_title="Giám đốc",
            deputy_title="Phó Giám đốc",
        )
        units = [Unit.objects.create(agency=agency, name=f"Phòng {u + 1}") for u in range(5)]
        user = User.objects.create_user("thuky", password="bench", full_name="Thư ký ISO")
        membership = Membership.objects.create(user=user, agency=agency, unit=units[0])
        set_roles(membership, [Role.ISO_SECRETARY])
        document_id = _documents(agency, units, user, size)
        plan_id = _plan(agency, units, size)
        dost_id = _procedures(agency, units, user, size)
    token = CalendarFeed.objects.get_or_create(user=user)[0].token
    a = agency.pk
    return {
        "cookie": _session(user),
        "pages": {
            FLOOR: "/bench/hello/",
            "documents register": reverse("documents:list", args=[a]),
            "a document": reverse("documents:detail", args=[a, document_id]),
            "search": reverse("documents:list", args=[a]) + "?q=quy+trinh+dang+ky",
            "plan": reverse("plans:detail", args=[a, plan_id]),
            "Việc của tôi": reverse("agenda:mine", args=[a]),
            "dashboard": reverse("organization:dashboard", args=[a]),
            "ICS feed": reverse("agenda:ics", args=[token]),
            "ICS feed, unchanged (304)": reverse("agenda:ics", args=[token]),
            "outgoing register": reverse("paperwork:register", args=[a]),
            "TTHC catalogue": reverse("procedures:catalogue", args=[dost_id]),
            "TTHC of the agency": reverse("procedures:handlings", args=[a]),
            "TTHC coverage": reverse("procedures:coverage", args=[a]),
            "TTHC results": reverse("procedures:results", args=[a]) + "?year=2026",
        },
    }


def _documents(agency: object, units: list, user: object, size: int) -> int:
    from django.db.models import OuterRef, Subquery

    from qms.documents import search, services
    from qms.documents.models import (
        Citation,
        Document,
        Kind,
        LegalDocument,
        Revision,
        RevisionFile,
    )

    subjects = ["cấp giấy phép xây dựng", "đăng ký kinh doanh", "thẩm định dự án", "tiếp dân"]
    legal = LegalDocument.objects.bulk_create(
        LegalDocument(
            agency=agency,
            doc_type=LegalDocument.Type.DECREE,
            number=f"{n}/2020/NĐ-CP",
            issuer="Chính phủ",
            title=f"Quy định chi tiết về {subjects[n % 4]}",
            issued_on=dt.date(2020, 1, 1) + dt.timedelta(days=n),
        )
        for n in range(1, max(20, size // 30) + 1)
    )
    documents = Document.objects.bulk_create(
        Document(
            agency=agency,
            kind=Kind.TTHC_PROCEDURE if i % 4 else Kind.INTERNAL_PROCEDURE,
            code=f"QT-{i + 1:05d}",
            title=f"Quy trình {subjects[i % 4]} số {i + 1}",
            status=Document.Status.IN_FORCE,
            owner_unit=units[i % len(units)],
            next_review_on=dt.date(2026, 1, 1) + dt.timedelta(days=i % 700),
        )
        for i in range(size)
    )
    revisions = Revision.objects.bulk_create(
        Revision(document=d, revision_no=1, status=Revision.Status.ISSUED) for d in documents
    )
    Document.objects.filter(agency=agency).update(
        current_revision=Subquery(Revision.objects.filter(document=OuterRef("pk")).values("pk")[:1])
    )
    RevisionFile.objects.bulk_create(
        RevisionFile(
            revision=r,
            file=f"documents/{r.pk}.pdf",
            original_name="quy-trinh.pdf",
            content_type="application/pdf",
            size=1,
            sha256=f"{r.pk:064d}",
            text="Bộ phận tiếp nhận và trả kết quả tiếp nhận hồ sơ, đăng ký, thẩm định. " * 20,
            extraction=RevisionFile.Extraction.DONE,
            uploaded_by=user,
        )
        for r in revisions
    )
    Citation.objects.bulk_create(
        Citation(agency=agency, document=d, legal_document=legal[(i + k) % len(legal)])
        for i, d in enumerate(documents)
        for k in (0, 7)
    )
    services.sync_review_agenda(agency)
    search.reindex_agency(agency)
    return documents[len(documents) // 2].pk


def _procedures(agency: object, units: list, user: object, size: int) -> int:
    """A province catalogue of `size` TTHC kept by its Sở KH&CN, all handled by the agency
    (a quarter not covered by a procedure), and results on two days of every month of 2026
    for each: 24 × `size` DailyResult rows. Returns the Sở's id (the catalogue's page)."""
    from qms.documents.models import Document
    from qms.organization.models import Agency
    from qms.procedures.models import AdminProcedure, AgencyProcedure, DailyResult, ResultImport

    province = agency.province  # type: ignore[attr-defined]
    dost = Agency.objects.create(
        province=province,
        name="Sở Khoa học và Công nghệ Đo Kiểm",
        kind=Agency.Kind.SPECIALISED_DEPARTMENT,
        abbreviation="SKHCN",
        place_name="Đo Kiểm",
        head_title="Giám đốc",
        deputy_title="Phó Giám đốc",
        is_dost=True,
    )
    fields = ["Xây dựng", "Quy hoạch", "Nhà ở", "Hạ tầng kỹ thuật", "Vật liệu xây dựng"]
    procedures = AdminProcedure.objects.bulk_create(
        AdminProcedure(
            province=province,
            code=f"1.{n:06d}.000.00.00.H38",
            name=f"Thủ tục hành chính số {n} về {fields[n % 5].lower()}",
            field=fields[n % 5],
            level="province",
            time_days=15,
        )
        for n in range(size)
    )
    documents = list(Document.objects.filter(agency=agency).values_list("pk", flat=True))
    handled = AgencyProcedure.objects.bulk_create(
        AgencyProcedure(
            agency=agency,
            procedure=p,
            committed_days=10,
            unit=units[n % len(units)],
            document_id=documents[n % len(documents)] if n % 4 else None,
        )
        for n, p in enumerate(procedures)
    )
    source = ResultImport.objects.create(
        agency=agency,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        shape=ResultImport.Shape.AGGREGATED,
        file_name="bench.csv",
        status=ResultImport.Status.DONE,
        by=user,
    )
    days = [dt.date(2026, month, day) for month in range(1, 13) for day in (10, 20)]
    DailyResult.objects.bulk_create(
        (
            DailyResult(
                agency=agency,
                procedure_id=h.procedure_id,
                unit=h.unit,
                day=day,
                source=source,
                received_online=3,
                resolved_on_time=2,
                resolved_late=int(n % 7 == 0),
            )
            for n, h in enumerate(handled)
            for day in days
        ),
        batch_size=5000,
    )
    return dost.pk


def _plan(agency: object, units: list, size: int) -> int:
    from qms.plans import services
    from qms.plans.models import PlanTask

    plan = services.create_plan(agency, year=2026, title="Duy trì HTQLCL năm 2026", signer_name="A")
    PlanTask.objects.bulk_create(
        PlanTask(
            plan=plan,
            order=t + 1,
            content=f"Nhiệm vụ {t + 1} của kế hoạch",
            timing=TIMINGS[t % len(TIMINGS)],
            lead_kind="unit",
            lead_unit=units[t % len(units)],
        )
        for t in range(size)
    )
    services.submit(plan)
    services.issue(plan, number=1, issued_on=dt.date(2026, 1, 10))
    return plan.pk


def _session(user: object) -> str:
    """A signed-in session, as the login view leaves it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)  # type: ignore[attr-defined]
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()  # type: ignore[attr-defined]
    session["qms_last_seen"] = int(time.time())
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


# --- the server and the load ----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare_template(base: Path) -> Path:
    """Migrate once and collect the static files once; each size starts from a copy."""
    template = base / "template"
    template.mkdir()
    env = server_env(template)
    for command in (["migrate", "--verbosity", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)
    return template


def copy_template(template: Path, var_dir: Path) -> None:
    var_dir.mkdir()
    source = sqlite3.connect(template / "qms.sqlite3")
    target = sqlite3.connect(var_dir / "qms.sqlite3")
    source.backup(target)
    source.close()
    target.close()
    (var_dir / "static").symlink_to(template / "static")


def start_server(var_dir: Path, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            GUNICORN,
            "qms.wsgi",
            "--config",
            "scripts/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=server_env(var_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn did not start: {server.communicate()[1].decode()[-2000:]}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@dataclass
class Result:
    requests: int
    seconds: float
    p50: float
    p99: float
    status: str
    size_kb: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


async def load(url: str, headers: dict[str, str], seconds: float, expect: int) -> Result:
    import aiohttp

    latencies: list[float] = []
    statuses: set[int] = set()
    sizes: list[int] = []
    connector = aiohttp.TCPConnector(limit=CONNECTIONS)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def one() -> None:
            start = time.perf_counter()
            async with session.get(url, headers=headers, allow_redirects=False) as response:
                body = await response.read()
            latencies.append((time.perf_counter() - start) * 1000)
            statuses.add(response.status)
            sizes.append(len(body))

        for _ in range(2):  # warm: the caches, the session's renewal
            await one()
        latencies.clear()
        sizes.clear()
        end = time.perf_counter() + seconds

        async def worker() -> None:
            while time.perf_counter() < end:
                await one()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    status = ",".join(str(s) for s in sorted(statuses))
    if statuses != {expect}:
        status += " (!)"
    return Result(
        requests=len(latencies),
        seconds=elapsed,
        p50=latencies[len(latencies) // 2],
        p99=latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        status=status,
        size_kb=sum(sizes) / max(1, len(sizes)) / 1024,
    )


def etag_of(url: str, headers: dict[str, str]) -> str:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (our own server)
    with urllib.request.urlopen(request, timeout=60) as response:
        return str(response.headers["ETag"])


def run_size(template: Path, base: Path, size: int) -> list[tuple[str, Result]]:
    var_dir = base / str(size)
    copy_template(template, var_dir)
    started = time.perf_counter()
    seeded = subprocess.run(
        [PYTHON, __file__, "--seed", str(size)],
        cwd=ROOT,
        env=server_env(var_dir),
        check=True,
        capture_output=True,
        text=True,
    )
    setup = json.loads(seeded.stdout.strip().splitlines()[-1])
    print(f"\n{size:,} rows: seeded in {time.perf_counter() - started:.0f} s", flush=True)
    port = free_port()
    server = start_server(var_dir, port)
    results = []
    try:
        for name, path in setup["pages"].items():
            if PAGES and name != FLOOR and not any(word in name.lower() for word in PAGES):
                continue
            url = f"http://127.0.0.1:{port}{path}"
            headers = {"Cookie": setup["cookie"]}
            expect = 200
            if "304" in name:
                headers["If-None-Match"] = etag_of(url, headers)
                expect = 304
            result = asyncio.run(load(url, headers, SECONDS, expect))
            results.append((name, result))
            print(f"  {name:28} {result.rps:8.1f} req/s", flush=True)
    finally:
        stop_server(server)
        shutil.rmtree(var_dir, ignore_errors=True)
    return results


def report(table: dict[int, list[tuple[str, Result]]]) -> None:
    print(
        f"\ngunicorn 2 workers (scripts/gunicorn.conf.py), QMS_PRODUCTION=1, SQLite; "
        f"{CONNECTIONS} connections, {SECONDS:g} s per page; cost = hello req/s ÷ page req/s"
    )
    header = f"{'rows':>6}  {'page':28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'cost':>7}"
    print(header + f" {'KB':>8}  status")
    for size, results in table.items():
        floor = results[0][1].rps
        for name, r in results:
            print(
                f"{size:>6}  {name:28} {r.rps:8.1f} {r.p50:8.1f} {r.p99:8.1f} "
                f"{floor / r.rps:6.1f}× {r.size_kb:8.1f}  {r.status}"
            )
    first, last = SIZES[0], SIZES[-1]
    if len(table) > 1:
        print(f"\nslow-down from {first:,} to {last:,} rows (req/s at {first:,} ÷ at {last:,}):")
        for (name, small), (_name, large) in zip(table[first], table[last], strict=True):
            print(f"  {name:28} {small.rps / large.rps:5.2f}×")


def main() -> None:
    # Stopped from outside: still stop the server and remove the run's files (finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    base = Path(tempfile.mkdtemp(prefix="qms-http-bench-"))
    try:
        template = prepare_template(base)
        table = {size: run_size(template, base, size) for size in SIZES}
        report(table)
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--seed":
        print(json.dumps(seed(int(sys.argv[2]))))
    else:
        main()
