"""The dashboard's reads: a fixed number of queries however many workers and
young people the team has.

1. One query for the stored snapshots of every enrolment in scope (as of the
   newest snapshot date), with the few enrolment columns the page needs. Each
   row becomes an `EnrolmentIndicators` and the headline figures, the caseload
   and each worker's share come from `aggregate()` (spec §9): no number of the
   spec is computed here.
2. The heatmap shows one page of young people; their weekly facts, the pauses
   of everyone active and the stored norms are one query each.
3. Each work list is one query (or none: CTI dates follow from the start date).
4. The trend reads the stored quarter-end snapshots in one query; a quarter
   with none stored is computed once through the engine and cached.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cases.models import ActionPlan, Agreement, Enrolment, Handover, Pause, Team, User
from interventions.housing_first.cti import COURSE_MONTHS, CTI_CODE, PHASES
from interventions.mentoring import screening
from interventions.models import FollowUpFlag, InterventionType, Mentor, ScreeningStep
from interventions.models.mentoring import CERTIFICATE_WARNING_DAYS
from interventions.months import add_months
from outcomes.dashboard.scope import Mode, Scope
from outcomes.freshness import team_version
from outcomes.indicators.aggregates import aggregate
from outcomes.indicators.engine import (
    DEFAULT_WINDOW_WEEKS,
    EDUCATION_HORIZONS,
    RETENTION_HORIZONS,
    EnrolmentIndicators,
    Norms,
    _week_is_eligible,
    compute_indicators,
)
from outcomes.indicators.weeks import iso_week, quarter_bounds, window_mondays
from outcomes.models import IndicatorSnapshot, WeeklyContactFact
from outcomes.selectors import latest_snapshot_date

HEATMAP_PAGE_SIZE = 30
WORK_LIST_SHOWN = 10  # rows per list on the page; the CSV export has them all
FOLLOW_UP_DAYS = 7
CTI_DAYS = 30
EARLY_DAYS = 91  # "under three months": the horizon of an early ending (spec §7)
LOW_CONTACT_GRACE_DAYS = 7
BUCKETS: tuple[tuple[int, int | None], ...] = ((0, 9), (10, 19), (20, 29), (30, None))
SORTS = ("attention", "name", "days", "worker")
TREND_QUARTERS = 4
TREND_CACHE_SECONDS = 24 * 3600  # a quarter never stored, computed through the engine
CACHE_SECONDS = 300  # the team-wide figures and the trend; the heatmap and work lists are always fresh


@dataclass(frozen=True)
class Filters:
    worker: int | None = None
    intervention: str = ""
    sort: str = "attention"
    page: int = 1

    def apply(self, enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
        if self.worker is not None:
            enrolments = enrolments.filter(primary_worker_id=self.worker)
        if self.intervention:
            enrolments = enrolments.filter(intervention_type__code=self.intervention)
        return enrolments

    def params(self, **changes: Any) -> dict[str, str]:
        """The filter state as URL parameters: ids and codes only, never personal data."""
        values = {"worker": self.worker, "intervention": self.intervention, "sort": self.sort, "page": self.page}
        values.update(changes)
        defaults = {"sort": "attention", "page": 1}
        return {k: str(v) for k, v in values.items() if v not in (None, "") and defaults.get(k) != v}


# --- 1. Stored snapshots as indicators -------------------------------------------------------

SNAPSHOT_VALUES = (
    "enrolment_id",
    "enrolment__young_person_id",
    "enrolment__young_person__name",
    "enrolment__primary_worker_id",
    "enrolment__intervention_type_id",
    "enrolment__intervention_type__code",
    "enrolment__team_id",
    "enrolment__start_date",
    "enrolment__end_date",
    "active",
    "weeks_eligible",
    "weeks_with_contact",
    "qualifying_contacts",
    "contact_minutes",
    "expected_contacts",
    "last_contact_date",
    "days_since_last_contact",
    "qualifying_contacts_total",
    "duration_days",
    *(f"retained_{h}" for h in RETENTION_HORIZONS),
    "early_unplanned_ending",
    *(f"education_retained_{h}" for h in EDUCATION_HORIZONS),
    "move_in_date",
    "housed_at_365",
    "returned_to_homelessness_365",
    "contacts_outside_enrolment",
)


@dataclass
class EnrolmentRow:
    """One enrolment's stored indicators and what the page shows beside them."""

    indicators: EnrolmentIndicators
    young_person_id: int
    name: str
    worker_id: int
    type_id: int
    code: str
    paused_today: bool = False
    worker_name: str = ""
    cells: list[Cell] = field(default_factory=list)

    @property
    def enrolment_id(self) -> int:
        return self.indicators.enrolment_id

    @property
    def start_date(self) -> dt.date:
        return self.indicators.start_date


