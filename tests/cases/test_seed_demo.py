"""seed_demo and demo_logins: the demo municipality is complete, lawful and repeatable."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.db.models.functions import ExtractHour, TruncDate
from django.test import Client
from django.utils import timezone

from cases.demo import DEMO_LOGINS, DEMO_PASSWORD
from cases.models import (
    REQUIRED_CONSENT,
    ActionPlan,
    Agreement,
    Consent,
    Contact,
    Enrolment,
    Handover,
    Pause,
    PrimaryWorkerPeriod,
    Team,
    User,
    YoungPerson,
)
from cases.selectors import followups_for
from interventions.models import InterventionType
from outcomes.models import Answer, Assessment, EducationStatus, HousingStatus, StatusEvent
from tests.factories import YoungPersonFactory

TODAY = dt.date(2026, 6, 30)
SMALL = ["--young-people", "60", "--years", "1", "--today", TODAY.isoformat()]
REPO = Path(__file__).resolve().parents[2]


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db) -> str:
    return seed(*SMALL)


def test_every_intervention_role_and_demo_login_is_there(seeded):
    codes = set(Enrolment.objects.values_list("intervention_type__code", flat=True))
    assert codes == set(InterventionType.Code.values)
    assert set(User.objects.values_list("role", flat=True)) == set(User.Role.values)
    assert Team.objects.count() >= 3
    for login in DEMO_LOGINS:
        user = User.objects.get(username=login.username)
        assert (user.role, user.team.name if user.team else None) == (login.role, login.team)
        assert Client().login(username=login.username, password=DEMO_PASSWORD), login.username
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert "cases_contact" in seeded and "Seeded the demo municipality" in seeded


def test_young_people_are_plausible_and_have_no_cpr_number(seeded):
    people = list(YoungPerson.objects.all())
    assert len(people) == 60
    assert all(12 <= p.age_on(TODAY) <= 30 for p in people)
    assert not YoungPerson.objects.exclude(cpr_number="").exists()
    assert all(p.phone.startswith("+45 ") and p.housing_area for p in people)
    assert YoungPerson.objects.filter(problem_areas__isnull=False).exists()
    assert any(ch in "".join(p.name for p in people) for ch in "æøåÆØÅ")


def test_enrolments_pauses_and_status_events_keep_the_invariants(seeded):
    assert not Enrolment.objects.filter(end_date__isnull=True).exclude(end_reason="").exists()
    assert not Enrolment.objects.filter(end_date__isnull=False, end_reason="").exists()
    assert not Enrolment.objects.filter(end_date__gt=TODAY).exists()
    assert not Enrolment.objects.filter(start_date__gt=TODAY).exists()
    assert set(Enrolment.objects.exclude(end_reason="").values_list("end_reason", flat=True)) >= {
        "completed",
        "natural_phase_out",
        "dropped_out",
    }
    twins = (
        Enrolment.objects.filter(end_date__isnull=True)
        .values("young_person", "intervention_type")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not twins.exists()

    pauses = list(Pause.objects.select_related("enrolment"))
    assert pauses, "some enrolments are paused"
    for pause in pauses:
        assert pause.enrolment.is_active_on(pause.start_date)
        assert pause.end_date is None or pause.enrolment.is_active_on(pause.end_date)
    by_enrolment: dict[int, list[Pause]] = {}
    for pause in pauses:
        by_enrolment.setdefault(pause.enrolment_id, []).append(pause)
    for group in by_enrolment.values():
        group.sort(key=lambda p: p.start_date)
        for earlier, later in zip(group, group[1:], strict=False):
            assert earlier.end_date is not None and earlier.end_date < later.start_date

    for enrolment in Enrolment.objects.prefetch_related("worker_periods"):
        periods = list(enrolment.worker_periods.all())
        assert periods[0].start_date == enrolment.start_date
        assert periods[-1].worker_id == enrolment.primary_worker_id
        assert periods[-1].end_date == enrolment.end_date
        for earlier, later in zip(periods, periods[1:], strict=False):
            # a handover, as enrolment_hand_over records it: the outgoing worker stays
            # attached until the overlap ends, on or after the new worker's first day
            assert earlier.end_date >= later.start_date
    assert PrimaryWorkerPeriod.objects.count() > Enrolment.objects.count(), "some enrolments were handed over"

    values = {
        StatusEvent.Domain.EDUCATION: set(EducationStatus.values),
        StatusEvent.Domain.HOUSING: set(HousingStatus.values),
    }
    for domain, value in StatusEvent.objects.values_list("domain", "value").distinct():
        assert value in values[domain]
    assert not StatusEvent.objects.filter(date__gt=TODAY).exists()
    assert StatusEvent.objects.filter(domain="housing", value__in=["own_tenancy", "supported_housing"]).exists()
    assert StatusEvent.objects.filter(domain="education", value="enrolled").exists()


def test_contacts_lie_inside_active_unpaused_days_and_never_ahead_of_time(seeded):
    contacts = Contact.objects.annotate(day=TruncDate("occurred_at"))  # local date (Europe/Copenhagen)
    assert contacts.count() > 1000
    assert not contacts.filter(day__lt=F("enrolment__start_date")).exists()
    assert not contacts.filter(day__gt=F("enrolment__end_date")).exists()
    assert not contacts.filter(day__gte=TODAY).exists()
    assert not Contact.objects.filter(occurred_at__gt=timezone.now()).exists()
    for pause in Pause.objects.all():
        during = contacts.filter(enrolment_id=pause.enrolment_id, day__gte=pause.start_date)
        if pause.end_date is not None:
            during = during.filter(day__lte=pause.end_date)
        assert not during.exists()
    # Local times are stored with the right offset on both sides of the
    # daylight-saving changes: nothing was generated before 07:00 local time.
    assert not Contact.objects.annotate(hour=ExtractHour("occurred_at")).filter(hour__lt=7).exists()
    assert not Contact.objects.filter(Q(duration_minutes__lt=15) | Q(duration_minutes__gt=180)).exists()
    assert set(Contact.objects.values_list("channel", flat=True).distinct()) == set(Contact.Channel.values)
    assert set(Contact.objects.values_list("status", flat=True).distinct()) == set(Contact.Status.values)
    assert Contact.objects.exclude(note="").exists()
    weekend_or_evening = Contact.objects.annotate(hour=ExtractHour("occurred_at")).filter(
        Q(occurred_at__week_day__in=[1, 7]) | Q(hour__gte=18)
    )
    assert weekend_or_evening.exists()


def test_sara_has_a_caseload_with_recent_contact_and_someone_overdue(seeded):
    sara = User.objects.get(username="sara")
    qualifying = Q(contacts__status="held") & ~Q(contacts__channel="text")
    active = (
        Enrolment.objects.filter(primary_worker=sara, start_date__lte=TODAY)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=TODAY))
        .annotate(last=Max("contacts__occurred_at", filter=qualifying))
    )
    days_since = [
        None if e.last is None else (TODAY - timezone.localtime(e.last).date()).days
        for e in active
        if not e.pauses.filter(start_date__lte=TODAY).filter(Q(end_date__isnull=True) | Q(end_date__gte=TODAY))
    ]
    assert len(active) >= 5
    assert any(d is not None and d <= 7 for d in days_since), "some of her young people were seen this week"
    assert any(d is None or d > 7 for d in days_since), "someone is overdue"


def _fingerprint() -> tuple[dict[str, int], str]:
    counts = {
        model._meta.db_table: model.objects.count()
        for model in (Team, User, YoungPerson, Enrolment, Pause, PrimaryWorkerPeriod, StatusEvent, Contact)
        + (Assessment, Answer)
    }
    digest = hashlib.sha256()
    for row in YoungPerson.objects.order_by("external_id").values_list("external_id", "name", "birth_date", "phone"):
        digest.update(repr(row).encode())
    enrolments = Enrolment.objects.order_by("external_id").values_list(
        "external_id",
        "young_person__external_id",
        "intervention_type__code",
        "primary_worker__username",
        "start_date",
        "end_date",
        "end_reason",
    )
    for row in enrolments:
        digest.update(repr(row).encode())
    contacts = Contact.objects.values_list(
        "enrolment__external_id", "worker__username", "occurred_at", "duration_minutes", "channel", "status", "note"
    )
    for row in sorted(contacts):
        digest.update(repr(row).encode())
    answers = Answer.objects.values_list(
        "assessment__young_person__external_id",
        "assessment__enrolment__external_id",
        "assessment__answered_on",
        "assessment__recorded_by__username",
        "item__code",
        "value",
    )
    for row in sorted(answers):
        digest.update(repr(row).encode())
    return counts, digest.hexdigest()


def _seed_and_roll_back(*args: str) -> tuple[dict[str, int], str]:
    with transaction.atomic():
        seed(*args)
        result = _fingerprint()
        transaction.set_rollback(True)
    return result


def test_the_same_arguments_give_the_same_municipality(db):
    first = _seed_and_roll_back(*SMALL)
    assert not YoungPerson.objects.exists()
    second = _seed_and_roll_back(*SMALL)
    assert first == second
    other_seed = _seed_and_roll_back(*SMALL, "--seed", "2")
    assert other_seed[1] != first[1]


def test_if_empty_skips_a_database_with_young_people(db):
    YoungPersonFactory()
    out = seed("--if-empty", *SMALL)
    assert out.strip() == "Database already has data; seed_demo skipped."
    assert YoungPerson.objects.count() == 1 and not Enrolment.objects.exists()
    with pytest.raises(CommandError, match="already has young people"):
        seed(*SMALL)


def test_a_future_today_is_refused(db):
    with pytest.raises(CommandError, match="future"):
        seed("--today", (timezone.localdate() + dt.timedelta(days=1)).isoformat())


def test_demo_logins_prints_every_login_with_the_password():
    out = StringIO()
    call_command("demo_logins", stdout=out)
    lines = out.getvalue().splitlines()
    for login in DEMO_LOGINS:
        line = next(line for line in lines if line.split()[0] == login.username)
        assert DEMO_PASSWORD in line and (login.team or "-") in line


def test_the_default_size_seeds_sqlite_as_make_run_does(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "DJANGO_DEBUG": "true"}

    def manage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    manage("migrate", "--noinput")
    out = manage("seed_demo", "--if-empty", "--today", TODAY.isoformat())
    assert "Seeded the demo municipality" in out
    check = (
        "from cases.models import Contact, Enrolment, YoungPerson, User;"
        "from django.db.models.functions import TruncDate;"
        "from django.db.models import F;"
        "from outcomes.models import Answer, Assessment;"
        "c = Contact.objects.annotate(day=TruncDate('occurred_at'));"
        "print(YoungPerson.objects.count(), Enrolment.objects.count() > 300, c.count() > 20000,"
        " c.filter(day__lt=F('enrolment__start_date')).count() + c.filter(day__gt=F('enrolment__end_date')).count(),"
        " User.objects.get(username='sara').check_password('youthcase-demo'),"
        " Assessment.objects.count() > 500, Answer.objects.count() > 4 * Assessment.objects.count())"
    )
    out = manage("shell", "--verbosity", "0", "-c", check).split()
    assert out == ["300", "True", "True", "0", "True", "True", "True"]
    assert manage("seed_demo", "--if-empty").strip() == "Database already has data; seed_demo skipped."


GENERATE = """
import datetime as dt, hashlib, random
import django
django.setup()
from cases.demo import population
from cases.demo.calendar import Calendar
from cases.demo.contacts import contact_rows

