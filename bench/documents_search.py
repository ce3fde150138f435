"""Benchmark: the document search box at province scale.

100 agencies × 200 documents (20,000), each in force with a revision whose file holds
2–4 KB of Vietnamese procedure text and two cited legal documents, indexed by
`reindex_agency`; then `matching()` + count + the first page of 25, as the register view
does, for queries with and without diacritics, codes, 1–3 words, common and rare, scoped
to one agency and to the whole province (the overseer). Prints median and p95 in ms.

    .venv/bin/python bench/documents_search.py          # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qms_bench .venv/bin/python \\
        bench/documents_search.py                       # PostgreSQL, an empty database
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

AGENCIES = int(os.environ.get("BENCH_AGENCIES", "100"))
DOCUMENTS = int(os.environ.get("BENCH_DOCUMENTS", "200"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# The SQLite database of a run (≈300 MB) goes with the run.
SCRATCH = None if "QMS_VAR_DIR" in os.environ else tempfile.mkdtemp(prefix="qms-bench-")
os.environ.setdefault("QMS_VAR_DIR", SCRATCH or "")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import OuterRef, QuerySet, Subquery  # noqa: E402

from qms.documents import search  # noqa: E402
from qms.documents.models import (  # noqa: E402
    Citation,
    Document,
    Kind,
    LegalDocument,
    Revision,
    RevisionFile,
)
from qms.lib.search import snippet, terms  # noqa: E402
from qms.organization.models import Agency, Province, User  # noqa: E402

SUBJECTS = [
    "cấp giấy phép xây dựng",
    "đăng ký kinh doanh hộ cá thể",
    "thẩm định dự án đầu tư",
    "cấp chứng chỉ hành nghề",
    "giải quyết khiếu nại",
    "tiếp công dân",
    "đánh giá nội bộ",
    "kiểm soát tài liệu",
    "kiểm soát hồ sơ",
    "hành động khắc phục",
    "xem xét của lãnh đạo",
    "quản lý rủi ro và cơ hội",
    "cấp phiếu lý lịch tư pháp",
    "chứng thực bản sao từ bản chính",
    "đăng ký khai sinh",
    "cấp giấy chứng nhận quyền sử dụng đất",
    "thu hồi đất",
    "phê duyệt kế hoạch lựa chọn nhà thầu",
    "quyết toán vốn đầu tư",
    "tuyển dụng công chức",
]
PHRASES = [
    "Bộ phận tiếp nhận và trả kết quả",
    "tiếp nhận hồ sơ",
    "kiểm tra tính đầy đủ, hợp lệ của hồ sơ",
    "lập phiếu hẹn trả kết quả",
    "chuyển hồ sơ cho phòng chuyên môn",
    "chuyên viên thụ lý",
    "thẩm định hồ sơ",
    "trình lãnh đạo phòng xem xét",
    "Lãnh đạo Sở ký duyệt",
    "trong thời hạn 05 ngày làm việc",
    "kể từ ngày nhận đủ hồ sơ hợp lệ",
    "trường hợp hồ sơ chưa đầy đủ",
    "hướng dẫn tổ chức, cá nhân bổ sung, hoàn thiện",
    "theo mẫu quy định",
    "Ủy ban nhân dân tỉnh",
    "dịch vụ công trực tuyến",
    "thanh toán phí, lệ phí",
    "lưu hồ sơ theo quy định",
    "đánh giá sự hài lòng của người dân",
    "mục tiêu chất lượng",
    "sự không phù hợp",
    "biện pháp khắc phục",
    "báo cáo kết quả thực hiện",
    "văn bản đề nghị của tổ chức",
    "bản sao có chứng thực",
    "căn cứ pháp lý",
    "đăng ký",
    "đánh giá",
    "phân công thụ lý",
    "công khai trên Cổng thông tin điện tử",
]
# Rare phrases, each in about one document in 200: the searches that find a needle.
RARE = [
    "giấy phép khai thác khoáng sản",
    "phòng cháy chữa cháy rừng",
    "kiểm định chất lượng công trình",
]
CODES = [("QT", 120), ("QT.ISO", 20), ("HD", 30), ("BM", 30)]

QUERIES = [
    "danh gia",  # common, no marks
    "đánh giá nội bộ",
    "ĐĂNG KÝ",  # capitals
    "dang ky kinh doanh",
    "QT-01",  # codes
    "qt.iso.05",
    "hd 12",
    "thẩm định",
    "tham dinh du an dau tu",
    "ho so",  # nearly everywhere
    "khai thac khoang san",  # rare
    "phong chay chua chay",
    "kiem dinh",
    "ngh",  # short prefix
    "không có từ này xyzq",  # no match
    "tiep nhan tra ket qua",
]


def _text(rng: random.Random) -> str:
    size = rng.randint(2000, 4000)
    sentences: list[str] = []
    length = 0
    while length < size:
        words = rng.sample(PHRASES, rng.randint(3, 6))
        sentence = ", ".join(words).capitalize() + "."
        sentences.append(sentence)
        length += len(sentence) + 1
    if rng.random() < 0.005 * len(RARE):
        sentences.insert(rng.randrange(len(sentences)), rng.choice(RARE).capitalize() + ".")
    return " ".join(sentences)


def _codes() -> list[str]:
    return [f"{prefix}-{n:02d}" for prefix, count in CODES for n in range(1, count + 1)]


def build() -> Province:
    rng = random.Random(2026)  # the same corpus on every run and database
    province = Province.objects.create(name="Tỉnh Đo Kiểm Tìm Kiếm")
    user = User.objects.create_user("bench-search", password="x", full_name="Thư ký")
    for start in range(0, AGENCIES, 10):
        with transaction.atomic():
            for index in range(start, min(start + 10, AGENCIES)):
                _agency(province, index, user, rng)
    return province


def _agency(province: Province, index: int, user: User, rng: random.Random) -> None:
    agency = Agency.objects.create(
        province=province,
        name=f"Sở số {index}",
        kind=Agency.Kind.SPECIALISED_DEPARTMENT,
        abbreviation="SXD",
        place_name="Đo Kiểm",
        head_title="Giám đốc",
        deputy_title="Phó Giám đốc",
    )
    legal = LegalDocument.objects.bulk_create(
        LegalDocument(
            agency=agency,
            doc_type=LegalDocument.Type.DECREE,
            number=f"{n}/2020/NĐ-CP",
            issuer="Chính phủ",
            title=f"quy định chi tiết về {rng.choice(SUBJECTS)}",
        )
        for n in range(1, 21)
    )
    codes = _codes()[:DOCUMENTS]
    documents = Document.objects.bulk_create(
        Document(
            agency=agency,
            kind=Kind.TTHC_PROCEDURE,
            code=code,
            title=f"Quy trình {rng.choice(SUBJECTS)}",
            status=Document.Status.IN_FORCE,
        )
        for code in codes
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
            file=f"documents/{agency.pk}/{r.pk:064d}",
            original_name="quy-trinh.docx",
            content_type="application/pdf",
            size=1,
            sha256=f"{r.pk:064d}",
            text=_text(rng),
            extraction=RevisionFile.Extraction.DONE,
            uploaded_by=user,
        )
        for r in revisions
    )
    Citation.objects.bulk_create(
        Citation(agency=agency, document=d, legal_document=cited)
        for d in documents
        for cited in rng.sample(legal, 2)
    )


def measure(run: Callable[[], None]) -> tuple[float, float]:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def first_page(scope: QuerySet[Document], query: str, snippets: bool) -> int:
    paginator = Paginator(search.matching(scope, query), 25)
    rows = list(paginator.page(1).object_list)
    if snippets:
        wanted = terms(query)
        for row in rows:
            snippet(getattr(row, "search_body", ""), wanted)
    return paginator.count


def report(label: str, scopes: list[QuerySet[Document]], snippets: bool) -> None:
    times: list[float] = []
    for _ in range(ROUNDS):
        for n, query in enumerate(QUERIES):
            scope = scopes[n % len(scopes)]
            start = time.perf_counter()
            first_page(scope, query, snippets)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    extra = " + snippets" if snippets else ""
    print(
        f"{connection.vendor}: {label}{extra}: median {statistics.median(times):.1f} ms, "
        f"p95 {p95:.1f} ms, max {times[-1]:.1f} ms ({len(times)} searches)"
    )


def per_query(label: str, scope: QuerySet[Document]) -> None:
    for query in QUERIES:
        hits = first_page(scope, query, False)
        median, worst = measure(lambda q=query: first_page(scope, q, False))  # type: ignore[misc]
        print(f"  {label:8} {query!r:28} {hits:6} hits  median {median:7.1f} ms  max {worst:7.1f}")


def main() -> None:
    call_command("migrate", verbosity=0)
    if Document.objects.exists():
        sys.exit("The database already holds documents: give the benchmark an empty one.")
    started = time.perf_counter()
    province = build()
    built = time.perf_counter()
    print(f"built {AGENCIES} agencies × {DOCUMENTS} documents in {built - started:.0f} s")
    for agency in Agency.objects.filter(province=province):
        search.reindex_agency(agency)
    print(f"indexed in {time.perf_counter() - built:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum would have done by then
    agencies = list(Agency.objects.filter(province=province).order_by("pk"))
    one_agency = [Document.objects.filter(agency=a) for a in agencies[:: max(1, AGENCIES // 10)]]
    province_wide = [Document.objects.filter(agency__province=province)]
    first_page(province_wide[0], "danh gia", False)  # warm caches
    if os.environ.get("BENCH_PER_QUERY"):
        per_query("agency", one_agency[0])
        per_query("province", province_wide[0])
    for snippets in (False, True):
        report("one agency", one_agency, snippets)
        report("province-wide", province_wide, snippets)


if __name__ == "__main__":
    try:
        main()
    finally:
        if SCRATCH:
            shutil.rmtree(SCRATCH, ignore_errors=True)