def _row(values: tuple) -> EnrolmentRow:
    v = dict(zip(SNAPSHOT_VALUES, values, strict=True))
    # Identifiers are primary keys here: the dashboard groups by them and never prints them.
    indicators = EnrolmentIndicators(
        enrolment_id=v["enrolment_id"],
        enrolment=str(v["enrolment_id"]),
        young_person=str(v["enrolment__young_person_id"]),
        intervention=v["enrolment__intervention_type__code"],
        team=str(v["enrolment__team_id"]),
        worker=str(v["enrolment__primary_worker_id"]),
        start_date=v["enrolment__start_date"],
        end_date=v["enrolment__end_date"],
        active=v["active"],
        weeks_eligible=v["weeks_eligible"],
        weeks_with_contact=v["weeks_with_contact"],
        qualifying_contacts=v["qualifying_contacts"],
        contact_minutes=v["contact_minutes"],
        expected_contacts=v["expected_contacts"],
        last_contact_date=v["last_contact_date"],
        days_since_last_contact=v["days_since_last_contact"],
        qualifying_contacts_total=v["qualifying_contacts_total"],
        duration_days=v["duration_days"],
        retained={h: v[f"retained_{h}"] for h in RETENTION_HORIZONS},
        early_unplanned_ending=v["early_unplanned_ending"],
        education_retained={h: v[f"education_retained_{h}"] for h in EDUCATION_HORIZONS},
        move_in_date=v["move_in_date"],
        housed_at_365=v["housed_at_365"],
        returned_to_homelessness_365=v["returned_to_homelessness_365"],
        contacts_outside_enrolment=v["contacts_outside_enrolment"],
    )
    return EnrolmentRow(
        indicators=indicators,
        young_person_id=v["enrolment__young_person_id"],
        name=v["enrolment__young_person__name"],
        worker_id=v["enrolment__primary_worker_id"],
        type_id=v["enrolment__intervention_type_id"],
        code=v["enrolment__intervention_type__code"],
    )


def stored_rows(enrolments: QuerySet[Enrolment], *, as_of: dt.date, active_only: bool = False) -> list[EnrolmentRow]:
    snapshots = IndicatorSnapshot.objects.filter(
        enrolment__in=enrolments.values("pk"), as_of=as_of, window_weeks=DEFAULT_WINDOW_WEEKS
    )
    if active_only:  # through the enrolments active on D, so the look-up uses the (enrolment, as_of) index
        snapshots = IndicatorSnapshot.objects.filter(
            enrolment__in=_active_on(enrolments, as_of).values("pk"),
            as_of=as_of,
            window_weeks=DEFAULT_WINDOW_WEEKS,
            active=True,
        )
    return [_row(values) for values in snapshots.order_by("enrolment_id").values_list(*SNAPSHOT_VALUES)]


def quarter_label(year: int, quarter: int) -> str:
    return _("%(year)s Q%(quarter)s") % {"year": year, "quarter": quarter}


def calendar_quarter(day: dt.date) -> tuple[int, int]:
    """End dates are days, so they belong to the calendar quarter they fall in (docs/INDICATORS.md, 12)."""
    return day.year, (day.month - 1) // 3 + 1


# --- 2. Caseload per worker ---------------------------------------------------------------------


@dataclass(frozen=True)
class WorkerLine:
    worker: User
    caseload: int
    weekly_share: dict[str, Any]


