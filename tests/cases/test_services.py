from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from cases import services
from cases.cpr import mask_cpr_like, normalise_cpr
from cases.models import AccessLog, Contact, Enrolment
from tests.factories import ContactFactory, EnrolmentFactory, UserFactory, YoungPersonFactory, intervention

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture(autouse=True)
def _english_messages():
    # The messages are matched as written in the code; the Danish ones are tested through the pages.
    with translation.override("en"):
        yield


def test_contact_log_saves_and_records_the_write(world):
    when = timezone.now() - dt.timedelta(hours=1)
    contact = services.contact_log(
        enrolment=world.enrolment, worker=world.worker, occurred_at=when, duration_minutes=30, by=world.worker
    )
    assert (contact.channel, contact.status) == ("in_person", "held")
    entry = AccessLog.objects.get()
    assert (entry.action, entry.young_person, entry.object_id) == ("create", world.young_person, contact.pk)


def test_a_naive_time_is_local_copenhagen_time(world):
    naive = dt.datetime.combine(timezone.localdate() - dt.timedelta(days=1), dt.time(23, 30))
    contact = services.contact_log(
        enrolment=world.enrolment, worker=world.worker, occurred_at=naive, duration_minutes=30, by=None
    )
    assert contact.occurred_at.astimezone(CPH).replace(tzinfo=None) == naive


def test_contact_in_the_future_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.contact_log(
            enrolment=world.enrolment,
            worker=world.worker,
            occurred_at=timezone.now() + dt.timedelta(hours=2),
            duration_minutes=30,
            by=world.worker,
        )
    assert "occurred_at" in error.value.message_dict
    assert Contact.objects.count() == 0


def test_contact_outside_the_enrolment_is_refused_unless_imported(world):
    enrolment = EnrolmentFactory(primary_worker=world.worker, start_date=timezone.localdate() - dt.timedelta(days=10))
    before_start = timezone.now() - dt.timedelta(days=20)
    with pytest.raises(ValidationError) as error:
        services.contact_log(
            enrolment=enrolment, worker=world.worker, occurred_at=before_start, duration_minutes=30, by=world.worker
        )
    assert "outside the enrolment" in error.value.message_dict["occurred_at"][0]
    imported = services.contact_log(
        enrolment=enrolment,
        worker=world.worker,
        occurred_at=before_start,
        duration_minutes=30,
        by=None,
        allow_outside_enrolment=True,
    )
    assert imported.pk


def test_the_local_date_decides_whether_a_contact_is_inside(world):
    """23:30 UTC on the day before the start is 00:30 or 01:30 local time on the start day."""
    start = timezone.localdate() - dt.timedelta(days=30)
    enrolment = EnrolmentFactory(primary_worker=world.worker, start_date=start)
    utc_evening_before = dt.datetime.combine(start - dt.timedelta(days=1), dt.time(23, 30), tzinfo=dt.UTC)
    contact = services.contact_log(
        enrolment=enrolment, worker=world.worker, occurred_at=utc_evening_before, duration_minutes=30, by=None
    )
    assert timezone.localtime(contact.occurred_at).date() == start


@pytest.mark.parametrize("duration", [-1, 24 * 60 + 1])
def test_contact_duration_must_be_within_a_day(world, duration):
    with pytest.raises(ValidationError) as error:
        services.contact_log(
            enrolment=world.enrolment,
            worker=world.worker,
            occurred_at=timezone.now(),
            duration_minutes=duration,
            by=world.worker,
        )
    assert "duration_minutes" in error.value.message_dict


def test_contact_update_records_which_fields_changed(world):
    contact = ContactFactory(enrolment=world.enrolment, note="")
    services.contact_update(contact=contact, by=world.worker, duration_minutes=120, note="Ny note")
    contact.refresh_from_db()
    assert (contact.duration_minutes, contact.note) == (120, "Ny note")
    assert AccessLog.objects.get().detail == "duration_minutes, note"


