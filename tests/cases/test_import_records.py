"""`manage.py import_records DIR`: the contract in spec/import-and-commands.md."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.utils import timezone

from cases.models import AccessLog, Contact, Enrolment, Pause, PrimaryWorkerPeriod, Team, User, YoungPerson
from cases.services import team_create
from outcomes.models import StatusEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
FILES = {
    "teams.csv": """
        external_id,name
        T1,Team Nord
        T2,Team Syd
    """,
    "workers.csv": """
        external_id,name,email,team,role
        W1,Sara Worker,sara@example.org,T1,worker
        W2,Lene Leader,,T1,team_leader
        A1,Anders Analyst,anders@example.org,,analyst
    """,
    "young_people.csv": """
        external_id,name,birth_date,gender
        Y1,Mikkel Ung,2008-05-17,male
        Y2,Freja Ung,2009-01-02,female
    """,
    "enrolments.csv": """
        external_id,young_person,intervention,worker,team,start_date,end_date,end_reason
        E1,Y1,mentoring,W1,T1,2026-01-05,,
        E2,Y2,housing_first_cti,W2,T1,2025-09-01,2026-06-30,completed
        E3,Y1,mentoring,W1,T1,2024-01-01,2024-06-30,dropped_out
    """,
    "pauses.csv": """
        external_id,enrolment,start_date,end_date
        P1,E1,2026-02-02,2026-02-15
        P2,E1,2026-04-01,
    """,
    "contacts.csv": """
        external_id,enrolment,worker,occurred_at,duration_minutes,channel,status
        C1,E1,W1,2026-03-01T23:30:00+00:00,60,in_person,held
        C2,E1,W1,2026-03-29T02:30:00,30,phone,held
        C3,E1,W2,2026-10-25T02:30:00,45,escort,no_show
        C4,E2,W2,2026-06-30T22:30:00Z,0,text,cancelled
        C5,E2,W2,2026-01-15 23:45,1440,group_activity,held
    """,
    "status_events.csv": """
        external_id,young_person,domain,date,value
        S1,Y1,education,2026-01-05,enrolled
        S2,Y1,housing,2026-01-05,with_family
        S3,Y2,housing,2025-10-01,own_tenancy
    """,
}
FILES = {name: dedent(content).lstrip("\n") for name, content in FILES.items()}
MODELS = (Team, User, YoungPerson, Enrolment, PrimaryWorkerPeriod, Pause, Contact, StatusEvent, AccessLog)


def write_files(directory: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write each file (dedented text, or bytes as they are); None leaves a file out."""
    directory.mkdir(exist_ok=True)
    for name, content in files.items():
        if isinstance(content, bytes):
            (directory / name).write_bytes(content)
        elif content is not None:
            (directory / name).write_text(dedent(content).lstrip("\n"), encoding="utf-8")
    return directory


def run_import(directory: Path) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_records", str(directory), stdout=out, stderr=err)
    assert err.getvalue() == ""
    return out.getvalue().strip()


