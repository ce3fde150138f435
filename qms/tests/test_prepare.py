"""`manage.py prepare`, the one Django start-up of `make run` before the server: each step
runs when what it depends on changed, and otherwise does nothing, so a second run is quick."""

import io

from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import CaptureQueriesContext

from qms.organization.management.commands.prepare import pending_migrations
from qms.organization.models import Agency, User

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


def prepare(**options):
    out = io.StringIO()
    call_command("prepare", stdout=out, **options)
    return out.getvalue()


def test_a_second_run_writes_nothing_and_prints_the_logins(cast):
    with CaptureQueriesContext(connection) as queries:
        out = prepare(port="8080")
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].upper().startswith(WRITES)]
    assert writes == []
    assert "Applying" not in out and "Demo data loaded" not in out
    assert "http://127.0.0.1:8080/accounts/login/" in out
    assert "thuky.hp" in out and "Demo@2026" in out


def test_it_finds_a_migration_the_database_has_not_recorded(db):
    assert pending_migrations() == set()
    MigrationRecorder.Migration.objects.filter(app="documents", name="0002_search_index").delete()
    assert pending_migrations() == {("documents", "0002_search_index")}


def test_it_loads_the_demo_into_an_empty_database_only(transactional_db):
    out = prepare()
    assert "Demo data loaded" in out
    assert User.objects.get(username="thuky.hp").check_password("Demo@2026")
    agencies = Agency.objects.count()
    User.objects.filter(username="thuky.hp").update(full_name="Giữ nguyên")
    assert "Demo data loaded" not in prepare()
    assert User.objects.get(username="thuky.hp").full_name == "Giữ nguyên"
    assert Agency.objects.count() == agencies


def test_it_collects_static_files_only_when_they_changed(db, settings, tmp_path):
    settings.DEBUG = False  # with DEBUG on, WhiteNoise serves from the apps and static/
    settings.VAR_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    source = tmp_path / "source"
    source.mkdir()
    (source / "site.css").write_text("body { color: black; }")
    settings.STATICFILES_DIRS = [source]
    prepare()
    collected = settings.STATIC_ROOT / "site.css"
    assert collected.read_text() == "body { color: black; }"
    collected.unlink()
    prepare()
    assert not collected.exists()  # nothing changed: nothing copied
    (source / "site.css").write_text("body { color: navy; }")
    prepare()
    assert collected.read_text() == "body { color: navy; }"
