"""A pytest plugin (registered in pyproject.toml: `-p tests.security.log_scan`): no CPR
number, young person's name or contact note in the logs written during the test run.

1. From session start every log record the application makes (at the levels the
   settings let through, as in production) is kept, formatted with its traceback:
   through the record factory, which no logging configuration replaces (Django's
   dictConfig, run again by get_wsgi_application(), replaces the root's handlers).
2. The personal data to look for is collected as it is created: every young
   person saved through the ORM (factories, services, pages) gives her name and
   CPR number, every contact its note (post_save signals, so bulk loads such as
   seed_demo's are not collected; their names are made up by the seed anyway).
3. At session end the records, and the log files of the Celery worker processes
   that tests started (`*.log` under the session's temporary directory), are
   searched for those names, CPR numbers and notes and for anything shaped like
   a CPR number whose first six digits are a date. Any hit fails the session
   (exit status 1) and is printed, with where it was found.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Ten digits, optionally DDMMYY-SSSS, not inside a longer number or word, nor after a decimal
# point (a duration such as "succeeded in 0.0123456789s" is not a CPR number, nor is a run of
# digits inside a task id such as "recompute_shard[23a95bebe4b74983ae1410051597e5da]").
CPR_LIKE = re.compile(r"(?<![\w.])(\d{2})(\d{2})(\d{2})[- ]?(\d{4})(?![\w])")
WORD = re.compile(r"\w+")
MIN_NOTE_LENGTH = 8  # shorter notes ("ok", "Ringede") could be ordinary words of a log line
MIN_NAME_LENGTH = 5


def is_cpr_like(text: str) -> list[str]:
    """The CPR-shaped numbers in `text` whose first six digits are a valid day and month."""
    found = []
    for match in CPR_LIKE.finditer(text):
        day, month = int(match.group(1)), int(match.group(2))
        if 1 <= day <= 31 and 1 <= month <= 12:
            found.append(match.group(0))
    return found


@dataclass
class Scan:
    records: list[tuple[str, str]] = field(default_factory=list)  # (test id, formatted record)
    names: set[str] = field(default_factory=set)
    cprs: set[str] = field(default_factory=set)
    notes: set[str] = field(default_factory=set)
    current: str = "session"
    leaks: list[str] = field(default_factory=list)

    def register_person(self, name: str, cpr: str) -> None:
        if name and len(name) >= MIN_NAME_LENGTH:
            self.names.add(name)
        if cpr:
            self.cprs.add(cpr)

    def register_note(self, note: str) -> None:
        if note and len(note.strip()) >= MIN_NOTE_LENGTH:
            self.notes.add(note.strip())

    def leaks_in(self, texts: list[str]) -> list[tuple[int, str]]:
        """(index of the text, what was found) for every hit in `texts`.

        A sentinel is searched for only in the texts that hold all of its words,
        so thousands of names against thousands of records stay fast."""
        hits = [(i, f"CPR-like {n}") for i, text in enumerate(texts) for n in is_cpr_like(text)]
        by_word: dict[str, set[int]] = {}
        for i, text in enumerate(texts):
            for word in set(WORD.findall(text)):
                by_word.setdefault(word, set()).add(i)
        for kind, sentinels in (("CPR", self.cprs), ("name", self.names), ("note", self.notes)):
            for sentinel in sorted(sentinels):
                words = WORD.findall(sentinel)
                candidates = set.intersection(*(by_word.get(w, set()) for w in words)) if words else set()
                hits += [(i, f"{kind} {sentinel!r}") for i in sorted(candidates) if sentinel in texts[i]]
        return hits


def _text(record: logging.LogRecord) -> str:
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a record whose arguments do not fit is kept by its raw message
        message = str(record.msg)
    if record.exc_info:
        message += "\n" + logging.Formatter().formatException(record.exc_info)
    return f"{record.levelname} {record.name} {message}"


SCAN = Scan()
_make_record = logging.getLogRecordFactory()


def _keeping_factory(*args, **kwargs) -> logging.LogRecord:
    """Every record a logger lets through is made here, whatever handlers a test's or
    Django's logging configuration (dictConfig replaces the root's handlers) has set."""
    record = _make_record(*args, **kwargs)
    SCAN.records.append((SCAN.current, _text(record)))
    return record


def _on_person_saved(sender, instance, **kwargs) -> None:
    SCAN.register_person(instance.name, getattr(instance, "cpr_number", ""))


def _on_contact_saved(sender, instance, **kwargs) -> None:
    SCAN.register_note(instance.note)


def pytest_sessionstart(session: pytest.Session) -> None:
    from django.db.models.signals import post_save

    from cases.models import Contact, YoungPerson

    post_save.connect(_on_person_saved, sender=YoungPerson, dispatch_uid="log_scan_person")
    post_save.connect(_on_contact_saved, sender=Contact, dispatch_uid="log_scan_contact")
    logging.setLogRecordFactory(_keeping_factory)


def pytest_runtest_setup(item: pytest.Item) -> None:
    SCAN.current = item.nodeid


def pytest_runtest_teardown(item: pytest.Item) -> None:
    SCAN.current = "session"


def _worker_logs(config: pytest.Config) -> list[Path]:
    factory = getattr(config, "_tmp_path_factory", None)
    if factory is None:
        return []
    try:
        base = factory.getbasetemp()
    except (OSError, ValueError):
        return []
    return sorted(base.rglob("*.log"))


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    texts = [text for _, text in SCAN.records]
    for i, hit in SCAN.leaks_in(texts):
        where, text = SCAN.records[i]
        SCAN.leaks.append(f"{hit} in a log record during {where}: {text[:300]!r}")
    paths = _worker_logs(session.config)
    for i, hit in SCAN.leaks_in([path.read_text(errors="replace") for path in paths]):
        SCAN.leaks.append(f"{hit} in {paths[i]}")
    if SCAN.leaks and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    counted = (
        f"{len(SCAN.records)} log records and {len(_worker_logs(config))} worker log files searched for "
        f"{len(SCAN.names)} names, {len(SCAN.cprs)} CPR numbers and {len(SCAN.notes)} notes"
    )
    if not SCAN.leaks:
        terminalreporter.write_line(f"log scan: {counted}: nothing found")
        return
    terminalreporter.section("personal data in the logs", red=True)
    for leak in SCAN.leaks[:50]:
        terminalreporter.write_line(leak)
    if len(SCAN.leaks) > 50:
        terminalreporter.write_line(f"... and {len(SCAN.leaks) - 50} more")
    terminalreporter.write_line(f"log scan: {counted}: {len(SCAN.leaks)} found; the session fails")