@dataclass(frozen=True)
class Bucket:
    low: int
    high: int | None
    workers: int

    @property
    def label(self) -> str:
        return f"{self.low}–{self.high}" if self.high is not None else f"{self.low}+"


def worker_lines(shares: dict[int, dict], totals: dict[str, Any], workers: Iterable[User]) -> list[WorkerLine]:
    lines = []
    for worker in workers:
        caseload = totals["caseload"].get(str(worker.pk), 0)
        if worker.role == User.Role.TEAM_LEADER and not caseload:
            continue  # a leader without a caseload of her own is not a line of the distribution
        share = shares.get(worker.pk) or aggregate([])["at_least_weekly_share"]
        lines.append(WorkerLine(worker=worker, caseload=caseload, weekly_share=share))
    return lines


def buckets(lines: list[WorkerLine]) -> list[Bucket]:
    return [
        Bucket(low, high, sum(1 for line in lines if line.caseload >= low and (high is None or line.caseload <= high)))
        for low, high in BUCKETS
    ]


# --- 3. The heatmap ------------------------------------------------------------------------------


CELL_SYMBOLS = {"met": "✓", "below": "↓", "none": "✗", "no_norm": "·", "paused": "P", "ineligible": "–"}
CELL_CLASSES = {
    "met": "text-bg-success",
    "below": "text-bg-warning",
    "none": "text-bg-danger",
    "paused": "text-bg-secondary",
}


@dataclass(frozen=True)
class Cell:
    """One week of one young person: contacts against the norm, told by a symbol and a number
    on the page and in words for screen readers, so colour is never the only carrier."""

    monday: dt.date
    contacts: int
    norm: Decimal
    state: str  # met, below, none, no_norm, paused, ineligible

    @property
    def symbol(self) -> str:
        return CELL_SYMBOLS[self.state]

    @property
    def text(self) -> str:
        shows_count = self.state not in ("paused", "ineligible") or self.contacts
        return f"{self.symbol} {self.contacts}" if shows_count else self.symbol

    @property
    def css(self) -> str:
        return f"cell-{self.state} {CELL_CLASSES.get(self.state, '')}".strip()

    @property
    def label(self) -> str:
        n = self.contacts
        if self.state == "met":
            return ngettext("%(n)s contact, norm met", "%(n)s contacts, norm met", n) % {"n": n}
        if self.state == "below":
            return ngettext("%(n)s contact, below the norm", "%(n)s contacts, below the norm", n) % {"n": n}
        if self.state == "none":
            return _("no contact, below the norm")
        if self.state == "no_norm":
            return ngettext("%(n)s contact, no weekly norm", "%(n)s contacts, no weekly norm", n) % {"n": n}
        if self.state == "paused":
            return _("paused")
        return _("not an eligible week")


@dataclass(frozen=True)
class Week:
    monday: dt.date

    @property
    def number(self) -> int:
        return iso_week(self.monday)[1]


def _sort_key(sort: str, workers: dict[int, User]):
    if sort == "name":
        return lambda r: (r.name.casefold(), r.enrolment_id)
    if sort == "days":
        return lambda r: (
            -(r.indicators.days_since_last_contact if r.indicators.days_since_last_contact is not None else 10**6),
            r.name.casefold(),
        )
    if sort == "worker":
        return lambda r: (str(workers.get(r.worker_id, "")).casefold(), r.name.casefold())

    # attention: enrolments with a weekly norm first (event-based methods have none), then the
    # lowest share of weeks with contact, the lowest norm attainment, the longest without contact
    # (floats: the order only, the figures shown stay exact)
    def attention(r: EnrolmentRow):
        i = r.indicators
        rate, attainment = i.weekly_contact_rate, i.norm_attainment
        return (
            not i.expected_contacts,
            float(rate) if rate is not None else 2.0,
            float(attainment) if attainment is not None else 2.0,
            -(i.days_since_last_contact or 0),
            r.name.casefold(),
        )

    return attention


