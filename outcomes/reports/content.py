"""The quarterly report's content: every figure from the indicator engine, after disclosure control.

`build_report(quarter=, team=)` works in these steps:

1. Run the engine twice over the enrolments in scope (the municipality, or
   one team): as of the quarter's last calendar day for retention, education
   and housing (no contact steps) and, for
   contact intensity, as of the Sunday that ends the quarter's last week with a
   window of exactly the quarter's weeks (a week belongs to the quarter of its
   Thursday, spec §1; `Quarter.intensity_as_of`; `compute_window_indicators`).
   The same for the three quarters before (the trends); the four status runs
   share one read (`compute_status_indicators_over`). Count the §10 status
   table and score the outcome instruments (`reports.instruments`). Every
   query of the report runs here, once (`report_data`).
2. Group the per-enrolment results and add them up with the engine's own
   `aggregate()` (spec §9); counts the spec does not define (new enrolments,
   endings by class) are counted from the same results.
3. Pass every table of counts through `outcomes.disclosure` (spec §11), rates
   with their numerators and denominators, before anything is rendered. Each
   cell has a key (``"reach/total/active"``).
4. Audit all tables together (`protect_across_tables`): a figure printed in
   two tables is one figure, and tables over the same set share their sums
   (`report_links`). Where a hidden figure can be worked out from another
   table, the figures `disclosure.linked_suppression` names are hidden as well
   and steps 2-3 run again with them hidden, until nothing can be worked out.

The result holds aggregates only: no name, CPR number, note or identifier of
a young person ever enters it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
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
from outcomes.disclosure import Shown, is_shown, linked_suppression, rate_of
from outcomes.indicators.aggregates import aggregate, median
from outcomes.indicators.engine import (
    EDUCATION_HORIZONS,
    RETENTION_HORIZONS,
    EnrolmentIndicators,
    StatusHistory,
    compute_status_indicators_over,
    compute_window_indicators,
    rounded,
)
from outcomes.models import EDUCATION_PREPARATORY, EDUCATION_TEMPORARY, EducationStatus, StatusEvent
from outcomes.reports.instruments import (
    CHANGES,
    InstrumentFigures,
    band_label,
    change_note,
    instrument_figures,
    instrument_label,
)
from outcomes.reports.quarters import Quarter
from outcomes.reports.tables import (
    TOTAL,
    Block,
    Column,
    Row,
    Table,
    protect_block,
    protect_value_block,
    protected_rates,
    show_one,
)

# The version of spec/indicators.md the report follows; part of a report run's key, so a
# report is rendered anew when the definitions change. Raise it with the spec.
DEFINITIONS_VERSION = "2026.1"

COHORT_QUARTERS = 8  # start cohorts shown in the retention table (two years)
AGE_MIN, AGE_MAX = 16, 24  # spec §10
MAX_LINKED_ROUNDS = 500  # each round hides at least one more figure; a report has fewer

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
ENDED_CLASSES = ("planned", "unplanned", "neutral")
# A sum no table prints: active at the start of the quarter plus new = active at its end plus ended.
FLOW = "links/active_at_start_plus_new"


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

    def blocks(self) -> Iterator[Block]:
        for table in self.tables():
            yield from table.blocks

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
    memo: dict[Any, Any] = field(default_factory=dict, repr=False)

    def totals(self, key: tuple, results: list[EnrolmentIndicators]) -> dict[str, Any]:
        """`aggregate(results)` (early endings: those in the quarter), once per key: the tables
        are assembled again when step 4 hides more, and aggregating is most of their cost."""
        if key not in self.memo:
            self.memo[key] = aggregate(results, ended_between=(self.quarter.first_day, self.quarter.last_day))
        return self.memo[key]


@dataclass
class ReportData:
    """Step 1: everything the report reads from the database."""

    quarter: Quarter
    team: Team | None
    quarters: list[Quarter]
    results: dict[Quarter, QuarterResults]
    end_reasons: dict[int, str]  # enrolments ended in the quarter
    team_labels: dict[str, str]
    status_counts: dict[str, int]
    instruments: list[InstrumentFigures]


def window_results(quarter: Quarter, scope: Any) -> list[EnrolmentIndicators]:
    overlapping = scope.filter(Q(end_date__isnull=True) | Q(end_date__gte=quarter.mondays[0]))
    return compute_window_indicators(
        as_of=quarter.intensity_as_of, window_weeks=len(quarter.mondays), enrolments=overlapping
    )


def all_quarter_results(quarters: list[Quarter], scope: Any) -> dict[Quarter, QuarterResults]:
    """Step 1 for every quarter: the status runs from one read (`compute_status_indicators_over`),
    here, while the contact-intensity runs go on in worker threads.

    An intensity run waits on PostgreSQL grouping its quarter's contacts (on the
    thread's own database connection, which sees only committed rows) while the
    status runs use the interpreter. Inside a transaction (the tests' database, an
    atomic block) everything runs one after the other on the caller's connection."""
    workers = getattr(settings, "REPORT_THREADS", 2)
    ends = [q.last_day for q in quarters]
    if workers < 1 or connection.in_atomic_block:
        status = compute_status_indicators_over(dates=ends, enrolments=scope)
        return {q: QuarterResults(q, status[q.last_day], window_results(q, scope)) for q in quarters}

    def window(quarter: Quarter) -> list[EnrolmentIndicators]:
        try:
            return window_results(quarter, scope)
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=workers) as pool:
        windows = {q: pool.submit(window, q) for q in reversed(quarters)}  # the report's own quarter first
        status = compute_status_indicators_over(dates=ends, enrolments=scope)
        return {q: QuarterResults(q, status[q.last_day], windows[q].result()) for q in quarters}