def run_failing_import(directory: Path) -> list[str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_records", str(directory), stdout=out, stderr=err)
    assert exit_info.value.code == 1
    assert out.getvalue() == ""
    return err.getvalue().splitlines()


def row_counts() -> dict[str, int]:
    """Every table of every app, so "nothing was written" means nothing."""
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def snapshot() -> dict[str, list[dict]]:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


def local(value: dt.datetime) -> str:
    return timezone.localtime(value).isoformat()


# --- A valid import -----------------------------------------------------------------


def test_full_import_creates_every_row_with_its_values(tmp_path):
    summary = run_import(write_files(tmp_path / "in", FILES))

    assert summary == (
        "Imported teams.csv 2 created, 0 updated, 0 unchanged; workers.csv 3 created, 0 updated, 0 unchanged; "
        "young_people.csv 2 created, 0 updated, 0 unchanged; enrolments.csv 3 created, 0 updated, 0 unchanged; "
        "pauses.csv 2 created, 0 updated, 0 unchanged; contacts.csv 5 created, 0 updated, 0 unchanged; "
        "status_events.csv 3 created, 0 updated, 0 unchanged."
    )
    nord = Team.objects.get(external_id="T1")
    assert nord.name == "Team Nord"
    sara = User.objects.get(external_id="W1")
    assert (sara.username, sara.name, sara.email, sara.role, sara.team) == (
        "w1",
        "Sara Worker",
        "sara@example.org",
        "worker",
        nord,
    )
    assert not sara.has_usable_password()
    assert not sara.is_staff and not sara.is_superuser
    assert User.objects.get(external_id="W2").role == User.Role.TEAM_LEADER
    analyst = User.objects.get(external_id="A1")
    assert (analyst.role, analyst.team) == (User.Role.ANALYST, None)

    mikkel = YoungPerson.objects.get(external_id="Y1")
    assert (mikkel.name, mikkel.birth_date, mikkel.gender, mikkel.cpr_number) == (
        "Mikkel Ung",
        dt.date(2008, 5, 17),
        "male",
        "",
    )

    current = Enrolment.objects.get(external_id="E1")
    assert (current.young_person, current.intervention_type.code, current.primary_worker, current.team) == (
        mikkel,
        "mentoring",
        sara,
        nord,
    )
    assert (current.start_date, current.end_date, current.end_reason) == (dt.date(2026, 1, 5), None, "")
    ended = Enrolment.objects.get(external_id="E2")
    assert (ended.end_date, ended.end_reason) == (dt.date(2026, 6, 30), "completed")
    # An earlier, ended enrolment in the same intervention as an open one.
    history = Enrolment.objects.get(external_id="E3")
    assert (history.end_date, history.end_reason, history.young_person) == (dt.date(2024, 6, 30), "dropped_out", mikkel)
    assert list(history.worker_periods.values_list("worker__external_id", "start_date", "end_date")) == [
        ("W1", dt.date(2024, 1, 1), dt.date(2024, 6, 30))
    ]

    pauses = {p.external_id: (p.enrolment.external_id, p.start_date, p.end_date) for p in Pause.objects.all()}
    assert pauses == {
        "P1": ("E1", dt.date(2026, 2, 2), dt.date(2026, 2, 15)),
        "P2": ("E1", dt.date(2026, 4, 1), None),
    }

    contacts = {c.external_id: c for c in Contact.objects.select_related("enrolment", "worker")}
    # With an offset: converted, here across local midnight (UTC+1 in winter).
    assert contacts["C1"].occurred_at == dt.datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    assert local(contacts["C1"].occurred_at) == "2026-03-02T00:30:00+01:00"
    # Naive in the spring gap (02:00-03:00 does not exist): fold=0, the winter offset, so 03:30 summer time.
    assert contacts["C2"].occurred_at == dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert local(contacts["C2"].occurred_at) == "2026-03-29T03:30:00+02:00"
    # Naive in the autumn overlap (02:00-03:00 happens twice): fold=0, the first, summer-time one.
    assert contacts["C3"].occurred_at == dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert local(contacts["C3"].occurred_at) == "2026-10-25T02:30:00+02:00"
    # Z is UTC; in summer UTC+2 moves it to the next local day.
    assert local(contacts["C4"].occurred_at) == "2026-07-01T00:30:00+02:00"
    # Naive winter time with a space for the T.
    assert contacts["C5"].occurred_at == dt.datetime(2026, 1, 15, 22, 45, tzinfo=UTC)
    c3 = contacts["C3"]
    assert (c3.enrolment.external_id, c3.worker.external_id, c3.duration_minutes, c3.channel, c3.status) == (
        "E1",
        "W2",
        45,
        "escort",
        "no_show",
    )
    c4, c5 = contacts["C4"], contacts["C5"]
    assert (c4.duration_minutes, c4.channel, c4.status) == (0, "text", "cancelled")
    assert (c5.duration_minutes, c5.channel, c5.status) == (1440, "group_activity", "held")
    # C4 lies after its enrolment ended: kept, and left to the data-quality count.
    assert not c4.enrolment.is_active_on(timezone.localtime(c4.occurred_at).date())

    events = {(e.external_id, e.young_person.external_id, e.domain, e.date, e.value) for e in StatusEvent.objects.all()}
    assert events == {
        ("S1", "Y1", "education", dt.date(2026, 1, 5), "enrolled"),
        ("S2", "Y1", "housing", dt.date(2026, 1, 5), "with_family"),
        ("S3", "Y2", "housing", dt.date(2025, 10, 1), "own_tenancy"),
    }

    log = list(
        AccessLog.objects.order_by("young_person__external_id").values_list(
            "young_person__external_id", "user", "action", "purpose"
        )
    )
    assert log == [("Y1", None, "create", "data_import"), ("Y2", None, "create", "data_import")]


def test_a_bom_and_a_quoted_cell_over_two_lines_are_read(tmp_path):
    files = {
        "young_people.csv": (
            '\ufeffexternal_id,name,birth_date,gender\nY1,"Mikkel\nUng",2008-05-17,male\n\nY2,Freja,2009-01-02,female\n'
        )
    }
    run_import(write_files(tmp_path / "in", files))

    assert YoungPerson.objects.get(external_id="Y1").name == "Mikkel\nUng"
    assert YoungPerson.objects.get(external_id="Y2").name == "Freja"


def test_an_empty_directory_imports_nothing(tmp_path):
    (tmp_path / "in").mkdir()

    assert run_import(tmp_path / "in").startswith("Nothing imported")


def test_a_directory_that_does_not_exist_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="is not a directory"):
        call_command("import_records", str(tmp_path / "missing"))