def _paused_weeks(pauses: list[tuple[dt.date, dt.date | None]], monday: dt.date) -> bool:
    sunday = monday + dt.timedelta(days=6)
    return any(start <= sunday and (end is None or monday <= end) for start, end in pauses)


def fill_cells(rows: list[EnrolmentRow], *, mondays: list[dt.date], pauses: dict[int, list], norms: Norms) -> None:
    """The weekly cells of the heatmap's rows, from the stored weekly facts (one query)."""
    facts = WeeklyContactFact.objects.filter(
        enrolment_id__in=[r.enrolment_id for r in rows], week_start__gte=mondays[0], week_start__lte=mondays[-1]
    ).values_list("enrolment_id", "week_start", "contacts")
    counts = {(enrolment, monday): contacts for enrolment, monday, contacts in facts}
    for row in rows:
        start, end = row.indicators.start_date, row.indicators.end_date
        for monday in mondays:
            contacts = counts.get((row.enrolment_id, monday), 0)
            norm = norms.for_week(row.type_id, (monday - start).days)
            if not _week_is_eligible(monday, start, end, []):
                state = "ineligible"
            elif _paused_weeks(pauses.get(row.enrolment_id, []), monday):
                state = "paused"
            elif norm <= 0:
                state = "no_norm"
            elif contacts >= norm:
                state = "met"
            elif contacts == 0 and norm >= 1:
                state = "none"
            else:
                state = "below"
            row.cells.append(Cell(monday=monday, contacts=contacts, norm=norm, state=state))


# --- 4. Work lists -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkItem:
    list_code: str
    young_person_id: int | None
    who: str  # the young person's name, or the mentor's for a certificate
    worker_id: int | None
    what: str
    date: dt.date | None
    overdue: bool = False


WORK_LISTS = (
    ("no_contact", gettext_lazy("No qualifying contact for too long")),
    ("early_risk", gettext_lazy("New enrolments with low contact")),
    ("follow_ups", gettext_lazy("Follow-ups and plan agreements due")),
    ("group_flags", gettext_lazy("Flagged in group work, no individual follow-up yet")),
    ("handovers", gettext_lazy("Handovers in progress")),
    ("cti", gettext_lazy("CTI phase changes and planned ends")),
    ("certificates", gettext_lazy("Mentor certificates expiring")),
)


def _no_contact(rows: list[EnrolmentRow], *, as_of: dt.date, types: dict[int, InterventionType], norms: Norms):
    """No qualifying contact for more than the intervention's `no_contact_alert_days`. Paused
    enrolments and those whose norm is 0 now (mediation, parent councils: event-based) are left out."""
    items = []
    for row in rows:
        r = row.indicators
        if not r.active or row.paused_today or norms.for_week(row.type_id, (as_of - r.start_date).days) <= 0:
            continue
        limit = types[row.type_id].no_contact_alert_days
        days = r.days_since_last_contact
        if days is None:
            since_start = (as_of - r.start_date).days
            if since_start > limit:
                what = _("No qualifying contact since the start, %(days)s days ago") % {"days": since_start}
                items.append(
                    (
                        since_start,
                        WorkItem("no_contact", row.young_person_id, row.name, row.worker_id, what, r.start_date),
                    )
                )
        elif days > limit:
            what = _("%(days)s days without a qualifying contact (alert after %(limit)s)") % {
                "days": days,
                "limit": limit,
            }
            items.append(
                (days, WorkItem("no_contact", row.young_person_id, row.name, row.worker_id, what, r.last_contact_date))
            )
    return [item for _days, item in sorted(items, key=lambda pair: (-pair[0], pair[1].who))]


def is_low_contact(r: EnrolmentIndicators, *, as_of: dt.date) -> bool:
    """Low contact for a new enrolment: fewer than three in four eligible weeks with a contact
    (not `at_least_weekly`), or, before any eligible week, no qualifying contact in the last
    seven days once the enrolment is a week old."""
    if r.at_least_weekly is not None:
        return not r.at_least_weekly
    if (as_of - r.start_date).days < LOW_CONTACT_GRACE_DAYS:
        return False
    return r.days_since_last_contact is None or r.days_since_last_contact > LOW_CONTACT_GRACE_DAYS


