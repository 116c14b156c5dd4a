"""The analysts' view of the indicators: aggregates only, under the disclosure control of spec §11.

Every figure is a cell of a table protected as a whole by
`outcomes.disclosure.protect_table`, so no filter or grouping shows a cell
that another answer hides:

1. Per measure, one table per grouping (team, intervention): a row per group
   and the total row. A count (active enrolments, early unplanned endings) is
   one column; a share is two, "yes" and "no", with the denominator as the row
   total, so neither the numerator nor its complement may be 1-4.
2. The two tables of a measure share their total row (the `totals`). A cell of
   it hidden in one table is hidden in the other as well; if that leaves a
   value of the other table recoverable (`recoverable`), that table is not
   published for the measure (its values are null).
3. Rates are shown only where numerator and denominator are both shown; the
   median weekly contact rate only where at least five enrolments have a rate.
4. The `team` and `intervention` filters pick rows of these tables; they never
   change the tables, so asking for one team cannot undo the secondary
   suppression of the whole table.

Caseload per worker is left out: it is linked to the team table (a team's
workers add up to its active enrolments), so it could reveal what the team
table hides, and analysts compare teams and methods, not workers. The count of
contacts outside their enrolment counts contacts, not persons, and is shown
as it is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from outcomes.disclosure import HIDDEN, SMALL, is_shown, is_small, protect_table, rate_of, recoverable
from outcomes.indicators.aggregates import aggregate
from outcomes.indicators.engine import EDUCATION_HORIZONS, RETENTION_HORIZONS, EnrolmentIndicators

COUNTS = ("active_enrolments", "early_unplanned_endings")
SHARES = (
    "at_least_weekly_share",
    *(f"retention_{h}" for h in RETENTION_HORIZONS),
    *(f"education_retention_{h}" for h in EDUCATION_HORIZONS),
    "housing_retention_365",
    "return_to_homelessness_365",
)
ORDER = (
    "active_enrolments",
    "at_least_weekly_share",
    "median_weekly_contact_rate",
    *(f"retention_{h}" for h in RETENTION_HORIZONS),
    "early_unplanned_endings",
    *(f"education_retention_{h}" for h in EDUCATION_HORIZONS),
    "housing_retention_365",
    "return_to_homelessness_365",
    "data_quality",
)
GROUPINGS: dict[str, Callable[[EnrolmentIndicators], str]] = {
    "by_team": lambda r: r.team,
    "by_intervention": lambda r: r.intervention,
}
Table = list[list[Any]]


def disclosed_document(
    results: Sequence[EnrolmentIndicators], *, teams: Sequence[str] = (), interventions: Sequence[str] = ()
) -> dict[str, Any]:
    """`totals`, `by_team` and `by_intervention` as analysts may see them.

    `teams` and `interventions` (identifiers), when given, limit the groups listed."""
    totals = aggregate(results)
    grouped = {name: _groups(results, key) for name, key in GROUPINGS.items()}
    out_totals: dict[str, Any] = {}
    out_groups: dict[str, dict[str, dict[str, Any]]] = {g: {k: {} for k in grouped[g]} for g in GROUPINGS}
    for measure in (*COUNTS, *SHARES):
        share = measure in SHARES
        tables = {
            g: protect_table(_cells(groups, measure), total_row=True, total_column=share)
            for g, groups in grouped.items()
        }
        tables, total_row = _reconcile(tables, share=share)
        out_totals[measure] = _figure(total_row, share=share)
        for g, table in tables.items():
            for name, row in zip(grouped[g], table or [None] * len(grouped[g]), strict=True):
                out_groups[g][name][measure] = _figure(row, share=share)
    out_totals.update(_unsuppressed(totals))
    for g, groups in grouped.items():
        for name, figures in groups.items():
            out_groups[g][name].update(_unsuppressed(figures))
    return {
        "totals": _ordered(out_totals),
        "by_team": {k: _ordered(v) for k, v in out_groups["by_team"].items() if not teams or k in teams},
        "by_intervention": {
            k: _ordered(v) for k, v in out_groups["by_intervention"].items() if not interventions or k in interventions
        },
    }


def _groups(results: Sequence[EnrolmentIndicators], key: Callable[[EnrolmentIndicators], str]) -> dict[str, dict]:
    members: dict[str, list[EnrolmentIndicators]] = defaultdict(list)
    for result in results:
        members[key(result)].append(result)
    return {name: aggregate(members[name]) for name in sorted(members)}


def _cells(groups: dict[str, dict], measure: str) -> list[list[int]]:
    if measure in SHARES:
        return [[g[measure]["numerator"], g[measure]["denominator"] - g[measure]["numerator"]] for g in groups.values()]
    return [[g[measure]] for g in groups.values()]


def _reconcile(tables: dict[str, Table], *, share: bool) -> tuple[dict[str, Table | None], list[Any]]:
    """Step 2: one total row for every table of a measure; a table it would expose is not published."""
    hidden = {c for table in tables.values() for c, v in enumerate(table[-1]) if not is_shown(v)} if tables else set()
    reconciled: dict[str, Table | None] = {}
    total_row: list[Any] = []
    for name, table in tables.items():
        if not table:
            reconciled[name] = table
            continue
        last = [HIDDEN if c in hidden and is_shown(v) else v for c, v in enumerate(table[-1])]
        changed = last != table[-1]
        table = [*table[:-1], last]
        total_row = last
        if changed and recoverable(table, total_row=True, total_column=share):
            reconciled[name] = None
        else:
            reconciled[name] = table[:-1]
    return reconciled, total_row


def _figure(row: list[Any] | None, *, share: bool) -> Any:
    if row is None or not row:
        return {"numerator": None, "denominator": None, "rate": None} if share else None
    if not share:
        return _shown(row[0])
    numerator, denominator = _shown(row[0]), _shown(row[-1])
    return {"numerator": numerator, "denominator": denominator, "rate": rate_of(numerator, denominator)}


def _shown(value: Any) -> int | str | None:
    """A count as the API shows it: the number, "<5", or null when withheld to protect another."""
    if value == SMALL or is_shown(value):
        return value
    return None


def _unsuppressed(figures: dict[str, Any]) -> dict[str, Any]:
    """The median (only over at least five rates) and the data-quality count of contacts."""
    rates = figures["at_least_weekly_share"]["denominator"]  # enrolments with a rate
    median = None if is_small(rates) else figures["median_weekly_contact_rate"]
    return {"median_weekly_contact_rate": median, "data_quality": figures["data_quality"]}


def _ordered(figures: dict[str, Any]) -> dict[str, Any]:
    return {key: figures[key] for key in ORDER}