def enrolment_scope(team: Team | None) -> Any:
    enrolments = Enrolment.objects.all()
    return enrolments if team is None else enrolments.filter(team=team)


def report_data(quarter: Quarter, team: Team | None) -> ReportData:
    scope = enrolment_scope(team)
    quarters = quarter.last_four()
    results = all_quarter_results(quarters, scope)
    first, last = quarter.first_day, quarter.last_day
    ended = [r.enrolment_id for r in results[quarter].at_end if r.end_date is not None and first <= r.end_date <= last]
    team_labels = dict(Team.objects.exclude(external_id=None).values_list("external_id", "name"))
    team_labels.update({str(pk): name for pk, name in Team.objects.filter(external_id=None).values_list("pk", "name")})
    return ReportData(
        quarter=quarter,
        team=team,
        quarters=quarters,
        results=results,
        end_reasons=dict(Enrolment.objects.filter(pk__in=ended).values_list("pk", "end_reason")),
        team_labels=team_labels,
        status_counts=status_counts(quarter, team),
        instruments=instrument_figures(quarter=quarter, people=status_population(quarter, team, ages=False)),
    )


def build_report(*, quarter: Quarter, team: Team | None = None, today: dt.date | None = None) -> Report:
    """Steps 1-4 (see the module's docstring)."""
    data = report_data(quarter, team)
    hidden: frozenset[str] = frozenset()
    for _round in range(MAX_LINKED_ROUNDS):
        report = assemble_report(data, hidden=hidden, today=today)
        more = protect_across_tables(report)
        if not more:
            return report
        hidden |= more
    raise RuntimeError("the report-wide disclosure control did not settle")  # pragma: no cover


