"""The quarterly report's content: figures read back from the PDF and the JSON, checked against
the engine on a seeded municipality; disclosure control over every table; the PDF's structure."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from collections import Counter

import pytest
from django.conf import settings
from django.core.management import call_command

from cases.models import YoungPerson
from outcomes.disclosure import SMALL, is_shown, recoverable, recoverable_values
from outcomes.indicators.aggregates import aggregate
from outcomes.indicators.engine import compute_indicators
from outcomes.indicators.weeks import window_mondays
from outcomes.models import EDUCATION_PREPARATORY, EDUCATION_TEMPORARY, StatusEvent
from outcomes.reports.content import STATUS_ROWS, build_report
from outcomes.reports.quarters import Quarter
from outcomes.reports.render import format_cell, is_allowed_url, pdf_from_html, render_report

Q2 = Quarter(2026, 2)


@pytest.fixture
def municipality(db):
    call_command("seed_demo", young_people=120, years=2, today=dt.date(2026, 6, 30), verbosity=0)


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def expected_status_counts(quarter: Quarter) -> Counter:
    """Written from spec §10 without the report's code: ages from birth dates, the latest event."""
    last = quarter.last_day
    counts: Counter = Counter()
    for person in YoungPerson.objects.all():
        b = person.birth_date
        age = last.year - b.year - ((last.month, last.day) < (b.month, b.day))
        if not 16 <= age <= 24:
            continue
        events = sorted(
            StatusEvent.objects.filter(young_person=person, domain="education", date__lte=last).values_list(
                "date", "value"
            )
        )
        value = events[-1][1] if events else "unknown"
        counts[value] += 1
        counts["total"] += 1
        if value in EDUCATION_PREPARATORY:
            counts["neither_preparatory"] += 1
        if value in EDUCATION_TEMPORARY:
            counts["neither_temporary"] += 1
        if value in EDUCATION_PREPARATORY + EDUCATION_TEMPORARY:
            counts["neither"] += 1
    return counts


def test_the_weeks_of_a_quarter_are_the_engines_window_as_of_the_sunday_of_its_last_week():
    q4 = Quarter(2026, 4)  # 1 October 2026 and 31 December 2026 are Thursdays: 14 weeks, into 2027
    assert len(q4.mondays) == 14 and q4.mondays[0] == dt.date(2026, 9, 28)
    assert q4.intensity_as_of == dt.date(2027, 1, 3)
    assert window_mondays(q4.intensity_as_of, len(q4.mondays)) == q4.mondays
    assert Q2.intensity_as_of == dt.date(2026, 6, 28)  # 30 June is a Tuesday: its week is 2026Q3's
    assert window_mondays(Q2.intensity_as_of, len(Q2.mondays)) == Q2.mondays
    assert Quarter.parse("2026q1").previous() == Quarter(2025, 4)
    with pytest.raises(ValueError):
        Quarter.parse("2026Q5")


def test_the_json_output_holds_the_status_table_in_the_contracts_shape_and_order(municipality, tmp_path):
    output = tmp_path / "report.json"
    call_command("quarterly_report", quarter="2026Q2", output=str(output))
    document = json.loads(output.read_text())
    assert document["quarter"] == "2026Q2" and document["scope"] == "municipality"
    table = document["education_status_16_24"]
    assert [row["value"] for row in table["rows"]] == [
        "enrolled",
        "completed",
        "neither",
        "neither_preparatory",
        "other_education",
        "unskilled_job",
        "skills_course",
        "abroad",
        "guidance_placement",
        "production_school",
        "neither_temporary",
        "public_benefits",
        "leave",
        "under_assessment",
        "unknown",
    ]
    assert [row["value"] for row in table["rows"]] == STATUS_ROWS
    expected = expected_status_counts(Q2)
    assert table["total"] == expected["total"] > 20
    for row in table["rows"]:
        true = expected[row["value"]]
        if 1 <= true <= 4:
            assert row["count"] == SMALL and row["share"] is None
        elif is_shown(row["count"]):
            assert row["count"] == true
            assert row["share"] == round(true / expected["total"], 4)
        else:
            assert row["count"] == "x" and row["share"] is None  # hidden so a small one stays hidden
    assert any(row["count"] == SMALL for row in table["rows"]), "the seed should exercise suppression"