def _early_risk(rows: list[EnrolmentRow], *, as_of: dt.date) -> list[WorkItem]:
    items = []
    for row in rows:
        r = row.indicators
        age = (as_of - r.start_date).days
        if r.active and not row.paused_today and age < EARLY_DAYS and is_low_contact(r, as_of=as_of):
            what = _("Started %(days)s days ago; weeks with contact: %(with)s of %(eligible)s") % {
                "days": age,
                "with": r.weeks_with_contact,
                "eligible": r.weeks_eligible,
            }
            items.append(WorkItem("early_risk", row.young_person_id, row.name, row.worker_id, what, r.start_date))
    return sorted(items, key=lambda i: (i.date, i.who))


def _active_on(enrolments: QuerySet[Enrolment], day: dt.date) -> QuerySet[Enrolment]:
    return enrolments.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


def _follow_ups(enrolments: QuerySet[Enrolment], *, today: dt.date) -> list[WorkItem]:
    """Open plan agreements and the next plan meeting, overdue or due within seven days, of the
    young people with an active enrolment in scope (as cases.selectors.followups_for does for a worker)."""
    active = _active_on(enrolments, today)
    until = today + dt.timedelta(days=FOLLOW_UP_DAYS)
    people = active.values("young_person_id")
    worker_of = dict(active.values_list("young_person_id", "primary_worker_id"))
    items = []
    agreements = Agreement.objects.filter(
        plan__young_person__in=people, done_on__isnull=True, due_date__lte=until
    ).select_related("plan__young_person")
    for a in agreements:
        person = a.plan.young_person
        what = _("Agreement: %(text)s") % {"text": a.text}
        items.append(
            WorkItem(
                "follow_ups", person.pk, person.name, worker_of.get(person.pk), what, a.due_date, a.due_date < today
            )
        )
    plans = (
        ActionPlan.objects.filter(young_person__in=people)
        .annotate(last_meeting=Max("meetings__date"))
        .select_related("young_person")
    )
    for plan in plans:
        due = plan.next_meeting_due(plan.last_meeting)
        if due <= until:
            person = plan.young_person
            items.append(
                WorkItem(
                    "follow_ups", person.pk, person.name, worker_of.get(person.pk), _("Plan meeting"), due, due < today
                )
            )
    return sorted(items, key=lambda i: (i.date, i.who))


def _group_flags(enrolments: QuerySet[Enrolment]) -> list[WorkItem]:
    flags = (
        FollowUpFlag.objects.filter(enrolment__in=enrolments.values("pk"), taken_at__isnull=True)
        .select_related("enrolment__young_person", "raised_by")
        .order_by("raised_at")
    )
    items = []
    for flag in flags:
        person = flag.enrolment.young_person
        what = _("Flagged by %(worker)s: %(reason)s") % {"worker": flag.raised_by, "reason": flag.reason}
        items.append(
            WorkItem(
                "group_flags", person.pk, person.name, flag.enrolment.primary_worker_id, what, flag.raised_at.date()
            )
        )
    return items


def _handovers(enrolments: QuerySet[Enrolment], *, today: dt.date) -> list[WorkItem]:
    handovers = (
        Handover.objects.filter(
            enrolment__in=enrolments.values("pk"), introduced_on__lte=today, overlap_until__gte=today
        )
        .select_related("enrolment__young_person", "from_worker", "to_worker")
        .order_by("overlap_until")
    )
    items = []
    for h in handovers:
        person = h.enrolment.young_person
        what = _("From %(from)s to %(to)s, both attached until %(until)s") % {
            "from": h.from_worker,
            "to": h.to_worker,
            "until": h.overlap_until.isoformat(),
        }
        items.append(
            WorkItem("handovers", person.pk, person.name, h.enrolment.primary_worker_id, what, h.overlap_until)
        )
    return items