cal = Calendar(dt.date(2026, 6, 30), 1)
town = population.build(random.Random(7), 80, cal)
for number, plan in enumerate(town.staff + town.enrolments, 1):
    plan.id = number
teams = {t: [str(s.id) for s in town.staff if s.team == t and s.role == "worker"] for t in range(len(town.teams))}
digest = hashlib.sha256()
for p in town.people:
    digest.update(repr((p.name, p.birth, p.flags, p.problem_areas, p.education, p.housing, p.area)).encode())
for row in contact_rows(town.enrolments, cal, 7, [s.id for s in town.staff], teams):
    digest.update(repr(row).encode())
print(digest.hexdigest())
"""


def test_generation_does_not_depend_on_the_hash_seed(tmp_path):
    """Set and dict ordering vary between processes; the demo must not."""
    script = tmp_path / "generate.py"
    script.write_text(GENERATE)
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "DJANGO_SETTINGS_MODULE": "youthcase.settings"}
        env["PYTHONPATH"] = str(REPO)
        done = subprocess.run([sys.executable, str(script)], cwd=REPO, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        digests.add(done.stdout.strip())
    assert len(digests) == 1


def test_case_work_around_the_enrolments_is_there(seeded):
    for enrolment in Enrolment.objects.filter(end_date__isnull=True, intervention_type__code__in=REQUIRED_CONSENT):
        consents = Consent.objects.filter(young_person=enrolment.young_person_id)
        assert any(c.is_active_on(enrolment.start_date) for c in consents), enrolment.pk
    sara = User.objects.get(username="sara")
    assert ActionPlan.objects.filter(coordinator=sara).exists()
    assert not Agreement.objects.filter(due_date__lt=F("plan__created_on")).exists()
    assert followups_for(sara, today=TODAY), "Sara's list shows follow-ups due"
    in_progress = Handover.objects.filter(enrolment__team__name="Team Nord", overlap_until__gte=TODAY)
    assert in_progress.count() == 2
    assert not Handover.objects.filter(overlap_until__lt=F("introduced_on")).exists()
