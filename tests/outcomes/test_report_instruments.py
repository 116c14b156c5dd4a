"""The outcome-instrument section of the quarterly report: the PDF read back against figures this
test works out itself from the answers it recorded (WHO-5: 4 x the sum, 50 or below is poor;
risk lifestyle: the sum of three, 4 or below low, 5-6 moderate, 7 or above high; a change counts
as improved or worsened from 10 points on WHO-5 (Topp et al. 2015) and 1 point on risk lifestyle)."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import statistics
import subprocess
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command

from cases.models import Enrolment, YoungPerson
from outcomes.disclosure import SMALL, recoverable
from outcomes.instruments.models import Assessment, Instrument, Scale
from outcomes.instruments.services import assessment_record
from outcomes.reports.content import build_report
from outcomes.reports.instruments import InstrumentFigures
from outcomes.reports.quarters import Quarter

Q2 = Quarter(2026, 2)
BEFORE = dt.date(2025, 9, 15)  # an earlier assessment, before the quarter
IN_Q2 = [dt.date(2026, 4, 20), dt.date(2026, 5, 18), dt.date(2026, 6, 22)]
AFTER = dt.date(2026, 7, 10)  # after the quarter: never counted


def who5_score(answers: dict[str, int]) -> int | None:
    return 4 * sum(answers.values()) if len(answers) == 5 else None


def who5_band(score: int) -> str:
    return "poor" if score <= 50 else "adequate"


def risk_band(score: int) -> str:
    return "low" if score <= 4 else "moderate" if score <= 6 else "high"


@pytest.fixture
def assessed(db):
    """The seeded municipality, with WHO-5 for most young people and risk lifestyle for a few.

    Returns what this test expects, worked out from the answers as they are recorded."""
    call_command("seed_demo", young_people=120, years=2, today=dt.date(2026, 6, 30), verbosity=0)
    Assessment.objects.all().delete()  # the demo's own: this test knows every answer it counts
    who5 = Instrument.objects.get(code="who5").current_version()
    risk = Instrument.objects.get(code="risk_lifestyle").current_version()
    rng = random.Random(6)
    people = list(YoungPerson.objects.filter(enrolments__start_date__lte=Q2.last_day).distinct().order_by("pk"))
    expected = {"who5": {"latest": Counter(), "changes": []}, "risk_lifestyle": {"latest": Counter(), "changes": []}}

    def record(version, person, day, answers):
        assessment_record(
            young_person=person,
            version=version,
            respondent=Assessment.Respondent.YOUNG_PERSON,
            answered_on=day,
            answers=answers,
            by=None,
        )

    for index, person in enumerate(people[:70]):
        days = ([BEFORE] if index % 3 else []) + sorted(rng.sample(IN_Q2, 1 + index % 2))
        scores = []
        same = {f"who5_{n}": 3 for n in range(1, 6)}  # every sixth young person answers the same each time
        for day in days:
            answers = {f"who5_{n}": rng.randint(1 if index % 2 else 0, 5 if index % 2 else 3) for n in range(1, 6)}
            answers = same if index % 6 == 1 else answers
            record(who5, person, day, answers)
            scores.append(who5_score(answers))
        if index % 7 == 0:  # an incomplete form in the quarter, later than the rest: it has no score
            record(who5, person, dt.date(2026, 6, 29), {"who5_1": 5, "who5_2": 5})
        if index % 5 == 0:  # an assessment after the quarter changes nothing
            record(who5, person, AFTER, {f"who5_{n}": 0 for n in range(1, 6)})
        expected["who5"]["latest"][who5_band(scores[-1])] += 1
        if len(scores) >= 2:
            expected["who5"]["changes"].append(scores[-1] - scores[0])
    for index, person in enumerate(people[70:84]):
        days = [BEFORE, IN_Q2[index % 3]] if index % 2 else [IN_Q2[1]]
        scores = []
        for day in days:
            answers = {
                "friends": rng.randint(1, 3),
                "high_risk_settings": rng.randint(1, 3),
                "substance_use": 1 if day == IN_Q2[1] else rng.randint(1, 3),
            }
            record(risk, person, day, answers)
            scores.append(sum(answers.values()))
        expected["risk_lifestyle"]["latest"][risk_band(scores[-1])] += 1
        if len(scores) >= 2:
            expected["risk_lifestyle"]["changes"].append(scores[-1] - scores[0])
    return expected


MINIMAL_CHANGE = {"who5": 10, "risk_lifestyle": 1}  # points on the report scale


def directions(changes: list[int], *, higher_is_better: bool, threshold: int) -> Counter:
    counted = Counter()
    for change in changes:
        if abs(change) < threshold:
            counted["unchanged"] += 1
        else:
            counted["improved" if (change > 0) == higher_is_better else "worsened"] += 1
    return counted


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def shown(count: int) -> str:
    return SMALL if 1 <= count <= 4 else str(count)


def test_the_pdf_shows_the_band_of_the_latest_assessment_and_the_change(assessed, tmp_path):
    path = tmp_path / "report.pdf"
    call_command("quarterly_report", quarter="2026Q2", output=str(path), language="en")
    text = pdf_text(path)
    lines = text.splitlines()
    flat = " ".join(text.split())
    assert "a smaller change counts as unchanged" in flat  # the note states each instrument's threshold
    assert "any change counts" not in flat

    def row(label: str) -> list[str]:
        """The cells of the table row with this label (the chart above it prints the labels too)."""
        for candidate in lines:
            if candidate.strip().startswith(label):
                cells = candidate.split(label, 1)[1].split()
                if cells and re.match(r"^(\d|<5|x$|–)", cells[0]):
                    return cells
        raise AssertionError(f"no table row {label!r}")

    assert "Outcome instruments" in text
    assert "WHO-5 Well-Being Index: band of the latest assessment in 2026Q2" in text

    latest = assessed["who5"]["latest"]
    total = sum(latest.values())
    assert total == 70 and min(latest.values()) >= 5  # every WHO-5 cell is shown
    assert row("Poor wellbeing (50 or below)") == [str(latest["poor"]), f"{latest['poor'] / total * 100:.1f}", "%"]
    assert row("Wellbeing above 50") == [str(latest["adequate"]), f"{latest['adequate'] / total * 100:.1f}", "%"]

    changes = assessed["who5"]["changes"]
    moves = directions(changes, higher_is_better=True, threshold=MINIMAL_CHANGE["who5"])
    assert min(moves.values()) >= 5
    # changes of 4 and 8 points are in the data: by their sign they would count, by 10 points they do not
    assert any(0 < abs(c) < 10 for c in changes)
    cells = row("WHO-5")  # the label wraps in its column: "WHO-5 / Well-Being / Index"
    base = len(changes)
    assert cells == [
        str(base),
        str(moves["improved"]),
        f"{moves['improved'] / base * 100:.1f}",
        "%",
        str(moves["unchanged"]),
        str(moves["worsened"]),
        f"{moves['worsened'] / base * 100:.1f}",
        "%",
        f"{statistics.mean(changes):+.1f}".replace("-", "−"),
        f"{statistics.median(changes):+.1f}".replace("-", "−"),
    ]


def test_small_counts_of_an_instrument_are_suppressed_and_cannot_be_recovered(assessed, tmp_path):
    path = tmp_path / "report.json"
    call_command("quarterly_report", quarter="2026Q2", output=str(path), language="en")
    document = json.loads(path.read_text())
    risk = next(t for t in document["tables"] if t["key"] == "instrument_latest_risk_lifestyle")
    latest = assessed["risk_lifestyle"]["latest"]
    rows = {r["key"]: r for r in risk["rows"]}
    assert set(rows) == {"low", "moderate", "high", "total"}
    assert rows["total"]["count"] == sum(latest.values()) == 14
    for band in ("low", "moderate", "high"):
        true = latest[band]
        if 1 <= true <= 4:
            assert rows[band]["count"] == SMALL and rows[band]["share"] is None
        elif isinstance(rows[band]["count"], int):
            assert rows[band]["count"] == true
        else:
            assert rows[band]["count"] == "x"  # hidden so that a small one stays hidden
    assert any(rows[b]["count"] == SMALL for b in ("low", "moderate", "high")), "the data should exercise suppression"
    # the change row of risk lifestyle: seven young people assessed twice, lower is better
    change = next(t for t in document["tables"] if t["key"] == "instrument_change")
    risk_change = next(r for r in change["rows"] if r["key"] == "risk_lifestyle")
    moves = directions(
        assessed["risk_lifestyle"]["changes"], higher_is_better=False, threshold=MINIMAL_CHANGE["risk_lifestyle"]
    )
    assert risk_change["base"] == 7
    for direction in ("improved", "unchanged", "worsened"):
        value = risk_change[direction]
        if isinstance(value, int):
            assert value == moves[direction]
        elif value == SMALL:
            assert 1 <= moves[direction] <= 4
        else:
            assert value == "x"
    report = build_report(quarter=Q2)
    for table in report.tables():
        if table.key.startswith("instrument"):
            for block in table.blocks:
                assert recoverable(block.grid, total_row=block.total_row, total_column=block.total_column) == set()


def test_a_team_report_counts_the_teams_young_people_only(assessed):
    team = Enrolment.objects.order_by("pk").first().team
    report = build_report(quarter=Q2, team=team)
    table = next(t for t in report.tables() if t.key == "instrument_latest_who5")
    members = set(YoungPerson.objects.filter(enrolments__team=team).values_list("pk", flat=True))
    assessed_in_team = {
        a.young_person_id
        for a in Assessment.objects.filter(
            version__instrument__code="who5", answered_on__range=(Q2.first_day, Q2.last_day)
        ).exclude(answers__isnull=True)
        if a.young_person_id in members
    }
    total = table.row("total").cells[1]
    assert total == len(assessed_in_team) or (total == SMALL and 1 <= len(assessed_in_team) <= 4)
    assert len(assessed_in_team) < 70


def test_the_minimal_relevant_change_is_data_of_the_instrument(db):
    """WHO-5 is stored as 0-25 raw and 0-100 wellbeing: 10 percentage points are 2.5 raw points."""
    thresholds = {
        (s.version.instrument.code, s.code): s.minimal_change
        for s in Scale.objects.select_related("version__instrument")
    }
    assert thresholds == {
        ("who5", "wellbeing"): Decimal(10),
        ("who5", "raw"): Decimal("2.5"),
        ("risk_lifestyle", "total"): Decimal(1),
    }


@pytest.mark.parametrize(
    ("threshold", "changes", "expected"),
    [
        # WHO-5 moves in steps of 4: 8 is below 10 points, 12 above; exactly 10 counts
        (Decimal(10), [Decimal(8), Decimal(-8), Decimal(12), Decimal(-12), Decimal(10), Decimal(0)], (2, 3, 1)),
        (None, [Decimal(8), Decimal(-4), Decimal(0)], (1, 1, 1)),  # no threshold: the sign decides
    ],
)
def test_a_change_below_the_threshold_is_unchanged(threshold, changes, expected):
    figures = InstrumentFigures(
        code="x", name="x", scale_name="x", higher_is_better=True, bands=[], minimal_change=threshold, changes=changes
    )
    moves = figures.directions
    assert (moves["improved"], moves["unchanged"], moves["worsened"]) == expected
    lower_is_better = InstrumentFigures(
        code="x", name="x", scale_name="x", higher_is_better=False, bands=[], minimal_change=threshold, changes=changes
    )
    assert lower_is_better.directions["improved"] == expected[2]