def test_a_worker_whose_username_is_taken_gets_a_numbered_one(tmp_path):
    UserFactory(username="w1")
    run_import(write_files(tmp_path / "in", {"teams.csv": FILES["teams.csv"], "workers.csv": FILES["workers.csv"]}))

    assert User.objects.get(external_id="W1").username == "w1-2"
    assert User.objects.get(external_id="A1").username == "a1"


# --- Importing again ----------------------------------------------------------------


def test_importing_the_same_files_again_changes_nothing(tmp_path):
    directory = write_files(tmp_path / "in", FILES)
    run_import(directory)
    before_counts, before = row_counts(), snapshot()

    summary = run_import(directory)

    assert summary == (
        "Imported teams.csv 0 created, 0 updated, 2 unchanged; workers.csv 0 created, 0 updated, 3 unchanged; "
        "young_people.csv 0 created, 0 updated, 2 unchanged; enrolments.csv 0 created, 0 updated, 3 unchanged; "
        "pauses.csv 0 created, 0 updated, 2 unchanged; contacts.csv 0 created, 0 updated, 5 unchanged; "
        "status_events.csv 0 created, 0 updated, 3 unchanged."
    )
    assert row_counts() == before_counts
    assert snapshot() == before


def test_a_changed_value_is_updated_in_place(tmp_path):
    run_import(write_files(tmp_path / "first", FILES))
    ids = {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS[:-1]}
    changed = {
        "teams.csv": FILES["teams.csv"].replace("Team Nord", "Team Nordvest"),
        "workers.csv": FILES["workers.csv"].replace("sara@example.org", "sara@kommune.dk"),
        "young_people.csv": FILES["young_people.csv"].replace("Freja Ung", "Freja Ungersen"),
        "contacts.csv": FILES["contacts.csv"].replace("1440,group_activity", "90,group_activity"),
        "status_events.csv": FILES["status_events.csv"].replace("own_tenancy", "supported_housing"),
    }
    AccessLog.objects.all().delete()

    summary = run_import(write_files(tmp_path / "second", {**FILES, **changed}))

    assert "teams.csv 0 created, 1 updated, 1 unchanged" in summary
    assert "contacts.csv 0 created, 1 updated, 4 unchanged" in summary
    assert {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS[:-1]} == ids
    assert Team.objects.get(external_id="T1").name == "Team Nordvest"
    sara = User.objects.get(external_id="W1")
    assert (sara.email, sara.username) == ("sara@kommune.dk", "w1")
    assert YoungPerson.objects.get(external_id="Y2").name == "Freja Ungersen"
    assert Contact.objects.get(external_id="C5").duration_minutes == 90
    assert StatusEvent.objects.get(external_id="S3").value == "supported_housing"
    # Only Freja's data changed: one row for her, none for Mikkel.
    assert list(AccessLog.objects.values_list("young_person__external_id", "user", "action", "purpose")) == [
        ("Y2", None, "update", "data_import")
    ]


