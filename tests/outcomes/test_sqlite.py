"""The engine runs on SQLite (the embedded default) and gives the same numbers as on PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from tests.outcomes import scenario

ROOT = Path(settings.BASE_DIR)


def test_sqlite_and_postgresql_give_the_same_document(db, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'engine.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "youthcase.settings",
        "CELERY_TASK_ALWAYS_EAGER": "true",
    }
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "timeout": 300}
    migrated = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "--skip-checks"], **run)
    assert migrated.returncode == 0, migrated.stderr
    computed = subprocess.run([sys.executable, "-m", "tests.outcomes.scenario"], **run)
    assert computed.returncode == 0, computed.stderr
    on_sqlite = json.loads(computed.stdout.strip().splitlines()[-1])

    assert settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    scenario.build()
    on_postgresql = json.loads(json.dumps(scenario.documents()))

    assert on_sqlite["direct"] == on_postgresql["direct"]
    assert on_sqlite["stored"] == on_postgresql["direct"]
    assert on_postgresql["stored"] == on_postgresql["direct"]
    cti = next(row for row in on_postgresql["direct"]["enrolments"] if row["enrolment"] == "E-CTI")
    assert cti["qualifying_contacts_total"] == 8
    assert cti["move_in_date"] == "2026-02-01"
    assert on_postgresql["direct"]["totals"]["data_quality"] == {"contacts_outside_enrolment": 2}
