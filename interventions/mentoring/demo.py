"""Demo mentoring on top of seed_demo's municipality.

Given a database filled by `cases.demo.seed.seed_demo` (teams, workers,
young people, mentoring enrolments with their contacts), add what the
mentoring method keeps:

1. Per team with mentoring, walk its mentoring enrolments by start date and
   give each a match with a mentor: an earlier mentor who is free again (about
   half the time) or a new one, screened and approved before the match
   meeting, with certificates valid on that day (renewed when they would
   have run out). The enrolment's dates are the match's dates; its end reason
   gives the outcome (an unplanned ending is a failed match with a reason);
   a short course that ended `other_unplanned` within three weeks is a
   proposal the young person declined; one opened in the last ten days
   still awaits her answer.
2. More mentors at every other stage: in screening (each step), not
   approved, free and approved (so "Find a mentor" has candidates), one with
   an expired certificate and one whose certificate expires soon.
3. Group supervision and network meetings over the last year and the next
   two months, with who came.
4. The young people's interests and wishes for matching, and a consent to
   a mentor match for those who have a match.
5. A few mentors with an account (`mette`, password as the other demo
   logins), each on a running match, with the match's recent contacts as
   her own logged meetings; other running matches get their recent
   contacts marked as mentor meetings logged by the coordinator.

Everything is bulk-written and drawn from `rng` in a fixed order, so the
same database and rng give the same rows.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from cases import bulk
from cases.demo import DEMO_PASSWORD
from cases.demo import vocabulary as words
from cases.models import Consent, ConsentPurpose, Contact, Enrolment, PrimaryWorkerPeriod, User, YoungPerson
from interventions.models import (
    InterventionType,
    Match,
    MenteeProfile,
    Mentor,
    MentorContact,
    MentorSession,
    MentorSessionAttendance,
    ScreeningStep,
)

Step = ScreeningStep.Step
CERTIFICATE_YEARS = 3
DECLINED_WITHIN_DAYS = 21
AWAITING_ANSWER_DAYS = 10
MENTOR_MEETINGS_DAYS = 56  # recent contacts of running matches marked as mentor meetings

INTERESTS = (
    "fodbold", "musik", "madlavning", "gaming", "film", "fitness", "boksning", "tegning", "natur", "fiskeri",
    "basketball", "dans", "læsning", "biler", "heste", "svømning", "cykling", "mode", "skak", "klatring",
)  # fmt: skip
FAILURE_BY_END_REASON = {
    "dropped_out": (Match.FailureReason.YOUNG_PERSON_WITHDREW,),
    "excluded": (Match.FailureReason.NEEDS_TOO_GREAT,),
    "moved_away": (Match.FailureReason.MOVED_AWAY,),
    "deceased": (Match.FailureReason.OTHER,),
    "other_unplanned": (
        Match.FailureReason.CHEMISTRY,
        Match.FailureReason.MENTOR_WITHDREW,
        Match.FailureReason.PRACTICAL,
        Match.FailureReason.OTHER,
    ),
}
DECLINE_REASONS = (
    "Vil hellere have en mandlig mentor.",
    "Har ikke overskud lige nu.",
    "Kendte mentoren i forvejen og ville ikke.",
    "",
)
MENTOR_ACCOUNTS = (
    ("mette", "Mette Kjær", "female"),
    ("bjarne", "Bjarne Holm", "male"),
    ("yasmin", "Yasmin Abdi", "female"),
)
SESSION_PLACES = ("Ungehuset, mødelokale 2", "Frivilligcentret", "Rådhuset, lokale 114", "Online")


@dataclass(eq=False)
class _Mentor:
    team_id: int
    kind: str
    name: str
    gender: str
    birth_year: int | None
    area: str
    interests: str
    capacity: int
    steps: list[tuple[str, dt.date, dt.date | None]] = field(default_factory=list)
    status: str = Mentor.Status.ACTIVE
    status_since: dt.date | None = None
    status_reason: str = ""
    free_from: dt.date | None = dt.date.min  # None while a match holds her
    last_end: dt.date | None = None
    matched: bool = False
    user_id: int | None = None
    row: Mentor | None = None

    @property
    def approved_on(self) -> dt.date | None:
        return next((day for step, day, _e in self.steps if step == Step.APPROVAL), None)

    def certificate_expiry(self, step: str) -> dt.date | None:
        issued = [(day, expires) for s, day, expires in self.steps if s == step]
        return max(issued)[1] if issued else None


def _years_later(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _pick(rng: random.Random, values: tuple) -> Any:
    return values[int(rng.random() * len(values))]


def _new_mentor(rng: random.Random, team_id: int, areas: list[str]) -> _Mentor:
    family = rng.random() < 0.25
    gender = "female" if rng.random() < 0.6 else "male"
    first = _pick(rng, words.FEMALE_FIRST_NAMES if gender == "female" else words.MALE_FIRST_NAMES)
    last = _pick(rng, words.LAST_NAMES)
    interests = ", ".join(sorted({_pick(rng, INTERESTS) for _ in range(rng.randint(2, 4))}))
    return _Mentor(
        team_id=team_id,
        kind=Mentor.Kind.FAMILY if family else Mentor.Kind.PERSON,
        name=f"Familien {last}" if family else f"{first} {last}",
        gender="unknown" if family else gender,
        birth_year=None if family else rng.randint(1958, 2000),
        area=_pick(rng, tuple(areas)) if areas else "",
        interests=interests,
        capacity=2 if family and rng.random() < 0.3 else 1,
    )


def _screen(rng: random.Random, mentor: _Mentor, until: dt.date, *, through: str = Step.APPROVAL) -> None:
    """Record the screening steps in order, ending with `through` on `until`."""
    order = [Step.FIRST_CONTACT, Step.INTERVIEW, Step.CRIMINAL_RECORD, Step.CHILD_PROTECTION]
    if mentor.kind == Mentor.Kind.FAMILY or rng.random() < 0.3:
        order.append(Step.HOME_VISIT)
    order += [Step.TRAINING, Step.APPROVAL]
    order = order[: order.index(through) + 1] if through in order else order
    day = until
    dated = []
    for step in reversed(order):
        dated.append((step, day))
        day -= dt.timedelta(days=rng.randint(4, 20))
    for step, day in reversed(dated):
        expires = _years_later(day, CERTIFICATE_YEARS) if step in ScreeningStep.CERTIFICATES else None
        mentor.steps.append((step, day, expires))


def _renew(rng: random.Random, mentor: _Mentor, on: dt.date) -> None:
    for step in ScreeningStep.CERTIFICATES:
        expiry = mentor.certificate_expiry(step)
        if expiry is None or expiry < on + dt.timedelta(days=30):
            issued = on - dt.timedelta(days=rng.randint(7, 30))
            mentor.steps.append((step, issued, _years_later(issued, CERTIFICATE_YEARS)))


@dataclass
class _Plan:
    enrolment: dict
    mentor: _Mentor
    match: dict


def seed_demo_mentoring(*, rng: random.Random, today: dt.date) -> dict[str, int]:
    counts: dict[str, int] = {}
    mentoring = InterventionType.objects.get(code=InterventionType.Code.MENTORING)
    enrolments = list(
        Enrolment.objects.filter(intervention_type=mentoring, mentor_match__isnull=True, start_date__lte=today)
        .order_by("team_id", "start_date", "id")
        .values("id", "young_person_id", "team_id", "primary_worker_id", "start_date", "end_date", "end_reason")
    )
    if not enrolments:
        return counts
    areas_by_team: dict[int, list[str]] = defaultdict(set)  # type: ignore[arg-type]
    people = dict(
        YoungPerson.objects.filter(pk__in={e["young_person_id"] for e in enrolments}).values_list("pk", "housing_area")
    )
    for e in enrolments:
        if people.get(e["young_person_id"]):
            areas_by_team[e["team_id"]].add(people[e["young_person_id"]])
    areas = {team: sorted(values) for team, values in areas_by_team.items()}

    mentors: list[_Mentor] = []
    plans: list[_Plan] = []
    by_team: dict[int, list[dict]] = defaultdict(list)
    for e in enrolments:
        by_team[e["team_id"]].append(e)
    for e in _declined_offers(rng, mentoring, sorted(by_team), today):
        by_team[e["team_id"]].append(e)
    workers = {e["primary_worker_id"] for team in by_team.values() for e in team}
    names = dict(User.objects.filter(pk__in=workers).values_list("pk", "name"))
    for team_id in sorted(by_team):
        pool: list[_Mentor] = []
        for e in sorted(by_team[team_id], key=lambda e: (e["start_date"], e["id"] or 0)):
            plans.append(_plan_match(rng, e, pool, areas.get(team_id, []), names, today))
        _finish_pool(rng, pool, today)
        pool += _other_stages(rng, team_id, areas.get(team_id, []), today)
        mentors += pool

    with transaction.atomic():
        _write_mentors(mentors, counts, stamp=_noon(today))
        _write_offered_enrolments(plans, mentoring, counts, stamp=_noon(today))
        _write_matches(plans, counts)
        _write_profiles_and_consents(rng, plans, today, counts)
        _write_sessions(rng, mentors, today, counts)
        _write_accounts_and_meetings(rng, plans, today, counts)
    return counts


def _declined_offers(
    rng: random.Random, mentoring: InterventionType, team_ids: list[int], today: dt.date
) -> list[dict]:
    """Per team, one young person in relationship work who was offered a mentor
    a month or two ago and said no: a short mentoring enrolment, closed
    `other_unplanned`, that `_plan_match` turns into a declined match."""
    candidates = (
        Enrolment.objects.filter(
            team_id__in=team_ids,
            intervention_type__code=InterventionType.Code.RELATIONSHIP_WORK,
            end_date__isnull=True,
            start_date__lte=today - dt.timedelta(days=120),
        )
        .exclude(young_person__enrolments__intervention_type=mentoring)
        .order_by("team_id", "id")
        .values("team_id", "young_person_id", "primary_worker_id")
    )
    by_team: dict[int, list[dict]] = defaultdict(list)
    for row in candidates:
        by_team[row["team_id"]].append(row)
    offers = []
    for team_id in team_ids:
        if not by_team[team_id]:
            continue
        row = by_team[team_id][int(rng.random() * len(by_team[team_id]))]
        start = today - dt.timedelta(days=rng.randint(35, 70))
        offers.append(
            row
            | {"id": None, "start_date": start, "end_date": start + dt.timedelta(days=rng.randint(4, 14))}
            | {"end_reason": "other_unplanned"}
        )
    return offers


def _plan_match(
    rng: random.Random, e: dict, pool: list[_Mentor], areas: list[str], names: dict[int, str], today: dt.date
) -> _Plan:
    meeting = e["start_date"]
    end, reason = e["end_date"], e["end_reason"]
    free = [m for m in pool if m.free_from is not None and m.free_from < meeting]
    if free and rng.random() < 0.55:
        mentor = free[int(rng.random() * len(free))]
        _renew(rng, mentor, meeting)
    else:
        mentor = _new_mentor(rng, e["team_id"], areas)
        _screen(rng, mentor, meeting - dt.timedelta(days=rng.randint(14, 150)))
        pool.append(mentor)
    mentor.matched = True
    match: dict[str, Any] = {
        "meeting_date": meeting,
        "meeting_participants": (
            f"{names.get(e['primary_worker_id'], '')} (koordinator)\nSagsbehandler, Ungeenheden\n"
            f"Primær pædagog\n{mentor.name} (mentor)"
        ),
        "criteria_note": "",
        "declined": False,
        "answered_on": None,
        "decline_reason": "",
        "start_date": None,
        "end_date": None,
        "outcome": "",
        "failure_reason": "",
        "end_note": "",
    }
    if end is not None and reason == "other_unplanned" and (end - meeting).days <= DECLINED_WITHIN_DAYS:
        match |= {"declined": True, "answered_on": end, "decline_reason": _pick(rng, DECLINE_REASONS)}
        mentor.free_from = end
    elif end is None and (today - meeting).days < AWAITING_ANSWER_DAYS:
        mentor.free_from = None  # the place is held while she decides
    else:
        last_day = end if end is not None else today
        start = min(meeting + dt.timedelta(days=rng.randint(2, 14)), last_day)
        match |= {"start_date": start, "answered_on": start}
        if end is None:
            mentor.free_from = None
        else:
            if reason in ("completed", "transferred"):
                outcome, failure = Match.Outcome.COMPLETED, ""
            elif reason == "natural_phase_out":
                outcome, failure = Match.Outcome.PHASED_OUT, ""
            else:
                outcome, failure = Match.Outcome.FAILED, _pick(rng, FAILURE_BY_END_REASON[reason])
            match |= {"end_date": end, "outcome": outcome, "failure_reason": failure}
            mentor.free_from = end
    if match["end_date"] is not None or match["declined"]:
        mentor.last_end = max(mentor.last_end or dt.date.min, match["end_date"] or match["answered_on"])
    return _Plan(enrolment=e, mentor=mentor, match=match)


def _finish_pool(rng: random.Random, pool: list[_Mentor], today: dt.date) -> None:
    """Today's status of the mentors who had matches."""
    for mentor in pool:
        approved = mentor.approved_on or today
        mentor.status_since = approved
        if mentor.free_from is None:  # holds a place: active, papers mostly renewed in time
            if rng.random() < 0.85:
                _renew(rng, mentor, today)
            continue
        since_end = (today - (mentor.last_end or approved)).days
        if since_end > 180 and rng.random() < 0.6:
            mentor.status = Mentor.Status.RETIRED
            mentor.status_since = min(today, (mentor.last_end or approved) + dt.timedelta(days=rng.randint(1, 60)))
            mentor.status_reason = _pick(rng, ("Stoppede efter sit match.", "Flyttet.", "Har ikke tid længere."))
        elif rng.random() < 0.15:
            mentor.status = Mentor.Status.PAUSED
            mentor.status_since = max(
                approved, mentor.last_end or approved, today - dt.timedelta(days=rng.randint(5, 90))
            )
            mentor.status_reason = _pick(rng, ("Barsel.", "Travlt på studiet.", "Sygdom i familien."))
        else:
            _renew(rng, mentor, today)  # an active mentor waiting for her next match keeps her papers valid


