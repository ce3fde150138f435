"""No input breaks a page (issue 9 §5).

Every URL pattern of the project, reached with the ids of agency A's records, is driven with
random and hostile query strings and form data, as the ISO secretary and as a staff member:
no response may be a server error (status 500 or more, or an exception out of a view).

How it works:
- agency A is given the records of a working year: an issued plan with a recorded event, a
  draft plan, committee decisions, documents with revisions and a document set, the legal
  register with a citation and a review;
- every pattern is taken from the URL resolver and filled with real ids (chosen by the word
  before each id in the route: ".../plans/<pk>/" takes a plan's id), and also with huge,
  negative and non-numeric ids;
- the pages reached are read for their links and their forms (action, method, fields and the
  values each field offers), so that POSTs reach the real forms with their real field names;
- a sweep sends every pattern a GET with a hostile query string and a POST with hostile values
  in every field known, and every form its own values with a few fields hostile, all in turn;
- then Hypothesis mixes offered and hostile values at random (derandomized: CI runs the same
  examples every time);
- after each, every page is read again: what was stored must not break a page (the plan page
  with an event dated 31/12/9999 broke for good, with the form to fix it on that page).

PDF downloads are left out: they are the DOCX (fuzzed) converted by LibreOffice, a second a
call. Logging out is left out too: it would end the session the rest of the run needs.
"""

from __future__ import annotations

import io
import itertools
import re
import time
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from docx import Document as Docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

HUGE = "9223372036854775808"  # one past the largest 64-bit integer
# Tried in every date field and every id field of every form.
BAD_DATES = ["31/12/9999", "9999-12-31", "01/01/0001", "31/12/1989", "31/02/2026", "1/1/1"]
BAD_NUMBERS = [HUGE, "9" * 40, "-1", "0", "²", "1e309"]
BAD_TEXTS = [
    "Quy trình\x0bđánh giá",
    "\x00",
    "\x1b[31m\x07\x85",
    "\ufffe\uffff",
    "x" * 10_000,
    "Đ" * 10_000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%(x)s {0} {{ x }}",
    '=HYPERLINK("http://x")',
]
HOSTILE = [
    "",
    " ",
    "1.5",
    "NaN",
    "٣",
    "00/00/0000",
    "9999-99",
    "2026-13",
    "on",
    "true",
    "null",
    *BAD_NUMBERS,
    *BAD_DATES,
    *BAD_TEXTS,
]
BAD_IDS = [HUGE, "9" * 400, "-1", "abc", "٣"]
# The first ids of the records behind the word before `<int:pk>` in a route.
SEGMENT_MODELS = {
    "plans": "plans.Plan",
    "tasks": "plans.PlanTask",
    "evidence": "plans.Evidence",
    "versions": "plans.PlanVersion",
    "units": "organization.Unit",
    "unit": "organization.Unit",
    "people": "organization.Membership",
    "decisions": "organization.CommitteeDecision",
    "notifications": "agenda.Notification",
    "documents": "documents.Document",
    "cite": "documents.Document",
    "revisions": "documents.Revision",
    "readers": "documents.ReadRequirement",
    "document-files": "documents.RevisionFile",
    "document-sets": "documents.DocumentSet",
    "legal": "documents.LegalDocument",
    "citations": "documents.Citation",
}
# Values for text parts of routes, besides those found in the pages' links.
STR_VALUES = {
    "what": ["docx", "xlsx", "status", "note", "evidence", "link"],
    "fmt": ["docx"],
    "action": ["submit", "approve", "send_back", "amend", "close", "review", "withdraw"],
    "kind": ["agency", "unit", "membership", "decision", "member"],
}
SKIPPED_NAMES = {"logout"}
PER_PATTERN = 3  # distinct URLs kept per pattern
SWEEP_FORMS_LIMIT = 60
HOSTILE_AT_ONCE = 4  # fields of a form made hostile together in the sweep


def _docx() -> bytes:
    document = Docx()
    document.add_paragraph("Quy trình kiểm soát tài liệu")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _bomb() -> bytes:
    """A small Word file with 8 MB of zeros packed a thousand to one."""
    buffer = io.BytesIO(_docx())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("word/media/image1.bmp", b"\0" * (8 * 1024 * 1024))
    return buffer.getvalue()


