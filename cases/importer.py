"""The CSV import of records from older systems (spec/import-and-commands.md, `import_records`).

1. Read each known file in the directory: its header against the file's
   columns, then every cell on its own (`read_directory`).
2. Check the rows against each other and against the database as it will be
   after the import: duplicate ids, references, date rules, pauses, one open
   enrolment per intervention, one status per domain and day (`check_batch`).
3. If anything is wrong, raise `ImportFailed` with every problem; nothing is
   written.
4. Otherwise write, in dependency order and through the services, in the same
   transaction (`write_batch`). A row whose external_id is already in the
   database is updated in place, and only when a value differs, so a second
   run changes nothing. A service that still refuses a row rolls everything
   back and is reported like any other problem.
5. One access-log row per young person created or changed.

Problems read `FILE:LINE: column: message`. A message never repeats a cell's
content (a shifted column can put a name anywhere), only what was expected.
Messages are English: the lines are meant for scripts as well as people.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation

from cases.audit import Action, Purpose, access_log_record_many
from cases.models import Contact, EndReason, Enrolment, Pause, Team, User, YoungPerson
from cases.services import (
    FUTURE_TOLERANCE,
    contact_log,
    contact_update,
    enrolment_close,
    enrolment_open,
    enrolment_update,
    pause_save,
    team_create,
    team_update,
    user_create,
    user_update,
    young_person_create,
    young_person_update,
)
from interventions.models import InterventionType
from outcomes.models import StatusEvent
from outcomes.services import status_event_save
from outcomes.tasks import recomputes_batched

LOCAL = ZoneInfo("Europe/Copenhagen")
TEAMS, WORKERS, PEOPLE = "teams.csv", "workers.csv", "young_people.csv"
ENROLMENTS, PAUSES, CONTACTS, EVENTS = "enrolments.csv", "pauses.csv", "contacts.csv", "status_events.csv"
# Pseudo-columns for problems that belong to no single column.
FILE, ROW = "(file)", "(row)"
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
CASE_ROLES = (User.Role.WORKER, User.Role.TEAM_LEADER)
IMPORT_ROLES = (*CASE_ROLES, User.Role.ANALYST)


# --- Problems -------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


class ImportFailed(Exception):
    """Nothing was written; `problems` says why, in file and line order."""

    def __init__(self, problems: list[Problem]) -> None:
        order = {name: position for position, name in enumerate(FILES)}
        self.problems = sorted(problems, key=lambda p: (order.get(p.file, len(order)), p.file, p.line))
        super().__init__(f"{len(problems)} problem(s); nothing was imported")


class CellError(Exception):
    """A cell that cannot be read. The message says what was expected, never what was found."""


# --- Cells ------------------------------------------------------------------------

Parser = Callable[[str], Any]


def text(max_length: int) -> Parser:
    def parse(value: str) -> str:
        if not value:
            raise CellError("required")
        if len(value) > max_length:
            raise CellError(f"at most {max_length} characters")
        return value

    return parse


def optional(parse: Parser) -> Parser:
    """An empty cell is None; anything else must parse."""

    def parse_optional(value: str) -> Any:
        return parse(value) if value else None

    return parse_optional


def choice(values: Iterable[str]) -> Parser:
    allowed = tuple(values)

    def parse(value: str) -> str:
        if value not in allowed:
            raise CellError(f"{'must be' if value else 'required,'} one of {', '.join(allowed)}")
        return value

    return parse


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(value: str) -> dt.date:
    if not value:
        raise CellError("required")
    if _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise CellError("not a date of the form YYYY-MM-DD")


def parse_occurred_at(value: str) -> dt.datetime:
    """ISO 8601 with a time. With an offset it is that instant; without one it
    is local time in Europe/Copenhagen. A naive time that falls in the spring
    gap or the autumn overlap takes fold=0, the offset in force before the
    change: 02:30 on the spring day is the instant 03:30 summer time, and 02:30
    on the autumn day is the first (summer-time) 02:30."""
    if not value:
        raise CellError("required")
    try:
        parsed = dt.datetime.fromisoformat(value) if ("T" in value or " " in value) else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise CellError("not an ISO 8601 date and time (YYYY-MM-DDTHH:MM[:SS][+HH:MM])")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LOCAL, fold=0)
    # As UTC: Python never finds a gap or overlap time equal to one in another zone (PEP 495),
    # which would make every re-import of such a contact an update.
    parsed = parsed.astimezone(dt.UTC)
    if parsed > timezone.now() + FUTURE_TOLERANCE:
        raise CellError("in the future")
    return parsed


def parse_minutes(value: str) -> int:
    if not value:
        raise CellError("required")
    if not re.fullmatch(r"[0-9]{1,9}", value) or int(value) > 24 * 60:
        raise CellError("must be a whole number of minutes from 0 to 1440")
    return int(value)


def parse_email(value: str) -> str:
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        raise CellError("not a valid e-mail address")
    return value


EXTERNAL_ID = text(64)  # also the shape of a reference


@dataclass(frozen=True)
class Column:
    parse: Parser
    may_be_absent: bool = False  # the header may leave it out; every cell is then empty


FILES: dict[str, dict[str, Column]] = {
    TEAMS: {"external_id": Column(EXTERNAL_ID), "name": Column(text(100))},
    WORKERS: {
        "external_id": Column(EXTERNAL_ID),
        "name": Column(text(150)),
        "email": Column(parse_email, may_be_absent=True),
        "team": Column(optional(EXTERNAL_ID), may_be_absent=True),
        "role": Column(choice(IMPORT_ROLES)),
    },
    PEOPLE: {
        "external_id": Column(EXTERNAL_ID),
        "name": Column(text(150)),
        "birth_date": Column(parse_date),
        "gender": Column(choice(YoungPerson.Gender.values)),
    },
    ENROLMENTS: {
        "external_id": Column(EXTERNAL_ID),
        "young_person": Column(EXTERNAL_ID),
        "intervention": Column(choice(InterventionType.Code.values)),
        "worker": Column(EXTERNAL_ID),
        "team": Column(EXTERNAL_ID),
        "start_date": Column(parse_date),
        "end_date": Column(optional(parse_date), may_be_absent=True),
        "end_reason": Column(optional(choice(EndReason.values)), may_be_absent=True),
    },
    PAUSES: {
        "external_id": Column(EXTERNAL_ID),
        "enrolment": Column(EXTERNAL_ID),
        "start_date": Column(parse_date),
        "end_date": Column(optional(parse_date), may_be_absent=True),
    },
    CONTACTS: {
        "external_id": Column(EXTERNAL_ID),
        "enrolment": Column(EXTERNAL_ID),
        "worker": Column(EXTERNAL_ID),
        "occurred_at": Column(parse_occurred_at),
        "duration_minutes": Column(parse_minutes),
        "channel": Column(choice(Contact.Channel.values)),
        "status": Column(choice(Contact.Status.values)),
    },
    EVENTS: {
        "external_id": Column(EXTERNAL_ID),
        "young_person": Column(EXTERNAL_ID),
        "domain": Column(choice(StatusEvent.Domain.values)),
        "date": Column(parse_date),
        "value": Column(text(30)),
    },
}
REFERENCES: dict[str, dict[str, str]] = {
    WORKERS: {"team": TEAMS},
    ENROLMENTS: {"young_person": PEOPLE, "worker": WORKERS, "team": TEAMS},
    PAUSES: {"enrolment": ENROLMENTS},
    CONTACTS: {"enrolment": ENROLMENTS, "worker": WORKERS},
    EVENTS: {"young_person": PEOPLE},
}
MODELS: dict[str, type[models.Model]] = {
    TEAMS: Team,
    WORKERS: User,
    PEOPLE: YoungPerson,
    ENROLMENTS: Enrolment,
    PAUSES: Pause,
    CONTACTS: Contact,
    EVENTS: StatusEvent,
}


# --- Reading ----------------------------------------------------------------------


@dataclass
class Row:
    line: int
    data: dict[str, Any]  # parsed cells; a cell that could not be read is left out

    def ok(self, *columns: str) -> bool:
        return all(column in self.data for column in columns)

    @property
    def external_id(self) -> str | None:
        return self.data.get("external_id")


@dataclass
class Table:
    file: str
    rows: list[Row]
    readable: bool  # False when the file or its header was wrong; its rows were not read


def read_directory(directory: Path) -> tuple[dict[str, Table], list[Problem]]:
    tables: dict[str, Table] = {}
    problems: list[Problem] = []
    for path in sorted(directory.glob("*.csv")):
        if path.name not in FILES:
            problems.append(Problem(path.name, 1, FILE, f"unknown file; the import reads {', '.join(FILES)}"))
    for name in FILES:
        if (directory / name).is_file():
            tables[name] = read_table(directory / name, problems)
    return tables, problems


def read_table(path: Path, problems: list[Problem]) -> Table:
    name, columns = path.name, FILES[path.name]
    raw = path.read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, raw[: exc.start].count(b"\n") + 1, FILE, "not UTF-8 text"))
        return Table(name, [], readable=False)
    reader = csv.reader(io.StringIO(content, newline=""))
    try:
        records = list(_records(reader))
    except csv.Error as exc:
        problems.append(Problem(name, reader.line_num, FILE, f"not readable as CSV ({exc})"))
        return Table(name, [], readable=False)
    if not records:
        problems.append(Problem(name, 1, FILE, "empty; the first line must be the header"))
        return Table(name, [], readable=False)
    (header_line, cells), body = records[0], records[1:]
    header = [cell.strip() for cell in cells]
    header_problems = _check_header(name, header_line, header, columns)
    if header_problems:
        problems.extend(header_problems)
        return Table(name, [], readable=False)
    return Table(name, [_read_row(name, line, cells, header, problems) for line, cells in body], readable=True)


def _records(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank row with the line it starts on (a quoted cell may span lines)."""
    start = 1
    for cells in reader:
        if cells:
            yield start, cells
        start = reader.line_num + 1