def test_contact_cancel_keeps_the_contact_and_it_stops_qualifying(world):
    contact = ContactFactory(enrolment=world.enrolment)
    assert contact.is_qualifying
    services.contact_cancel(contact=contact, by=world.worker)
    contact.refresh_from_db()
    assert contact.status == "cancelled" and not contact.is_qualifying


def test_outside_office_hours_is_derived_from_local_time(world):
    def at(day: dt.date, hour: int) -> Contact:
        return Contact(occurred_at=dt.datetime.combine(day, dt.time(hour), tzinfo=CPH))

    tuesday = dt.date(2026, 11, 17)
    assert not at(tuesday, 10).outside_office_hours
    assert at(tuesday, 22).outside_office_hours
    assert at(tuesday, 7).outside_office_hours
    assert at(dt.date(2026, 11, 21), 12).outside_office_hours  # a Saturday


def test_enrolment_open_records_the_first_worker_period(world):
    person = YoungPersonFactory()
    services.consent_record(
        young_person=person,
        purpose="mentor_match",
        given_by="young_person",
        given_on=dt.date(2026, 1, 2),
        by=world.worker,
    )
    enrolment = services.enrolment_open(
        young_person=person,
        intervention_type=intervention("mentoring"),
        primary_worker=world.worker,
        team=world.team,
        start_date=dt.date(2026, 1, 5),
        by=world.worker,
    )
    assert list(enrolment.worker_periods.values_list("worker", "start_date", "end_date")) == [
        (world.worker.pk, dt.date(2026, 1, 5), None)
    ]


def test_a_second_open_enrolment_in_the_same_intervention_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.enrolment_open(
            young_person=world.young_person,
            intervention_type=world.enrolment.intervention_type,
            primary_worker=world.worker,
            team=world.team,
            start_date=timezone.localdate(),
            by=world.worker,
        )
    assert "intervention_type" in error.value.message_dict


def test_close_needs_a_reason_and_an_end_after_the_start(world):
    with pytest.raises(ValidationError) as error:
        services.enrolment_close(
            enrolment=world.enrolment,
            end_date=world.enrolment.start_date - dt.timedelta(days=1),
            end_reason="completed",
            by=world.worker,
        )
    assert "end_date" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.enrolment_close(enrolment=world.enrolment, end_date=timezone.localdate(), end_reason="", by=None)
    assert "end_reason" in error.value.message_dict
    closed = services.enrolment_close(
        enrolment=world.enrolment, end_date=timezone.localdate(), end_reason="natural_phase_out", by=world.worker
    )
    assert closed.end_reason_class == "planned"
    assert not closed.worker_periods.filter(end_date__isnull=True).exists()


