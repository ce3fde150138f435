"""/healthz tells a load balancer whether this process reaches its database and task queue,
writes nothing while doing so (it is called every few seconds), and answers over plain HTTP
even when every other page redirects to HTTPS."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from huey import SqliteHuey

ROOT = Path(__file__).resolve().parents[2]
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


def test_it_reads_the_database_without_writing_to_it(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    statements = [q["sql"].lstrip().upper() for q in queries.captured_queries]
    assert statements, "the database check ran no query"
    assert not [s for s in statements if s.startswith(WRITES)]


def test_it_reads_the_task_queue_without_writing_to_it(client, db, settings, tmp_path):
    path = tmp_path / "huey.sqlite3"
    settings.HUEY = SqliteHuey("health", filename=str(path))
    settings.HUEY.storage.enqueue(b"a task waiting for the worker")
    # PRAGMA data_version changes when another connection commits anything to the file.
    observer = sqlite3.connect(path)
    before = observer.execute("PRAGMA data_version").fetchone()
    response = client.get("/healthz")
    after = observer.execute("PRAGMA data_version").fetchone()
    observer.close()
    assert response.json() == {"status": "ok", "database": True, "task_queue": True}
    assert before == after
    assert settings.HUEY.storage.queue_size() == 1


@override_settings(SECURE_SSL_REDIRECT=True)
def test_it_answers_plain_http_while_other_pages_redirect_to_https(client, db):
    assert client.get("/accounts/login/").status_code == 301
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_it_answers_plain_http_in_production_mode(tmp_path):
    """The real production settings, in a process of their own (a database under tmp_path)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QMS_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="qms.settings",
        QMS_PRODUCTION="1",
        SECRET_KEY="k" * 30 + "-Zq8#x" * 5,
        ALLOWED_HOSTS="iso.example.vn",
        QMS_VAR_DIR=str(tmp_path),
        DATABASE_URL="",
        REDIS_URL="",
    )
    code = (
        "from django.test import Client\n"
        "c = Client(HTTP_HOST='iso.example.vn')\n"
        "print(c.get('/healthz').status_code, c.get('/accounts/login/').status_code)\n"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "301"]