def test_closing_an_enrolment_on_a_later_import_ends_its_worker_period(tmp_path):
    run_import(write_files(tmp_path / "first", FILES))
    closed = {
        "enrolments.csv": FILES["enrolments.csv"].replace("2026-01-05,,", "2026-01-05,2026-09-30,natural_phase_out"),
        "pauses.csv": FILES["pauses.csv"].replace("2026-04-01,", "2026-04-01,2026-04-30"),
    }

    run_import(write_files(tmp_path / "second", {**FILES, **closed}))

    enrolment = Enrolment.objects.get(external_id="E1")
    assert (enrolment.end_date, enrolment.end_reason) == (dt.date(2026, 9, 30), "natural_phase_out")
    assert list(enrolment.worker_periods.values_list("end_date", flat=True)) == [dt.date(2026, 9, 30)]
    assert Pause.objects.get(external_id="P2").end_date == dt.date(2026, 4, 30)


def test_rows_may_refer_to_rows_of_an_earlier_import(tmp_path):
    people = {name: FILES[name] for name in ("teams.csv", "workers.csv", "young_people.csv")}
    cases = {name: FILES[name] for name in ("enrolments.csv", "pauses.csv", "contacts.csv", "status_events.csv")}
    run_import(write_files(tmp_path / "first", people))

    summary = run_import(write_files(tmp_path / "second", cases))

    assert summary.startswith("Imported enrolments.csv 3 created")
    enrolment = Enrolment.objects.get(external_id="E1")
    assert (enrolment.young_person.external_id, enrolment.primary_worker.external_id, enrolment.team.external_id) == (
        "Y1",
        "W1",
        "T1",
    )
    assert Contact.objects.filter(enrolment=enrolment).count() == 3
    assert StatusEvent.objects.filter(young_person__external_id="Y2").count() == 1
    # The people were created by the first import: the second changed their data.
    assert set(AccessLog.objects.filter(action="update").values_list("young_person__external_id", flat=True)) == {
        "Y1",
        "Y2",
    }


# --- Invalid rows: every problem reported, nothing written ---------------------------------

