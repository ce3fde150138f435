"""The inputs of the management review (ISO 9001 9.3.2), each compiled from the product's
own records — a registry the owning apps may add to from their AppConfig.ready():

    from qms.review import inputs
    inputs.register(inputs.Input("audits", 36, "Kết quả đánh giá nội bộ", compile_audits))

A compiler takes the `Period` under review and returns its `Compiled` figures, links and a
first draft of the text, in a constant number of queries (the review compiles every input
in one request). An input with no data in the product (performance of external providers,
adequacy of resources) has no figures: its text is written at the meeting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.urls import reverse

if TYPE_CHECKING:
    from qms.organization.models import Agency
    from qms.review.models import ManagementReview


@dataclass(frozen=True)
class Period:
    agency: Agency
    start: dt.date
    end: dt.date
    previous: ManagementReview | None  # the agency's last review held before this one

    @property
    def year(self) -> int:
        return self.end.year


@dataclass
class Compiled:
    text: str = ""
    figures: list[tuple[str, str]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Input:
    key: str
    order: int  # clause 9.3.2 order: a) 10, b) 20, c) 31–37, d) 40, e) 50, f) 60
    title: str  # Vietnamese, as the minutes print it
    compile: Callable[[Period], Compiled] | None  # None: written at the meeting


_INPUTS: dict[str, Input] = {}


def register(found: Input) -> None:
    _INPUTS[found.key] = found


def registered() -> list[Input]:
    return sorted(_INPUTS.values(), key=lambda i: i.order)


def rate_text(value: float | None) -> str:
    """A rate as the minutes write it, whatever the reader's language: "96,45%"."""
    if value is None:
        return "chưa có số liệu"
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",") + "%"


# --- a) the actions of previous reviews ------------------------------------------------------


def previous_actions(period: Period) -> Compiled:
    from qms.review.models import ReviewOutput

    if period.previous is None:
        return Compiled("Đây là cuộc họp xem xét đầu tiên được ghi nhận trên hệ thống.")
    counts = ReviewOutput.objects.filter(review=period.previous).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(done_on__isnull=False)),
        late=Count("pk", filter=Q(done_on__isnull=True, due_on__lt=period.end)),
    )
    previous = period.previous
    return Compiled(
        f"Cuộc họp ngày {previous.meeting_on:%d/%m/%Y} đề ra {counts['total']} nội dung; "
        f"đã hoàn thành {counts['done']}, còn {counts['total'] - counts['done']} "
        f"(quá hạn {counts['late']}).",
        [
            ("Số nội dung đề ra", str(counts["total"])),
            ("Đã hoàn thành", str(counts["done"])),
            ("Quá hạn chưa hoàn thành", str(counts["late"])),
        ],
        [(str(previous), previous.get_absolute_url())],
    )


# --- b) changes in external and internal issues ------------------------------------------------


def context(period: Period) -> Compiled:
    from qms.risks.queries import context_changes

    changes = context_changes(period.agency, period.year)
    url = reverse("risks:context", args=[period.agency.pk]) + f"?year={period.year}"
    figures = [
        ("Vấn đề mới", str(len(changes.new_issues))),
        ("Vấn đề thay đổi", str(len(changes.changed_issues))),
        ("Vấn đề không còn theo dõi", str(len(changes.dropped_issues))),
        ("Bên quan tâm mới", str(len(changes.new_parties))),
        ("Bên quan tâm thay đổi", str(len(changes.changed_parties))),
        ("Bên quan tâm không còn theo dõi", str(len(changes.dropped_parties))),
    ]
    if not changes.has_previous:
        text = f"Chưa có bối cảnh năm {period.year - 1} để so sánh."
    elif not changes.any:
        text = f"Bối cảnh và các bên quan tâm không thay đổi so với năm {period.year - 1}."
    else:
        new = [i.description for i in changes.new_issues] + [p.name for p in changes.new_parties]
        text = f"Có thay đổi so với năm {period.year - 1}" + (
            ": " + "; ".join(new[:5]) + "." if new else "."
        )
    return Compiled(text, figures, [(f"Bối cảnh năm {period.year}", url)])


# --- c) performance and effectiveness --------------------------------------------------------


def satisfaction(period: Period) -> Compiled:
    from qms.procedures.queries import rate_of
    from qms.procedures.queries import satisfaction as survey

    counts = survey(period.agency, period.start, period.end)
    answers = sum(counts.values())
    rate = rate_of(counts)
    url = reverse("procedures:results", args=[period.agency.pk]) + f"?year={period.year}"
    return Compiled(
        f"Tỷ lệ hài lòng của người dân, doanh nghiệp: {rate_text(rate)} ({answers} ý kiến).",
        [
            ("Số ý kiến khảo sát", str(answers)),
            ("Tỷ lệ hài lòng", rate_text(rate)),
            ("Không hài lòng", str(counts["dissatisfied"])),
        ],
        [("Kết quả giải quyết hồ sơ TTHC", url)],
    )


def objectives(period: Period) -> Compiled:
    from qms.objectives.models import Measurement

    found = Measurement.objects.filter(
        objective__agency=period.agency, period_end__range=(period.start, period.end)
    ).aggregate(total=Count("pk"), achieved=Count("pk", filter=Q(achieved=True)))
    missed = found["total"] - found["achieved"]
    url = reverse("objectives:year", args=[period.agency.pk]) + f"?year={period.year}"
    return Compiled(
        f"{found['achieved']}/{found['total']} kết quả đo trong kỳ đạt mục tiêu"
        + (f"; {missed} kết quả không đạt cần hành động khắc phục." if missed else "."),
        [
            ("Kết quả đo trong kỳ", str(found["total"])),
            ("Đạt", str(found["achieved"])),
            ("Không đạt", str(missed)),
        ],
        [(f"Mục tiêu chất lượng năm {period.year}", url)],
    )


