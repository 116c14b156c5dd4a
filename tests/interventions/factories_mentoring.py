"""Factories and stage-setting helpers for mentoring and group work.

Factories set the stage; tests of behaviour call the services."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from cases.models import Consent, ConsentPurpose, Enrolment, Team, User, YoungPerson
from interventions.models import GroupActivity, Match, Mentor, ScreeningStep
from tests.factories import EnrolmentFactory, TeamFactory, UserFactory, intervention

Step = ScreeningStep.Step


class MentorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentor

    team = factory.SubFactory(TeamFactory)
    kind = Mentor.Kind.PERSON
    name = factory.Sequence(lambda n: f"Mentor {n}")
    gender = "female"
    birth_year = 1985
    area = "Hedeparken"
    interests = "football, cooking"
    status = Mentor.Status.SCREENING
    status_since = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=200))


def screen(mentor: Mentor, *, on: dt.date, steps: tuple[str, ...] | None = None, valid_years: int = 3) -> Mentor:
    """Record screening steps directly (no service), a week apart, ending on `on`."""
    steps = steps if steps is not None else tuple(s for s in Step.values if s != Step.APPROVAL)
    for offset, step in enumerate(reversed(steps)):
        day = on - dt.timedelta(days=7 * offset)
        expires = day + dt.timedelta(days=365 * valid_years) if step in ScreeningStep.CERTIFICATES else None
        ScreeningStep.objects.create(mentor=mentor, step=step, date=day, expires_on=expires)
    return mentor


def approved_mentor(team: Team, *, approved_on: dt.date | None = None, **fields: object) -> Mentor:
    """An active mentor with every screening step done and certificates valid for three years."""
    approved_on = approved_on or timezone.localdate() - dt.timedelta(days=180)
    fields = {"status": Mentor.Status.ACTIVE, "status_since": approved_on} | fields
    mentor = MentorFactory(team=team, **fields)
    screen(mentor, on=approved_on - dt.timedelta(days=1))
    ScreeningStep.objects.create(mentor=mentor, step=Step.APPROVAL, date=approved_on)
    return mentor


def consent_to_match(young_person: YoungPerson, by: User, *, on: dt.date | None = None) -> Consent:
    return Consent.objects.create(
        young_person=young_person,
        purpose=ConsentPurpose.MENTOR_MATCH,
        given_by=Consent.GivenBy.YOUNG_PERSON,
        given_on=on or timezone.localdate() - dt.timedelta(days=365),
        recorded_by=by,
    )


def _consented(young_person: YoungPerson, by: User) -> None:
    """A match is made with the young person's consent (services refuse it otherwise)."""
    if not young_person.consents.filter(purpose=ConsentPurpose.MENTOR_MATCH).exists():
        consent_to_match(young_person, by, on=timezone.localdate() - dt.timedelta(days=3 * 365))


def mentoring_enrolment(worker: User, **fields: object) -> Enrolment:
    return EnrolmentFactory(primary_worker=worker, intervention_type=intervention("mentoring"), **fields)


def running_match(worker: User, *, mentor: Mentor | None = None, young_person: YoungPerson | None = None) -> Match:
    """A started match on a mentoring enrolment of the worker's."""
    fields = {"young_person": young_person} if young_person is not None else {}
    enrolment = mentoring_enrolment(worker, **fields)
    mentor = mentor or approved_mentor(worker.team, approved_on=enrolment.start_date - dt.timedelta(days=30))
    _consented(enrolment.young_person, worker)
    return Match.objects.create(
        enrolment=enrolment,
        mentor=mentor,
        coordinator=worker,
        meeting_date=enrolment.start_date,
        meeting_participants="Sara (coordinator)",
        start_date=enrolment.start_date + dt.timedelta(days=7),
        answered_on=enrolment.start_date + dt.timedelta(days=7),
    )


def proposed_match(worker: User, *, mentor: Mentor | None = None) -> Match:
    enrolment = mentoring_enrolment(worker, start_date=timezone.localdate() - dt.timedelta(days=10))
    mentor = mentor or approved_mentor(worker.team)
    _consented(enrolment.young_person, worker)
    return Match.objects.create(
        enrolment=enrolment,
        mentor=mentor,
        coordinator=worker,
        meeting_date=enrolment.start_date,
        meeting_participants="Sara (coordinator)",
    )


def mentor_user(mentor: Mentor, username: str = "mette") -> User:
    user = UserFactory(username=username, name="Mette Mentor", role=User.Role.MENTOR, team=None)
    mentor.user = user
    mentor.save(update_fields=["user"])
    return user


def activity(team: Team, workers: list[User], *, days_ago: int = 2, **fields: object) -> GroupActivity:
    starts = timezone.now() - dt.timedelta(days=days_ago)
    item = GroupActivity.objects.create(
        team=team,
        kind=fields.pop("kind", GroupActivity.Kind.DROP_IN),
        title=fields.pop("title", "Club evening"),
        starts_at=starts,
        duration_minutes=fields.pop("duration_minutes", 120),
        **fields,
    )
    item.workers.set(workers)
    return item
