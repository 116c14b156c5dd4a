"""The log scan (tests/security/log_scan.py) finds what it is there to find, and only that."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.factories import ContactFactory, YoungPersonFactory
from tests.security.log_scan import SCAN, is_cpr_like

ROOT = Path(__file__).resolve().parents[2]


def test_cpr_shapes_with_a_date_are_found_and_other_numbers_are_not():
    assert is_cpr_like("opened 170508-1234 today") == ["170508-1234"]
    assert is_cpr_like("cpr=1705081234.") == ["1705081234"]
    assert is_cpr_like("170508 1234") == ["170508 1234"]
    assert is_cpr_like("task succeeded in 0.1705081234s") == []  # a duration
    assert is_cpr_like("id 12345678901234, phone 20304050, 2026-11-22 00:16:12,043") == []
    assert is_cpr_like("991399-1234") == []  # no such date
    assert is_cpr_like("recompute_shard[23a95bebe4b74983ae1410051597e5da] succeeded") == []  # a task id


@pytest.mark.django_db
def test_young_people_and_notes_created_in_tests_are_looked_for():
    person = YoungPersonFactory(name="Xenia Sentinelsen", cpr_number="0202101234")
    ContactFactory(enrolment__young_person=person, note="Talte om skolen og fodbold")
    assert {"Xenia Sentinelsen"} <= SCAN.names
    assert "0202101234" in SCAN.cprs
    assert "Talte om skolen og fodbold" in SCAN.notes


def _session(tmp_path: Path, body: str) -> subprocess.CompletedProcess:
    test_file = tmp_path / "test_leak.py"
    test_file.write_text(body)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    # The inner session's temporary files live outside this session's, whose log scan reads them.
    with tempfile.TemporaryDirectory(prefix="log-scan-inner-") as inner:
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT),
             str(test_file), "-q", "-p", "no:cacheprovider", "--basetemp", inner],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
        )  # fmt: skip


LEAKING_SESSION = """
import logging
from tests.security.log_scan import SCAN

def test_logs_what_it_should_not():
    SCAN.register_person("Zelda Leakmann", "")
    SCAN.register_note("Hun fortalte om stoffer")
    logging.getLogger("cases").warning("opened Zelda Leakmann (170508-1234): Hun fortalte om stoffer")


def test_a_worker_process_writes_its_log(tmp_path):  # as tests/outcomes/test_worker.py's workers do
    (tmp_path / "worker.log").write_text("INFO Task recompute_enrolment[ab12] received for 0101091234")
"""


def test_a_session_whose_logs_hold_a_name_a_cpr_number_or_a_note_fails(tmp_path):
    result = _session(tmp_path, LEAKING_SESSION)
    assert "2 passed" in result.stdout  # the tests themselves pass...
    assert result.returncode == 1, result.stdout + result.stderr  # ...the session does not
    assert "personal data in the logs" in result.stdout
    found = ("name 'Zelda Leakmann'", "CPR-like 170508-1234", "note 'Hun fortalte om stoffer'", "CPR-like 0101091234")
    for hit in found:
        assert hit in result.stdout, hit


def test_a_session_with_clean_logs_passes(tmp_path):
    clean = LEAKING_SESSION.replace("opened Zelda Leakmann (170508-1234): Hun fortalte om stoffer", "opened 42")
    clean = clean.replace("for 0101091234", "for enrolment 42")
    result = _session(tmp_path, clean)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "log scan: 1 log records and 1 worker log files" in result.stdout and "nothing found" in result.stdout
