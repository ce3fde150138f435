"""Nonconformities and corrective actions as an input of the management review (ISO 9001
9.3.2 c 4), registered with qms.review.inputs from the app's ready()."""

from __future__ import annotations

from qms.corrective import queries
from qms.review import inputs


def compile_corrective(period: inputs.Period) -> inputs.Compiled:
    found = queries.for_review(period.agency, period.start, period.end)
    origins = "; ".join(f"{line.label.lower()}: {line.count}" for line in found.by_origin)
    text = (
        f"Trong kỳ phát sinh {found.opened} sự không phù hợp"
        + (f" ({origins})" if origins else "")
        + f"; đã khắc phục xong {found.closed} (đúng hạn {inputs.rate_text(found.on_time_rate)}); "
        f"đang xử lý {found.open_now}; {found.overdue_actions} hành động khắc phục quá hạn."
    )
    figures = [
        ("Phát sinh trong kỳ", str(found.opened)),
        ("Đã khắc phục xong", str(found.closed)),
        ("Tỷ lệ khắc phục đúng hạn", inputs.rate_text(found.on_time_rate)),
        ("Đang xử lý", str(found.open_now)),
        ("Hành động quá hạn", str(found.overdue_actions)),
    ]
    links = [("Sổ theo dõi sự không phù hợp", found.url)]
    if found.overdue_actions:
        links.append(("Hành động quá hạn", found.overdue_url))
    return inputs.Compiled(text, figures, links)


def register() -> None:
    inputs.register(
        inputs.Input(
            "corrective", 34, "Sự không phù hợp và hành động khắc phục", compile_corrective
        )
    )