BAD_IMPORTS = [
    pytest.param(
        {"teams.csv": "external_id,name,colour\nT1,Team Nord,red\nT2,Team Syd,blue\n"},
        ["teams.csv:1: colour: unknown column; expected external_id, name"],
        id="unknown-column",
    ),
    pytest.param(
        {"workers.csv": "external_id,name,email,team\nW1,Sara Worker,,T1\n"},
        ["workers.csv:1: role: missing column"],
        id="missing-column",
    ),
    pytest.param(
        {"teams.csv": "external_id,name,name\nT1,Team Nord,Team Nord\n"},
        ["teams.csv:1: name: column named twice"],
        id="column-named-twice",
    ),
    pytest.param(
        {"young_people.csv": "Y1,Mikkel Ung,2008-05-17,male\n"},
        ["young_people.csv:1: (file): the first line must be the header: external_id,name,birth_date,gender"],
        id="no-header",
    ),
    pytest.param({"teams.csv": ""}, ["teams.csv:1: (file): empty; the first line must be the header"], id="empty-file"),
    pytest.param(
        {"teams.csv": b"external_id,name\nT1,Team Nord\nT2,Team S\xf8d\n"},
        ["teams.csv:3: (file): not UTF-8 text"],
        id="not-utf8",
    ),
    pytest.param(
        {"contact.csv": "external_id\nC1\n"},
        [
            "contact.csv:1: (file): unknown file; the import reads teams.csv, workers.csv, young_people.csv, "
            "enrolments.csv, pauses.csv, contacts.csv, status_events.csv"
        ],
        id="unknown-file",
    ),
    pytest.param(
        {"teams.csv": "external_id,name\nT1,Team Nord,extra\nT2\n"},
        [
            "teams.csv:2: (row): 3 cells, but the header has 2 columns",
            "teams.csv:3: name: missing cell (the row is shorter than the header)",
        ],
        id="cells-per-row",
    ),
    pytest.param(
        {
            "young_people.csv": '\ufeffexternal_id,name,birth_date,gender\r\nY1,"Mikkel\r\nUng",2008-05-17,male\r\n'
            "\r\nY2,Freja Ung,2009-13-02,female\r\n"
        },
        ["young_people.csv:5: birth_date: not a date of the form YYYY-MM-DD"],
        id="bom-crlf-and-a-cell-over-two-lines",
    ),
    pytest.param(
        {"young_people.csv": "external_id,name,birth_date,gender\nY1,,17-05-2008,boy\nY2,Freja Ung,,\n"},
        [
            "young_people.csv:2: name: required",
            "young_people.csv:2: birth_date: not a date of the form YYYY-MM-DD",
            "young_people.csv:2: gender: must be one of female, male, other, unknown",
            "young_people.csv:3: birth_date: required",
            "young_people.csv:3: gender: required, one of female, male, other, unknown",
        ],
        id="young-person-cells",
    ),
    pytest.param(
        {
            "workers.csv": """
                external_id,name,email,team,role
                W1,Sara Worker,not-an-email,T1,worker
                W2,Lene Leader,,,team_leader
                A1,Anders Analyst,,T1,administrator
            """
        },
        [
            "workers.csv:2: email: not a valid e-mail address",
            "workers.csv:3: team: required for role team_leader",
            "workers.csv:4: role: must be one of worker, team_leader, analyst",
        ],
        id="worker-cells",
    ),
    pytest.param(
        {"teams.csv": f"external_id,name\nT1,Team Nord\n{'T' * 65},Team Syd\nT1,Team Øst\nT3,Team Nord\n"},
        [
            "teams.csv:3: external_id: at most 64 characters",
            "teams.csv:4: external_id: duplicate external_id; first on line 2",
            "teams.csv:5: name: the same name as the team on line 2",
        ],
        id="team-ids-and-names",
    ),
    pytest.param(
        {
            "enrolments.csv": """
                external_id,young_person,intervention,worker,team,start_date,end_date,end_reason
                E1,Y9,mentoring,W9,T9,2026-01-05,,
                E2,Y2,housing_first_cti,W2,T1,2025-09-01,2026-06-30,completed
                E3,Y1,mentoring,W1,T1,2024-01-01,2024-06-30,dropped_out
            """
        },
        [
            "enrolments.csv:2: young_person: unknown external_id; not in young_people.csv nor in the database",
            "enrolments.csv:2: worker: unknown external_id; not in workers.csv nor in the database",
            "enrolments.csv:2: team: unknown external_id; not in teams.csv nor in the database",
        ],
        id="unknown-references",
    ),
    pytest.param(
        {
            "enrolments.csv": """
                external_id,young_person,intervention,worker,team,start_date,end_date,end_reason
                E1,Y1,mentoring,W1,T1,2026-01-05,,completed
                E2,Y2,housing_first_cti,W2,T1,2025-09-01,2026-06-30,
                E3,Y1,mentoring,W1,T1,2024-01-01,2023-06-30,retired
            """
        },
        [
            "enrolments.csv:2: end_date: required when end_reason is set",
            "enrolments.csv:3: end_reason: required when end_date is set",
            "enrolments.csv:4: end_reason: must be one of completed, natural_phase_out, transferred, dropped_out, "
            "excluded, other_unplanned, moved_away, deceased",
            "enrolments.csv:4: end_date: before start_date",
        ],
        id="enrolment-ends",
    ),
    pytest.param(
        {
            "enrolments.csv": """
                external_id,young_person,intervention,worker,team,start_date,end_date,end_reason
                E1,Y1,mentoring,W1,T1,2026-01-05,,
                E2,Y2,yoga,W2,T1,2025-09-01,2026-06-30,completed
                E3,Y1,mentoring,W1,T1,2024-01-01,,
                E1,Y2,mediation,W1,T1,2026-01-05,,
            """
        },
        [
            "enrolments.csv:3: intervention: must be one of relationship_work, mentoring, mediation, parent_council, "
            "housing_first_cti",
            "enrolments.csv:4: intervention: already an open enrolment in this intervention (line 2)",
            "enrolments.csv:5: external_id: duplicate external_id; first on line 2",
        ],
        id="interventions-and-open-twins",
    ),
    pytest.param(
        {
            "pauses.csv": """
                external_id,enrolment,start_date,end_date
                P1,E1,2026-02-02,2026-02-15
                P2,E1,2026-02-10,2026-02-20
                P3,E1,2025-12-01,2025-12-31
                P4,E2,2026-06-01,
                P5,E3,2024-06-20,2024-07-10
                P6,E3,2024-03-01,2024-02-01
                P7,E9,2024-03-01,2024-03-02
                P8,E3,2024-3-1,
            """
        },
        [
            "pauses.csv:3: start_date: overlaps another pause of the enrolment (line 2)",
            "pauses.csv:4: start_date: outside the enrolment (2026-01-05 to open)",
            "pauses.csv:5: end_date: required because the enrolment ends (2025-09-01 to 2026-06-30)",
            "pauses.csv:6: end_date: after the enrolment ends (2024-01-01 to 2024-06-30)",
            "pauses.csv:7: end_date: before start_date",
            "pauses.csv:8: enrolment: unknown external_id; not in enrolments.csv nor in the database",
            "pauses.csv:9: start_date: not a date of the form YYYY-MM-DD",
        ],
        id="pauses",
    ),
    pytest.param(
        {
            "contacts.csv": """
                external_id,enrolment,worker,occurred_at,duration_minutes,channel,status
                C1,E1,W1,2026-03-01,60,in_person,held
                C2,E1,W1,yesterday 10:00,30,phone,held
                C3,E1,W2,2099-01-01T10:00:00+01:00,45,escort,no_show
                C4,E2,W2,2026-06-30T22:30:00Z,-5,sms,cancelled
                C5,E2,W9,2026-01-15 23:45,1441,group_activity,maybe
                C6,E1,W1,2026-03-02T10:00:00,1.5,video,
            """
        },
        [
            "contacts.csv:2: occurred_at: not an ISO 8601 date and time (YYYY-MM-DDTHH:MM[:SS][+HH:MM])",
            "contacts.csv:3: occurred_at: not an ISO 8601 date and time (YYYY-MM-DDTHH:MM[:SS][+HH:MM])",
            "contacts.csv:4: occurred_at: in the future",
            "contacts.csv:5: duration_minutes: must be a whole number of minutes from 0 to 1440",
            "contacts.csv:5: channel: must be one of in_person, phone, video, text, escort, group_activity",
            "contacts.csv:6: duration_minutes: must be a whole number of minutes from 0 to 1440",
            "contacts.csv:6: status: must be one of held, cancelled, no_show",
            "contacts.csv:6: worker: unknown external_id; not in workers.csv nor in the database",
            "contacts.csv:7: duration_minutes: must be a whole number of minutes from 0 to 1440",
            "contacts.csv:7: status: required, one of held, cancelled, no_show",
        ],
        id="contacts",
    ),
    pytest.param(
        {
            "status_events.csv": """
                external_id,young_person,domain,date,value
                S1,Y1,education,2026-01-05,enrolled
                S2,Y1,health,2026-01-05,good
                S3,Y2,housing,2025-10-01,enrolled
                S4,Y1,education,2026-01-05,completed
                S5,Y2,housing,2025-10-01,
                S6,Y8,education,2026-01-05,enrolled
            """
        },
        [
            "status_events.csv:3: domain: must be one of education, housing",
            "status_events.csv:4: value: must be one of own_tenancy, supported_housing, with_family, institution, "
            "shelter, street, other",
            "status_events.csv:5: date: already a status in education for this young person on this date (line 2)",
            "status_events.csv:6: value: required",
            "status_events.csv:6: date: already a status in housing for this young person on this date (line 4)",
            "status_events.csv:7: young_person: unknown external_id; not in young_people.csv nor in the database",
        ],
        id="status-events",
    ),
]


