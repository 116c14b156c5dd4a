"""The mentoring services: screening in order, who can be matched, the match's
life (meeting, answer, end), the mentor's meetings and the group sessions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from cases.models import AccessLog, Contact, Enrolment, User
from interventions.mentoring import selectors, services
from interventions.models import Match, Mentor, MentorContact, MentorSession, ScreeningStep
from tests.factories import EnrolmentFactory, YoungPersonFactory
from tests.interventions.factories_mentoring import (
    MentorFactory,
    approved_mentor,
    consent_to_match,
    mentor_user,
    mentoring_enrolment,
    proposed_match,
    running_match,
)

pytestmark = pytest.mark.django_db
Step = ScreeningStep.Step
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def days_ago(n: int) -> dt.date:
    return TODAY() - dt.timedelta(days=n)


def messages(error: pytest.ExceptionInfo) -> str:
    return " ".join(error.value.messages)


# --- Screening --------------------------------------------------------------------------------


def new_mentor(world, **fields) -> Mentor:
    values = {"kind": Mentor.Kind.PERSON, "name": "Mads Frivillig", "gender": "male", "birth_year": 1980} | fields
    return services.mentor_create(team=world.team, first_contact_on=days_ago(60), by=world.worker, **values)


def record(mentor: Mentor, world, step: str, day: int, **extra) -> ScreeningStep:
    return services.screening_step_record(mentor=mentor, step=step, date=days_ago(day), by=world.worker, **extra)


def certificates(mentor: Mentor, world, day: int, *, years: int = 2) -> None:
    for step in ScreeningStep.CERTIFICATES:
        issued = days_ago(day)
        record(mentor, world, step, day, expires_on=issued + dt.timedelta(days=365 * years))


def test_a_new_mentor_is_in_screening_with_her_first_contact_recorded(world):
    mentor = new_mentor(world)
    assert mentor.status == Mentor.Status.SCREENING
    assert list(mentor.screening_steps.values_list("step", "date")) == [(Step.FIRST_CONTACT, days_ago(60))]


def test_steps_come_in_order(world):
    mentor = new_mentor(world)
    with pytest.raises(ValidationError) as error:
        record(mentor, world, Step.HOME_VISIT, 50)
    assert "Record “Interview” first" in messages(error)
    record(mentor, world, Step.INTERVIEW, 50)
    with pytest.raises(ValidationError) as error:
        record(mentor, world, Step.TRAINING, 55)
    assert "cannot be dated before “Interview”" in messages(error)


def test_a_step_is_recorded_once_but_a_certificate_may_be_renewed(world):
    mentor = new_mentor(world)
    record(mentor, world, Step.INTERVIEW, 50)
    with pytest.raises(ValidationError) as error:
        record(mentor, world, Step.INTERVIEW, 40)
    assert "already recorded" in messages(error)
    record(mentor, world, Step.CRIMINAL_RECORD, 45, expires_on=days_ago(10))
    renewed = record(mentor, world, Step.CRIMINAL_RECORD, 5, expires_on=days_ago(5) + dt.timedelta(days=730))
    assert mentor.screening_steps.filter(step=Step.CRIMINAL_RECORD).count() == 2
    assert renewed.expires_on > TODAY()


def test_a_certificate_needs_an_expiry_after_its_issue(world):
    mentor = new_mentor(world)
    with pytest.raises(ValidationError) as error:
        record(mentor, world, Step.CHILD_PROTECTION, 40)
    assert "needs its expiry date" in messages(error)
    with pytest.raises(ValidationError) as error:
        record(mentor, world, Step.CHILD_PROTECTION, 40, expires_on=days_ago(41))
    assert "must expire after" in messages(error)


def test_a_step_cannot_be_recorded_ahead_of_time(world):
    mentor = new_mentor(world)
    with pytest.raises(ValidationError) as error:
        services.screening_step_record(
            mentor=mentor, step=Step.INTERVIEW, date=TODAY() + dt.timedelta(days=1), by=world.worker
        )
    assert "in the future" in messages(error)


def test_approval_needs_every_step_and_makes_the_mentor_active(world):
    mentor = new_mentor(world)
    record(mentor, world, Step.INTERVIEW, 50)
    with pytest.raises(ValidationError) as error:
        record(mentor, world, Step.APPROVAL, 10)
    assert "Criminal-record certificate" in messages(error)
    certificates(mentor, world, 45)
    record(mentor, world, Step.TRAINING, 30)
    record(mentor, world, Step.APPROVAL, 10)  # a single volunteer needs no home visit
    mentor.refresh_from_db()
    assert (mentor.status, mentor.status_since) == (Mentor.Status.ACTIVE, days_ago(10))


def test_a_mentor_family_is_visited_at_home_before_approval(world):
    family = new_mentor(world, kind=Mentor.Kind.FAMILY, name="Familien Holm", gender="unknown", birth_year=None)
    record(family, world, Step.INTERVIEW, 50)
    certificates(family, world, 45)
    record(family, world, Step.TRAINING, 30)
    with pytest.raises(ValidationError) as error:
        record(family, world, Step.APPROVAL, 10)
    assert "Record “Home visit” first" in messages(error)


def test_approval_is_refused_with_an_expired_certificate(world):
    mentor = new_mentor(world)
    record(mentor, world, Step.INTERVIEW, 50)
    record(mentor, world, Step.CRIMINAL_RECORD, 45, expires_on=days_ago(20))
    record(mentor, world, Step.CHILD_PROTECTION, 45, expires_on=days_ago(-300))
    record(mentor, world, Step.TRAINING, 30)
    with pytest.raises(ValidationError) as error:
        record(mentor, world, Step.APPROVAL, 10)
    assert f"criminal-record certificate of Mads Frivillig expired on {days_ago(20).isoformat()}" in messages(error)


def test_status_changes_follow_the_rules(world):
    mentor = approved_mentor(world.team)
    with pytest.raises(ValidationError) as error:
        services.mentor_status_set(mentor=mentor, status=Mentor.Status.PAUSED, on=TODAY(), reason="", by=world.worker)
    assert "Give a reason" in messages(error)
    services.mentor_status_set(mentor=mentor, status=Mentor.Status.PAUSED, on=TODAY(), reason="New job", by=None)
    services.mentor_status_set(mentor=mentor, status=Mentor.Status.ACTIVE, on=TODAY(), reason="", by=None)
    running_match(world.worker, mentor=mentor)
    with pytest.raises(ValidationError) as error:
        services.mentor_status_set(mentor=mentor, status=Mentor.Status.RETIRED, on=TODAY(), reason="Moved", by=None)
    assert "End the mentor's current matches first" in messages(error)
    screening = new_mentor(world)
    with pytest.raises(ValidationError) as error:
        services.mentor_status_set(mentor=screening, status=Mentor.Status.ACTIVE, on=TODAY(), reason="", by=None)
    assert "cannot become “Active”" in messages(error)


# --- Proposing a match ------------------------------------------------------------------------------


def propose(world, mentor: Mentor, young_person=None, **extra) -> Match:
    values = {
        "young_person": young_person or world.young_person,
        "mentor": mentor,
        "coordinator": world.worker,
        "meeting_date": TODAY(),
        "meeting_participants": "Sara (coordinator)\nKarin (caseworker)",
        "by": world.worker,
    } | extra
    return services.match_propose(**values)


def test_a_match_meeting_opens_a_mentoring_enrolment_for_the_young_person(world):
    consent_to_match(world.young_person, world.worker)
    mentor = approved_mentor(world.team)
    match = propose(world, mentor)
    enrolment = match.enrolment
    assert enrolment.intervention_type.code == "mentoring"
    assert (enrolment.young_person, enrolment.primary_worker, enrolment.team) == (
        world.young_person,
        world.worker,
        world.team,
    )
    assert enrolment.start_date == TODAY() and enrolment.end_date is None
    assert match.status == Match.Status.PROPOSED
    assert AccessLog.objects.filter(user=world.worker, young_person=world.young_person, object_type="match").exists()


def test_an_open_mentoring_enrolment_without_a_match_is_used(world):
    consent_to_match(world.young_person, world.worker)
    waiting = mentoring_enrolment(world.worker, young_person=world.young_person)
    match = propose(world, approved_mentor(world.team))
    assert match.enrolment == waiting


def test_an_unapproved_mentor_cannot_be_matched(world):
    consent_to_match(world.young_person, world.worker)
    mentor = MentorFactory(team=world.team, name="Ulla Ny")
    with pytest.raises(ValidationError) as error:
        propose(world, mentor)
    assert "Ulla Ny is not approved yet; finish the screening first." in messages(error)
    assert not Enrolment.objects.filter(intervention_type__code="mentoring").exists()


def test_a_mentor_with_an_expired_certificate_cannot_be_matched(world):
    consent_to_match(world.young_person, world.worker)
    mentor = approved_mentor(world.team, name="Bent Udløbet")
    ScreeningStep.objects.filter(mentor=mentor, step=Step.CHILD_PROTECTION).update(expires_on=days_ago(3))
    with pytest.raises(ValidationError) as error:
        propose(world, mentor)
    assert f"child-protection certificate of Bent Udløbet expired on {days_ago(3).isoformat()}" in messages(error)


def test_a_paused_mentor_or_one_without_a_free_place_cannot_be_matched(world):
    consent_to_match(world.young_person, world.worker)
    paused = approved_mentor(world.team, name="Pia Pause", status=Mentor.Status.PAUSED)
    with pytest.raises(ValidationError) as error:
        propose(world, paused)
    assert "Pia Pause is paused." in messages(error)
    busy = approved_mentor(world.team, name="Frank Fuld")
    running_match(world.worker, mentor=busy)
    with pytest.raises(ValidationError) as error:
        propose(world, busy)
    assert "Frank Fuld has no free place (1 of 1 taken)." in messages(error)


def test_a_match_needs_the_young_persons_consent(world):
    with pytest.raises(ValidationError) as error:
        propose(world, approved_mentor(world.team))
    assert "Consent to “Mentor match” is missing or withdrawn" in messages(error)


def test_a_second_match_on_the_same_enrolment_is_refused(world):
    consent_to_match(world.young_person, world.worker)
    propose(world, approved_mentor(world.team))
    with pytest.raises(ValidationError) as error:
        propose(world, approved_mentor(world.team, name="Anden Mentor"))
    assert "already has a match" in messages(error)


def test_the_meeting_needs_participants_and_cannot_lie_ahead(world):
    consent_to_match(world.young_person, world.worker)
    mentor = approved_mentor(world.team)
    with pytest.raises(ValidationError) as error:
        propose(world, mentor, meeting_participants="  ")
    assert "Name who took part" in messages(error)
    with pytest.raises(ValidationError) as error:
        propose(world, mentor, meeting_date=TODAY() + dt.timedelta(days=2))
    assert "in the future" in messages(error)


# --- The answer and the end -----------------------------------------------------------------------


def test_the_young_person_says_yes_and_the_match_starts(world):
    match = proposed_match(world.worker)
    with pytest.raises(ValidationError) as error:
        services.match_start(match=match, start_date=match.meeting_date - dt.timedelta(days=1), by=world.worker)
    assert "cannot start before the match meeting" in messages(error)
    services.match_start(match=match, start_date=days_ago(2), by=world.worker)
    match.refresh_from_db()
    assert match.status == Match.Status.ACTIVE
    with pytest.raises(ValidationError):
        services.match_start(match=match, start_date=days_ago(1), by=world.worker)


def test_declining_closes_the_enrolment_and_frees_the_mentor(world):
    match = proposed_match(world.worker)
    services.match_decline(match=match, answered_on=days_ago(1), reason="Vil hellere have en mand", by=world.worker)
    match.refresh_from_db()
    match.enrolment.refresh_from_db()
    assert match.declined and match.status == Match.Status.DECLINED
    assert (match.enrolment.end_date, match.enrolment.end_reason) == (days_ago(1), "other_unplanned")
    assert selectors.candidates_for(world.worker, YoungPersonFactory(), TODAY())[0].free_places == 1


def test_a_new_match_after_a_no_is_a_new_enrolment(world):
    consent_to_match(world.young_person, world.worker)
    first = propose(world, approved_mentor(world.team), meeting_date=days_ago(20))
    services.match_decline(match=first, answered_on=days_ago(15), reason="", by=world.worker)
    second = propose(world, approved_mentor(world.team, name="Ny Mentor"))
    assert second.enrolment != first.enrolment
    assert second.enrolment.end_date is None


def test_a_failed_match_needs_a_reason_and_closes_the_enrolment(world):
    match = running_match(world.worker)
    with pytest.raises(ValidationError) as error:
        services.match_end(match=match, end_date=days_ago(1), outcome=Match.Outcome.FAILED, by=world.worker)
    assert "A failed match needs a reason." in messages(error)
    services.match_end(
        match=match,
        end_date=days_ago(1),
        outcome=Match.Outcome.FAILED,
        failure_reason=Match.FailureReason.YOUNG_PERSON_WITHDREW,
        note="Svarede ikke mere",
        by=world.worker,
    )
    match.refresh_from_db()
    assert (match.status, match.failure_reason) == (Match.Status.ENDED, "young_person_withdrew")
    assert (match.enrolment.end_date, match.enrolment.end_reason) == (days_ago(1), "dropped_out")


def test_a_completed_match_is_a_planned_ending(world):
    match = running_match(world.worker)
    services.match_end(match=match, end_date=days_ago(1), outcome=Match.Outcome.COMPLETED, by=world.worker)
    match.enrolment.refresh_from_db()
    assert (match.enrolment.end_reason, match.enrolment.end_reason_class) == ("completed", "planned")


def test_a_match_cannot_end_before_it_started(world):
    match = running_match(world.worker)
    with pytest.raises(ValidationError) as error:
        services.match_end(
            match=match, end_date=match.start_date - dt.timedelta(days=1), outcome="completed", by=world.worker
        )
    assert "cannot end before it started" in messages(error)


# --- The mentor's meetings -------------------------------------------------------------------------


def test_a_mentor_logs_her_own_meeting_with_her_mentee(world):
    match = running_match(world.worker)
    mette = mentor_user(match.mentor)
    contact = services.mentor_contact_log(
        match=match, by=mette, occurred_at=timezone.now() - dt.timedelta(hours=2), duration_minutes=90
    )
    assert (contact.enrolment, contact.worker, contact.channel) == (match.enrolment, mette, "in_person")
    assert MentorContact.objects.get(contact=contact).match == match


def test_a_mentor_cannot_log_on_someone_elses_match(world):
    mine = running_match(world.worker)
    mette = mentor_user(mine.mentor)
    other = running_match(world.worker)
    with pytest.raises(ValidationError) as error:
        services.mentor_contact_log(match=other, by=mette, occurred_at=timezone.now(), duration_minutes=60)
    assert "your own mentee" in messages(error)


def test_the_coordinator_logs_for_a_mentor_without_an_account(world):
    match = running_match(world.worker)
    contact = services.mentor_contact_log(
        match=match, by=world.worker, occurred_at=timezone.now() - dt.timedelta(days=1), duration_minutes=60
    )
    assert contact.worker == world.worker
    assert contact.mentor_contact.match.mentor == match.mentor


def test_mentor_meetings_belong_to_the_running_match(world):
    match = running_match(world.worker)
    before = timezone.make_aware(dt.datetime.combine(match.start_date - dt.timedelta(days=1), dt.time(12)))
    with pytest.raises(ValidationError) as error:
        services.mentor_contact_log(match=match, by=world.worker, occurred_at=before, duration_minutes=60)
    assert "before the match started" in messages(error)
    assert not Contact.objects.exists()


# --- Supervision and network meetings ---------------------------------------------------------------


def test_a_session_invites_the_teams_working_mentors_and_records_who_came(world):
    active = approved_mentor(world.team, name="Aktiv")
    paused = approved_mentor(world.team, name="Pause", status=Mentor.Status.PAUSED)
    MentorFactory(team=world.team, name="Screening")
    approved_mentor(world.other_team, name="Fremmed")
    ahead = services.session_schedule(
        team=world.team,
        kind=MentorSession.Kind.SUPERVISION,
        starts_at=timezone.now() + dt.timedelta(days=7),
        duration_minutes=120,
        by=world.worker,
    )
    assert {a.mentor.name for a in ahead.attendances.all()} == {"Aktiv", "Pause"}
    with pytest.raises(ValidationError) as error:
        services.session_attendance_record(session=ahead, attended=[active], by=world.worker)
    assert "once the session has begun" in messages(error)

    held = services.session_schedule(
        team=world.team,
        kind=MentorSession.Kind.NETWORK,
        starts_at=timezone.now() - dt.timedelta(hours=3),
        duration_minutes=90,
        by=world.worker,
    )
    services.session_attendance_record(session=held, attended=[active], by=world.worker)
    assert dict(held.attendances.values_list("mentor__name", "attended")) == {"Aktiv": True, "Pause": False}
    services.session_attendance_record(session=held, attended=[active, paused], by=world.worker)
    assert set(held.attendances.values_list("attended", flat=True)) == {True}


# --- Choosing a mentor ------------------------------------------------------------------------------


def test_candidates_are_sorted_by_fit_and_the_unavailable_say_why(world):
    from interventions.models import MenteeProfile

    person = EnrolmentFactory(
        primary_worker=world.worker,
        young_person__gender="male",
        young_person__housing_area="Hedeparken",
        young_person__birth_date=dt.date(2008, 1, 1),
    ).young_person
    MenteeProfile.objects.create(young_person=person, interests="Football, music")
    approved_mentor(world.team, name="Far Away", gender="female", area="Måløv", interests="knitting")
    best = approved_mentor(world.team, name="Near Match", gender="male", area="hedeparken", interests="football, music")
    MentorFactory(team=world.team, name="Still Screening")
    approved_mentor(world.other_team, name="Other Team", gender="male", area="Hedeparken")
    candidates = selectors.candidates_for(world.worker, person, TODAY())
    names = [c.mentor.name for c in candidates]
    assert names == ["Near Match", "Far Away", "Still Screening"]
    top = candidates[0]
    assert top.mentor == best and top.available
    assert [(c.name, c.fits) for c in top.criteria] == [
        ("Gender", True),
        ("Age", True),
        ("Interests", True),
        ("Area", True),
    ]
    assert not candidates[-1].available
    assert "not approved yet" in " ".join(candidates[-1].problems)


def test_a_mentor_account_must_have_the_mentor_role(world):
    mentor = approved_mentor(world.team)
    with pytest.raises(ValidationError) as error:
        services.mentor_account_link(mentor=mentor, user=world.worker, by=None)
    assert "Volunteer mentor" in messages(error)
    account = User.objects.create_user(username="vibeke", name="Vibeke", role=User.Role.MENTOR)
    services.mentor_account_link(mentor=mentor, user=account, by=None)
    assert Mentor.objects.get(user=account) == mentor


def test_a_withdrawn_consent_stops_the_start_and_the_meetings(world):
    from cases.services.consent import consent_withdraw

    proposed = proposed_match(world.worker)
    running = running_match(world.worker)
    for match in (proposed, running):
        consent = match.enrolment.young_person.consents.get()
        consent_withdraw(consent=consent, withdrawn_on=days_ago(3), by=world.worker)
    with pytest.raises(ValidationError) as error:
        services.match_start(match=proposed, start_date=days_ago(1), by=world.worker)
    assert "Consent to “Mentor match” is missing or withdrawn" in messages(error)
    with pytest.raises(ValidationError) as error:
        services.mentor_contact_log(match=running, by=world.worker, occurred_at=timezone.now(), duration_minutes=60)
    assert "Consent to “Mentor match” is missing or withdrawn" in messages(error)
    met_before = timezone.now() - dt.timedelta(days=5)  # while the consent stood
    assert services.mentor_contact_log(match=running, by=world.worker, occurred_at=met_before, duration_minutes=60)
