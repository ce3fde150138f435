"""The results of internal audits as an input of the management review (ISO 9001 9.3.2 c 6),
registered with qms.review.inputs from the app's ready()."""

from __future__ import annotations

from qms.audits import queries
from qms.audits.models import Finding
from qms.review import inputs


def compile_audits(period: inputs.Period) -> inputs.Compiled:
    found = queries.for_review(period.agency, period.start, period.end)
    if not found.audits:
        return inputs.Compiled("Không tổ chức đánh giá nội bộ trong kỳ.", [("Cuộc đánh giá", "0")])
    units = "; ".join(
        f"{u.name}: {sum(u.by_kind.get(k, 0) for k in Finding.NONCONFORMITIES)}"
        for u in found.by_unit
        if any(u.by_kind.get(k) for k in Finding.NONCONFORMITIES)
    )
    text = (
        f"{len(found.audits)} cuộc đánh giá nội bộ trong kỳ với {found.total} phát hiện, trong "
        f"đó {found.nonconformities} điểm không phù hợp" + (f" ({units})." if units else ".")
    )
    figures = [("Cuộc đánh giá", str(len(found.audits)))] + [
        (str(label), str(found.by_kind.get(code, 0))) for code, label in Finding.Kind.choices
    ]
    links = [(a.title, a.url) for a in found.audits]
    return inputs.Compiled(text, figures, links)


def register() -> None:
    inputs.register(inputs.Input("audits", 36, "Kết quả đánh giá nội bộ", compile_audits))