def _other_stages(rng: random.Random, team_id: int, areas: list[str], today: dt.date) -> list[_Mentor]:
    """Mentors in screening at each step, one not approved, free ones, and certificates to act on."""
    extra = []
    for through in (Step.FIRST_CONTACT, Step.INTERVIEW, Step.CHILD_PROTECTION, Step.TRAINING):
        mentor = _new_mentor(rng, team_id, areas)
        _screen(rng, mentor, today - dt.timedelta(days=rng.randint(1, 20)), through=through)
        mentor.status, mentor.status_since = Mentor.Status.SCREENING, mentor.steps[0][1]
        extra.append(mentor)
    rejected = _new_mentor(rng, team_id, areas)
    _screen(rng, rejected, today - dt.timedelta(days=rng.randint(30, 200)), through=Step.INTERVIEW)
    rejected.status, rejected.status_since = Mentor.Status.NOT_APPROVED, rejected.steps[-1][1]
    rejected.status_reason = "Trak sig efter samtalen."
    extra.append(rejected)
    for _ in range(3):  # approved and free: candidates for the next match
        mentor = _new_mentor(rng, team_id, areas)
        _screen(rng, mentor, today - dt.timedelta(days=rng.randint(5, 60)))
        mentor.status_since = mentor.approved_on
        extra.append(mentor)
    # One free mentor's child-protection certificate runs out soon, another's has run out.
    soon, lapsed = extra[-1], extra[-2]
    _set_expiry(soon, Step.CHILD_PROTECTION, today + dt.timedelta(days=rng.randint(10, 50)))
    _set_expiry(lapsed, Step.CRIMINAL_RECORD, today - dt.timedelta(days=rng.randint(3, 30)))
    return extra


