"""Demo group work on top of seed_demo's municipality.

seed_demo already logs `group_activity` contacts for relationship work (the
club evenings and leisure activities). Here they become the activities they
were part of, for the last WEEKS weeks before `today`:

1. Held group contacts of relationship-work enrolments are grouped by team,
   local day and part of the day; each group is one activity (a drop-in
   evening from 18:00, on Wednesday evenings the girls apart in the girls'
   group, an afternoon leisure activity) with the contacts' workers present.
2. Each contact becomes an attendance and is moved to the activity's start
   and length (the same local day, so every invariant of the contacts
   holds: inside the enrolment's active, unpaused days, before `today`).
3. Some young people who came are flagged for individual follow-up by a
   worker who was there; most flags were taken a few days later, the newest
   still wait on the team's list.
4. Escort contacts of the same weeks become bridgings to a service, with
   about as many contacts with a service on the young person's behalf.

Everything is bulk-written and drawn from `rng` in a fixed order.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from cases import bulk
from cases.models import Contact, User
from interventions.models import Bridging, FollowUpFlag, GroupActivity, GroupAttendance, InterventionType

WEEKS = 6
EVENING_FROM_HOUR = 17
LEISURE = ("Fodbold", "Madklub", "Boksning", "Svømmehallen", "Lektiecafé og spil", "Tur i skoven", "Musikværksted")
PLACES = ("Klubhuset", "Beboerhuset", "Ungdomsklubben", "Hallen")
FLAG_SHARE = 0.04
TAKEN_SHARE = 0.65
FLAG_REASONS = (
    "Fortalte at han er smidt ud hjemmefra.",
    "Virker meget trist og trækker sig fra de andre.",
    "Har ikke været i skole i flere uger.",
    "Snakker om gæld til nogle ældre drenge.",
    "Ryger meget hash, også før klubaften.",
    "Har spurgt om hjælp til at finde et job.",
    "Bekymret for en konflikt med politiet.",
)
TAKEN_NOTES = ("Ringer til hende i morgen.", "Aftalt møde på fredag.", "Tager det med til teammødet.", "")
PARTNERS = (
    (Bridging.Partner.YOUTH_GUIDANCE, 25),
    (Bridging.Partner.JOB_CENTRE, 20),
    (Bridging.Partner.SOCIAL_SERVICES, 15),
    (Bridging.Partner.SCHOOL, 12),
    (Bridging.Partner.HEALTH, 10),
    (Bridging.Partner.SSP, 8),
    (Bridging.Partner.SUBSTANCE_TREATMENT, 5),
    (Bridging.Partner.POLICE, 3),
    (Bridging.Partner.CIVIL_SOCIETY, 2),
)


def _pick(rng: random.Random, values: tuple) -> Any:
    return values[int(rng.random() * len(values))]


def _partner(rng: random.Random) -> str:
    total = sum(w for _p, w in PARTNERS)
    u, cumulative = rng.random() * total, 0
    for partner, weight in PARTNERS:
        cumulative += weight
        if u < cumulative:
            return partner
    return PARTNERS[-1][0]


def _bulk(model: type[models.Model], rows: list, counts: dict[str, int]) -> list:
    created = model.objects.bulk_create(rows, batch_size=2000)
    counts[model._meta.db_table] = counts.get(model._meta.db_table, 0) + len(created)
    return created


def _copy(model: type[models.Model], rows: list, counts: dict[str, int], *, stamp: dt.datetime) -> None:
    """Rows that nothing refers back to, streamed with cases.bulk (COPY on
    PostgreSQL); `auto_now` columns get `stamp`, as COPY runs no pre_save."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    stamped = [f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    columns = tuple(f.attname for f in fields)
    values = (tuple(stamp if c in stamped else getattr(row, c) for c in columns) for row in rows)
    counts[model._meta.db_table] = counts.get(model._meta.db_table, 0) + bulk.bulk_insert(model, columns, values)