def _check_header(name: str, line: int, header: list[str], columns: dict[str, Column]) -> list[Problem]:
    if not set(header) & set(columns):
        # Probably a data row: do not echo it.
        return [Problem(name, line, FILE, f"the first line must be the header: {','.join(columns)}")]
    problems, seen = [], set()
    for position, column in enumerate(header, start=1):
        if not column:
            problems.append(Problem(name, line, f"(column {position})", "the header names no column here"))
        elif column in seen:
            problems.append(Problem(name, line, column, "column named twice"))
        elif column not in columns:
            problems.append(Problem(name, line, column, f"unknown column; expected {', '.join(columns)}"))
        seen.add(column)
    problems += [
        Problem(name, line, column, "missing column")
        for column, spec in columns.items()
        if column not in seen and not spec.may_be_absent
    ]
    return problems


def _read_row(name: str, line: int, cells: list[str], header: list[str], problems: list[Problem]) -> Row:
    if len(cells) > len(header):
        problems.append(Problem(name, line, ROW, f"{len(cells)} cells, but the header has {len(header)} columns"))
    data: dict[str, Any] = {}
    for column, spec in FILES[name].items():
        position = header.index(column) if column in header else None
        if position is not None and position >= len(cells):
            problems.append(Problem(name, line, column, "missing cell (the row is shorter than the header)"))
            continue
        try:
            data[column] = spec.parse(cells[position].strip() if position is not None else "")
        except CellError as exc:
            problems.append(Problem(name, line, column, str(exc)))
    return Row(line, data)


