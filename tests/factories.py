"""factory_boy factories for the domain. Writes that have a service in the
application go through it where the test is about behaviour; factories are
for setting the stage."""

from __future__ import annotations

import datetime as dt
import importlib

import factory
from django.apps import apps as django_apps
from django.utils import timezone

from cases.models import Contact, Enrolment, Pause, PrimaryWorkerPeriod, Team, User, YoungPerson
from interventions.models import InterventionType
from outcomes.models import StatusEvent

PASSWORD = "test-password-123"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Faker("name", locale="da_DK")
    role = User.Role.WORKER
    team = factory.SubFactory(TeamFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


def intervention(code: str = "relationship_work") -> InterventionType:
    """An intervention type as the data migration loads it. Transactional tests
    (browser, Celery worker) flush the database afterwards, so reload it then."""
    if not InterventionType.objects.exists():
        importlib.import_module("interventions.migrations.0002_load_intervention_types").load(django_apps, None)
    return InterventionType.objects.get(code=code)


class YoungPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YoungPerson

    name = factory.Faker("name", locale="da_DK")
    birth_date = dt.date(2008, 5, 17)
    gender = YoungPerson.Gender.FEMALE


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment
        skip_postgeneration_save = True

    young_person = factory.SubFactory(YoungPersonFactory)
    intervention_type = factory.LazyFunction(intervention)
    primary_worker = factory.SubFactory(UserFactory)
    team = factory.LazyAttribute(lambda o: o.primary_worker.team)
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=120))

    @factory.post_generation
    def worker_history(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            PrimaryWorkerPeriod.objects.create(enrolment=obj, worker=obj.primary_worker, start_date=obj.start_date)


class PauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pause

    enrolment = factory.SubFactory(EnrolmentFactory)
    start_date = factory.LazyAttribute(lambda o: o.enrolment.start_date + dt.timedelta(days=7))
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=13))


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    enrolment = factory.SubFactory(EnrolmentFactory)
    worker = factory.LazyAttribute(lambda o: o.enrolment.primary_worker)
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=3))
    duration_minutes = 60
    channel = Contact.Channel.IN_PERSON
    status = Contact.Status.HELD
    note = ""


class StatusEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusEvent

    young_person = factory.SubFactory(YoungPersonFactory)
    domain = StatusEvent.Domain.EDUCATION
    date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    value = "enrolled"