def assemble_report(data: ReportData, *, hidden: frozenset[str], today: dt.date | None = None) -> Report:
    """Steps 2-3: the tables from the data, with the figures in `hidden` hidden from the start."""
    quarter, team = data.quarter, data.team
    current = data.results[quarter]
    labels = intervention_labels()

    reach = reach_table(current, labels, data.end_reasons, hidden)
    intensity_by_intervention = intensity_table(
        current,
        key=lambda r: r.intervention,
        labels=labels,
        table_key="intensity_by_intervention",
        hidden=hidden,
    )
    intensity_tables = [intensity_by_intervention]
    if team is None:
        intensity_tables.append(
            intensity_table(
                current,
                key=lambda r: r.team,
                labels=data.team_labels,
                table_key="intensity_by_team",
                hidden=hidden,
            )
        )
    retention = retention_table(current, hidden)
    early = early_endings_table(current, labels, hidden)
    other_retention = status_retention_table(current, hidden)
    status_block = status_value_block(data.status_counts, hidden)
    status = status_document(status_block)
    trend_table, charts = trends(data.results, data.quarters, hidden)
    instrument_tables, instrument_charts = instrument_section(data.instruments, quarter, hidden)

    outside = sum(r.contacts_outside_enrolment for r in current.intensity)
    people_active, _block = show_one(active_young_people(current), key="summary/young_people/active", hidden=hidden)
    summary = [
        (_("Active enrolments at quarter end"), reach.rows[-1].cells[reach.column("active")], "count"),
        (_("Young people active at quarter end"), people_active, "count"),
        (_("New enrolments in the quarter"), reach.rows[-1].cells[reach.column("new")], "count"),
        (
            _("Share with contact at least weekly"),
            intensity_by_intervention.rows[-1].cells[intensity_by_intervention.column("weekly_share")],
            "rate",
        ),
        (_("Retention at 6 months"), retention.rows[-1].cells[retention.column("share_182")], "rate"),
        (_("Early unplanned endings in the quarter"), early.rows[-1].cells[1], "count"),
        (_("Aged 16-24 in or with a youth education"), _in_or_completed(status), "rate"),
    ]
    status_as = status_as_table(status)
    status_as.blocks.append(status_block)
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
            [status_as],
        ),
        Section(
            "instruments",
            _("Outcome instruments"),
            _(
                "Per instrument, the band of each young person's latest assessment in the quarter, and, "
                "for those assessed before as well, the change from their first assessment to that one."
            ),
            instrument_tables,
            instrument_charts,
        ),
        Section("trends", _("Trends over the last four quarters"), "", [trend_table], charts),
    ]
    contacts_outside, _block = show_one(outside, key="data_quality/contacts/outside", hidden=hidden)
    data_quality = [
        (_("Contacts dated outside their enrolment"), contacts_outside),
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


# --- step 4: all tables together ------------------------------------------------------------


@dataclass
class Links:
    """What joins the tables: pairs of keys that name one figure, and sums across tables."""

    same: list[tuple[str, str]] = field(default_factory=list)
    lines: list[list[str]] = field(default_factory=list)
    free: set[str] = field(default_factory=set)


def report_links(report: Report) -> Links:
    """The figures a reader finds in more than one table, and the sums between tables.

    1. The trends' row for the report's quarter repeats totals: active enrolments
       and early unplanned endings (reach, early endings), the weekly-contact and
       6-month retention counts behind their rates (contact intensity, retention).
    2. Contact intensity per team and per intervention count the same enrolments:
       their total rows are one row, and each table's rows add up to it.
    3. Within a row of contact intensity, "with a norm" is a subset of "with complete
       weeks"; where the two counts are equal they are the same enrolments (every
       intervention with a weekly norm), one figure printed twice.
    4. Active at the end of the previous quarter (trends) plus new = active at the
       end of this quarter plus ended (reach): a sum across two tables."""
    values = {key: count for block in report.blocks() for key, count, _shown in block.figures()}
    links = Links()
    quarter = str(report.quarter)
    links.same += [
        (f"trends/{quarter}/active", f"reach/{TOTAL}/active"),
        (f"trends/{quarter}/early", f"early_unplanned_endings/{TOTAL}/count"),
    ]
    for part in ("n", "c", "d"):
        links.same += [
            (f"trends/{quarter}/weekly.{part}", f"intensity_by_intervention/{TOTAL}/weekly.{part}"),
            (f"trends/{quarter}/retention_182.{part}", f"retention/{TOTAL}/r182.{part}"),
        ]
        if f"intensity_by_team/{TOTAL}/weekly.{part}" in values:
            for name in ("weekly", "norm"):
                links.same.append(
                    (f"intensity_by_team/{TOTAL}/{name}.{part}", f"intensity_by_intervention/{TOTAL}/{name}.{part}")
                )
    for key, count in values.items():
        table, row, column = key.split("/")
        if table.startswith("intensity_by_") and column == "norm.d":
            weeks = f"{table}/{row}/weekly.d"
            if count and values.get(weeks) == count:
                links.same.append((key, weeks))
    previous = str(report.quarter.previous())
    flow_in = [f"trends/{previous}/active", f"reach/{TOTAL}/new"]
    flow_out = [f"reach/{TOTAL}/active", *(f"reach/{TOTAL}/ended_{c}" for c in ENDED_CLASSES)]
    if all(k in values for k in flow_in + flow_out) and sum(values[k] for k in flow_in) == sum(
        values[k] for k in flow_out
    ):
        links.lines += [[*flow_in, FLOW], [*flow_out, FLOW]]
        links.free.add(FLOW)
    return links


def linked_system(
    report: Report, links: Links | None = None
) -> tuple[dict[str, int], dict[str, list[Shown]], list[list[str]], set[str], dict[str, str]]:
    """All tables as one system: the true count and the shown values of each figure (keys
    joined by `links.same`), every line of every table and the sums across tables."""
    links = links or report_links(report)
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    for a, b in links.same:
        parent[root(a)] = root(b)
    values: dict[str, int] = {}
    figures: dict[str, list[Shown]] = defaultdict(list)
    lines: list[list[str]] = []
    for block in report.blocks():
        for key, count, shown in block.figures():
            figure = root(key)
            if values.setdefault(figure, count) != count:
                raise ValueError(f"{key} and {figure} are linked as one figure but count {count} and {values[figure]}")
            figures[figure].append(shown)
        lines += [[root(k) for k in line] for line in block.key_lines()]
    lines += [[root(k) for k in line] for line in links.lines]
    canonical = {key: root(key) for block in report.blocks() for row in block.keys for key in row}
    return values, dict(figures), lines, links.free, canonical


def protect_across_tables(report: Report) -> frozenset[str]:
    """Step 4, one round: the keys (in every table that prints the figure) to hide as well."""
    values, figures, lines, free, canonical = linked_system(report)
    more = linked_suppression(values, figures, lines, free=free)
    return frozenset(key for key, figure in canonical.items() if figure in more)


# --- reach -----------------------------------------------------------------------------


def reach_table(
    current: QuarterResults, labels: dict[str, str], reasons: dict[int, str], hidden: frozenset[str]
) -> Table:
    quarter = current.quarter
    first, last = quarter.first_day, quarter.last_day
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
                current.totals(("at_end", "intervention", code), group)["active_enrolments"],
                *(ended.get(c, 0) for c in ENDED_CLASSES),
            ]
        )
    columns = ["new", "active", *(f"ended_{c}" for c in ENDED_CLASSES)]
    block = protect_block(
        counts or [[0] * 5],
        prefix="reach",
        rows=codes or ["none"],
        columns=columns,
        total_row=True,
        total_column=False,
        hidden=hidden,
    )
    grid = block.grid
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
        blocks=[block],
    )
    for index, code in enumerate(codes):
        table.rows.append(Row(code, labels.get(code, code), [labels.get(code, code), *grid[index]]))
    table.rows.append(Row(TOTAL, _("Total"), [_("Total"), *grid[-1]], total=True))
    return table