# --- Checking ---------------------------------------------------------------------


@dataclass
class Batch:
    """The rows read, the matching rows already in the database, and the problems found."""

    tables: dict[str, Table]
    problems: list[Problem]
    existing: dict[str, dict[str, Any]] = field(default_factory=dict)  # by file, by external_id
    by_id: dict[str, dict[str, Row]] = field(default_factory=dict)  # by file, first row of each external_id
    interventions: dict[str, InterventionType] = field(default_factory=dict)

    def rows(self, file: str) -> list[Row]:
        table = self.tables.get(file)
        return table.rows if table else []

    def add(self, file: str, row: Row, column: str, message: str) -> None:
        self.problems.append(Problem(file, row.line, column, message))

    def knows(self, file: str, external_id: str) -> bool:
        return external_id in self.by_id[file] or external_id in self.existing[file]

    def is_new(self, file: str, row: Row) -> bool:
        return row.external_id not in self.existing[file]

    def enrolment_span(self, external_id: str) -> tuple[dt.date, dt.date | None] | None:
        """An enrolment's dates after the import; None when they are themselves wrong."""
        row = self.by_id[ENROLMENTS].get(external_id)
        if row is not None:
            if not row.ok("start_date", "end_date") or not _in_order(row.data["start_date"], row.data["end_date"]):
                return None
            return row.data["start_date"], row.data["end_date"]
        enrolment = self.existing[ENROLMENTS].get(external_id)
        return (enrolment.start_date, enrolment.end_date) if enrolment else None