def _set_expiry(mentor: _Mentor, step: str, expires: dt.date) -> None:
    index = max(i for i, (s, _d, _e) in enumerate(mentor.steps) if s == step)
    issued = mentor.steps[index][1]
    if expires <= issued:
        issued = expires - dt.timedelta(days=365 * CERTIFICATE_YEARS)
    mentor.steps[index] = (step, issued, expires)


# --- Writing ------------------------------------------------------------------------------------


def _bulk(model: type[models.Model], rows: list, counts: dict[str, int]) -> list:
    created = model.objects.bulk_create(rows, batch_size=2000)
    counts[model._meta.db_table] = counts.get(model._meta.db_table, 0) + len(created)
    return created


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


def _copy(model: type[models.Model], rows: list, counts: dict[str, int], *, stamp: dt.datetime) -> None:
    """Rows that nothing refers back to, streamed with cases.bulk (COPY on
    PostgreSQL); `auto_now` columns get `stamp`, as COPY runs no pre_save."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    stamped = [f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    columns = tuple(f.attname for f in fields)
    values = (tuple(stamp if c in stamped else getattr(row, c) for c in columns) for row in rows)
    counts[model._meta.db_table] = counts.get(model._meta.db_table, 0) + bulk.bulk_insert(model, columns, values)


def _write_mentors(mentors: list[_Mentor], counts: dict[str, int], *, stamp: dt.datetime) -> None:
    rows = [
        Mentor(
            team_id=m.team_id,
            kind=m.kind,
            name=m.name,
            gender=m.gender,
            birth_year=m.birth_year,
            area=m.area,
            interests=m.interests,
            capacity=m.capacity,
            status=m.status,
            status_since=m.status_since or m.steps[0][1],
            status_reason=m.status_reason,
            phone=f"+45 {20000000 + i * 7919 % 79999999:08d}"[:12],
        )
        for i, m in enumerate(mentors)
    ]
    for plan, row in zip(mentors, _bulk(Mentor, rows, counts), strict=True):
        plan.row = row
    _copy(
        ScreeningStep,
        [
            ScreeningStep(mentor=m.row, step=step, date=day, expires_on=expires)
            for m in mentors
            for step, day, expires in sorted(m.steps, key=lambda s: (s[1], s[0]))
        ],
        counts,
        stamp=stamp,
    )


def _write_offered_enrolments(
    plans: list[_Plan], mentoring: InterventionType, counts: dict[str, int], *, stamp: dt.datetime
) -> None:
    offered = [p.enrolment for p in plans if p.enrolment["id"] is None]
    rows = [
        Enrolment(
            external_id=f"MD{n}",
            young_person_id=e["young_person_id"],
            intervention_type=mentoring,
            primary_worker_id=e["primary_worker_id"],
            team_id=e["team_id"],
            start_date=e["start_date"],
            end_date=e["end_date"],
            end_reason=e["end_reason"],
        )
        for n, e in enumerate(offered, 1)
    ]
    for e, row in zip(offered, _bulk(Enrolment, rows, counts), strict=True):
        e["id"] = row.pk
    _copy(
        PrimaryWorkerPeriod,
        [
            PrimaryWorkerPeriod(
                enrolment_id=e["id"],
                worker_id=e["primary_worker_id"],
                start_date=e["start_date"],
                end_date=e["end_date"],
            )
            for e in offered
        ],
        counts,
        stamp=stamp,
    )


def _write_matches(plans: list[_Plan], counts: dict[str, int]) -> None:
    rows = [
        Match(
            enrolment_id=p.enrolment["id"],
            mentor=p.mentor.row,
            coordinator_id=p.enrolment["primary_worker_id"],
            **p.match,
        )
        for p in plans
    ]
    for plan, row in zip(plans, _bulk(Match, rows, counts), strict=True):
        plan.match["row"] = row


def _write_profiles_and_consents(rng: random.Random, plans: list[_Plan], today: dt.date, counts: dict) -> None:
    stamp = _noon(today)
    people: dict[int, dt.date] = {}
    for p in plans:
        person = p.enrolment["young_person_id"]
        people[person] = min(people.get(person, dt.date.max), p.match["meeting_date"])
    profiles = []
    for person in sorted(people):
        interests = ", ".join(sorted({_pick(rng, INTERESTS) for _ in range(rng.randint(1, 3))}))
        preferred = _pick(rng, ("", "", "", "female", "male"))
        profiles.append(MenteeProfile(young_person_id=person, interests=interests, preferred_mentor_gender=preferred))
    existing = set(MenteeProfile.objects.filter(young_person_id__in=people).values_list("young_person_id", flat=True))
    _copy(MenteeProfile, [p for p in profiles if p.young_person_id not in existing], counts, stamp=stamp)

    consented = set(
        Consent.objects.filter(young_person_id__in=people, purpose=ConsentPurpose.MENTOR_MATCH).values_list(
            "young_person_id", flat=True
        )
    )
    recorder = {p.enrolment["young_person_id"]: p.enrolment["primary_worker_id"] for p in plans}
    consents = []
    for person in sorted(set(people) - consented):
        given = min(people[person] - dt.timedelta(days=rng.randint(1, 14)), today)
        consents.append(
            Consent(
                young_person_id=person,
                purpose=ConsentPurpose.MENTOR_MATCH,
                given_by=Consent.GivenBy.YOUNG_PERSON if rng.random() < 0.7 else Consent.GivenBy.PARENT,
                given_on=given,
                recorded_by_id=recorder[person],
            )
        )
    _copy(Consent, consents, counts, stamp=stamp)


def _write_sessions(rng: random.Random, mentors: list[_Mentor], today: dt.date, counts: dict) -> None:
    stamp = _noon(today)
    tz = timezone.get_current_timezone()
    by_team: dict[int, list[_Mentor]] = defaultdict(list)
    for m in mentors:
        by_team[m.team_id].append(m)
    sessions, invited = [], []
    for team_id in sorted(by_team):
        day = today - dt.timedelta(days=365 - rng.randint(0, 20))
        kind = MentorSession.Kind.SUPERVISION
        while day <= today + dt.timedelta(days=60):
            at = dt.datetime.combine(day, dt.time(17 if kind == MentorSession.Kind.SUPERVISION else 19), tzinfo=tz)
            session = MentorSession(
                team_id=team_id,
                kind=kind,
                starts_at=at,
                duration_minutes=120 if kind == MentorSession.Kind.SUPERVISION else 90,
                place=_pick(rng, SESSION_PLACES),
                led_by="Psykolog Hanne Vestergaard"
                if kind == MentorSession.Kind.SUPERVISION
                else "Mentorforeningens bestyrelse",
                topic=_pick(
                    rng,
                    (
                        "Grænser i relationen",
                        "Tavshedspligt og underretning",
                        "Når den unge udebliver",
                        "Afslutning af et forløb",
                        "",
                    ),
                ),
            )
            guests = [m for m in by_team[team_id] if _working_on(m, day)]
            sessions.append(session)
            invited.append((session, guests, day < today))
            day += dt.timedelta(days=rng.randint(40, 50))
            kind = (
                MentorSession.Kind.NETWORK if kind == MentorSession.Kind.SUPERVISION else MentorSession.Kind.SUPERVISION
            )
    _bulk(MentorSession, sessions, counts)
    _copy(
        MentorSessionAttendance,
        [
            MentorSessionAttendance(session=session, mentor=m.row, attended=(rng.random() < 0.75) if past else None)
            for session, guests, past in invited
            for m in guests
        ],
        counts,
        stamp=stamp,
    )


def _working_on(mentor: _Mentor, day: dt.date) -> bool:
    approved = mentor.approved_on
    if approved is None or approved > day or mentor.status == Mentor.Status.NOT_APPROVED:
        return False
    return not (mentor.status == Mentor.Status.RETIRED and mentor.status_since and mentor.status_since <= day)


def _write_accounts_and_meetings(rng: random.Random, plans: list[_Plan], today: dt.date, counts: dict) -> None:
    stamp = _noon(today)
    running = [
        p
        for p in plans
        if p.match["start_date"] is not None and p.match["end_date"] is None and not p.match["declined"]
    ]
    if not running:
        return
    sara = User.objects.filter(username="sara").values("team_id", "password").first()
    password = sara["password"] if sara else make_password(DEMO_PASSWORD)
    # Mette's mentee is on Sara's team, so the coordinator and the mentor see the
    # same match; the other accounts go to single mentors of other teams.
    home_team = sara["team_id"] if sara else None
    singles = [p for p in running if p.mentor.kind == Mentor.Kind.PERSON]
    settled = today - dt.timedelta(days=60)  # a match that has run a while, so she has meetings to show
    ordered = sorted(
        singles,
        key=lambda p: (
            p.enrolment["team_id"] != home_team,
            p.match["start_date"] > settled,
            p.enrolment["team_id"],
            -p.match["start_date"].toordinal(),
            p.enrolment["id"],
        ),
    )
    chosen: list[_Plan] = []
    for plan in ordered:
        if all(plan.enrolment["team_id"] != c.enrolment["team_id"] and plan.mentor is not c.mentor for c in chosen):
            chosen.append(plan)
    chosen = chosen[: len(MENTOR_ACCOUNTS)]
    taken = set(
        User.objects.filter(username__in=[u for u, _n, _g in MENTOR_ACCOUNTS]).values_list("username", flat=True)
    )
    accounts: dict[int, int] = {}
    for plan, (username, name, gender) in zip(chosen, MENTOR_ACCOUNTS, strict=False):
        if username in taken:
            continue
        first, last = name.split()
        user = User.objects.create(
            username=username,
            name=name,
            first_name=first,
            last_name=last,
            email=f"{username}@frivillig.example",
            role=User.Role.MENTOR,
            password=password,
        )
        mentor = plan.mentor.row
        mentor.user, mentor.name, mentor.kind, mentor.gender = user, name, Mentor.Kind.PERSON, gender
        mentor.save(update_fields=["user", "name", "kind", "gender"])
        accounts[plan.match["row"].pk] = user.pk
        counts[User._meta.db_table] = counts.get(User._meta.db_table, 0) + 1

    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=MENTOR_MEETINGS_DAYS), dt.time(0)))
    by_enrolment = {p.enrolment["id"]: p.match["row"] for p in running}
    contacts = (
        Contact.objects.filter(enrolment_id__in=by_enrolment, occurred_at__gte=since)
        .exclude(channel=Contact.Channel.GROUP_ACTIVITY)
        .order_by("id")
        .values_list("id", "enrolment_id", "occurred_at")
    )
    links, mine = [], defaultdict(list)
    for pk, enrolment_id, occurred_at in contacts:
        match = by_enrolment[enrolment_id]
        if timezone.localtime(occurred_at).date() < match.start_date:
            continue
        links.append(MentorContact(contact_id=pk, match=match))
        if match.pk in accounts:
            mine[accounts[match.pk]].append(pk)
    _copy(MentorContact, links, counts, stamp=stamp)
    for user_id, ids in sorted(mine.items()):
        Contact.objects.filter(pk__in=ids).update(worker_id=user_id)