def active_young_people(current: QuarterResults) -> int:
    """Young people with at least one active enrolment on the quarter's last day (each once)."""
    return len({r.young_person for r in current.at_end if r.active})


# --- contact intensity ---------------------------------------------------------------------


def intensity_table(
    current: QuarterResults,
    *,
    key: Callable[[EnrolmentIndicators], str],
    labels: dict[str, str],
    table_key: str,
    hidden: frozenset[str],
) -> Table:
    results = current.intensity
    groups = _grouped(results, key)
    codes = _order(groups, labels)
    weekly, norm, medians, norm_medians = [], [], [], []
    everything = [*codes, None]
    for code in everything:
        group = results if code is None else groups[code]
        totals = current.totals(("intensity", table_key if code is not None else "all", code), group)
        share = totals["at_least_weekly_share"]
        met, with_norm, norm_median = _norm_attainment(current, (table_key, code), group)
        if code is not None:
            weekly.append((share["numerator"], share["denominator"]))
            norm.append((met, with_norm))
        medians.append((totals["median_weekly_contact_rate"], share["denominator"]))
        norm_medians.append((norm_median, with_norm))
    rows = codes or ["none"]
    weekly_rates = protected_rates(weekly or [(0, 0)], prefix=table_key, rows=rows, name="weekly", hidden=hidden)
    norm_rates = protected_rates(norm or [(0, 0)], prefix=table_key, rows=rows, name="norm", hidden=hidden)
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
                TOTAL if code is None else code,
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