def _in_order(start: dt.date, end: dt.date | None) -> bool:
    return end is None or start <= end


def _overlap(a: tuple[dt.date, dt.date | None], b: tuple[dt.date, dt.date | None]) -> bool:
    return a[0] <= (b[1] or dt.date.max) and b[0] <= (a[1] or dt.date.max)


def _describe(obj: models.Model) -> str:
    """A row already in the database, by what an operator can look up (never a name)."""
    return f"external_id {obj.external_id} in the database" if obj.external_id else f"id {obj.pk} in the database"


def load_existing(batch: Batch) -> None:
    """The database rows the import names, as its own rows or as references."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for file in batch.tables:
        for row in batch.rows(file):
            if row.external_id is not None:
                wanted[file].add(row.external_id)
            for column, target in REFERENCES.get(file, {}).items():
                if row.data.get(column):
                    wanted[target].add(row.data[column])
    related = {ENROLMENTS: ("young_person", "intervention_type"), PAUSES: ("enrolment",)}
    for file, model in MODELS.items():
        query = model.objects.filter(external_id__in=wanted[file]).select_related(*related.get(file, ()))
        batch.existing[file] = {obj.external_id: obj for obj in query}
    batch.interventions = InterventionType.objects.in_bulk(field_name="code")


def check_batch(batch: Batch) -> None:
    for file in FILES:
        _index_rows(batch, file)
    for file in batch.tables:
        _check_references(batch, file)
    _check_teams(batch)
    _check_workers(batch)
    _check_enrolments(batch)
    _check_open_enrolments(batch)
    _check_pauses(batch)
    _check_status_events(batch)


def _index_rows(batch: Batch, file: str) -> None:
    first: dict[str, Row] = {}
    for row in batch.rows(file):
        if row.external_id is None:
            continue
        if row.external_id in first:
            batch.add(file, row, "external_id", f"duplicate external_id; first on line {first[row.external_id].line}")
        else:
            first[row.external_id] = row
    batch.by_id[file] = first


def _check_references(batch: Batch, file: str) -> None:
    for column, target in REFERENCES.get(file, {}).items():
        table = batch.tables.get(target)
        if table is not None and not table.readable:
            continue  # the target file's own problem is reported; do not repeat it on every row
        for row in batch.rows(file):
            reference = row.data.get(column)
            if reference is not None and not batch.knows(target, reference):
                batch.add(file, row, column, f"unknown external_id; not in {target} nor in the database")


def _check_teams(batch: Batch) -> None:
    first: dict[str, Row] = {}
    for row in batch.rows(TEAMS):
        if row.ok("name") and row.data["name"] in first:
            batch.add(TEAMS, row, "name", f"the same name as the team on line {first[row.data['name']].line}")
        elif row.ok("name"):
            first[row.data["name"]] = row
    for team in Team.objects.filter(name__in=list(first)):
        if team.external_id not in batch.by_id[TEAMS]:
            batch.add(TEAMS, first[team.name], "name", f"another team has this name ({_describe(team)})")


def _check_workers(batch: Batch) -> None:
    for row in batch.rows(WORKERS):
        if row.ok("role", "team") and row.data["role"] in CASE_ROLES and row.data["team"] is None:
            batch.add(WORKERS, row, "team", f"required for role {row.data['role']}")


def _check_enrolments(batch: Batch) -> None:
    for row in batch.rows(ENROLMENTS):
        data = row.data
        if row.ok("end_date", "end_reason") and data["end_date"] is not None and data["end_reason"] is None:
            batch.add(ENROLMENTS, row, "end_reason", "required when end_date is set")
        if row.ok("end_date", "end_reason") and data["end_date"] is None and data["end_reason"] is not None:
            batch.add(ENROLMENTS, row, "end_date", "required when end_reason is set")
        if row.ok("start_date", "end_date") and not _in_order(data["start_date"], data["end_date"]):
            batch.add(ENROLMENTS, row, "end_date", "before start_date")
        if row.ok("intervention") and data["intervention"] not in batch.interventions:
            batch.add(ENROLMENTS, row, "intervention", "not set up in the database")
        _check_enrolment_identity(batch, row)


def _check_enrolment_identity(batch: Batch, row: Row) -> None:
    """The services change an enrolment's dates, worker and team, never whose or which it is."""
    enrolment = batch.existing[ENROLMENTS].get(row.external_id)
    if enrolment is None:
        return
    if row.ok("young_person") and row.data["young_person"] != enrolment.young_person.external_id:
        batch.add(ENROLMENTS, row, "young_person", "an enrolment in the database cannot move to another young person")
    if row.ok("intervention") and row.data["intervention"] != enrolment.intervention_type.code:
        batch.add(ENROLMENTS, row, "intervention", "the intervention of an enrolment in the database cannot change")