def test_the_pdf_shows_the_engines_figures(municipality, tmp_path):
    path = tmp_path / "report.pdf"
    call_command("quarterly_report", quarter="2026Q2", output=str(path), language="en")
    text = pdf_text(path)
    at_end = aggregate(compute_indicators(as_of=Q2.last_day))
    intensity = aggregate(compute_indicators(as_of=Q2.intensity_as_of, window_weeks=len(Q2.mondays)))
    weekly = intensity["at_least_weekly_share"]
    lines = text.splitlines()

    def line(label: str) -> str:
        return next(candidate for candidate in lines if label in candidate)

    assert line("Active enrolments at quarter end").split()[-1] == format_cell(
        at_end["active_enrolments"], "count", language="en"
    )
    assert (
        line("Share with contact at least weekly").split()[-2]
        == f"{weekly['numerator'] / weekly['denominator'] * 100:.1f}"
    )
    retention = at_end["retention_182"]
    assert line("Retention at 6 months").split()[-2] == f"{retention['numerator'] / retention['denominator'] * 100:.1f}"
    assert "Quarterly report 2026Q2" in text
    assert "Associations, not effects" in text
    assert re.search(r"\b1 ?/ ?\d+\n", text) and "Contact intensity per team" in text
    for name in YoungPerson.objects.values_list("name", flat=True):
        assert name not in text


def test_the_danish_pdf_is_the_default(municipality, tmp_path):
    path = tmp_path / "rapport.pdf"
    call_command("quarterly_report", quarter="2026Q2", output=str(path))
    text = pdf_text(path)
    total = aggregate(compute_indicators(as_of=Q2.last_day))["active_enrolments"]
    assert format_cell(total, "count", language="da") in text
    assert "Kvartal" in text


def test_no_hidden_value_can_be_recovered_from_the_totals_of_any_table(municipality):
    report = build_report(quarter=Q2)
    tables = report.tables()
    assert len(tables) >= 7
    checked = 0
    for table in tables:
        for block in table.blocks:
            if block.value_lines is not None:
                assert recoverable_values(block.grid[0], block.value_lines) == set(), table.key
            else:
                assert recoverable(block.grid, total_row=block.total_row, total_column=block.total_column) == set(), (
                    table.key
                )
            checked += 1
        # and nothing on any row is a count of 1-4
        for row in table.rows:
            for cell, column in zip(row.cells, table.columns, strict=True):
                if column.kind == "count":
                    assert not (isinstance(cell, int) and 1 <= cell <= 4), (table.key, row.key, column.key)
    assert checked >= 10
    hidden = [c for t in tables for r in t.rows for c in r.cells if c in (SMALL, "x")]
    assert hidden, "the seed should exercise suppression"


def test_a_team_report_counts_only_that_teams_enrolments(municipality, tmp_path):
    from cases.models import Enrolment, Team

    team = Team.objects.order_by("pk").first()
    path = tmp_path / "team.json"
    call_command("quarterly_report", quarter="2026Q2", output=str(path), team=team.external_id, language="en")
    document = json.loads(path.read_text())
    assert document["scope"] == team.external_id
    reach = next(t for t in document["tables"] if t["key"] == "reach")
    active = aggregate(compute_indicators(as_of=Q2.last_day, enrolments=Enrolment.objects.filter(team=team)))
    total = reach["rows"][-1]["active"]
    assert total == active["active_enrolments"] or (total == SMALL and active["active_enrolments"] < 5)
    assert not any(t["key"] == "intensity_by_team" for t in document["tables"])