def _files() -> list[tuple[str, bytes]]:
    return [
        ("Quy trình.docx", _docx()),
        ("Biên bản.pdf", b"%PDF-1.4\n%%EOF"),
        ("bom.docx", _bomb()),
        ("giả.docx", b"PK\x03\x04 not a zip"),
        ("ảnh.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
        ("virus.exe", b"MZ\x90\x00"),
        ("rỗng.pdf", b""),
    ]


# ------------------------------------------------------------------------------ the world


def _world(cast: Any) -> None:
    """Agency A's records of a working year, made through the apps' services and builders."""
    import datetime as dt

    from qms.documents import services as documents
    from qms.documents.models import LegalDocument
    from qms.documents.tests.test_revision_life import approved_revision, make_document
    from qms.organization.models import Unit
    from qms.organization.tests.factories import draft_with_members, issued
    from qms.plans import services as plans
    from qms.plans.models import PlanTask

    day = dt.date(2026, 1, 15)
    users, office = cast.users, Unit.objects.filter(agency=cast.a).first()
    issued(cast.a, ["Nguyễn Văn A", "Trần Thị B"], 1, dt.date(2026, 1, 5))
    draft_with_members(cast.a, ["Lê Văn C"])

    plan = plans.create_plan(cast.a, year=2026, title="Duy trì HTQLCL năm 2026", signer_name="A")
    timings = [
        {"parts": [{"kind": "month", "month": 1}]},
        {
            "parts": [{"kind": "month", "month": 7}],
            "alternative": {"event": "document_set_effective", "offset_days": 30},
        },
        {"parts": [{"kind": "event", "event": "inspection_notice", "offset_days": -15}]},
        {"parts": [{"kind": "event", "event": "management_review_held", "offset_days": 10}]},
    ]
    for order, timing in enumerate(timings, start=1):
        PlanTask.objects.create(
            plan=plan,
            order=order,
            content=f"Nhiệm vụ {order}",
            timing=timing,
            lead_kind="unit",
            lead_unit=office,
        )
    plans.submit(plan)
    plans.issue(plan, number=5, issued_on=day)
    plans.record_event(plan, "inspection_notice", dt.date(2026, 9, 1), users["secretary"])
    plans.create_plan(cast.a, year=2027, title="Duy trì HTQLCL năm 2027")

    document = make_document(cast.a, "QT-01", owner_unit=office)
    revision = approved_revision(cast, document)
    documents.issue(revision, day, day)
    draft = documents.new_revision(document, users["secretary"])
    other = make_document(cast.a, "QT-02", owner_unit=office)
    document_set = documents.create_set(cast.a, title="Bộ tài liệu ISO 2026", effective_on=None)
    documents.add_to_set(document_set, documents.new_revision(other, users["secretary"]))
    assert draft.pk
    legal = LegalDocument.objects.create(
        agency=cast.a,
        doc_type=LegalDocument.Type.choices[0][0],
        number="19/2014/QĐ-TTg",
        issued_on=dt.date(2014, 3, 5),
        effective_on=dt.date(2014, 4, 20),
        issuer="Thủ tướng Chính phủ",
        title="Về việc áp dụng Hệ thống quản lý chất lượng",
    )
    documents.cite(document, legal)
    documents.record_legal_review(office, users["secretary"], day, "no_change", "", [legal.pk])


# ---------------------------------------------------------------------------- the patterns


@dataclass(frozen=True)
class Pattern:
    name: str
    route: str
    ints: tuple[str, ...]
    strs: tuple[str, ...]


def _patterns() -> list[Pattern]:
    found: list[Pattern] = []

    def walk(entries: list[Any], prefix: str, namespace: str | None) -> None:
        for entry in entries:
            if isinstance(entry, URLResolver):
                if entry.namespace != "admin":
                    walk(entry.url_patterns, prefix + str(entry.pattern), entry.namespace)
            elif isinstance(entry, URLPattern) and entry.name not in SKIPPED_NAMES:
                route = prefix + str(entry.pattern)
                ints = tuple(re.findall(r"<int:(\w+)>", route))
                strs = tuple(re.findall(r"<(?!int:)(?:\w+:)?(\w+)>", route))
                strs += tuple(re.findall(r"\(\?P<(\w+)>", route))
                name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
                found.append(Pattern(name, route, ints, strs))

    walk(get_resolver().url_patterns, "", None)
    return found


def _ids_for(route: str, kwarg: str, agency_id: int) -> list[str]:
    if kwarg == "agency_id":
        return [str(agency_id)]
    if kwarg == "amendment":
        model = apps.get_model("plans.PlanVersion")
        return [str(n) for n in model.objects.values_list("amendment_no", flat=True)[:2]] or ["0"]
    before = re.search(rf"([\w-]+)/<int:{kwarg}>", route)
    label = SEGMENT_MODELS.get(before.group(1) if before else "")
    if label is None:
        return ["1", "2"]
    model = apps.get_model(label)
    ids = [str(pk) for pk in model.objects.order_by("pk").values_list("pk", flat=True)[:2]]
    return ids or ["1"]


def _fill(pattern: Pattern, agency_id: int) -> list[str]:
    """Paths of `pattern` with real ids and sample text values (a few combinations)."""
    choices: list[list[tuple[str, str]]] = []
    for kwarg in pattern.ints:
        choices.append([(kwarg, v) for v in _ids_for(pattern.route, kwarg, agency_id)])
    for kwarg in pattern.strs:
        values = STR_VALUES.get(kwarg, ["x" * 24])
        choices.append([(kwarg, v) for v in values])
    paths = []
    for combination in itertools.islice(itertools.product(*choices), 12):
        path = _substitute(pattern.route, dict(combination))
        if path is not None:
            paths.append(path)
    return paths


def _substitute(route: str, values: dict[str, str]) -> str | None:
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)
    if path.startswith("^"):  # a regex pattern
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m.group(1)], path)
        path = path.strip("^$").replace("\\.", ".")
        if re.search(r"[\\()\[\]{}*+?|]", path):
            return None
    return "/" + path


