"""Production mode refuses insecure defaults; its configuration passes `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(args, **env):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("QMS_", "DJANGO_"))}
    full_env.update({"DJANGO_SETTINGS_MODULE": "qms.settings", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_refuses_production_without_a_secret_key():
    result = run(["check"], QMS_PRODUCTION="1", SECRET_KEY="", ALLOWED_HOSTS="iso.example.vn")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_refuses_production_without_allowed_hosts():
    result = run(["check"], QMS_PRODUCTION="1", SECRET_KEY="x" * 60, ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_it_passes_the_deployment_checklist_in_production_mode(tmp_path):
    result = run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        QMS_PRODUCTION="1",
        SECRET_KEY="k" * 30 + "-Zq8#x" * 5,
        ALLOWED_HOSTS="iso.example.vn",
        # a database of its own: the check refuses demo accounts with the public password
        QMS_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_refuses_demo_data_in_production(tmp_path):
    result = run(
        ["load_demo"],
        QMS_PRODUCTION="1",
        SECRET_KEY="k" * 30 + "-Zq8#x" * 5,
        ALLOWED_HOSTS="iso.example.vn",
        QMS_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "production" in result.stderr


def test_it_rejects_a_malformed_boolean_setting():
    result = run(["check"], QMS_PRODUCTION="maybe")
    assert result.returncode != 0
    assert "QMS_PRODUCTION" in result.stderr
