"""Each committee decision's number, date, signer, grounds and recipients move to its paper
in the register of outgoing documents (qms.paperwork); nothing is renumbered."""

from django.db import migrations


def subject(decision):
    verb = "Về việc thành lập" if decision.kind == "establishment" else "Về việc kiện toàn"
    return (
        f"{verb} Ban Chỉ đạo xây dựng, áp dụng, duy trì và cải tiến Hệ thống quản lý "
        f"chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015 của {decision.agency.name}"
    )


def forwards(apps, schema_editor):
    from qms.paperwork.legacy import move_to_register

    move_to_register(
        apps,
        "organization.CommitteeDecision",
        "organization.committeedecision",
        subject,
        lambda d: f"/agencies/{d.agency_id}/committee/decisions/{d.pk}/",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("organization", "0002_agency_committee_names_decision_paper"),
        ("paperwork", "0001_register_of_outgoing_documents"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
