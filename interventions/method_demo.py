"""What the demo data of mediation, parent councils and CTI share: the
enrolments of one intervention as plain rows (read once, in a fixed order),
parents' names, and dates placed between two days."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from cases.demo import vocabulary as words
from cases.models import Enrolment, User


@dataclass(frozen=True)
class EnrolmentRow:
    id: int
    young_person_id: int
    young_person_name: str
    young_person_gender: str
    team_id: int
    worker_id: int
    start: dt.date
    end: dt.date | None
    end_reason: str

    @property
    def surname(self) -> str:
        return self.young_person_name.split()[-1]


def enrolment_rows(code: str, today: dt.date) -> list[EnrolmentRow]:
    """The intervention's enrolments that have started by `today`, by team and start."""
    rows = (
        Enrolment.objects.filter(intervention_type__code=code, start_date__lte=today)
        .order_by("team_id", "start_date", "id")
        .values_list(
            "id",
            "young_person_id",
            "young_person__name",
            "young_person__gender",
            "team_id",
            "primary_worker_id",
            "start_date",
            "end_date",
            "end_reason",
        )
    )
    return [EnrolmentRow(*row) for row in rows]


def team_workers() -> dict[int, list[int]]:
    """Active workers and team leaders per team, by id."""
    result: dict[int, list[int]] = {}
    rows = User.objects.filter(role__in=[User.Role.WORKER, User.Role.TEAM_LEADER], is_active=True, team__isnull=False)
    for user_id, team_id in rows.order_by("team_id", "id").values_list("id", "team_id"):
        result.setdefault(team_id, []).append(user_id)
    return result


def parent_names(rng: random.Random, surname: str) -> list[tuple[str, str]]:
    """One or two parents (name, relation), usually sharing the young person's surname."""
    mother = f"{rng.choice(words.FEMALE_FIRST_NAMES)} {surname}"
    father = f"{rng.choice(words.MALE_FIRST_NAMES)} {surname if rng.random() < 0.7 else rng.choice(words.LAST_NAMES)}"
    roll = rng.random()
    if roll < 0.45:
        return [(mother, "Mor"), (father, "Far")]
    if roll < 0.85:
        return [(mother, "Mor")]
    return [(father, "Far")]


def phone(rng: random.Random) -> str:
    return f"{rng.randint(20, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


def day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    """A day in [first, last]; `first` when the span is empty."""
    span = (last - first).days
    return first + dt.timedelta(days=rng.randint(0, span)) if span > 0 else first


def later(day: dt.date, days: int, cap: dt.date) -> dt.date:
    """`days` after `day`, but never after `cap`."""
    return min(day + dt.timedelta(days=days), cap)