@pytest.mark.parametrize(("files", "expected"), BAD_IMPORTS)
def test_an_invalid_import_reports_every_problem_and_writes_nothing(tmp_path, files, expected):
    before = row_counts()

    problems = run_failing_import(write_files(tmp_path / "in", {**FILES, **files}))

    assert problems == expected
    assert row_counts() == before


def test_problems_in_several_files_come_in_file_and_line_order(tmp_path):
    files = {
        "status_events.csv": FILES["status_events.csv"].replace("own_tenancy", "palace"),
        "young_people.csv": FILES["young_people.csv"].replace(",male", ",mail"),
        "teams.csv": FILES["teams.csv"] + "T3,\n",
    }

    problems = run_failing_import(write_files(tmp_path / "in", {**FILES, **files}))

    assert problems == [
        "teams.csv:4: name: required",
        "young_people.csv:2: gender: must be one of female, male, other, unknown",
        "status_events.csv:4: value: must be one of own_tenancy, supported_housing, with_family, institution, "
        "shelter, street, other",
    ]


def test_no_message_repeats_a_cell(tmp_path):
    """A shifted column can put a name or note anywhere: the messages only say what was expected."""
    files = {
        "young_people.csv": "external_id,name,birth_date,gender\nY1,2008-05-17,Mikkel Ung,Mikkel Ung\n",
        "workers.csv": FILES["workers.csv"].replace("sara@example.org", "Sara Secret"),
    }

    problems = run_failing_import(write_files(tmp_path / "in", {**FILES, **files}))

    assert problems
    assert not any("Mikkel" in line or "Secret" in line for line in problems)