def _norm_attainment(
    current: QuarterResults, key: tuple, group: list[EnrolmentIndicators]
) -> tuple[int, int, float | None]:
    """Enrolments meeting the norm, enrolments with a norm, and the median attainment (memoised)."""
    memo_key = ("norm", *key)
    if memo_key not in current.memo:
        attainments = [r.norm_attainment for r in group if r.norm_attainment is not None]
        current.memo[memo_key] = (
            sum(1 for a in attainments if a >= 1),
            len(attainments),
            rounded(median(attainments)),
        )
    return current.memo[memo_key]


def _median_shown(value: float | None, count: int, shown_count: Any) -> float | None:
    """A median (or mean) is a figure built on its count: not shown when that count is hidden (or 1-4)."""
    return value if is_shown(shown_count) and count >= 5 else None


# --- retention -----------------------------------------------------------------------------


def retention_table(current: QuarterResults, hidden: frozenset[str]) -> Table:
    quarter = current.quarter
    cohorts = _grouped(current.at_end, lambda r: str(Quarter.containing(r.start_date)))
    recent = [str(q) for q in _quarters_back(quarter, COHORT_QUARTERS)]
    earlier = [r for name, group in cohorts.items() if name not in recent for r in group]
    rows: list[tuple[str, str, list[EnrolmentIndicators]]] = []
    if earlier:
        rows.append(("earlier", _("Earlier"), earlier))
    rows += [(name, name, cohorts[name]) for name in recent if name in cohorts]
    row_keys = [key for key, _label, _group in rows] or ["none"]
    columns = [Column("cohort", _("Start cohort"), "text")]
    per_horizon = {}
    for horizon in RETENTION_HORIZONS:
        pairs = []
        for cohort, _label, group in rows:
            share = current.totals(("at_end", "cohort", cohort), group)[f"retention_{horizon}"]
            pairs.append((share["numerator"], share["denominator"]))
        per_horizon[horizon] = protected_rates(
            pairs or [(0, 0)], prefix="retention", rows=row_keys, name=f"r{horizon}", hidden=hidden
        )
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
    for index, (key, label, _group) in enumerate([*rows, (TOTAL, _("Total"), [])]):
        cells: list[Any] = [label]
        for horizon in RETENTION_HORIZONS:
            rates = per_horizon[horizon]
            cells += [rates.denominators[index], rates.numerators[index], rates.rates[index]]
        table.rows.append(Row(key, label, cells, total=key == TOTAL))
    return table


def _quarters_back(quarter: Quarter, count: int) -> list[Quarter]:
    quarters = [quarter]
    while len(quarters) < count:
        quarters.insert(0, quarters[0].previous())
    return quarters