def seed_demo_group_work(*, rng: random.Random, today: dt.date) -> dict[str, int]:
    counts: dict[str, int] = {}
    tz = timezone.get_current_timezone()
    first = dt.datetime.combine(today - dt.timedelta(weeks=WEEKS), dt.time(0), tzinfo=tz)
    last = dt.datetime.combine(today, dt.time(0), tzinfo=tz)
    stamp = dt.datetime.combine(today, dt.time(12), tzinfo=tz)
    rw = InterventionType.objects.get(code=InterventionType.Code.RELATIONSHIP_WORK)
    recent = Contact.objects.filter(
        enrolment__intervention_type=rw, occurred_at__gte=first, occurred_at__lt=last, group_attendance__isnull=True
    )
    rows = list(
        recent.filter(channel=Contact.Channel.GROUP_ACTIVITY, status=Contact.Status.HELD)
        .order_by("id")
        .values_list(
            "id",
            "enrolment_id",
            "enrolment__team_id",
            "enrolment__end_date",
            "enrolment__young_person__gender",
            "worker_id",
            "occurred_at",
        )
    )
    team_of = dict(User.objects.filter(team__isnull=False).values_list("pk", "team_id"))

    # 1. One activity per team, local day and part of the day (girls apart on Wednesday evenings).
    groups: dict[tuple, list[tuple]] = defaultdict(list)
    seen: set[tuple] = set()
    for row in rows:
        local = timezone.localtime(row[6], tz)
        evening = local.hour >= EVENING_FROM_HOUR
        girls = evening and local.weekday() == 2 and row[4] == "female"
        key = (row[2], local.date(), evening, girls)
        if (key, row[1]) in seen:
            continue  # a second group contact the same evening stays as it was
        seen.add((key, row[1]))
        groups[key].append(row)

    activities: list[GroupActivity] = []
    members: list[list[tuple]] = []
    present_workers: list[list[int]] = []
    for (team_id, day, evening, girls), group in sorted(groups.items(), key=lambda item: item[0]):
        if girls:
            kind, title, hour, minutes = GroupActivity.Kind.GIRLS_GROUP, "Pigegruppe", 18, 150
        elif evening:
            kind, title, hour, minutes = GroupActivity.Kind.DROP_IN, "Klubaften", 18, 180
        else:
            kind, title, hour, minutes = GroupActivity.Kind.LEISURE, _pick(rng, LEISURE), 15, 120
        if day.weekday() >= 5 and not evening:
            hour = 13
        workers = sorted({r[5] for r in group if team_of.get(r[5]) == team_id}) or sorted({r[5] for r in group})
        activities.append(
            GroupActivity(
                team_id=team_id,
                kind=kind,
                title=title,
                starts_at=dt.datetime.combine(day, dt.time(hour), tzinfo=tz),
                duration_minutes=minutes,
                place=_pick(rng, PLACES),
                unregistered_count=rng.randint(0, 12) if kind == GroupActivity.Kind.DROP_IN else rng.randint(0, 3),
            )
        )
        members.append(group)
        present_workers.append(workers)

    with transaction.atomic():
        _bulk(GroupActivity, activities, counts)
        through = GroupActivity.workers.through
        _copy(
            through,
            [
                through(groupactivity_id=a.pk, user_id=w)
                for a, workers in zip(activities, present_workers, strict=True)
                for w in workers
            ],
            counts,
            stamp=stamp,
        )
        # 2. Attendances, and their contacts moved to the activity's start and length.
        attendances = []
        for activity, group in zip(activities, members, strict=True):
            ids = [r[0] for r in group]
            Contact.objects.filter(pk__in=ids).update(
                occurred_at=activity.starts_at, duration_minutes=activity.duration_minutes
            )
            attendances += [GroupAttendance(activity=activity, enrolment_id=r[1], contact_id=r[0]) for r in group]
        _copy(GroupAttendance, attendances, counts, stamp=stamp)
        _write_flags(rng, activities, members, present_workers, today, counts)
        _write_bridgings(rng, recent, counts, stamp=stamp)
    return counts


def _write_flags(
    rng: random.Random,
    activities: list[GroupActivity],
    members: list[list[tuple]],
    present_workers: list[list[int]],
    today: dt.date,
    counts: dict[str, int],
) -> None:
    """3. Flags for follow-up: one open flag per enrolment at most, only on open enrolments."""
    now = timezone.now()
    team_members: dict[int, list[int]] = defaultdict(list)
    for pk, team_id in (
        User.objects.filter(team__isnull=False, role__in=[User.Role.WORKER, User.Role.TEAM_LEADER], is_active=True)
        .order_by("pk")
        .values_list("pk", "team_id")
    ):
        team_members[team_id].append(pk)
    flags, flagged = [], set()
    for activity, group, workers in zip(activities, members, present_workers, strict=True):
        for row in group:
            enrolment_id, ended = row[1], row[3]
            if ended is not None or enrolment_id in flagged or rng.random() >= FLAG_SHARE:
                continue
            flagged.add(enrolment_id)
            raised_at = activity.starts_at + dt.timedelta(minutes=activity.duration_minutes + 30)
            flag = FollowUpFlag(
                enrolment_id=enrolment_id,
                activity=activity,
                raised_by_id=workers[int(rng.random() * len(workers))],
                raised_at=raised_at,
                reason=_pick(rng, FLAG_REASONS),
            )
            taken_at = raised_at + dt.timedelta(days=rng.randint(1, 9), hours=rng.randint(0, 6))
            if rng.random() < TAKEN_SHARE and taken_at.date() < today and taken_at < now:
                candidates = team_members.get(activity.team_id) or workers
                flag.taken_by_id = candidates[int(rng.random() * len(candidates))]
                flag.taken_at = taken_at
                flag.taken_note = _pick(rng, TAKEN_NOTES)
            flags.append(flag)
    _bulk(FollowUpFlag, flags, counts)


def _write_bridgings(
    rng: random.Random, recent: models.QuerySet[Contact], counts: dict[str, int], *, stamp: dt.datetime
) -> None:
    """4. Each escort is a bridging to a service; about as many calls to a service besides."""
    escorts = list(
        recent.filter(channel=Contact.Channel.ESCORT, status=Contact.Status.HELD, bridging__isnull=True)
        .order_by("id")
        .values_list("id", "enrolment_id", "worker_id", "occurred_at", "duration_minutes", "enrolment__start_date")
    )
    rows = []
    for pk, enrolment_id, worker_id, occurred_at, minutes, start in escorts:
        partner = _partner(rng)
        rows.append(
            Bridging(
                enrolment_id=enrolment_id,
                worker_id=worker_id,
                kind=Bridging.Kind.ESCORT,
                partner=partner,
                occurred_at=occurred_at,
                duration_minutes=minutes,
                contact_id=pk,
            )
        )
        called = occurred_at - dt.timedelta(days=rng.randint(1, 6))
        if rng.random() < 0.9 and timezone.localtime(called).date() >= start:
            rows.append(
                Bridging(
                    enrolment_id=enrolment_id,
                    worker_id=worker_id,
                    kind=Bridging.Kind.PARTNER_CONTACT,
                    partner=partner,
                    occurred_at=called,
                    duration_minutes=_pick(rng, (10, 15, 15, 20, 30)),
                    note="Aftalte tid og forberedte mødet.",
                )
            )
    _copy(Bridging, rows, counts, stamp=stamp)