def _bad_paths(pattern: Pattern, agency_id: int) -> list[str]:
    """Paths with a huge, negative or non-numeric id in each id's place."""
    good = {k: _ids_for(pattern.route, k, agency_id)[0] for k in pattern.ints}
    good |= {k: STR_VALUES.get(k, ["x" * 24])[0] for k in pattern.strs}
    paths = []
    for kwarg in pattern.ints:
        for bad in BAD_IDS:
            path = _substitute(pattern.route, good | {kwarg: bad})
            if path is not None:
                paths.append(path)
    return paths


# ------------------------------------------------------------------------- reading pages


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)
    multiple: set[str] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)

    def key(self) -> tuple[str, str, tuple[str, ...]]:
        return self.action, self.method, tuple(sorted(self.fields))

    def ids(self) -> set[str]:
        """Fields offering ids (a select of rows, a hidden id)."""
        return {n for n, v in self.fields.items() if any(x.isdigit() for x in v)}


class _Page(HTMLParser):
    """The links and forms of one page."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.links: set[str] = set()
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for key in ("href", "hx-get", "hx-post", "action"):
            if a.get(key, "").startswith("/"):
                self.links.add(a[key])
        if tag == "form":
            self._form = Form(a.get("action") or self.url, (a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif tag in {"input", "select", "textarea"} and self._form and a.get("name"):
            self._field(tag, a)
        elif tag == "option" and self._form and self._select:
            self._form.fields[self._select].append(a.get("value", ""))

    def _field(self, tag: str, a: dict[str, str]) -> None:
        assert self._form is not None
        name = a["name"]
        values = self._form.fields.setdefault(name, [])
        if tag == "select":
            self._select = name
            if "multiple" in a:
                self._form.multiple.add(name)
        elif a.get("type") == "file":
            self._form.files.add(name)
        if a.get("type") == "date" or a.get("placeholder") == "dd/mm/yyyy":
            self._form.dates.add(name)
        elif "value" in a or a.get("type") not in {"checkbox", "radio"}:
            values.append(a.get("value", ""))
        if a.get("type") == "checkbox":
            self._form.multiple.add(name)
            values.append(a.get("value", "on"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _name_of(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


# --------------------------------------------------------------------------- the requests


@dataclass
class Run:
    clients: dict[str, Client]
    files: list[tuple[str, bytes]]
    failures: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))

    def send(self, who: str, method: str, path: str, data: Any = None) -> Any:
        client = self.clients[who]
        try:
            send = client.get if method == "get" else client.post
            response = send(path, data or {})
        except Exception as error:  # noqa: BLE001 — every server error is a finding
            self.failures.append(f"{who} {method.upper()} {path} {_short(data)}: {error!r}")
            return None
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.failures.append(f"{who} {method.upper()} {path} {_short(data)}: {response}")
        return response

    def file(self, index: int) -> SimpleUploadedFile:
        name, content = self.files[index % len(self.files)]
        return SimpleUploadedFile(name, content)


def _short(data: Any) -> str:
    text = repr(data)
    return text if len(text) < 300 else text[:300] + "…"


def _crawl(run: Run, who: str, patterns: list[Pattern], agency_id: int) -> list[Form]:
    """GET every pattern (real ids) and the links the pages offer, a few URLs per pattern;
    return the forms found."""
    queue = [path for p in patterns for path in _fill(p, agency_id)]
    seen_paths: set[str] = set()
    per_name: dict[str, int] = defaultdict(int)
    forms: dict[tuple[str, str, tuple[str, ...]], Form] = {}  # by key
    while queue:
        path = queue.pop(0)
        name = _name_of(path)
        if path in seen_paths or name is None or name in SKIPPED_NAMES:
            continue
        if "/pdf/" in path or path.endswith(("/pdf", ".pdf")) or name.startswith("admin"):
            continue
        if per_name[name] >= PER_PATTERN:
            continue
        seen_paths.add(path)
        per_name[name] += 1
        response = run.send(who, "get", path)
        content_type = response.get("Content-Type", "") if response is not None else ""
        if response is None or response.status_code != 200 or "html" not in content_type:
            continue
        page = _Page(path)
        page.feed(response.content.decode("utf-8", "replace"))
        queue.extend(sorted(page.links))
        for form in page.forms:
            if _name_of(form.action) not in SKIPPED_NAMES:
                forms.setdefault(form.key(), form)
    return list(forms.values())


def _hostile_data(form: Form, run: Run, turn: int) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for offset, name in enumerate(sorted(form.fields)):
        value = HOSTILE[(turn + offset) % len(HOSTILE)]
        data[name] = [value, HUGE] if name in form.multiple else value
    for offset, name in enumerate(sorted(form.files)):
        data[name] = run.file(turn + offset)
    return data


def _some_hostile(form: Form, run: Run, hostile: dict[str, str], turn: int) -> dict[str, Any]:
    """The form with offered values (the `turn`-th of each field's), but the fields of
    `hostile` hostile."""
    data: dict[str, Any] = {n: (v[turn % len(v)] if v else "") for n, v in form.fields.items()}
    for n in form.multiple:
        data[n] = [data[n]] if data[n] else []
    for n in form.files:
        data[n] = run.file(turn)
    return data | hostile


def _sweep(
    run: Run, who: str, patterns: list[Pattern], forms: list[Form], agency_id: int, swept: set[Any]
) -> None:
    """Every pattern by GET with a hostile query string and by POST with hostile values in
    every field known; every form not `swept` yet (by another user) with bad dates and ids
    in each such field, and with a few of its fields hostile at a time, all in turn."""
    known = Form("", "post")
    for form in forms:
        for name, values in form.fields.items():
            known.fields.setdefault(name, []).extend(values)
        known.files |= form.files
        known.multiple |= form.multiple
    for turn, pattern in enumerate(patterns):
        for path in _fill(pattern, agency_id)[:1]:
            if "/pdf/" in path:
                continue
            query = {n: HOSTILE[(turn + i) % len(HOSTILE)] for i, n in enumerate(known.fields)}
            run.send(who, "get", path, query)
            run.send(who, "post", path, _hostile_data(known, run, turn))
    forms = [form for form in forms if form.key() not in swept][:SWEEP_FORMS_LIMIT]
    swept.update(form.key() for form in forms)
    for form in (form for form in forms if form.method == "get"):
        # Filters: every bad id, number and date, and the worst texts, in every field.
        for value in [*BAD_NUMBERS, *BAD_DATES, *BAD_TEXTS]:
            run.send(who, "get", form.action, dict.fromkeys(form.fields, value))
    for form in forms:
        # Dates and ids, the usual causes: every bad one in every such field, the rest valid.
        for name in sorted(form.dates):
            for turn, value in enumerate(BAD_DATES):
                data = _some_hostile(form, run, {name: value}, turn)
                run.send(who, form.method, form.action, data)
        for name in sorted(form.ids() - form.dates):
            for turn, value in enumerate(BAD_NUMBERS):
                data = _some_hostile(form, run, {name: value}, turn)
                run.send(who, form.method, form.action, data)
        names = sorted(form.fields)
        for turn, start in enumerate(range(0, len(names), HOSTILE_AT_ONCE)):
            hostile = {
                name: HOSTILE[(turn * 7 + offset) % len(HOSTILE)]
                for offset, name in enumerate(names[start : start + HOSTILE_AT_ONCE])
            }
            run.send(who, form.method, form.action, _some_hostile(form, run, hostile, turn))


def _value(form: Form, name: str) -> st.SearchStrategy[Any]:
    offered = form.fields.get(name) or [""]
    single = st.one_of(
        st.sampled_from(offered),
        st.sampled_from(HOSTILE),
        st.text(max_size=40),
        st.integers().map(str),
        st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    )
    return st.lists(single, max_size=3) if name in form.multiple else single


def _fuzz(run: Run, forms: list[Form], examples: int) -> None:
    everyone = sorted(run.clients)

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def example(data: st.DataObject) -> None:
        who = data.draw(st.sampled_from(everyone))
        form = data.draw(st.sampled_from(forms))
        names = sorted(form.fields)
        chosen = data.draw(st.lists(st.sampled_from(names), unique=True)) if names else []
        values = {name: data.draw(_value(form, name)) for name in chosen}
        for name in form.files:
            values[name] = run.file(data.draw(st.integers(0, len(run.files) - 1)))
        if form.method == "get":
            path = form.action + ("&" if "?" in form.action else "?") + urlencode(values, True)
            run.send(who, "get", path)
        else:
            run.send(who, "post", form.action, values)
        assert not run.failures, run.failures[-1]

    example()


def test_no_input_breaks_a_page(cast):
    started = time.monotonic()
    _world(cast)
    clients = {}
    for who in ("secretary", "staff"):
        clients[who] = Client()
        clients[who].force_login(cast.users[who])
    run = Run(clients, _files())
    patterns = _patterns()
    assert len(patterns) > 80
    forms: list[Form] = []
    swept: set[Any] = set()
    for who in clients:
        found = _crawl(run, who, patterns, cast.a.pk)
        forms.extend(found)
        _sweep(run, who, patterns, found, cast.a.pk, swept)
    # A bad id fails in the resolver, whoever asks: once per place an id takes in a route.
    places = {}
    for pattern in patterns:
        for kwarg in pattern.ints:
            place = pattern.route[: pattern.route.index(f"<int:{kwarg}>")]
            places.setdefault(place, pattern)
    for pattern in places.values():
        for path in _bad_paths(pattern, cast.a.pk):
            response = run.send("secretary", "get", path)
            assert response is None or response.status_code == 404, path
    # Whatever the sweep managed to store, every page still renders.
    for who in clients:
        _crawl(run, who, patterns, cast.a.pk)
    assert not run.failures, "\n".join(run.failures)
    # The sweep reached the pages, not only their refusals.
    assert run.statuses[200] > 150, dict(run.statuses)
    assert len(forms) > 40
    _fuzz(run, forms, examples=400)
    for who in clients:
        _crawl(run, who, patterns, cast.a.pk)
    assert not run.failures, "\n".join(run.failures)
    # About 50 s on the shared 2-core machine; a loose bound against a run that grows unseen.
    assert time.monotonic() - started < 180