@dataclass
class OpenEnrolment:
    label: str
    existed: bool  # in the database before the import, and still open after it


def _check_open_enrolments(batch: Batch) -> None:
    """One open enrolment per young person and intervention, counting the database.

    Closed enrolments may lie beside an open one (history); two open ones may
    not, whether both are in the files or one is stored already."""
    open_now: dict[tuple[str, str], OpenEnrolment] = {}
    people = {row.data["young_person"] for row in batch.rows(ENROLMENTS) if row.ok("young_person")}
    stored = Enrolment.objects.filter(young_person__external_id__in=people, end_date__isnull=True)
    for enrolment in stored.select_related("young_person", "intervention_type"):
        row = batch.by_id[ENROLMENTS].get(enrolment.external_id)
        if row is None or (row.ok("end_date") and row.data["end_date"] is None):
            key = (enrolment.young_person.external_id, enrolment.intervention_type.code)
            open_now[key] = OpenEnrolment(_describe(enrolment), existed=True)
    rows = [row for row in batch.rows(ENROLMENTS) if row.ok("young_person", "intervention", "end_date")]
    for row in rows:
        key = (row.data["young_person"], row.data["intervention"])
        twin = open_now.get(key)
        if row.data["end_date"] is None and twin is None:
            open_now[key] = OpenEnrolment(f"line {row.line}", existed=False)
        elif row.data["end_date"] is None and twin.label != _describe_stored(batch, row):
            batch.add(ENROLMENTS, row, "intervention", f"already an open enrolment in this intervention ({twin.label})")


def _describe_stored(batch: Batch, row: Row) -> str | None:
    stored = batch.existing[ENROLMENTS].get(row.external_id)
    return _describe(stored) if stored else None


def _check_pauses(batch: Batch) -> None:
    spans: dict[str, list[tuple[str, tuple[dt.date, dt.date | None], Row | None]]] = defaultdict(list)
    for pause in _stored_pauses(batch):
        spans[pause.enrolment.external_id].append((_describe(pause), (pause.start_date, pause.end_date), None))
        _check_stored_pause_within(batch, pause)
    for row in batch.rows(PAUSES):
        if not row.ok("start_date", "end_date"):
            continue
        if not _in_order(row.data["start_date"], row.data["end_date"]):
            batch.add(PAUSES, row, "end_date", "before start_date")
        elif row.ok("enrolment"):
            _check_pause_within(batch, row)
            spans[row.data["enrolment"]].append(
                (f"line {row.line}", (row.data["start_date"], row.data["end_date"]), row)
            )
    for entries in spans.values():
        for later, (_, span, row) in enumerate(entries):
            for label, other, _ in entries[:later]:
                if row is not None and _overlap(span, other):
                    batch.add(PAUSES, row, "start_date", f"overlaps another pause of the enrolment ({label})")
                    break


def _stored_pauses(batch: Batch) -> list[Pause]:
    """Pauses in the database, not in this import, of the enrolments the import touches."""
    enrolments = {row.data["enrolment"] for row in batch.rows(PAUSES) if row.ok("enrolment")}
    enrolments |= set(batch.by_id[ENROLMENTS])
    stored = Pause.objects.filter(enrolment__external_id__in=enrolments).select_related("enrolment")
    return [pause for pause in stored if pause.external_id is None or pause.external_id not in batch.by_id[PAUSES]]


def _check_pause_within(batch: Batch, row: Row) -> None:
    span = batch.enrolment_span(row.data["enrolment"])
    if span is None:
        return
    (start, end), (pause_start, pause_end) = span, (row.data["start_date"], row.data["end_date"])
    where = f"{start} to {end or 'open'}"
    if pause_start < start or (end is not None and pause_start > end):
        batch.add(PAUSES, row, "start_date", f"outside the enrolment ({where})")
    elif end is not None and pause_end is None:
        batch.add(PAUSES, row, "end_date", f"required because the enrolment ends ({where})")
    elif end is not None and pause_end > end:
        batch.add(PAUSES, row, "end_date", f"after the enrolment ends ({where})")