def _cti(rows: list[EnrolmentRow], *, today: dt.date) -> list[WorkItem]:
    """Phase changes (enrolment days 91, 182, 273) and the planned end (start + nine months)
    that fall within the next 30 days, of active CTI enrolments (interventions.housing_first.cti)."""
    until = today + dt.timedelta(days=CTI_DAYS)
    items = []
    for row in rows:
        r = row.indicators
        if not r.active or row.code != CTI_CODE:
            continue
        for phase in PHASES[1:]:
            day = r.start_date + dt.timedelta(days=phase.first_day)
            if today <= day <= until:
                what = _("Phase change: %(phase)s") % {"phase": phase.label}
                items.append(WorkItem("cti", row.young_person_id, row.name, row.worker_id, what, day))
        planned_end = add_months(r.start_date, COURSE_MONTHS)
        if today <= planned_end <= until:
            items.append(
                WorkItem(
                    "cti", row.young_person_id, row.name, row.worker_id, _("Planned end of the course"), planned_end
                )
            )
    return sorted(items, key=lambda i: (i.date, i.who))


def _certificates(team: Team, *, today: dt.date) -> list[WorkItem]:
    """The newest criminal-record and child-protection certificate of each mentor of the team
    who is not retired or turned down, expiring within CERTIFICATE_WARNING_DAYS or expired."""
    until = today + dt.timedelta(days=CERTIFICATE_WARNING_DAYS)
    mentors = (
        Mentor.objects.filter(team=team)
        .exclude(status__in=[Mentor.Status.RETIRED, Mentor.Status.NOT_APPROVED])
        .prefetch_related("screening_steps")
    )
    items = []
    for mentor in mentors:
        steps = list(mentor.screening_steps.all())
        for step in ScreeningStep.CERTIFICATES:
            newest = screening.latest(mentor, step, steps)
            if newest is None or newest.expires_on is None or newest.expires_on > until:
                continue
            expired = newest.expires_on < today
            template = _("%(certificate)s expired") if expired else _("%(certificate)s expires")
            what = template % {"certificate": ScreeningStep.Step(step).label}
            items.append(WorkItem("certificates", None, mentor.name, None, what, newest.expires_on, expired))
    return sorted(items, key=lambda i: (i.date, i.who))


# --- 5. Trend over four quarters ---------------------------------------------------------------


@dataclass(frozen=True)
class QuarterPoint:
    year: int
    quarter: int
    last_day: dt.date
    active_enrolments: int
    weekly_share: dict[str, Any]
    stored: bool

    @property
    def label(self) -> str:
        return quarter_label(self.year, self.quarter)


def trend_quarter_ends(as_of: dt.date, count: int = TREND_QUARTERS) -> list[tuple[int, int, dt.date]]:
    """The last `count` completed calendar quarters before `as_of`, oldest first."""
    year, quarter = calendar_quarter(as_of)
    ends = []
    for _step in range(count):
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        ends.append((year, quarter, quarter_bounds(year, quarter)[1]))
    return list(reversed(ends))


def _point_from(results: list[EnrolmentIndicators], year: int, quarter: int, last: dt.date, stored: bool):
    totals = aggregate(results)
    return QuarterPoint(year, quarter, last, totals["active_enrolments"], totals["at_least_weekly_share"], stored)