def early_endings_table(current: QuarterResults, labels: dict[str, str], hidden: frozenset[str]) -> Table:
    quarter = current.quarter
    groups = _grouped(current.at_end, lambda r: r.intervention)
    codes = _order(groups, labels)
    counts = [current.totals(("at_end", "intervention", c), groups[c])["early_unplanned_endings"] for c in codes]
    block = protect_block(
        [[c] for c in counts] or [[0]],
        prefix="early_unplanned_endings",
        rows=codes or ["none"],
        columns=["count"],
        total_row=True,
        total_column=False,
        hidden=hidden,
    )
    grid = block.grid
    table = Table(
        "early_unplanned_endings",
        _("Early unplanned endings in %(quarter)s") % {"quarter": quarter},
        [Column("intervention", _("Intervention"), "text"), Column("count", _("Ended unplanned within three months"))],
        blocks=[block],
    )
    for index, code in enumerate(codes):
        table.rows.append(Row(code, labels.get(code, code), [labels.get(code, code), grid[index][0]]))
    table.rows.append(Row(TOTAL, _("Total"), [_("Total"), grid[-1][0]], total=True))
    return table


def status_retention_table(current: QuarterResults, hidden: frozenset[str]) -> Table:
    totals = current.totals(("at_end",), current.at_end)
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
        rates = protected_rates(
            [(share["numerator"], share["denominator"])],
            prefix="education_and_housing_retention",
            rows=[key],
            name="rate",
            total_row=False,
            hidden=hidden,
        )
        table.blocks.append(rates.block)
        table.rows.append(Row(key, label, [label, rates.denominators[0], rates.numerators[0], rates.rates[0]]))
    return table


# --- education status of the 16-24-year-olds (spec §10) --------------------------------------


def status_population(quarter: Quarter, team: Team | None, *, ages: bool = True) -> Any:
    """The young people aged 16-24 on the quarter's last day (with `ages=False`, of any age): all
    of them, or for a team report those with an enrolment of the team started by then."""
    last = quarter.last_day  # never 29 February, so replace(year=) is safe
    people = YoungPerson.objects.all()
    if ages:
        people = people.filter(
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


def status_value_block(counts: dict[str, int], hidden: frozenset[str]) -> Block:
    """The §10 counts after disclosure control, as one system of sums (`status_lines`)."""
    names = [*STATUS_ROWS, TOTAL]
    return protect_value_block(
        [counts[k] for k in names], status_lines(), prefix="education_status_16_24", names=names, hidden=hidden
    )


def status_document(block: Block) -> dict[str, Any]:
    """The §10 table in the contract's shape (spec/import-and-commands.md)."""
    shown = block.grid[0]
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
        Row(
            TOTAL,
            _("Total"),
            [_("Total"), status["total"], 1.0 if is_shown(status["total"]) and status["total"] else None],
            total=True,
        )
    )
    return table


# --- trends ---------------------------------------------------------------------------------


def trends(
    results: dict[Quarter, QuarterResults], quarters: list[Quarter], hidden: frozenset[str]
) -> tuple[Table, list[dict[str, Any]]]:
    weekly_pairs, retention_pairs, active, early = [], [], [], []
    for quarter in quarters:
        current = results[quarter]
        at_end = current.totals(("at_end",), current.at_end)
        share = current.totals(("intensity", "all", None), current.intensity)["at_least_weekly_share"]
        weekly_pairs.append((share["numerator"], share["denominator"]))
        retention_pairs.append((at_end["retention_182"]["numerator"], at_end["retention_182"]["denominator"]))
        active.append(show_one(at_end["active_enrolments"], key=f"trends/{quarter}/active", hidden=hidden))
        early.append(show_one(at_end["early_unplanned_endings"], key=f"trends/{quarter}/early", hidden=hidden))
    names = [str(q) for q in quarters]
    weekly = protected_rates(weekly_pairs, prefix="trends", rows=names, name="weekly", total_row=False, hidden=hidden)
    retention = protected_rates(
        retention_pairs, prefix="trends", rows=names, name="retention_182", total_row=False, hidden=hidden
    )
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
        blocks=[weekly.block, retention.block, *(b for _v, b in active), *(b for _v, b in early)],
    )
    for index, name in enumerate(names):
        table.rows.append(
            Row(
                name,
                name,
                [name, active[index][0], weekly.rates[index], retention.rates[index], early[index][0]],
            )
        )
    charts = [
        {
            "kind": "line",
            "title": _("Share with contact at least weekly, and retention at 6 months"),
            "labels": names,
            "series": [
                {"name": _("Share at least weekly"), "values": weekly.rates},
                {"name": _("Retention at 6 months"), "values": retention.rates},
            ],
        },
        {
            "kind": "bar",
            "title": _("Active enrolments at quarter end"),
            "labels": names,
            "series": [{"name": _("Active at quarter end"), "values": [value for value, _b in active]}],
        },
    ]
    return table, charts