def _check_stored_pause_within(batch: Batch, pause: Pause) -> None:
    """An enrolment whose dates the import changes must still hold its stored pauses."""
    row = batch.by_id[ENROLMENTS].get(pause.enrolment.external_id)
    span = batch.enrolment_span(pause.enrolment.external_id) if row else None
    if span is None:
        return
    start, end = span
    if pause.start_date < start:
        batch.add(ENROLMENTS, row, "start_date", f"a pause would lie outside the enrolment ({_describe(pause)})")
    elif end is not None and (pause.start_date > end or (pause.end_date or pause.start_date) > end):
        batch.add(ENROLMENTS, row, "end_date", f"a pause would lie outside the enrolment ({_describe(pause)})")


def _check_status_events(batch: Batch) -> None:
    taken: dict[tuple[str, str, dt.date], str] = {}
    people = {row.data["young_person"] for row in batch.rows(EVENTS) if row.ok("young_person")}
    for event in StatusEvent.objects.filter(young_person__external_id__in=people).select_related("young_person"):
        if event.external_id is None or event.external_id not in batch.by_id[EVENTS]:
            taken[(event.young_person.external_id, event.domain, event.date)] = _describe(event)
    for row in batch.rows(EVENTS):
        if row.ok("domain", "value"):
            allowed = StatusEvent.VALUES_BY_DOMAIN[row.data["domain"]].values
            if row.data["value"] not in allowed:
                batch.add(EVENTS, row, "value", f"must be one of {', '.join(allowed)}")
        if not row.ok("young_person", "domain", "date"):
            continue
        key = (row.data["young_person"], row.data["domain"], row.data["date"])
        if key in taken:
            batch.add(
                EVENTS, row, "date", f"already a status in {key[1]} for this young person on this date ({taken[key]})"
            )
        else:
            taken[key] = f"line {row.line}"


# --- Writing ----------------------------------------------------------------------


@dataclass
class ImportResult:
    files: list[str]
    counts: dict[str, Counter[str]]

    def summary(self) -> str:
        if not self.files:
            return f"Nothing imported: none of {', '.join(FILES)} was found."
        parts = [
            f"{file} {self.counts[file][CREATED]} created, {self.counts[file][UPDATED]} updated, "
            f"{self.counts[file][UNCHANGED]} unchanged"
            for file in self.files
        ]
        return "Imported " + "; ".join(parts) + "."


@dataclass
class Writer:
    objects: dict[str, dict[str, Any]]  # by file, by external_id: stored rows, then the ones written
    interventions: dict[str, InterventionType]
    created_people: set[int] = field(default_factory=set)
    changed_people: set[int] = field(default_factory=set)

    def get(self, file: str, external_id: str) -> Any:
        return self.objects[file][external_id]

    def touch(self, young_person_id: int) -> None:
        if young_person_id not in self.created_people:
            self.changed_people.add(young_person_id)


def _changed(obj: models.Model, values: dict[str, Any]) -> list[str]:
    """The fields whose stored value differs (foreign keys compared by id)."""
    changed = []
    for name, value in values.items():
        model_field = obj._meta.get_field(name)
        new = value.pk if model_field.is_relation and value is not None else value
        if getattr(obj, model_field.attname) != new:
            changed.append(name)
    return changed


def write_team(w: Writer, data: dict[str, Any]) -> str:
    team = w.objects[TEAMS].get(data["external_id"])
    if team is None:
        w.objects[TEAMS][data["external_id"]] = team_create(name=data["name"], external_id=data["external_id"])
        return CREATED
    if not _changed(team, {"name": data["name"]}):
        return UNCHANGED
    team_update(team=team, name=data["name"])
    return UPDATED