def trend(enrolments: QuerySet[Enrolment], *, as_of: dt.date, cache_key: str) -> list[QuarterPoint]:
    """Quarter-end snapshots where stored (kept for good, docs/INDICATORS.md 16); a quarter
    whose date has no snapshot at all was never stored and is computed through the engine,
    then cached for a day under `cache_key` (the scope, the filters and its enrolments)."""
    ends = trend_quarter_ends(as_of)
    dates = [last for _y, _q, last in ends]
    # One indexed look-up per date (four): was anything stored for it at all?
    stored_dates = {
        day
        for day in dates
        if IndicatorSnapshot.objects.filter(as_of=day, window_weeks=DEFAULT_WINDOW_WEEKS).order_by().exists()
    }
    rows = (
        IndicatorSnapshot.objects.filter(
            enrolment__in=enrolments.values("pk"), as_of__in=sorted(stored_dates), window_weeks=DEFAULT_WINDOW_WEEKS
        )
        .order_by()
        .values_list("as_of", "enrolment_id", "active", "weeks_eligible", "weeks_with_contact")
    )
    by_date: dict[dt.date, list[EnrolmentIndicators]] = defaultdict(list)
    for day, enrolment_id, active, eligible, with_contact in rows:
        by_date[day].append(_light(enrolment_id, active, eligible, with_contact))
    points = []
    for year, quarter, last in ends:
        if last in stored_dates:
            points.append(_point_from(by_date.get(last, []), year, quarter, last, stored=True))
            continue
        key = f"outcomes-dashboard-trend:{cache_key}:{last.isoformat()}"
        cached = cache.get(key)
        if cached is None:
            results = compute_indicators(as_of=last, window_weeks=DEFAULT_WINDOW_WEEKS, enrolments=enrolments)
            cached = [(r.enrolment_id, r.active, r.weeks_eligible, r.weeks_with_contact) for r in results]
            cache.set(key, cached, TREND_CACHE_SECONDS)
        points.append(_point_from([_light(*c) for c in cached], year, quarter, last, stored=False))
    return points


def _light(enrolment_id: int, active: bool, eligible: int, with_contact: int) -> EnrolmentIndicators:
    """Just what the trend's two figures are built from; aggregate() does the counting."""
    return EnrolmentIndicators(
        enrolment_id=enrolment_id,
        enrolment=str(enrolment_id),
        young_person="",
        intervention="",
        team="",
        worker="",
        start_date=dt.date.min,
        end_date=None,
        active=active,
        weeks_eligible=eligible,
        weeks_with_contact=with_contact,
    )


# --- The whole page -----------------------------------------------------------------------------


@dataclass
class Dashboard:
    scope: Scope
    filters: Filters
    as_of: dt.date | None
    today: dt.date
    quarter: tuple[int, int]
    totals: dict[str, Any] | None = None
    workers: list[User] = field(default_factory=list)
    interventions: list[InterventionType] = field(default_factory=list)
    lines: list[WorkerLine] = field(default_factory=list)
    buckets: list[Bucket] = field(default_factory=list)
    weeks: list[Week] = field(default_factory=list)
    heatmap: list[EnrolmentRow] = field(default_factory=list)
    heatmap_total: int = 0
    pages: int = 1
    work_lists: dict[str, list[WorkItem]] = field(default_factory=dict)
    trend: list[QuarterPoint] = field(default_factory=list)

    @property
    def worker_names(self) -> dict[int, str]:
        return {w.pk: str(w) for w in self.workers}

    def shown_young_people(self) -> list[int]:
        ids = [r.young_person_id for r in self.heatmap]
        for items in self.work_lists.values():
            ids += [i.young_person_id for i in items[:WORK_LIST_SHOWN] if i.young_person_id is not None]
        return ids

    def all_work_items(self) -> list[WorkItem]:
        return [item for code, _label in WORK_LISTS for item in self.work_lists.get(code, [])]


def _workers(scope: Scope) -> list[User]:
    if scope.mode == Mode.WORKER:
        return [scope.user]
    return list(
        User.objects.filter(
            team_id=scope.team.pk, is_active=True, role__in=[User.Role.WORKER, User.Role.TEAM_LEADER]
        ).order_by("name")
    )


def _pauses(enrolments: QuerySet[Enrolment], *, since: dt.date, as_of: dt.date) -> dict[int, list]:
    rows = Pause.objects.filter(enrolment__in=_active_on(enrolments, as_of).values("pk"), start_date__lte=as_of).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=since)
    )
    pauses: dict[int, list] = defaultdict(list)
    for enrolment_id, start, end in rows.values_list("enrolment_id", "start_date", "end_date"):
        pauses[enrolment_id].append((start, end))
    return pauses