def test_conflicts_with_rows_of_an_earlier_import_are_problems(tmp_path):
    run_import(write_files(tmp_path / "first", FILES))
    west = team_create(name="Team Vest")  # made in the application, without an external_id
    before, before_rows = row_counts(), snapshot()
    second = {
        "teams.csv": "external_id,name\nT5,Team Vest\n",
        "enrolments.csv": """
            external_id,young_person,intervention,worker,team,start_date,end_date,end_reason
            E9,Y1,mentoring,W1,T1,2025-01-01,,
            E8,Y1,mentoring,W1,T1,2023-01-01,2023-02-01,completed
            E2,Y1,housing_first_cti,W2,T1,2025-09-01,2026-06-30,completed
            E3,Y1,relationship_work,W1,T1,2024-01-01,2024-06-30,dropped_out
        """,
        "pauses.csv": "external_id,enrolment,start_date,end_date\nP9,E1,2026-02-10,2026-02-20\n",
        "status_events.csv": "external_id,young_person,domain,date,value\nS9,Y1,education,2026-01-05,completed\n",
    }

    problems = run_failing_import(write_files(tmp_path / "second", second))

    assert problems == [
        f"teams.csv:2: name: another team has this name (id {west.pk} in the database)",
        "enrolments.csv:2: intervention: already an open enrolment in this intervention "
        "(external_id E1 in the database)",
        "enrolments.csv:4: young_person: an enrolment in the database cannot move to another young person",
        "enrolments.csv:5: intervention: the intervention of an enrolment in the database cannot change",
        "pauses.csv:2: start_date: overlaps another pause of the enrolment (external_id P1 in the database)",
        "status_events.csv:2: date: already a status in education for this young person on this date "
        "(external_id S1 in the database)",
    ]
    assert row_counts() == before
    assert snapshot() == before_rows


