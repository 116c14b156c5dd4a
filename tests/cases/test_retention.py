"""The purge of closed cases (issue #7): enrolments closed more than
CASE_RETENTION_YEARS years ago are archived as JSON and deleted with
everything about them; the young person goes when nothing of hers remains."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import IntegrityError, connection, models
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    AccessLog,
    ActionPlan,
    Agreement,
    Consent,
    ConsentPurpose,
    Contact,
    Enrolment,
    EnrolmentCorrection,
    Goal,
    Handover,
    PlanMeeting,
    ProblemArea,
    User,
    YoungPerson,
)
from cases.services.retention import (
    PURGE_ORDER,
    archives_reconcile,
    closed_cases_purge,
    purge_plan,
    retention_cutoff,
    unplanned_relations,
)
from interventions.models import (
    Bridging,
    FollowUpFlag,
    GroupActivity,
    GroupAttendance,
    HousingGoal,
    Match,
    MediationCase,
    MediationParent,
    MediationParty,
    MediationPreparation,
    MenteeProfile,
    Mentor,
    MentorContact,
    NetworkRelation,
    ParentCouncil,
    ParentCouncilFamily,
    ParentCouncilMeeting,
    ParentCouncilParent,
)
from outcomes.indicators.store import indicators_recompute
from outcomes.instruments.services import assessment_record
from outcomes.models import Assessment, IndicatorSnapshot, Instrument, StatusEvent, WeeklyContactFact
from tests.factories import ContactFactory, EnrolmentFactory, PauseFactory, StatusEventFactory, intervention

CPR = "0101051234"


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def closed(person: YoungPerson, worker: User, end: dt.date, code: str = "relationship_work", days: int = 300):
    return EnrolmentFactory(
        young_person=person,
        primary_worker=worker,
        intervention_type=intervention(code),
        start_date=end - dt.timedelta(days=days),
        end_date=end,
        end_reason="completed",
    )


@dataclass
class Dataset:
    today: dt.date
    cutoff: dt.date
    old_person: YoungPerson  # two enrolments closed six years ago: all of her goes
    old_enrolments: list[Enrolment]
    recent_person: YoungPerson  # closed four years ago: stays
    mixed_person: YoungPerson  # one enrolment closed six years ago, one open: only the old one goes
    mixed_old: Enrolment
    mixed_open: Enrolment
    edge_person: YoungPerson  # closed exactly at the cutoff: stays (not *more* than five years)
    day_over_person: YoungPerson  # closed the day before the cutoff: goes
    day_over: Enrolment
    activity: GroupActivity
    mediation: MediationCase
    council: ParentCouncil
    mentor: Mentor

    @property
    def purged_enrolment_ids(self) -> set[int]:
        return {e.pk for e in self.old_enrolments} | {self.mixed_old.pk, self.day_over.pk}

    @property
    def purged_person_ids(self) -> set[int]:
        return {self.old_person.pk, self.day_over_person.pk}


@pytest.fixture
def dataset(world) -> Dataset:
    today = timezone.localdate()
    cutoff = retention_cutoff(today=today)
    worker, colleague = world.worker, world.colleague
    six_years = cutoff - dt.timedelta(days=365)
    four_years = cutoff + dt.timedelta(days=365)

    old_person = YoungPerson.objects.create(name="Anna Gammel", birth_date=dt.date(2001, 1, 1), cpr_number=CPR)
    area = ProblemArea.objects.create(name="Skolefravær")
    old_person.problem_areas.add(area)
    relationship = closed(old_person, worker, six_years)
    mentoring = closed(old_person, worker, six_years - dt.timedelta(days=30), code="mentoring", days=200)
    for days in (10, 40):
        ContactFactory(enrolment=relationship, occurred_at=at(relationship.start_date + dt.timedelta(days=days)))
    PauseFactory(enrolment=relationship)
    Handover.objects.create(
        enrolment=relationship,
        from_worker=worker,
        to_worker=colleague,
        introduced_on=relationship.start_date + dt.timedelta(days=50),
        overlap_until=relationship.start_date + dt.timedelta(days=60),
        recorded_by=worker,
    )
    EnrolmentCorrection.objects.create(
        enrolment=relationship,
        previous_end_date=relationship.start_date + dt.timedelta(days=90),
        previous_end_reason="completed",
        reason="Lukket ved en fejl",
        corrected_by=worker,
    )
    # A drop-in evening she shared with a young person whose case is open.
    activity = GroupActivity.objects.create(
        team=world.team,
        title="Cafeaften",
        starts_at=at(relationship.start_date + dt.timedelta(days=20), 19),
        duration_minutes=120,
        created_by=worker,
    )
    activity.workers.add(worker)
    for enrolment in (relationship, world.enrolment):
        contact = ContactFactory(enrolment=enrolment, occurred_at=activity.starts_at, channel="group_activity")
        GroupAttendance.objects.create(activity=activity, enrolment=enrolment, contact=contact)
    FollowUpFlag.objects.create(enrolment=relationship, activity=activity, raised_by=worker, reason="Virkede trist")
    escort = ContactFactory(enrolment=relationship, occurred_at=at(relationship.start_date + dt.timedelta(days=30)))
    Bridging.objects.create(
        enrolment=relationship,
        worker=worker,
        kind="escort",
        partner="job_centre",
        occurred_at=escort.occurred_at,
        duration_minutes=45,
        contact=escort,
    )
    HousingGoal.objects.create(enrolment=relationship, text="Egen lejlighed")
    mentor = Mentor.objects.create(team=world.team, name="Mentor Mette")
    match = Match.objects.create(
        enrolment=mentoring,
        mentor=mentor,
        coordinator=worker,
        meeting_date=mentoring.start_date,
        meeting_participants="koordinator",
        start_date=mentoring.start_date,
        end_date=mentoring.end_date,
        outcome="completed",
    )
    meeting = ContactFactory(enrolment=mentoring, occurred_at=at(mentoring.start_date + dt.timedelta(days=7)))
    MentorContact.objects.create(contact=meeting, match=match)
    Consent.objects.create(
        young_person=old_person,
        purpose=ConsentPurpose.MENTOR_MATCH,
        given_by="young_person",
        given_on=mentoring.start_date,
        recorded_by=worker,
    )
    plan = ActionPlan.objects.create(young_person=old_person, coordinator=worker, created_on=relationship.start_date)
    goal = Goal.objects.create(plan=plan, text="Tage 9. klasse")
    Goal.objects.create(plan=plan, parent=goal, text="Møde op mandag")
    Agreement.objects.create(plan=plan, goal=goal, text="Vækkeur", owner="young_person", due_date=goal_due(plan))
    plan_meeting = PlanMeeting.objects.create(plan=plan, date=relationship.start_date + dt.timedelta(days=56))
    plan_meeting.workers.add(worker)
    NetworkRelation.objects.create(young_person=old_person, name="Moster", relation_type="birth_family")
    MenteeProfile.objects.create(young_person=old_person, interests="fodbold")
    StatusEventFactory(young_person=old_person, date=relationship.start_date)
    assessment_record(
        young_person=old_person,
        enrolment=relationship,
        version=Instrument.objects.get(code="who5").current_version(),
        respondent=Assessment.Respondent.YOUNG_PERSON,
        answered_on=relationship.start_date,
        answers={f"who5_{n}": 3 for n in range(1, 6)},
        by=None,
    )
    # A mediation case and a parent council she took part in with others: they stay.
    mediation = MediationCase.objects.create(
        case_type="school", summary="Konflikt i frikvarteret", referred_on=relationship.start_date, team=world.team
    )
    party = MediationParty.objects.create(case=mediation, young_person=old_person, role="victim")
    other_party = MediationParty.objects.create(case=mediation, name="Elev fra en anden skole", role="offender")
    MediationParent.objects.create(party=party, name="Mor til Anna")
    for with_party in (party, other_party):
        MediationPreparation.objects.create(
            case=mediation, kind="phone", occurred_on=relationship.start_date, party=with_party, mediator=worker
        )
    council = ParentCouncil.objects.create(title="Gruppen ved hallen", concern="Uro", team=world.team, initiator=worker)
    council_meeting = ParentCouncilMeeting.objects.create(council=council, kind="council", held_on=six_years)
    for person in (old_person, world.young_person):
        family = ParentCouncilFamily.objects.create(council=council, young_person=person)
        council_meeting.parents_present.add(ParentCouncilParent.objects.create(family=family, name=f"Far til {person}"))

    recent_person = YoungPerson.objects.create(name="Bo Nyere", birth_date=dt.date(2003, 2, 2))
    recent = closed(recent_person, worker, four_years)
    ContactFactory(enrolment=recent, occurred_at=at(recent.start_date + dt.timedelta(days=5)))
    Consent.objects.create(
        young_person=recent_person,
        purpose=ConsentPurpose.OBTAIN_INFORMATION,
        given_by="young_person",
        given_on=recent.start_date,
        recorded_by=worker,
    )

    mixed_person = YoungPerson.objects.create(name="Carl Begge", birth_date=dt.date(2002, 3, 3))
    mixed_old = closed(mixed_person, worker, six_years)
    ContactFactory(enrolment=mixed_old, occurred_at=at(mixed_old.start_date + dt.timedelta(days=5)))
    PauseFactory(enrolment=mixed_old)
    mixed_open = EnrolmentFactory(young_person=mixed_person, primary_worker=worker)
    ContactFactory(enrolment=mixed_open)
    StatusEventFactory(young_person=mixed_person)
    Consent.objects.create(
        young_person=mixed_person,
        purpose=ConsentPurpose.OBTAIN_INFORMATION,
        given_by="parent",
        given_on=mixed_old.start_date,
        recorded_by=worker,
    )

    edge_person = YoungPerson.objects.create(name="Dina Grænse", birth_date=dt.date(2002, 4, 4))
    closed(edge_person, worker, cutoff)
    day_over_person = YoungPerson.objects.create(name="Emil Over", birth_date=dt.date(2002, 5, 5))
    day_over = closed(day_over_person, worker, cutoff - dt.timedelta(days=1))

    for person in (old_person, recent_person, mixed_person):
        AccessLog.objects.create(user=worker, young_person=person, action="read", purpose="case_work")
    for person in (old_person, recent_person):
        LogEntry.objects.create(
            user=world.admin,
            content_type=ContentType.objects.get_for_model(YoungPerson),
            object_id=str(person.pk),
            object_repr=person.name,
            action_flag=CHANGE,
        )
    indicators_recompute(as_of=today, enrolments=Enrolment.objects.all())
    return Dataset(
        today=today,
        cutoff=cutoff,
        old_person=old_person,
        old_enrolments=[relationship, mentoring],
        recent_person=recent_person,
        mixed_person=mixed_person,
        mixed_old=mixed_old,
        mixed_open=mixed_open,
        edge_person=edge_person,
        day_over_person=day_over_person,
        day_over=day_over,
        activity=activity,
        mediation=mediation,
        council=council,
        mentor=mentor,
    )


PURGED_TABLES = {model._meta.label_lower for model in PURGE_ORDER}


def archived(rows: list[dict]) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for row in rows:
        found.setdefault(row["model"], set()).add(row["pk"])
    return found


def goal_due(plan: ActionPlan) -> dt.date:
    return plan.created_on + dt.timedelta(days=30)


def all_rows() -> dict[str, set[int]]:
    """The primary keys of every table of the project, by model."""
    return {
        model._meta.label_lower: set(model._base_manager.values_list("pk", flat=True))
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in {"cases", "interventions", "outcomes", "admin"}
    }


def removed(before: dict[str, set[int]], after: dict[str, set[int]]) -> dict[str, set[int]]:
    return {label: before[label] - after[label] for label in before if before[label] - after[label]}


def history_models() -> list[tuple[type[models.Model], type[models.Model]]]:
    from simple_history.exceptions import NotHistoricalModelError
    from simple_history.utils import get_history_model_for_model

    found = []
    for model in PURGE_ORDER:
        with contextlib.suppress(NotHistoricalModelError):
            found.append((model, get_history_model_for_model(model)))
    return found


@pytest.fixture
def archive_dir(settings, tmp_path) -> Path:
    settings.RETENTION_ARCHIVE_DIR = tmp_path / "archives"
    return settings.RETENTION_ARCHIVE_DIR


def archives(directory: Path) -> list[Path]:
    return sorted(directory.iterdir()) if directory.exists() else []


# --- Which rows go ---------------------------------------------------------------------------


def test_every_relation_into_a_purged_table_is_planned_for():
    assert unplanned_relations() == []


def test_the_cutoff_counts_whole_years_back_in_local_time():
    assert retention_cutoff(today=dt.date(2026, 5, 10)) == dt.date(2021, 5, 10)
    assert retention_cutoff(today=dt.date(2028, 2, 29), years=5) == dt.date(2023, 2, 28)


def test_the_plan_takes_the_old_enrolments_and_the_people_with_nothing_left(dataset):
    plan = purge_plan(enrolment_ids=Enrolment.objects.filter(end_date__lt=dataset.cutoff).values_list("pk", flat=True))
    assert set(plan.enrolment_ids) == dataset.purged_enrolment_ids
    assert set(plan.young_person_ids) == dataset.purged_person_ids
    # Only her link to the shared records goes.
    assert plan.ids[MediationParty] == [MediationParty.objects.get(young_person=dataset.old_person).pk]
    assert len(plan.ids[MediationPreparation]) == 1
    assert plan.ids[ParentCouncilFamily] == [ParentCouncilFamily.objects.get(young_person=dataset.old_person).pk]
    assert len(plan.ids[GroupAttendance]) == 1


# --- Dry run ---------------------------------------------------------------------------------


def test_a_dry_run_lists_the_ids_and_writes_nothing(dataset, archive_dir):
    before = all_rows()
    out = StringIO()
    call_command("purge_closed_cases", "--dry-run", stdout=out)
    text = out.getvalue()

    assert all_rows() == before
    assert archives(archive_dir) == []
    enrolments = ", ".join(str(pk) for pk in sorted(dataset.purged_enrolment_ids))
    people = ", ".join(str(pk) for pk in sorted(dataset.purged_person_ids))
    assert f"enrolments: 4 [{enrolments}]" in text
    assert f"young people: 2 [{people}]" in text
    assert "cases.contact: 6" in text  # 4 of hers (one at the evening, one an escort), her meeting, Carl's old one
    assert "dry run: nothing was written" in text
    for secret in ("Anna", "Gammel", "Carl", "Emil", CPR, "Skolefravær", "Moster"):
        assert secret not in text


# --- The real run ----------------------------------------------------------------------------


def test_the_run_archives_exactly_what_it_deletes(dataset, archive_dir):
    before = all_rows()
    kept_snapshots = list(
        IndicatorSnapshot.objects.exclude(enrolment_id__in=dataset.purged_enrolment_ids)
        .order_by("pk")
        .values_list("pk", "enrolment_id", "qualifying_contacts_total", "weeks_with_contact")
    )

    result = closed_cases_purge(dry_run=False)

    gone = removed(before, all_rows())
    # Her enrolments, Carl's old one and Emil's, with everything tied to them; Anna and Emil themselves.
    assert gone["cases.enrolment"] == dataset.purged_enrolment_ids
    assert gone["cases.youngperson"] == dataset.purged_person_ids
    for model in (
        Contact,
        GroupAttendance,
        Bridging,
        FollowUpFlag,
        HousingGoal,
        Match,
        MentorContact,
        Handover,
        EnrolmentCorrection,
        Consent,
        ActionPlan,
        Goal,
        Agreement,
        PlanMeeting,
        NetworkRelation,
        MenteeProfile,
        MediationParty,
        MediationParent,
        ParentCouncilFamily,
        ParentCouncilParent,
        StatusEvent,
        Assessment,
        WeeklyContactFact,
        IndicatorSnapshot,
    ):
        assert gone.get(model._meta.label_lower), f"nothing of {model.__name__} was purged"
    # The many-to-many rows went with them.
    assert gone["cases.youngperson_problem_areas"]
    assert gone["cases.planmeeting_workers"]
    assert gone["interventions.parentcouncilmeeting_parents_present"]
    # Shared records and everyone else stay.
    assert not gone.get("interventions.groupactivity") and not gone.get("interventions.mentor")
    assert not gone.get("interventions.mediationcase") and not gone.get("interventions.parentcouncil")
    assert not gone.get("cases.accesslog")
    assert MediationParty.objects.filter(case=dataset.mediation).count() == 1
    assert MediationPreparation.objects.filter(case=dataset.mediation).count() == 1
    assert ParentCouncilFamily.objects.filter(council=dataset.council).count() == 1
    assert GroupAttendance.objects.filter(activity=dataset.activity).count() == 1
    assert set(YoungPerson.objects.values_list("name", flat=True)) >= {"Bo Nyere", "Carl Begge", "Dina Grænse"}
    mixed = dataset.mixed_person
    assert list(mixed.enrolments.all()) == [dataset.mixed_open]
    assert mixed.consents.count() == 1 and mixed.status_events.count() == 1
    # Indicators of the other enrolments are per enrolment and untouched.
    assert (
        list(
            IndicatorSnapshot.objects.order_by("pk").values_list(
                "pk", "enrolment_id", "qualifying_contacts_total", "weeks_with_contact"
            )
        )
        == kept_snapshots
    )
    # The admin's log entry naming her went; Bo's stays.
    assert list(LogEntry.objects.values_list("object_id", flat=True)) == [str(dataset.recent_person.pk)]

    # One archive, written before the delete, holding every deleted row and nothing else.
    [path] = archives(archive_dir)
    assert result.archives == [path.name]
    assert path.name.startswith("closed-cases-") and path.suffix == ".json"
    assert path.stat().st_mode & 0o077 == 0
    content = json.loads(path.read_text())
    assert archived(content["rows"]) == {label: pks for label, pks in gone.items() if label in PURGED_TABLES}
    assert archived(content["history"]) == {label: pks for label, pks in gone.items() if ".historical" in label}
    assert archived(content["admin_log"]) == {"admin.logentry": gone["admin.logentry"]}
    assert {label for label in gone if label not in PURGED_TABLES and ".historical" not in label} == {
        "admin.logentry",
        "cases.youngperson_problem_areas",
        "cases.planmeeting_workers",
        "interventions.parentcouncilmeeting_parents_present",
    }
    anna = next(r for r in content["rows"] if r["model"] == "cases.youngperson" and r["pk"] == dataset.old_person.pk)
    assert anna["fields"]["cpr_number"] == CPR
    assert anna["fields"]["problem_areas"]  # many-to-many links are in the row
    assert [e["fields"]["object_repr"] for e in content["admin_log"]] == ["Anna Gammel"]
    assert set(content["enrolment_ids"]) == dataset.purged_enrolment_ids

    # The purge is in the access log, by the system, without names.
    deletions = AccessLog.objects.filter(action=AccessLog.Action.DELETE)
    assert set(deletions.values_list("young_person_id", flat=True)) == dataset.purged_person_ids | {mixed.pk}
    assert set(deletions.values_list("user", flat=True)) == {None}
    assert set(deletions.values_list("purpose", flat=True)) == {AccessLog.Purpose.RETENTION}
    assert all("Anna" not in d and "Carl" not in d for d in deletions.values_list("detail", flat=True))
    assert deletions.filter(young_person=mixed, detail=f"retention purge: enrolments {dataset.mixed_old.pk}").exists()


def test_history_rows_of_purged_rows_go_too(dataset, archive_dir):
    histories = dict(history_models())
    if YoungPerson not in histories:
        pytest.skip("young people keep no simple-history rows yet")
    person = dataset.old_person
    person.name = "Anna Gammel-Hansen"
    person.save()
    recent = dataset.recent_person
    recent.phone = "12345678"
    recent.save()
    plan = purge_plan(enrolment_ids=dataset.purged_enrolment_ids)
    assert histories[YoungPerson]._base_manager.filter(id=person.pk).exists()

    closed_cases_purge(dry_run=False)

    for model, history in histories.items():
        left = history._base_manager.filter(**{f"{model._meta.pk.attname}__in": plan.ids.get(model, [])})
        assert not left.exists(), f"history of purged {model.__name__} rows survived"
    assert histories[YoungPerson]._base_manager.filter(id=recent.pk).count() == 2
    [path] = archives(archive_dir)
    content = json.loads(path.read_text())
    assert any(row["fields"].get("name") == "Anna Gammel-Hansen" for row in content["history"])


def test_running_twice_purges_nothing_the_second_time(dataset, archive_dir):
    first = closed_cases_purge(dry_run=False)
    after_first = all_rows()
    second = closed_cases_purge(dry_run=False)

    assert len(first.enrolment_ids) == 4
    assert (second.enrolment_ids, second.young_person_ids, second.archives) == ([], [], [])
    assert all_rows() == after_first
    assert len(archives(archive_dir)) == 1


def test_the_purge_shows_as_deletion_after_the_retention_period_to_the_young_person_and_the_leader(
    dataset, archive_dir, world, client_for
):
    closed_cases_purge(dry_run=False)
    mixed = dataset.mixed_person  # she stays, with her open enrolment in the leader's team
    report = client_for(world.leader).get(reverse("cases:access_report", args=[mixed.pk]))
    assert report.status_code == 200
    assert "Sletning efter opbevaringsfrist" in report.content.decode()

    review = client_for(world.leader).get(reverse("cases:access_log_review"), {"purpose": "retention"})
    assert review.status_code == 200
    page = review.content.decode()
    assert '<option value="retention" selected>Sletning efter opbevaringsfrist</option>' in page
    assert [row.young_person_id for row in review.context["page"].object_list] == [mixed.pk]


def test_batches_are_archived_one_file_each(dataset, archive_dir):
    result = closed_cases_purge(dry_run=False, batch_size=2)

    files = archives(archive_dir)
    assert [f.name for f in files] == result.archives and len(files) == 2
    archived = set()
    for path in files:
        archived |= set(json.loads(path.read_text())["enrolment_ids"])
    assert archived == dataset.purged_enrolment_ids
    assert not YoungPerson.objects.filter(pk__in=dataset.purged_person_ids).exists()


# --- Failures --------------------------------------------------------------------------------


def test_when_the_archive_cannot_be_written_nothing_is_deleted(dataset, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.RETENTION_ARCHIVE_DIR = blocker / "archives"
    before = all_rows()

    with pytest.raises(OSError):
        closed_cases_purge(dry_run=False)

    assert all_rows() == before


def test_when_the_delete_fails_the_archive_is_removed_and_nothing_is_deleted(dataset, archive_dir):
    # A table the purge does not know refers to an old enrolment: the database refuses the delete.
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE retention_test_blocker (enrolment_id bigint REFERENCES cases_enrolment (id))")
        cursor.execute("INSERT INTO retention_test_blocker VALUES (%s)", [dataset.mixed_old.pk])
    before = all_rows()

    with pytest.raises(IntegrityError):
        closed_cases_purge(dry_run=False)

    assert all_rows() == before
    assert archives(archive_dir) == []


def test_an_archive_left_by_a_dead_worker_is_resolved_by_the_next_run(dataset, archive_dir):
    archive_dir.mkdir()
    # One batch committed but its worker died before renaming the archive; one never committed.
    committed = archive_dir / "closed-cases-20200101T000000000000Z-001.json.pending"
    committed.write_text(json.dumps({"enrolment_ids": [999_999_999]}))
    uncommitted = archive_dir / "closed-cases-20200101T000000000000Z-002.json.pending"
    uncommitted.write_text(json.dumps({"enrolment_ids": [dataset.mixed_old.pk]}))
    cut_short = archive_dir / "closed-cases-20200101T000000000000Z-003.json.pending"
    cut_short.write_text('{"enrolment_ids": [1, 2')

    assert archives_reconcile() == {
        "committed": ["closed-cases-20200101T000000000000Z-001.json"],
        "removed": [uncommitted.name, cut_short.name],
    }
    assert [p.name for p in archives(archive_dir)] == ["closed-cases-20200101T000000000000Z-001.json"]


def test_a_real_run_from_the_command_prints_ids_and_the_archive(dataset, archive_dir):
    out = StringIO()
    call_command("purge_closed_cases", stdout=out)
    text = out.getvalue()

    [path] = archives(archive_dir)
    assert f"archive: {path.name}" in text
    assert "purged 4 enrolments" in text
    assert "Anna" not in text and CPR not in text
    assert not Enrolment.objects.filter(pk__in=dataset.purged_enrolment_ids).exists()


def test_a_purge_makes_cached_dashboards_forget_the_purged(dataset, archive_dir, world):
    from outcomes.freshness import team_version

    before = team_version(world.team.pk)
    closed_cases_purge(dry_run=True)
    assert team_version(world.team.pk) == before  # a dry run changes nothing
    closed_cases_purge(dry_run=False)
    assert team_version(world.team.pk) != before