def _team_figures(rows: list[EnrolmentRow], quarter: tuple[int, int]) -> dict[str, Any]:
    """What the headline and the caseload table show, from `aggregate()` over the stored rows:
    the totals, and per primary worker the at-least-weekly share."""
    totals = aggregate((r.indicators for r in rows), ended_between=quarter_bounds(*quarter))
    by_worker: dict[int, list[EnrolmentIndicators]] = defaultdict(list)
    for row in rows:
        by_worker[row.worker_id].append(row.indicators)
    shares = {worker: aggregate(results)["at_least_weekly_share"] for worker, results in by_worker.items()}
    return {"totals": totals, "shares": shares}


def build(scope: Scope, filters: Filters, *, today: dt.date, work_lists: bool = True) -> Dashboard:
    """The page's data. The team-wide figures (every stored row of the scope, ended enrolments
    included, for retention) are cached per scope, filter, as-of date and data version
    (outcomes.freshness), the trend of past quarter ends for CACHE_SECONDS per scope, filter and
    as-of date; the heatmap and the work lists are read fresh here (the page caches its
    rendered body under the data version)."""
    as_of = latest_snapshot_date()
    board = Dashboard(scope=scope, filters=filters, as_of=as_of, today=today, quarter=calendar_quarter(as_of or today))
    board.workers = _workers(scope)
    board.interventions = list(InterventionType.objects.order_by("name"))
    if as_of is None:
        return board
    enrolments = filters.apply(scope.enrolments)
    team_id = scope.team.pk if scope.team else 0
    worker_id = scope.user.pk if scope.mode == Mode.WORKER else 0
    scope_key = f"{team_id}:{worker_id}:{filters.worker or ''}:{filters.intervention}:{as_of}"
    key = f"outcomes-dashboard:{scope_key}:{team_version(team_id)}"
    figures = cache.get(f"{key}:figures")
    if figures is None:
        figures = _team_figures(stored_rows(enrolments, as_of=as_of), board.quarter)
        cache.set(f"{key}:figures", figures, CACHE_SECONDS)
    board.totals = figures["totals"]
    if scope.mode != Mode.WORKER:
        board.lines = worker_lines(figures["shares"], board.totals, board.workers)
        board.buckets = buckets(board.lines)
    # Past quarter ends do not change with today's writes: the trend keeps its own lifetime.
    trend_key = f"outcomes-dashboard:{scope_key}:trend"
    board.trend = cache.get(trend_key)
    if board.trend is None:
        board.trend = trend(enrolments, as_of=as_of, cache_key=scope_key)
        cache.set(trend_key, board.trend, CACHE_SECONDS)
    if not scope.shows_names:
        return board

    mondays = window_mondays(as_of, DEFAULT_WINDOW_WEEKS)
    board.weeks = [Week(m) for m in mondays]
    pauses = _pauses(enrolments, since=mondays[0], as_of=as_of)
    active = stored_rows(enrolments, as_of=as_of, active_only=True)
    for row in active:
        row.paused_today = any(
            start <= as_of and (end is None or as_of <= end) for start, end in pauses.get(row.enrolment_id, [])
        )
    names = board.worker_names
    active.sort(key=_sort_key(filters.sort, names))
    board.heatmap_total = len(active)
    board.pages = max(1, -(-len(active) // HEATMAP_PAGE_SIZE))
    page = min(max(filters.page, 1), board.pages)
    board.heatmap = active[(page - 1) * HEATMAP_PAGE_SIZE : page * HEATMAP_PAGE_SIZE]
    norms = Norms.load()
    fill_cells(board.heatmap, mondays=mondays, pauses=pauses, norms=norms)

    if work_lists:
        types = {t.pk: t for t in board.interventions}
        board.work_lists = {
            "no_contact": _no_contact(active, as_of=as_of, types=types, norms=norms),
            "early_risk": _early_risk(active, as_of=as_of),
            "follow_ups": _follow_ups(enrolments, today=today),
            "group_flags": _group_flags(enrolments),
            "handovers": _handovers(enrolments, today=today),
            "cti": _cti(active, today=today),
        }
        if scope.mode == Mode.TEAM and filters.worker is None and filters.intervention in ("", "mentoring"):
            board.work_lists["certificates"] = _certificates(scope.team, today=today)
    return board