def test_an_unknown_team_or_quarter_is_an_error(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("quarterly_report", quarter="2026-Q2", output=str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError):
        call_command("quarterly_report", quarter="2026Q2", output=str(tmp_path / "x.pdf"), team="nope")


def test_the_pdf_is_tagged_with_a_title_bookmarks_and_page_numbers(db, tmp_path):
    pdf, pages = render_report(quarter=Q2, language="en")
    assert pages >= 5
    path = tmp_path / "empty.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    assert "Title:           Quarterly report 2026Q2" in info
    outline = subprocess.run(
        ["pdftohtml", "-xml", "-stdout", "-i", str(path)], capture_output=True, text=True, check=True
    ).stdout
    bookmarks = re.findall(r'<item page="\d+">([^<]+)</item>', outline)
    assert bookmarks[:2] == ["Quarterly report 2026Q2", "Key figures"]  # h1, then the h2s below it
    assert {"Reach", "Contact intensity", "Retention", "Methods"} <= set(bookmarks)
    text = pdf_text(path)
    assert re.search(r"\b1 ?/ ?\d+\n", text) and "Methods" in text


def test_the_renderer_fetches_local_static_files_only(tmp_path):
    static = settings.STATICFILES_DIRS[0]
    assert is_allowed_url((static / "vendor/htmx/htmx.min.js").resolve().as_uri())
    assert not is_allowed_url("https://cdn.example.org/chart.js")
    assert not is_allowed_url("http://127.0.0.1:8000/static/x.css")
    assert not is_allowed_url("file:///etc/passwd")
    assert not is_allowed_url((static / "../manage.py").as_uri())
    assert is_allowed_url("data:image/png;base64,AAAA")
    # a page that asks for a remote image renders without it (and without a request)
    html = '<html lang="en"><head><title>t</title></head><body><h1>t</h1><img alt="x" src="http://10.255.255.1/x.png"></body></html>'
    assert pdf_from_html(html)[0].startswith(b"%PDF")


def test_weasyprint_is_not_imported_by_the_commands_or_the_report_modules():
    code = (
        "import django, sys; django.setup();"
        "import outcomes.reports.render, outcomes.reports.tasks, outcomes.reports.views;"
        "import outcomes.management.commands.quarterly_report, outcomes.tasks;"
        "print('weasyprint' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=settings.BASE_DIR, check=True
    )
    assert result.stdout.strip() == "False"


def test_the_status_run_gives_the_engines_retention_education_and_housing(municipality):
    from cases.models import Enrolment
    from outcomes.indicators.engine import compute_status_indicators

    fields = ("enrolment", "active", "duration_days", "retained_91", "retained_182", "retained_365")
    fields += ("early_unplanned_ending", "education_retained_182", "education_retained_365")
    fields += ("move_in_date", "housed_at_365", "returned_to_homelessness_365")
    for as_of in (Q2.last_day, dt.date(2025, 12, 31)):
        light = compute_status_indicators(as_of=as_of, enrolments=Enrolment.objects.all())
        full = compute_indicators(as_of=as_of)
        assert len(light) == len(full) > 100
        assert [{f: r.as_json()[f] for f in fields} for r in light] == [
            {f: r.as_json()[f] for f in fields} for r in full
        ]


def test_status_runs_for_several_dates_from_one_read_equal_one_run_per_date(
    municipality, django_assert_max_num_queries
):
    from cases.models import Enrolment
    from outcomes.indicators.engine import compute_status_indicators, compute_status_indicators_over

    ends = [q.last_day for q in Q2.last_four()]
    with django_assert_max_num_queries(2):
        shared = compute_status_indicators_over(dates=ends, enrolments=Enrolment.objects.all())
    assert list(shared) == ends
    for as_of in ends:
        alone = compute_status_indicators(as_of=as_of, enrolments=Enrolment.objects.all())
        assert [r.as_json() for r in shared[as_of]] == [r.as_json() for r in alone]
    # the shared read holds events after the earlier dates, which those dates must not read:
    # some Housing First enrolment had moved in by the last date but not by the first
    first, last = ({r.enrolment: r for r in shared[day]} for day in (ends[0], ends[-1]))
    assert any(r.move_in_date and r.move_in_date > ends[0] and key in first for key, r in last.items())
    assert len(shared[ends[0]]) < len(shared[ends[-1]])  # and enrolments started later are left out


def test_the_window_run_gives_the_engines_intensity_for_the_weeks_of_a_quarter(municipality):
    from cases.models import Enrolment
    from outcomes.indicators.engine import compute_window_indicators

    fields = ("enrolment", "weeks_eligible", "weeks_with_contact", "qualifying_contacts", "contact_minutes")
    fields += ("weekly_contact_rate", "at_least_weekly", "expected_contacts", "norm_attainment", "retained_182")
    for quarter in (Q2, Quarter(2025, 4)):
        args = {"as_of": quarter.intensity_as_of, "window_weeks": len(quarter.mondays)}
        window = compute_window_indicators(enrolments=Enrolment.objects.all(), **args)
        full = compute_indicators(**args)
        assert len(window) == len(full) > 100
        assert [{f: r.as_json()[f] for f in fields} for r in window] == [
            {f: r.as_json()[f] for f in fields} for r in full
        ]
        assert [r.contacts_outside_enrolment for r in window] == [r.contacts_outside_enrolment for r in full]
        # only the history before the window is left out
        assert sum(r.qualifying_contacts_total for r in window) < sum(r.qualifying_contacts_total for r in full)


def whole_report(report):
    """Every figure of every table as a reader of the whole PDF sees it, joined by the relations
    this test knows from the definitions (not from the report's code): the trends' row for the
    quarter repeats four totals; per team and per intervention count the same enrolments; "with
    a norm" equal to "with complete weeks" is the same enrolments; active at the end of the last
    quarter plus new is active now plus ended."""
    from collections import defaultdict

    values, shown, lines = {}, defaultdict(list), []
    for block in report.blocks():
        for key, count, value in block.figures():
            values[key] = count
            shown[key].append(value)
        lines += block.key_lines()
    q, previous = str(report.quarter), str(report.quarter.previous())
    same = [(f"trends/{q}/active", "reach/total/active"), (f"trends/{q}/early", "early_unplanned_endings/total/count")]
    for part in "ncd":
        same += [
            (f"trends/{q}/weekly.{part}", f"intensity_by_intervention/total/weekly.{part}"),
            (f"trends/{q}/retention_182.{part}", f"retention/total/r182.{part}"),
        ]
        if f"intensity_by_team/total/weekly.{part}" in values:
            same += [
                (f"intensity_by_team/total/{n}.{part}", f"intensity_by_intervention/total/{n}.{part}")
                for n in ("weekly", "norm")
            ]
    same += [
        (key, key.replace("norm.d", "weekly.d"))
        for key, count in values.items()
        if key.endswith("/norm.d") and count and values[key.replace("norm.d", "weekly.d")] == count
    ]
    for a, b in same:
        assert values[a] == values[b], (a, b)
    merged = dict(same)
    figures = defaultdict(list)
    for key, values_shown in shown.items():
        figures[merged.get(key, key)] += values_shown
    lines = [[merged.get(k, k) for k in line] for line in lines]
    flow_in = [f"trends/{previous}/active", "reach/total/new"]
    flow_out = [
        "reach/total/active",
        "reach/total/ended_planned",
        "reach/total/ended_unplanned",
        "reach/total/ended_neutral",
    ]
    # those ending on the last day of the previous quarter were active then and are neither
    # active nor ended now: the sum is an equation only when there are none
    assert sum(values[k] for k in flow_in) >= sum(values[k] for k in flow_out)
    if sum(values[k] for k in flow_in) == sum(values[k] for k in flow_out):
        lines += [[*flow_in, "F"], [*[merged.get(k, k) for k in flow_out], "F"]]
    return dict(figures), lines


def test_no_hidden_value_can_be_recovered_from_all_tables_together(municipality):
    from cases.models import Team
    from outcomes.disclosure import linked_exposed

    reports = [build_report(quarter=Q2), *(build_report(quarter=Q2, team=team) for team in Team.objects.all())]
    hidden = 0
    for report in reports:
        figures, lines = whole_report(report)
        # linked_exposed counts a figure hidden in one place and shown in another as exposed
        assert linked_exposed(figures, lines, free={"F"}) == set(), report.scope
        hidden += sum(1 for values in figures.values() if not any(map(is_shown, values)))
    assert hidden > 20, "the team reports should exercise suppression"


def test_tables_are_protected_together_where_alone_they_would_give_a_value_away(municipality):
    """The same report with each table protected alone (step 4 left out) exposes something in at
    least one team report of the seed; the report as built exposes nothing (previous test)."""
    from cases.models import Team
    from outcomes.disclosure import linked_exposed
    from outcomes.reports.content import assemble_report, report_data

    exposed = set()
    for team in [None, *Team.objects.all()]:
        alone = assemble_report(report_data(Q2, team), hidden=frozenset())
        figures, lines = whole_report(alone)
        exposed |= {(team and team.pk, key) for key in linked_exposed(figures, lines, free={"F"})}
    # e.g. Housing First/CTI enrolments with complete weeks hidden while the same count is shown
    # as the enrolments with a norm
    assert exposed, "the seed should need the report-wide protection somewhere"
