"""Each issued version of a plan gets its paper in the register of outgoing documents (its
number, date and signer as the version's snapshot recorded them), and the plan points to
the paper of its current version (a new draft while an amendment is being prepared)."""

from django.db import migrations

MODES = {"": "own", "tm": "tm", "kt": "kt", "q": "q", "tl": "tl", "tuq": "tuq"}


def _archive_units(note):
    """"VT, VP" or "BCĐ ISO, VP/BQL" → what follows "Lưu: VT," on the paper."""
    parts = [part.strip() for part in (note or "").strip().rstrip(".").split(",")]
    return ", ".join(part for part in parts if part and part.upper() != "VT")


def _paper(Paper, plan, **fields):
    return Paper.objects.create(
        agency_id=plan.agency_id,
        archive_units=_archive_units(plan.archive_note)[:100],
        issuer="agency",
        kind="KH",
        subject=plan.title[:500],
        record_type="plans.plan",
        record_url=f"/agencies/{plan.agency_id}/plans/{plan.pk}/",
        **fields,
    )


def _clash(Paper, plan, number, year):
    clash = Paper.objects.filter(
        agency_id=plan.agency_id, issuer="agency", year=year, number=number, status="issued"
    ).first()
    if clash is not None:
        raise RuntimeError(
            f"Plan {plan.pk}: number {number}/{year} is also held by {clash.record_url}; "
            "renumber one before migrating."
        )


def forwards(apps, schema_editor):
    Paper = apps.get_model("paperwork", "Paper")
    Plan = apps.get_model("plans", "Plan")
    for plan in Plan.objects.order_by("pk"):
        current = None
        for version in plan.versions.order_by("amendment_no"):
            snap = version.snapshot or {}
            if version.number:
                _clash(Paper, plan, version.number, version.issued_on.year)
            paper = _paper(
                Paper,
                plan,
                status="issued" if version.number else "draft",
                number=version.number,
                year=version.issued_on.year if version.number else None,
                issued_on=version.issued_on if version.number else None,
                sign_form=MODES.get(snap.get("sign_mode") or "", "own"),
                signer_name=snap.get("signer_name") or "",
                signer_position=snap.get("signer_position") or "",
                grounds=snap.get("grounds") or "",
                recipients=snap.get("recipients") or "",
            )
            version.paper_id = paper.pk
            version.save(update_fields=["paper"])
            if version.amendment_no == plan.amendment_no and plan.status in ("issued", "closed"):
                current = paper
        if current is None:
            current = _paper(
                Paper,
                plan,
                sign_form=MODES.get(plan.sign_mode or "", "own"),
                signer_name=plan.signer_name,
                signer_position=plan.signer_position,
                grounds=plan.grounds,
                recipients=plan.recipients,
            )
        plan.paper_id = current.pk
        plan.save(update_fields=["paper"])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_plan_paper"),
        ("documents", "0005_document_sets_move_to_register"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