def write_worker(w: Writer, data: dict[str, Any]) -> str:
    team = w.get(TEAMS, data["team"]) if data["team"] else None
    values = {"name": data["name"], "email": data["email"], "role": data["role"], "team": team}
    user = w.objects[WORKERS].get(data["external_id"])
    if user is not None:
        if not _changed(user, values):
            return UNCHANGED
        user_update(user=user, **values)
        return UPDATED
    # No password: an administrator activates imported workers.
    username = _free_username(data["external_id"])
    user = user_create(username=username, external_id=data["external_id"], password=None, **values)
    w.objects[WORKERS][data["external_id"]] = user
    return CREATED


def _free_username(external_id: str) -> str:
    """The external_id in lower case (characters a username cannot hold become '-'),
    with -2, -3, ... added when that username is taken."""
    base = re.sub(r"[^\w.@+-]", "-", external_id.lower())[:140]
    candidate, number = base, 1
    while User.objects.filter(username=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def write_young_person(w: Writer, data: dict[str, Any]) -> str:
    values = {"name": data["name"], "birth_date": data["birth_date"], "gender": data["gender"]}
    person = w.objects[PEOPLE].get(data["external_id"])
    if person is None:
        person = young_person_create(by=None, purpose=Purpose.DATA_IMPORT, external_id=data["external_id"], **values)
        w.objects[PEOPLE][data["external_id"]] = person
        w.created_people.add(person.pk)
        return CREATED
    if not _changed(person, values):
        return UNCHANGED
    young_person_update(young_person=person, by=None, purpose=Purpose.DATA_IMPORT, **values)
    w.touch(person.pk)
    return UPDATED


def write_enrolment(w: Writer, data: dict[str, Any]) -> str:
    refs = {"primary_worker": w.get(WORKERS, data["worker"]), "team": w.get(TEAMS, data["team"])}
    end_date, end_reason = data["end_date"], data["end_reason"] or ""
    enrolment = w.objects[ENROLMENTS].get(data["external_id"])
    if enrolment is None:
        enrolment = enrolment_open(
            young_person=w.get(PEOPLE, data["young_person"]),
            intervention_type=w.interventions[data["intervention"]],
            start_date=data["start_date"],
            end_date=end_date,
            end_reason=end_reason,
            by=None,
            external_id=data["external_id"],
            purpose=Purpose.DATA_IMPORT,
            **refs,
        )
        outcome = CREATED
    elif _changed(
        enrolment, {**refs, "start_date": data["start_date"], "end_date": end_date, "end_reason": end_reason}
    ):
        # Closing goes through enrolment_close, which also ends the open worker period and pauses.
        closing = enrolment.end_date is None and end_date is not None
        enrolment_update(
            enrolment=enrolment,
            by=None,
            start_date=data["start_date"],
            end_date=None if closing else end_date,
            end_reason="" if closing else end_reason,
            purpose=Purpose.DATA_IMPORT,
            **refs,
        )
        outcome = UPDATED
    else:
        return UNCHANGED
    if enrolment.end_date is None and end_date is not None:
        enrolment_close(
            enrolment=enrolment, end_date=end_date, end_reason=end_reason, by=None, purpose=Purpose.DATA_IMPORT
        )
    w.objects[ENROLMENTS][data["external_id"]] = enrolment
    w.touch(enrolment.young_person_id)
    return outcome


def write_pause(w: Writer, data: dict[str, Any]) -> str:
    enrolment = w.get(ENROLMENTS, data["enrolment"])
    values = {"enrolment": enrolment, "start_date": data["start_date"], "end_date": data["end_date"]}
    pause = w.objects[PAUSES].get(data["external_id"])
    if pause is not None and not _changed(pause, values):
        return UNCHANGED
    if pause is not None:
        w.touch(pause.enrolment.young_person_id)  # a pause moved away also changes its old enrolment
    saved = pause_save(
        **values,
        reason=pause.reason if pause else "",  # not part of the format: keep what was typed in the application
        by=None,
        pause=pause,
        external_id=data["external_id"],
        purpose=Purpose.DATA_IMPORT,
    )
    w.objects[PAUSES][data["external_id"]] = saved
    w.touch(enrolment.young_person_id)
    return UPDATED if pause else CREATED


def write_contact(w: Writer, data: dict[str, Any]) -> str:
    values = {
        "enrolment": w.get(ENROLMENTS, data["enrolment"]),
        "worker": w.get(WORKERS, data["worker"]),
        "occurred_at": data["occurred_at"],
        "duration_minutes": data["duration_minutes"],
        "channel": data["channel"],
        "status": data["status"],
    }
    contact = w.objects[CONTACTS].get(data["external_id"])
    # Legacy data may hold contacts outside the enrolment; the indicators report them (spec §3, §9).
    if contact is None:
        contact = contact_log(
            **values,
            by=None,
            external_id=data["external_id"],
            allow_outside_enrolment=True,
            purpose=Purpose.DATA_IMPORT,
        )
        outcome = CREATED
    elif _changed(contact, values):
        w.touch(contact.enrolment.young_person_id)
        contact_update(contact=contact, by=None, allow_outside_enrolment=True, purpose=Purpose.DATA_IMPORT, **values)
        outcome = UPDATED
    else:
        return UNCHANGED
    w.objects[CONTACTS][data["external_id"]] = contact
    w.touch(values["enrolment"].young_person_id)
    return outcome


def write_status_event(w: Writer, data: dict[str, Any]) -> str:
    person = w.get(PEOPLE, data["young_person"])
    values = {"young_person": person, "domain": data["domain"], "date": data["date"], "value": data["value"]}
    event = w.objects[EVENTS].get(data["external_id"])
    if event is not None and not _changed(event, values):
        return UNCHANGED
    if event is not None:
        w.touch(event.young_person_id)
    saved = status_event_save(
        **values, by=None, external_id=data["external_id"], event=event, purpose=Purpose.DATA_IMPORT
    )
    w.objects[EVENTS][data["external_id"]] = saved
    w.touch(person.pk)
    return UPDATED if event else CREATED


WRITERS: dict[str, Callable[[Writer, dict[str, Any]], str]] = {
    TEAMS: write_team,
    WORKERS: write_worker,
    PEOPLE: write_young_person,
    ENROLMENTS: write_enrolment,
    PAUSES: write_pause,
    CONTACTS: write_contact,
    EVENTS: write_status_event,
}
# What a service's ValidationError field is called in the files.
COLUMN_OF_FIELD = {"intervention_type": "intervention", "primary_worker": "worker", "__all__": ROW}


def _write_order(batch: Batch, file: str) -> list[Row]:
    """Rows already stored first, then new ones; within each, enrolments that end up
    closed before open ones. So a row never meets a twin the import is about to
    move or close (the services check the database as it is at each step)."""

    def key(row: Row) -> tuple[bool, bool]:
        return batch.is_new(file, row), file == ENROLMENTS and row.data["end_date"] is None

    return sorted(batch.rows(file), key=key)


def write_batch(batch: Batch) -> ImportResult:
    writer = Writer(objects={file: dict(batch.existing[file]) for file in FILES}, interventions=batch.interventions)
    counts: dict[str, Counter[str]] = {file: Counter() for file in FILES}
    for file in batch.tables:
        for row in _write_order(batch, file):
            try:
                counts[file][WRITERS[file](writer, row.data)] += 1
            except ValidationError as exc:
                raise ImportFailed(_refusals(file, row, exc))
            except IntegrityError:
                raise ImportFailed([Problem(file, row.line, ROW, "refused by the database (conflicts with a row)")])
    _log_people(writer)
    return ImportResult(files=list(batch.tables), counts=counts)


def _refusals(file: str, row: Row, error: ValidationError) -> list[Problem]:
    return [
        Problem(file, row.line, COLUMN_OF_FIELD.get(name, name), " ".join(messages))
        for name, messages in (error.message_dict if hasattr(error, "error_dict") else {ROW: error.messages}).items()
    ]


def _log_people(writer: Writer) -> None:
    """One access-log row per young person whose data the import created or changed."""
    for action, people in (
        (Action.CREATE, writer.created_people),
        (Action.UPDATE, writer.changed_people - writer.created_people),
    ):
        access_log_record_many(
            user=None, action=action, purpose=Purpose.DATA_IMPORT, young_person_ids=sorted(people), detail="import"
        )


# --- The whole import ---------------------------------------------------------------


def import_records(directory: Path) -> ImportResult:
    """Import the files in `directory` in one transaction, or raise ImportFailed and write nothing."""
    with translation.override("en"), transaction.atomic():
        tables, problems = read_directory(directory)
        batch = Batch(tables=tables, problems=problems)
        load_existing(batch)
        check_batch(batch)
        if batch.problems:
            raise ImportFailed(batch.problems)
        with recomputes_batched():  # one recompute of everything after commit, not one per row
            return write_batch(batch)
