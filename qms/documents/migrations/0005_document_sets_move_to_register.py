"""Each document-set decision's number, date, signer, grounds and recipients move to its
paper in the register of outgoing documents (qms.paperwork); nothing is renumbered. Runs
after the committee decisions, so a number both kinds used in one year is found."""

from django.db import migrations


def subject(document_set):
    return (
        "Về việc ban hành Bộ tài liệu Hệ thống quản lý chất lượng theo tiêu chuẩn "
        f"quốc gia TCVN ISO 9001:2015 của {document_set.agency.name}"
    )


def forwards(apps, schema_editor):
    from qms.paperwork.legacy import move_to_register

    move_to_register(
        apps,
        "documents.DocumentSet",
        "documents.documentset",
        subject,
        lambda s: f"/agencies/{s.agency_id}/document-sets/{s.pk}/",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0004_document_set_paper"),
        ("organization", "0003_committee_decisions_move_to_register"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