# --- outcome instruments ------------------------------------------------------------------------


def instrument_section(
    figures: list[InstrumentFigures], quarter: Quarter, hidden: frozenset[str]
) -> tuple[list[Table], list[dict[str, Any]]]:
    """Per instrument a table (and a bar chart of the same counts) of the band of the latest
    assessment in the quarter; one table of the change from the first to the latest assessment."""
    tables, charts = [], []
    for entry in figures:
        name = instrument_label(entry.code, entry.name)
        key = f"instrument_latest_{entry.code}"
        block = protect_block(
            [[entry.latest.get(code, 0)] for code, _label in entry.bands] or [[0]],
            prefix=key,
            rows=[code for code, _label in entry.bands] or ["none"],
            columns=["count"],
            total_row=True,
            total_column=False,
            hidden=hidden,
        )
        total = block.grid[-1][0]
        table = Table(
            key,
            _("%(instrument)s: band of the latest assessment in %(quarter)s")
            % {"instrument": name, "quarter": quarter},
            [
                Column("band", _("Band"), "text"),
                Column("count", _("Young people")),
                Column("share", _("Share"), "rate"),
            ],
            note=_("Scale: %(scale)s. Each young person once, by the latest assessment dated in the quarter.")
            % {"scale": entry.scale_name},
            blocks=[block],
        )
        labels = [band_label(entry.code, code, label) for code, label in entry.bands]
        for index, (code, _label) in enumerate(entry.bands):
            count = block.grid[index][0]
            table.rows.append(Row(code, labels[index], [labels[index], count, rate_of(count, total)]))
        table.rows.append(
            Row(TOTAL, _("Total"), [_("Total"), total, 1.0 if is_shown(total) and total else None], total=True)
        )
        tables.append(table)
        charts.append(
            {
                "kind": "bar",
                "title": _("%(instrument)s: young people by band of the latest assessment") % {"instrument": name},
                "labels": labels,
                "series": [{"name": _("Young people"), "values": [row[0] for row in block.grid[:-1]]}],
            }
        )
    tables.append(change_table(figures, hidden))
    return tables, charts


def change_table(figures: list[InstrumentFigures], hidden: frozenset[str]) -> Table:
    codes = [entry.code for entry in figures]
    block = protect_block(
        [[entry.directions.get(c, 0) for c in CHANGES] for entry in figures] or [[0, 0, 0]],
        prefix="instrument_change",
        rows=codes or ["none"],
        columns=list(CHANGES),
        total_row=False,
        total_column=True,
        hidden=hidden,
    )
    table = Table(
        "instrument_change",
        _("Change from the first to the latest assessment"),
        [
            Column("instrument", _("Instrument"), "text"),
            Column("base", _("Assessed at least twice")),
            Column("improved", _("Improved")),
            Column("improved_share", _("Share improved"), "rate"),
            Column("unchanged", _("Unchanged")),
            Column("worsened", _("Worsened")),
            Column("worsened_share", _("Share worsened"), "rate"),
            Column("mean_change", _("Mean change (points)"), "points"),
            Column("median_change", _("Median change (points)"), "points"),
        ],
        note=change_note(figures),
        blocks=[block],
    )
    for index, entry in enumerate(figures):
        improved, unchanged, worsened, base = block.grid[index]
        name = instrument_label(entry.code, entry.name)
        count = len(entry.changes)
        table.rows.append(
            Row(
                entry.code,
                name,
                [
                    name,
                    base,
                    improved,
                    rate_of(improved, base),
                    unchanged,
                    worsened,
                    rate_of(worsened, base),
                    _median_shown(entry.mean_change, count, base),
                    _median_shown(entry.median_change, count, base),
                ],
            )
        )
    return table
