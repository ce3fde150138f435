"""The data migration that moves committee decisions, document sets and plans onto the
register keeps every record, number, date and signer, and every history row."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("organization", "0001_organization_tree_people_committee"),
    ("documents", "0003_revision_reviewed_state_reading_added_on"),
    ("plans", "0001_plans_tasks_events_progress"),
    ("paperwork", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    nodes = [target for target in targets if target[1] is not None]
    return MigrationExecutor(connection).loader.project_state(nodes).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_the_move_onto_the_register_keeps_numbers_dates_signers_and_history():
    old = _migrate(BEFORE)
    province = old.get_model("organization", "Province").objects.create(name="Hải Phòng")
    agency = old.get_model("organization", "Agency").objects.create(
        province=province, kind="economic_zone_authority", name="Ban Quản lý", abbreviation="BQL",
        place_name="Hải Phòng", head_title="Trưởng ban", deputy_title="Phó Trưởng ban",
    )  # fmt: skip
    decisions = old.get_model("organization", "CommitteeDecision")
    first = decisions.objects.create(
        agency=agency, kind="establishment", status="issued", number=46,
        signed_on=dt.date(2023, 3, 15), effective_on=dt.date(2023, 3, 15),
        signer_name="Phạm Quốc Thắng", signer_position="Trưởng ban", sign_mode="",
        grounds="Căn cứ Quyết định số 19/2014/QĐ-TTg", recipients="Như Điều 3",
    )  # fmt: skip
    decisions.objects.create(agency=agency, kind="reconstitution", status="draft")
    history = old.get_model("organization", "HistoricalCommitteeDecision")
    history.objects.create(
        id=first.pk, agency_id=agency.pk, kind="establishment", status="issued", number=46,
        history_date=dt.datetime(2023, 3, 15, tzinfo=dt.UTC), history_type="+",
        created_at=dt.datetime(2023, 3, 15, tzinfo=dt.UTC),
    )  # fmt: skip
    sets = old.get_model("documents", "DocumentSet")
    sets.objects.create(
        agency=agency, title="Bộ tài liệu 2024", status="issued", number=85,
        signed_on=dt.date(2024, 3, 18), effective_on=dt.date(2024, 4, 1),
        signer_name="Nguyễn Văn Chuẩn", signer_position="Phó Trưởng ban", sign_mode="kt",
    )  # fmt: skip
    plans = old.get_model("plans", "Plan")
    plan = plans.objects.create(
        agency=agency, year=2026, title="Duy trì HTQLCL năm 2026", status="issued", number=12,
        issued_on=dt.date(2026, 1, 20), signer_name="Nguyễn Văn Chuẩn",
        signer_position="Phó Trưởng ban", sign_mode="kt", archive_note="BCĐ ISO, VP/BQL",
    )  # fmt: skip
    old.get_model("plans", "PlanVersion").objects.create(
        plan=plan, amendment_no=0, number=12, issued_on=dt.date(2026, 1, 20),
        snapshot={"signer_name": "Nguyễn Văn Chuẩn", "sign_mode": "kt", "grounds": ""},
    )  # fmt: skip

    new = _migrate(_latest())
    papers = new.get_model("paperwork", "Paper").objects.order_by("pk")
    issued = {
        (p.kind, p.number, p.year, p.issued_on, p.sign_form, p.signer_name)
        for p in papers.filter(status="issued")
    }
    assert issued == {
        ("QĐ", 46, 2023, dt.date(2023, 3, 15), "own", "Phạm Quốc Thắng"),
        ("QĐ", 85, 2024, dt.date(2024, 3, 18), "kt", "Nguyễn Văn Chuẩn"),
        ("KH", 12, 2026, dt.date(2026, 1, 20), "kt", "Nguyễn Văn Chuẩn"),
    }
    assert papers.filter(status="draft").count() == 1  # the draft decision
    moved = new.get_model("organization", "CommitteeDecision").objects.get(pk=first.pk)
    assert moved.paper.grounds == "Căn cứ Quyết định số 19/2014/QĐ-TTg"
    assert new.get_model("documents", "DocumentSet").objects.get().effective_on == dt.date(
        2024, 4, 1
    )
    moved_plan = new.get_model("plans", "Plan").objects.get()
    assert moved_plan.paper.archive_units == "BCĐ ISO, VP/BQL"
    assert new.get_model("plans", "PlanVersion").objects.get().paper_id == moved_plan.paper_id
    assert new.get_model("organization", "HistoricalCommitteeDecision").objects.count() == 1
