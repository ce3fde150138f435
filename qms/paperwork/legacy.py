"""Moving the signing fields that records kept themselves onto the register (used once, by
the data migrations of organization and documents; keeps every record, number and date)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MODES = {"": "own", "tm": "tm", "kt": "kt", "q": "q", "tl": "tl", "tuq": "tuq"}
FIELDS = ("grounds", "proposal", "recipients", "signer_name", "signer_position")


def move_to_register(
    apps: Any,
    model: str,
    record_type: str,
    subject: Callable[[Any], str],
    url: Callable[[Any], str],
) -> None:
    """Give each row of `model` ("app.Model") a paper holding its number, date, signer,
    grounds and recipients. Two documents of one issuer with the same number in the same
    year cannot both be kept: the migration stops and names them, for a person to decide."""
    paper_model = apps.get_model("paperwork", "Paper")
    for record in apps.get_model(model).objects.select_related("agency").order_by("pk"):
        issued = record.status == "issued" and record.number and record.signed_on
        year = record.signed_on.year if issued else None
        if issued:
            clash = paper_model.objects.filter(
                agency_id=record.agency_id, issuer="agency", year=year,
                number=record.number, status="issued",
            ).first()  # fmt: skip
            if clash is not None:
                raise RuntimeError(
                    f"{record.agency.name}: number {record.number}/{year} is held both by "
                    f"{clash.record_url} and by {url(record)}; renumber one before migrating."
                )
        paper = paper_model.objects.create(
            agency_id=record.agency_id,
            issuer="agency",
            kind="QĐ",
            subject=subject(record)[:500],
            status="issued" if issued else "draft",
            number=record.number if issued else None,
            year=year,
            issued_on=record.signed_on if issued else None,
            sign_form=MODES.get(record.sign_mode or "", "own"),
            record_type=record_type,
            record_url=url(record),
            created_at=record.created_at,
            **{name: getattr(record, name) or "" for name in FIELDS},
        )
        record.paper_id = paper.pk
        record.save(update_fields=["paper"])
