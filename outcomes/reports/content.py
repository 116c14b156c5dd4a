"""The quarterly report's content: every figure from the indicator engine, after disclosure control.

`build_report(quarter=, team=)` works in these steps:

1. Run the engine twice over the enrolments in scope (the municipality, or
   one team): as of the quarter's last calendar day (reach, retention,
   education and housing, status) and, for contact intensity, as of the
   Sunday that ends the quarter's last week with a window of exactly the
   quarter's weeks (a week belongs to the quarter of its Thursday, spec §1;
   `Quarter.intensity_as_of`).
2. Group the per-enrolment results and add them up with the engine's own
   `aggregate()` (spec §9); counts the spec does not define (new enrolments,
   endings by class) are counted from the same results.
3. Pass every table of counts through `outcomes.disclosure` (spec §11), rates
   with their numerators and denominators, before anything is rendered.
4. For the trend charts, repeat steps 1-3 for the three quarters before.

The result holds aggregates only: no name, CPR number, note or identifier of
a young person ever enters it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import END_REASON_CLASS, Enrolment, Team, YoungPerson
from interventions.models import InterventionType
from outcomes.disclosure import is_shown, protect_table, protect_values, show_count
from outcomes.indicators import engine
from outcomes.indicators.aggregates import aggregate, median
from outcomes.indicators.engine import (
    EDUCATION_HORIZONS,
    RETENTION_HORIZONS,
    EnrolmentIndicators,
    StatusHistory,
    compute_indicators,
    rounded,
)
from outcomes.models import EDUCATION_PREPARATORY, EDUCATION_TEMPORARY, EducationStatus, StatusEvent
from outcomes.reports.quarters import Quarter
from outcomes.reports.tables import Block, Column, Row, Table, protected_rates

# The version of spec/indicators.md the report follows; part of a report run's key, so a
# report is rendered anew when the definitions change. Raise it with the spec.
DEFINITIONS_VERSION = "2026.1"

COHORT_QUARTERS = 8  # start cohorts shown in the retention table (two years)
AGE_MIN, AGE_MAX = 16, 24  # spec §10

STATUS_ROWS: list[str] = [
    "enrolled",
    "completed",
    "neither",
    "neither_preparatory",
    *EDUCATION_PREPARATORY,
    "neither_temporary",
    *EDUCATION_TEMPORARY,
    "unknown",
]


@dataclass
class Section:
    key: str
    title: str
    intro: str = ""
    tables: list[Table] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Report:
    quarter: Quarter
    scope: str  # "municipality" or the team's identifier
    scope_label: str
    generated_on: dt.date
    definitions_version: str
    summary: list[tuple[str, Any, str]]  # label, shown value, kind
    sections: list[Section]
    status_table: dict[str, Any]
    data_quality: list[tuple[str, Any]]

    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]

    def as_json(self) -> dict[str, Any]:
        """The numbers a reader of the PDF sees (the command's `.json` output)."""
        return {
            "quarter": str(self.quarter),
            "scope": self.scope,
            "definitions_version": self.definitions_version,
            "education_status_16_24": self.status_table,
            "tables": [table.as_json() for table in self.tables()],
        }


@dataclass
class QuarterResults:
    quarter: Quarter
    at_end: list[EnrolmentIndicators]  # as of the quarter's last day, without the contact fields
    intensity: list[EnrolmentIndicators]  # the weeks of the quarter


def compute_status_indicators(*, as_of: dt.date, enrolments: Any) -> list[EnrolmentIndicators]:
    """The engine's per-enrolment retention, education and housing fields (spec §§7-8) without
    its contact steps: the same functions `compute_indicators` calls, in the same order, for
    every enrolment started by `as_of`. The contact fields stay empty and are never read from
    these results. Grouping every contact up to the as-of date is most of the engine's time
    (about 5 s of 5.5 s on 20,000 young people), and the report's contact figures come from the
    intensity run. (To be replaced by an option of `compute_indicators` to skip the contacts.)"""
    scope = enrolments.filter(start_date__lte=as_of)
    rows = list(scope.order_by("pk").values_list(*engine.ENROLMENT_COLUMNS))
    if not rows:
        return []
    histories = engine._load_histories(as_of, scope)
    results = []
    for row in rows:
        columns = dict(zip(engine.ENROLMENT_COLUMNS, row, strict=True))
        result = engine._new_result(columns, as_of)
        engine._add_retention(result, as_of=as_of, end_reason=columns["end_reason"])
        person = columns["young_person_id"]
        engine._add_education(
            result,
            as_of=as_of,
            education=histories.get((person, StatusEvent.Domain.EDUCATION), engine.EMPTY_HISTORY),
        )
        if result.intervention == InterventionType.Code.HOUSING_FIRST_CTI:
            engine._add_housing(
                result,
                as_of=as_of,
                housing=histories.get((person, StatusEvent.Domain.HOUSING), engine.EMPTY_HISTORY),
            )
        results.append(result)
    return results


def quarter_results(quarter: Quarter, scope: Any) -> QuarterResults:
    """Step 1: the engine's two runs for a quarter."""
    at_end = compute_status_indicators(as_of=quarter.last_day, enrolments=scope)
    first_monday = quarter.mondays[0]
    overlapping = scope.filter(Q(end_date__isnull=True) | Q(end_date__gte=first_monday))
    intensity = compute_indicators(
        as_of=quarter.intensity_as_of, window_weeks=len(quarter.mondays), enrolments=overlapping
    )
    return QuarterResults(quarter, at_end, intensity)


def all_quarter_results(quarters: list[Quarter], scope: Any) -> dict[Quarter, QuarterResults]:
    """Step 4: the quarters' engine runs, two at a time where the database allows it.

    Most of the time is PostgreSQL grouping contacts, so two quarters at once
    use two cores. Each thread has its own database connection, which sees only
    committed rows; inside a transaction (the tests' database, an atomic block)
    the quarters run one after the other on the caller's connection."""
    workers = getattr(settings, "REPORT_THREADS", 2)
    if workers < 2 or connection.in_atomic_block:
        return {q: quarter_results(q, scope) for q in quarters}

    def one(quarter: Quarter) -> QuarterResults:
        try:
            return quarter_results(quarter, scope)
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return dict(zip(quarters, pool.map(one, quarters), strict=True))


def enrolment_scope(team: Team | None) -> Any:
    enrolments = Enrolment.objects.all()
    return enrolments if team is None else enrolments.filter(team=team)


def build_report(*, quarter: Quarter, team: Team | None = None, today: dt.date | None = None) -> Report:
    scope = enrolment_scope(team)
    quarters = quarter.last_four()
    results = all_quarter_results(quarters, scope)
    current = results[quarter]
    labels = intervention_labels()

    reach = reach_table(current, labels)
    intensity_by_intervention = intensity_table(
        current.intensity, key=lambda r: r.intervention, labels=labels, table_key="intensity_by_intervention"
    )
    intensity_tables = [intensity_by_intervention]
    if team is None:
        team_labels = dict(Team.objects.values_list("external_id", "name"))
        team_labels.update(
            {str(pk): name for pk, name in Team.objects.filter(external_id=None).values_list("pk", "name")}
        )
        intensity_tables.append(
            intensity_table(current.intensity, key=lambda r: r.team, labels=team_labels, table_key="intensity_by_team")
        )
    retention = retention_table(current)
    early = early_endings_table(current, labels)
    other_retention = status_retention_table(current)
    status = status_table(quarter, team)
    trend_table, charts = trends(results, quarters)

    totals = aggregate(current.intensity)
    summary = [
        (_("Active enrolments at quarter end"), reach.rows[-1].cells[reach.column("active")], "count"),
        (_("Young people active at quarter end"), show_count(active_young_people(current)), "count"),
        (_("New enrolments in the quarter"), reach.rows[-1].cells[reach.column("new")], "count"),
        (
            _("Share with contact at least weekly"),
            intensity_by_intervention.rows[-1].cells[intensity_by_intervention.column("weekly_share")],
            "rate",
        ),
        (_("Retention at 6 months"), retention.rows[-1].cells[retention.column("share_182")], "rate"),
        (_("Early unplanned endings in the quarter"), early.rows[-1].cells[1], "count"),
        (
            _("Aged 16-24 in or with a youth education"),
            _in_or_completed(status),
            "rate",
        ),
    ]
    sections = [
        Section(
            "reach",
            _("Reach"),
            _(
                "Enrolments per intervention: new in the quarter, active on its last day, and "
                "ended in the quarter by the class of the end reason."
            ),
            [reach],
        ),
        Section(
            "intensity",
            _("Contact intensity"),
            _(
                "Over the weeks of the quarter (a week belongs to the quarter of its Thursday); "
                "only enrolments with at least one complete, unpaused week in the quarter count."
            ),
            intensity_tables,
        ),
        Section(
            "retention",
            _("Retention"),
            _(
                "Retention at 3, 6 and 12 months by the quarter the enrolment started, as of the "
                "quarter's last day; early unplanned endings (within three months) that happened "
                "in the quarter."
            ),
            [retention, early, other_retention],
        ),
        Section(
            "education_status",
            _("Education status of young people aged 16-24"),
            _(
                "Status on the quarter's last day of the young people aged 16 to 24 on that day "
                "(the youth-guidance categories)."
            ),
            [status_as_table(status)],
        ),
        Section("trends", _("Trends over the last four quarters"), "", [trend_table], charts),
    ]
    data_quality = [
        (_("Contacts dated outside their enrolment"), show_count(totals["data_quality"]["contacts_outside_enrolment"])),
        (_("Aged 16-24 with no known education status"), _status_value(status, "unknown")),
    ]
    return Report(
        quarter=quarter,
        scope="municipality" if team is None else (team.external_id or str(team.pk)),
        scope_label=_("All teams") if team is None else team.name,
        generated_on=today or timezone.localdate(),
        definitions_version=DEFINITIONS_VERSION,
        summary=summary,
        sections=sections,
        status_table=status,
        data_quality=data_quality,
    )


def intervention_labels() -> dict[str, str]:
    return {code: str(label) for code, label in InterventionType.Code.choices}


def _grouped(results: Iterable[EnrolmentIndicators], key: Callable[[EnrolmentIndicators], str]) -> dict[str, list]:
    groups: dict[str, list[EnrolmentIndicators]] = defaultdict(list)
    for result in results:
        groups[key(result)].append(result)
    return groups


def _order(groups: Iterable[str], labels: dict[str, str]) -> list[str]:
    known = [code for code in labels if code in groups]
    return known + sorted(g for g in groups if g not in labels)


# --- reach -----------------------------------------------------------------------------


def reach_table(current: QuarterResults, labels: dict[str, str]) -> Table:
    quarter = current.quarter
    first, last = quarter.first_day, quarter.last_day
    ended_ids = [r.enrolment_id for r in current.at_end if r.end_date is not None and first <= r.end_date <= last]
    reasons = dict(Enrolment.objects.filter(pk__in=ended_ids).values_list("pk", "end_reason"))
    groups = _grouped(current.at_end, lambda r: r.intervention)
    codes = _order(groups, labels)
    counts = []
    for code in codes:
        group = groups[code]
        ended = Counter(
            str(END_REASON_CLASS.get(reasons[r.enrolment_id], "")) for r in group if r.enrolment_id in reasons
        )
        counts.append(
            [
                sum(1 for r in group if first <= r.start_date <= last),
                aggregate(group)["active_enrolments"],
                ended.get("planned", 0),
                ended.get("unplanned", 0),
                ended.get("neutral", 0),
            ]
        )
    grid = protect_table(counts or [[0] * 5], total_row=True, total_column=False)
    table = Table(
        "reach",
        _("Reach per intervention in %(quarter)s") % {"quarter": quarter},
        [
            Column("intervention", _("Intervention"), "text"),
            Column("new", _("New")),
            Column("active", _("Active at quarter end")),
            Column("ended_planned", _("Ended, planned")),
            Column("ended_unplanned", _("Ended, unplanned")),
            Column("ended_neutral", _("Ended, neutral")),
        ],
        blocks=[Block(grid, True, False)],
    )
    for index, code in enumerate(codes):
        row = grid[index]
        table.rows.append(
            Row(
                code,
                labels.get(code, code),
                [labels.get(code, code), *row],
            )
        )
    total = grid[-1]
    table.rows.append(Row("total", _("Total"), [_("Total"), *total], total=True))
    return table


def active_young_people(current: QuarterResults) -> int:
    """Young people with at least one active enrolment on the quarter's last day (each once)."""
    return len({r.young_person for r in current.at_end if r.active})


# --- contact intensity ---------------------------------------------------------------------


def intensity_table(
    results: list[EnrolmentIndicators],
    *,
    key: Callable[[EnrolmentIndicators], str],
    labels: dict[str, str],
    table_key: str,
) -> Table:
    groups = _grouped(results, key)
    codes = _order(groups, labels)
    weekly, norm, medians, norm_medians = [], [], [], []
    everything = [*codes, None]
    for code in everything:
        group = results if code is None else groups[code]
        totals = aggregate(group)
        share = totals["at_least_weekly_share"]
        attainments = [r.norm_attainment for r in group if r.norm_attainment is not None]
        if code is not None:
            weekly.append((share["numerator"], share["denominator"]))
            norm.append((sum(1 for a in attainments if a >= 1), len(attainments)))
        medians.append((totals["median_weekly_contact_rate"], share["denominator"]))
        norm_medians.append((rounded(median(attainments)), len(attainments)))
    weekly_rates = protected_rates(weekly or [(0, 0)])
    norm_rates = protected_rates(norm or [(0, 0)])
    by_team = table_key == "intensity_by_team"
    table = Table(
        table_key,
        _("Contact intensity per team") if by_team else _("Contact intensity per intervention"),
        [
            Column("group", _("Team") if by_team else _("Intervention"), "text"),
            Column("enrolments", _("Enrolments with complete weeks")),
            Column("weekly", _("At least weekly")),
            Column("weekly_share", _("Share at least weekly"), "rate"),
            Column("median_rate", _("Median weekly contact rate"), "number"),
            Column("with_norm", _("Enrolments with a norm")),
            Column("norm_met", _("Norm met")),
            Column("norm_share", _("Share meeting the norm"), "rate"),
            Column("median_norm", _("Median norm attainment"), "number"),
        ],
        note=_(
            "At least weekly: contact in at least 75 per cent of the complete weeks. A median is not "
            "shown for fewer than five enrolments."
        ),
        blocks=[weekly_rates.block, norm_rates.block],
    )
    for index, code in enumerate(everything):
        label = _("Total") if code is None else labels.get(code, code)
        table.rows.append(
            Row(
                "total" if code is None else code,
                label,
                [
                    label,
                    weekly_rates.denominators[index],
                    weekly_rates.numerators[index],
                    weekly_rates.rates[index],
                    _median_shown(*medians[index], weekly_rates.denominators[index]),
                    norm_rates.denominators[index],
                    norm_rates.numerators[index],
                    norm_rates.rates[index],
                    _median_shown(*norm_medians[index], norm_rates.denominators[index]),
                ],
                total=code is None,
            )
        )
    return table


def _median_shown(value: float | None, count: int, shown_count: Any) -> float | None:
    """A median is a figure built on its count: not shown when that count is hidden (or 1-4)."""
    return value if is_shown(shown_count) and count >= 5 else None


# --- retention -----------------------------------------------------------------------------


def retention_table(current: QuarterResults) -> Table:
    quarter = current.quarter
    cohorts = _grouped(current.at_end, lambda r: str(Quarter.containing(r.start_date)))
    recent = [str(q) for q in _quarters_back(quarter, COHORT_QUARTERS)]
    earlier = [r for name, group in cohorts.items() if name not in recent for r in group]
    rows: list[tuple[str, str, list[EnrolmentIndicators]]] = []
    if earlier:
        rows.append(("earlier", _("Earlier"), earlier))
    rows += [(name, name, cohorts[name]) for name in recent if name in cohorts]
    columns = [Column("cohort", _("Start cohort"), "text")]
    per_horizon = {}
    for horizon in RETENTION_HORIZONS:
        pairs = []
        for _key, _label, group in rows:
            share = aggregate(group)[f"retention_{horizon}"]
            pairs.append((share["numerator"], share["denominator"]))
        per_horizon[horizon] = protected_rates(pairs or [(0, 0)])
        months = {91: 3, 182: 6, 365: 12}[horizon]
        columns += [
            Column(f"base_{horizon}", _("Observable at %(months)s months") % {"months": months}),
            Column(f"retained_{horizon}", _("Retained at %(months)s months") % {"months": months}),
            Column(f"share_{horizon}", _("Share at %(months)s months") % {"months": months}, "rate"),
        ]
    table = Table(
        "retention",
        _("Retention by start cohort, as of %(day)s") % {"day": quarter.last_day.isoformat()},
        columns,
        note=_(
            "Planned endings before the horizon count as retained, neutral ones (moved away, deceased) leave the base."
        ),
        blocks=[per_horizon[h].block for h in RETENTION_HORIZONS],
    )
    for index, (key, label, _group) in enumerate([*rows, ("total", _("Total"), [])]):
        cells: list[Any] = [label]
        for horizon in RETENTION_HORIZONS:
            rates = per_horizon[horizon]
            cells += [rates.denominators[index], rates.numerators[index], rates.rates[index]]
        table.rows.append(Row(key, label, cells, total=key == "total"))
    return table


def _quarters_back(quarter: Quarter, count: int) -> list[Quarter]:
    quarters = [quarter]
    while len(quarters) < count:
        quarters.insert(0, quarters[0].previous())
    return quarters


def early_endings_table(current: QuarterResults, labels: dict[str, str]) -> Table:
    quarter = current.quarter
    groups = _grouped(current.at_end, lambda r: r.intervention)
    codes = _order(groups, labels)
    counts = [
        aggregate(groups[c], ended_between=(quarter.first_day, quarter.last_day))["early_unplanned_endings"]
        for c in codes
    ]
    grid = protect_table([[c] for c in counts] or [[0]], total_row=True, total_column=False)
    table = Table(
        "early_unplanned_endings",
        _("Early unplanned endings in %(quarter)s") % {"quarter": quarter},
        [Column("intervention", _("Intervention"), "text"), Column("count", _("Ended unplanned within three months"))],
        blocks=[Block(grid, True, False)],
    )
    for index, code in enumerate(codes):
        table.rows.append(Row(code, labels.get(code, code), [labels.get(code, code), grid[index][0]]))
    table.rows.append(Row("total", _("Total"), [_("Total"), grid[-1][0]], total=True))
    return table


def status_retention_table(current: QuarterResults) -> Table:
    totals = aggregate(current.intensity)
    entries = [
        *(
            (
                f"education_retention_{h}",
                _("Still in or completed education after %(months)s months") % {"months": {182: 6, 365: 12}[h]},
            )
            for h in EDUCATION_HORIZONS
        ),
        ("housing_retention_365", _("Housing First/CTI: housed one year after moving in")),
        ("return_to_homelessness_365", _("Housing First/CTI: returned to homelessness within a year")),
    ]
    table = Table(
        "education_and_housing_retention",
        _("Education and housing retention, as of %(day)s") % {"day": current.quarter.last_day.isoformat()},
        [
            Column("indicator", _("Indicator"), "text"),
            Column("base", _("Base")),
            Column("count", _("Count")),
            Column("share", _("Share"), "rate"),
        ],
        note=_(
            "Education: enrolments that started while the young person was in a youth "
            "education. Housing: from the first move into housing after the start (the "
            "national goal was at most 20 per cent returning within a year)."
        ),
    )
    for key, label in entries:
        share = totals[key]
        rates = protected_rates([(share["numerator"], share["denominator"])], total_row=False)
        table.blocks.append(rates.block)
        table.rows.append(Row(key, label, [label, rates.denominators[0], rates.numerators[0], rates.rates[0]]))
    return table


# --- education status of the 16-24-year-olds (spec §10) --------------------------------------


def status_population(quarter: Quarter, team: Team | None) -> Any:
    last = quarter.last_day  # never 29 February, so replace(year=) is safe
    people = YoungPerson.objects.filter(
        birth_date__lte=last.replace(year=last.year - AGE_MIN),
        birth_date__gt=last.replace(year=last.year - AGE_MAX - 1),
    )
    if team is not None:
        people = people.filter(enrolments__team=team, enrolments__start_date__lte=last).distinct()
    return people


def status_counts(quarter: Quarter, team: Team | None) -> dict[str, int]:
    """Counts per row of STATUS_ROWS (and "total"): the status on the last day is the latest
    event on or before it, by the engine's own rule (`StatusHistory`)."""
    people = status_population(quarter, team)
    ids = list(people.values_list("pk", flat=True))
    events: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    rows = StatusEvent.objects.filter(
        young_person__in=people.values("pk"), domain=StatusEvent.Domain.EDUCATION, date__lte=quarter.last_day
    ).values_list("young_person_id", "date", "value")
    for person, date, value in rows:
        events[person].append((date, value))
    values = Counter(StatusHistory(events[pk]).on(quarter.last_day) if pk in events else None for pk in ids)
    counts = {value: values.get(value, 0) for value in EducationStatus.values}
    counts["unknown"] = values.get(None, 0)
    counts["neither_preparatory"] = sum(counts[v] for v in EDUCATION_PREPARATORY)
    counts["neither_temporary"] = sum(counts[v] for v in EDUCATION_TEMPORARY)
    counts["neither"] = counts["neither_preparatory"] + counts["neither_temporary"]
    counts["total"] = len(ids)
    return counts


def status_lines() -> list[list[int]]:
    """The sums that relate the rows of the §10 table (indexes into STATUS_ROWS + ["total"])."""
    index = {key: i for i, key in enumerate([*STATUS_ROWS, "total"])}
    return [
        [index["enrolled"], index["completed"], index["neither"], index["unknown"], index["total"]],
        [index["neither_preparatory"], index["neither_temporary"], index["neither"]],
        [*(index[v] for v in EDUCATION_PREPARATORY), index["neither_preparatory"]],
        [*(index[v] for v in EDUCATION_TEMPORARY), index["neither_temporary"]],
    ]


def status_table(quarter: Quarter, team: Team | None) -> dict[str, Any]:
    """The §10 table in the contract's shape (spec/import-and-commands.md), after disclosure control."""
    counts = status_counts(quarter, team)
    keys = [*STATUS_ROWS, "total"]
    shown = protect_values([counts[k] for k in keys], status_lines())
    total = shown[-1]
    rows = []
    for key, value in zip(STATUS_ROWS, shown[:-1], strict=True):
        share = round(value / total, 4) if is_shown(value) and is_shown(total) and total else None
        rows.append({"value": key, "count": value, "share": share})
    return {"total": total, "rows": rows}


def _status_value(status: dict[str, Any], key: str) -> Any:
    return next(row["count"] for row in status["rows"] if row["value"] == key)


def _in_or_completed(status: dict[str, Any]) -> float | None:
    enrolled, completed = _status_value(status, "enrolled"), _status_value(status, "completed")
    total = status["total"]
    if not (is_shown(enrolled) and is_shown(completed) and is_shown(total)) or not total:
        return None
    return round((enrolled + completed) / total, 4)


def status_labels() -> dict[str, str]:
    labels = {value: str(label) for value, label in EducationStatus.choices}
    labels.update(
        {
            "neither": _("Neither in nor completed a youth education"),
            "neither_preparatory": _("Neither: preparatory activity"),
            "neither_temporary": _("Neither: temporary activity"),
            "unknown": _("Unknown"),
        }
    )
    return labels


def status_as_table(status: dict[str, Any]) -> Table:
    labels = status_labels()
    table = Table(
        "education_status_16_24",
        _("Education status of young people aged 16-24"),
        [
            Column("status", _("Status"), "text"),
            Column("count", _("Young people")),
            Column("share", _("Share"), "rate"),
        ],
        note=_("Shares are of all young people aged 16-24 in the table."),
    )
    level = {
        "enrolled": 0,
        "completed": 0,
        "neither": 0,
        "unknown": 0,
        "neither_preparatory": 1,
        "neither_temporary": 1,
    }
    for row in status["rows"]:
        label = labels[row["value"]]
        indent = level.get(row["value"], 2)
        table.rows.append(Row(row["value"], label, [label, row["count"], row["share"]], indent=indent))
    table.rows.append(
        Row("total", _("Total"), [_("Total"), status["total"], 1.0 if status["total"] else None], total=True)
    )
    table.value_blocks.append(([row["count"] for row in status["rows"]] + [status["total"]], status_lines()))
    return table


# --- trends ---------------------------------------------------------------------------------


def trends(results: dict[Quarter, QuarterResults], quarters: list[Quarter]) -> tuple[Table, list[dict[str, Any]]]:
    weekly_pairs, retention_pairs, active, early = [], [], [], []
    for quarter in quarters:
        current = results[quarter]
        at_end = aggregate(current.at_end, ended_between=(quarter.first_day, quarter.last_day))
        share = aggregate(current.intensity)["at_least_weekly_share"]
        weekly_pairs.append((share["numerator"], share["denominator"]))
        retention_pairs.append((at_end["retention_182"]["numerator"], at_end["retention_182"]["denominator"]))
        active.append(at_end["active_enrolments"])
        early.append(at_end["early_unplanned_endings"])
    weekly = protected_rates(weekly_pairs, total_row=False)
    retention = protected_rates(retention_pairs, total_row=False)
    table = Table(
        "trends",
        _("Key figures over the last four quarters"),
        [
            Column("quarter", _("Quarter"), "text"),
            Column("active", _("Active at quarter end")),
            Column("weekly_share", _("Share at least weekly"), "rate"),
            Column("retention_182", _("Retention at 6 months"), "rate"),
            Column("early", _("Early unplanned endings")),
        ],
        blocks=[weekly.block, retention.block],
    )
    for index, quarter in enumerate(quarters):
        table.rows.append(
            Row(
                str(quarter),
                str(quarter),
                [
                    str(quarter),
                    show_count(active[index]),
                    weekly.rates[index],
                    retention.rates[index],
                    show_count(early[index]),
                ],
            )
        )
    labels = [str(q) for q in quarters]
    charts = [
        {
            "kind": "line",
            "title": _("Share with contact at least weekly, and retention at 6 months"),
            "labels": labels,
            "series": [
                {"name": _("Share at least weekly"), "values": weekly.rates},
                {"name": _("Retention at 6 months"), "values": retention.rates},
            ],
        },
        {
            "kind": "bar",
            "title": _("Active enrolments at quarter end"),
            "labels": labels,
            "series": [{"name": _("Active at quarter end"), "values": [show_count(a) for a in active]}],
        },
    ]
    return table, charts