def process_performance(period: Period) -> Compiled:
    from qms.procedures.queries import slowest, totals

    figures = totals(period.agency, period.start, period.end)
    worst = [f for f in slowest(period.agency, period.start, period.end, limit=3) if f.late]
    url = reverse("procedures:results", args=[period.agency.pk]) + f"?year={period.year}"
    text = (
        f"Đã giải quyết {figures.resolved} hồ sơ TTHC, đúng hạn {rate_text(figures.on_time_rate)}; "
        f"tiếp nhận trực tuyến {rate_text(figures.online_share)}."
    )
    if worst:
        text += (
            " Thủ tục có nhiều hồ sơ trễ hạn nhất: "
            + "; ".join(f"{f.label} ({f.late} hồ sơ)" for f in worst)
            + "."
        )
    return Compiled(
        text,
        [
            ("Hồ sơ tiếp nhận", str(figures.received)),
            ("Hồ sơ đã giải quyết", str(figures.resolved)),
            ("Tỷ lệ đúng hạn", rate_text(figures.on_time_rate)),
            ("Hồ sơ trễ hạn", str(figures.late)),
        ],
        [("Kết quả giải quyết hồ sơ TTHC", url)],
    )


def monitoring(period: Period) -> Compiled:
    from qms.documents.models import Citation

    found = Citation.objects.filter(
        agency=period.agency, due_on__range=(period.start, period.end)
    ).aggregate(
        total=Count("pk"),
        on_time=Count("pk", filter=Q(resolved_on__isnull=False, resolved_on__lte=period.end)),
        open=Count("pk", filter=Q(resolved_on__isnull=True)),
    )
    url = reverse("documents:legal_list", args=[period.agency.pk])
    return Compiled(
        f"{found['total']} tài liệu phải cập nhật do văn bản pháp luật thay đổi trong kỳ; "
        f"đã cập nhật {found['on_time']}, chưa cập nhật {found['open']}.",
        [
            ("Tài liệu phải cập nhật", str(found["total"])),
            ("Đã cập nhật", str(found["on_time"])),
            ("Chưa cập nhật", str(found["open"])),
        ],
        [("Danh mục văn bản pháp luật", url)],
    )


# --- e) effectiveness of actions on risks and opportunities; f) improvement ---------------------


def risk_treatment(period: Period) -> Compiled:
    from qms.risks.models import Treatment

    found = Treatment.objects.filter(risk__agency=period.agency).aggregate(
        checked=Count("pk", filter=Q(checked_on__range=(period.start, period.end))),
        effective=Count(
            "pk",
            filter=Q(checked_on__range=(period.start, period.end), result="effective"),
        ),
        late=Count("pk", filter=Q(done_on__isnull=True, due_on__lt=period.end)),
    )
    url = reverse("risks:register", args=[period.agency.pk]) + f"?year={period.year}"
    return Compiled(
        f"{found['effective']}/{found['checked']} biện pháp được đánh giá trong kỳ có hiệu lực; "
        f"{found['late']} biện pháp quá hạn chưa thực hiện.",
        [
            ("Biện pháp được đánh giá hiệu lực", str(found["checked"])),
            ("Có hiệu lực", str(found["effective"])),
            ("Quá hạn chưa thực hiện", str(found["late"])),
        ],
        [(f"Danh mục rủi ro và cơ hội năm {period.year}", url)],
    )


def improvement(period: Period) -> Compiled:
    from qms.risks.models import Risk

    chances = list(
        Risk.objects.filter(agency=period.agency, year=period.year, kind=Risk.Kind.OPPORTUNITY)
        .order_by("-level", "pk")
        .values_list("description", flat=True)[:5]
    )
    url = (
        reverse("risks:register", args=[period.agency.pk]) + f"?year={period.year}&kind=opportunity"
    )
    text = (
        "Các cơ hội cải tiến đã nhận diện: " + "; ".join(chances) + "."
        if chances
        else "Chưa nhận diện cơ hội cải tiến trong năm."
    )
    return Compiled(text, [("Cơ hội đã nhận diện", str(len(chances)))], [("Cơ hội", url)])


for _input in (
    Input(
        "previous_actions",
        10,
        "Tình trạng của các hành động từ các lần xem xét trước",
        previous_actions,
    ),
    Input(
        "context",
        20,
        "Những thay đổi về các vấn đề bên ngoài và nội bộ liên quan đến hệ thống quản lý "
        "chất lượng",
        context,
    ),
    Input(
        "satisfaction",
        31,
        "Sự hài lòng của người dân, tổ chức và phản hồi từ các bên quan tâm",
        satisfaction,
    ),
    Input("objectives", 32, "Mức độ đạt được các mục tiêu chất lượng", objectives),
    Input(
        "process_performance",
        33,
        "Kết quả thực hiện các quá trình và sự phù hợp của kết quả giải quyết TTHC",
        process_performance,
    ),
    Input("monitoring", 35, "Kết quả theo dõi và đo lường", monitoring),
    Input("providers", 37, "Kết quả thực hiện của các nhà cung cấp bên ngoài", None),
    Input("resources", 40, "Sự thỏa đáng của các nguồn lực", None),
    Input(
        "risk_treatment",
        50,
        "Hiệu lực của các hành động giải quyết rủi ro và cơ hội",
        risk_treatment,
    ),
    Input("improvement", 60, "Các cơ hội cải tiến", improvement),
):
    register(_input)