def test_the_database_refuses_an_end_date_without_a_reason(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.filter(pk=world.enrolment.pk).update(end_date=timezone.localdate())


def test_handover_keeps_the_history(world):
    on = timezone.localdate() - dt.timedelta(days=10)
    services.enrolment_hand_over(enrolment=world.enrolment, new_worker=world.colleague, on_date=on, by=world.leader)
    world.enrolment.refresh_from_db()
    assert world.enrolment.primary_worker == world.colleague
    periods = list(world.enrolment.worker_periods.values_list("worker", "end_date"))
    assert periods == [(world.worker.pk, on), (world.colleague.pk, None)]


def test_pauses_must_not_overlap_and_must_lie_within_the_enrolment(world):
    start = world.enrolment.start_date
    services.pause_save(
        enrolment=world.enrolment,
        start_date=start + dt.timedelta(days=10),
        end_date=start + dt.timedelta(days=20),
        reason="Hospital",
        by=world.worker,
    )
    with pytest.raises(ValidationError, match="overlaps"):
        services.pause_save(
            enrolment=world.enrolment,
            start_date=start + dt.timedelta(days=20),
            end_date=start + dt.timedelta(days=25),
            by=world.worker,
        )
    with pytest.raises(ValidationError, match="within the enrolment"):
        services.pause_save(
            enrolment=world.enrolment, start_date=start - dt.timedelta(days=3), end_date=start, by=world.worker
        )
    with pytest.raises(ValidationError, match="ends before"):
        services.pause_save(
            enrolment=world.enrolment,
            start_date=start + dt.timedelta(days=40),
            end_date=start + dt.timedelta(days=30),
            by=world.worker,
        )


def test_user_create_requires_a_team_for_case_roles(db):
    with pytest.raises(ValidationError):
        services.user_create(username="x", name="X", role="worker")
    analyst = services.user_create(username="a", name="A", role="analyst")
    assert analyst.team is None and not analyst.has_usable_password()


@pytest.mark.parametrize(
    ("raw", "expected"), [("0102031234", "0102031234"), ("010203-1234", "0102031234"), (" 311299-4321 ", "3112994321")]
)
def test_cpr_numbers_are_normalised(raw, expected):
    assert normalise_cpr(raw) == expected


@pytest.mark.parametrize("raw", ["123", "3202031234", "01020312345", "abcdefghij"])
def test_invalid_cpr_numbers_are_refused(raw):
    with pytest.raises(ValidationError):
        normalise_cpr(raw)


def test_young_person_create_normalises_the_cpr_number_and_logs(world):
    person = services.young_person_create(
        by=world.worker, name="Ida Ny", birth_date=dt.date(2003, 2, 1), cpr_number="010203-4321"
    )
    assert person.cpr_number == "0102034321"
    assert AccessLog.objects.get().action == "create"


def test_cpr_like_text_is_masked():
    assert mask_cpr_like("find 010203-1234 and 0102031234") == "find [cpr] and [cpr]"


def test_worker_factory_sanity(db):
    # The factories give a worker a team, as the model's constraint demands.
    assert UserFactory().team is not None


def _open_mentoring(world, person, on=dt.date(2026, 3, 2)):
    return services.enrolment_open(
        young_person=person,
        intervention_type=intervention("mentoring"),
        primary_worker=world.worker,
        team=world.team,
        start_date=on,
        by=world.worker,
    )


def test_an_intervention_that_needs_consent_is_refused_without_it(world):
    person = YoungPersonFactory()
    with pytest.raises(ValidationError) as error:
        _open_mentoring(world, person)
    assert "Mentor match" in error.value.message_dict["intervention_type"][0]
    consent = services.consent_record(
        young_person=person, purpose="mentor_match", given_by="parent", given_on=dt.date(2026, 3, 1), by=world.worker
    )
    services.consent_withdraw(consent=consent, withdrawn_on=dt.date(2026, 3, 2), by=world.worker)
    with pytest.raises(ValidationError, match="missing or withdrawn"):
        _open_mentoring(world, person, on=dt.date(2026, 3, 2))
    assert _open_mentoring(world, person, on=dt.date(2026, 3, 1)).pk  # it was valid that day


def test_relationship_work_needs_no_consent(world):
    enrolment = services.enrolment_open(
        young_person=YoungPersonFactory(),
        intervention_type=intervention("relationship_work"),
        primary_worker=world.worker,
        team=world.team,
        start_date=dt.date(2026, 3, 2),
        by=world.worker,
    )
    assert enrolment.pk


def test_sharing_consent_names_the_partner(world):
    with pytest.raises(ValidationError) as error:
        services.consent_record(
            young_person=world.young_person,
            purpose="share_with_partner",
            given_by="young_person",
            given_on=dt.date(2026, 1, 1),
            by=world.worker,
        )
    assert "partner" in error.value.message_dict


def test_closing_is_refused_when_contacts_lie_after_the_end(world):
    ContactFactory(enrolment=world.enrolment, occurred_at=timezone.now() - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="1 contact is dated after"):
        services.enrolment_close(
            enrolment=world.enrolment,
            end_date=timezone.localdate() - dt.timedelta(days=2),
            end_reason="completed",
            by=world.worker,
        )


def test_handover_with_overlap_keeps_both_attached(world):
    today = timezone.localdate()
    services.enrolment_hand_over(
        enrolment=world.enrolment,
        new_worker=world.colleague,
        on_date=today - dt.timedelta(days=3),
        overlap_until=today + dt.timedelta(days=11),
        by=world.leader,
        note="Introduced at the youth club",
    )
    handover = world.enrolment.handovers.get()
    assert (handover.from_worker, handover.to_worker) == (world.worker, world.colleague)
    assert handover.in_progress_on(today)
    periods = {p.worker_id: p.end_date for p in world.enrolment.worker_periods.all()}
    assert periods == {world.worker.pk: today + dt.timedelta(days=11), world.colleague.pk: None}
    with pytest.raises(ValidationError, match="overlap cannot end before"):
        services.enrolment_hand_over(
            enrolment=world.enrolment,
            new_worker=world.worker,
            on_date=today,
            overlap_until=today - dt.timedelta(days=1),
            by=world.leader,
        )


def test_reopen_needs_a_reason_and_is_recorded(world):
    end = timezone.localdate()
    services.enrolment_close(enrolment=world.enrolment, end_date=end, end_reason="dropped_out", by=world.worker)
    with pytest.raises(ValidationError, match="Say why"):
        services.enrolment_reopen(enrolment=world.enrolment, reason=" ", by=world.leader)
    services.enrolment_reopen(enrolment=world.enrolment, reason="Closed the wrong enrolment", by=world.leader)
    world.enrolment.refresh_from_db()
    assert world.enrolment.end_date is None and world.enrolment.end_reason == ""
    correction = world.enrolment.corrections.get()
    assert (correction.previous_end_date, correction.previous_end_reason) == (end, "dropped_out")
    assert world.enrolment.worker_periods.get().end_date is None


def test_resume_ends_the_open_pause(world):
    start = world.enrolment.start_date
    pause = services.pause_save(
        enrolment=world.enrolment,
        start_date=start + dt.timedelta(days=5),
        end_date=None,
        reason="Custody",
        by=world.worker,
    )
    services.pause_end(pause=pause, end_date=start + dt.timedelta(days=9), by=world.worker)
    pause.refresh_from_db()
    assert pause.end_date == start + dt.timedelta(days=9) and pause.reason == "Custody"


def test_plan_goals_agreements_and_meetings(world):
    plan = services.plan_create(
        young_person=world.young_person, coordinator=world.worker, created_on=dt.date(2026, 9, 1), by=world.worker
    )
    goal = services.goal_add(plan=plan, text="Start on a youth education", by=world.worker, set_by="young_person")
    sub = services.goal_add(plan=plan, text="Visit two schools", parent=goal, by=world.worker)
    with pytest.raises(ValidationError, match="sub-goal belongs under a main goal"):
        services.goal_add(plan=plan, text="Too deep", parent=sub, by=world.worker)
    agreement = services.agreement_add(
        plan=plan,
        goal=sub,
        text="Book the visits",
        owner="municipality",
        due_date=dt.date(2026, 9, 15),
        by=world.worker,
    )
    assert agreement.is_overdue_on(dt.date(2026, 9, 16))
    services.agreement_done(agreement=agreement, done_on=dt.date(2026, 9, 14), by=world.worker)
    assert not agreement.is_overdue_on(dt.date(2026, 9, 16))
    with pytest.raises(ValidationError, match="before the plan was made"):
        services.agreement_add(plan=plan, text="x", owner="parents", due_date=dt.date(2026, 8, 1), by=world.worker)
    meeting = services.plan_meeting_record(
        plan=plan, date=dt.date(2026, 10, 1), parents_present=True, workers=[world.worker], by=world.worker
    )
    assert plan.next_meeting_due(meeting.date) == dt.date(2026, 11, 26)
    with pytest.raises(ValidationError, match="already has a plan"):
        services.plan_create(
            young_person=world.young_person, coordinator=world.worker, created_on=dt.date(2026, 9, 1), by=world.worker
        )