def test_an_ended_enrolment_can_join_the_open_one_of_an_earlier_import(tmp_path):
    run_import(write_files(tmp_path / "first", FILES))
    history = {
        "enrolments.csv": """
            external_id,young_person,intervention,worker,team,start_date,end_date,end_reason
            E8,Y1,mentoring,W1,T1,2023-01-01,2023-02-01,completed
        """,
    }
    run_import(write_files(tmp_path / "second", history))
    ended = Enrolment.objects.get(external_id="E8")
    assert (ended.end_date, ended.end_reason) == (dt.date(2023, 2, 1), "completed")
    assert Enrolment.objects.get(external_id="E1").end_date is None
    assert list(ended.worker_periods.values_list("end_date", flat=True)) == [dt.date(2023, 2, 1)]


def test_moving_an_enrolment_start_past_a_stored_pause_is_a_problem(tmp_path):
    run_import(write_files(tmp_path / "first", FILES))
    moved = FILES["enrolments.csv"].replace("2026-01-05", "2026-03-01")

    problems = run_failing_import(write_files(tmp_path / "second", {"enrolments.csv": moved}))

    assert problems == [
        "enrolments.csv:2: start_date: a pause would lie outside the enrolment (external_id P1 in the database)"
    ]
    assert Enrolment.objects.get(external_id="E1").start_date == dt.date(2026, 1, 5)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (ValidationError({"occurred_at": "Refused."}), "contacts.csv:4: occurred_at: Refused."),
        (IntegrityError("duplicate key"), "contacts.csv:4: (row): refused by the database (conflicts with a row)"),
    ],
)
def test_a_row_refused_while_writing_rolls_back_everything(tmp_path, monkeypatch, error, expected):
    """Checks run first, but the services have the last word: a refusal rolls back what was written."""
    from cases import importer

    real_contact_log = importer.contact_log

    def contact_log(**kwargs):
        if kwargs["external_id"] == "C3":
            raise error
        return real_contact_log(**kwargs)

    monkeypatch.setattr(importer, "contact_log", contact_log)
    before = row_counts()

    problems = run_failing_import(write_files(tmp_path / "in", FILES))

    assert problems == [expected]
    assert row_counts() == before


# --- Through the command line ----------------------------------------------------------


def child_database_url() -> str:
    """The test database, for a child process (it sees only what is committed)."""
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    host = db["HOST"] + (f":{db['PORT']}" if db["PORT"] else "")
    return f"postgres://{credentials}@{host}/{db['NAME']}"


def test_the_command_line_exits_with_status_1_and_prints_only_the_problems(tmp_path):
    env = {**os.environ, "DATABASE_URL": child_database_url()}
    files = {"contacts.csv": FILES["contacts.csv"].replace("E2,W2,2026-01-15", "E7,W2,2026-01-15")}
    directory = write_files(tmp_path / "in", {**FILES, **files})
    before = row_counts()

    completed = subprocess.run(
        [sys.executable, "manage.py", "import_records", str(directory)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 1, completed.stderr
    assert completed.stdout == ""
    assert completed.stderr.splitlines() == [
        "contacts.csv:6: enrolment: unknown external_id; not in enrolments.csv nor in the database"
    ]
    assert row_counts() == before
