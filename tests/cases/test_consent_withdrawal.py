"""Consent withdrawal (GDPR art. 7(3)) and data minimisation in the case forms.

Refusals are read in Danish, the default language, as the worker sees them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.forms import ConsentForm, ContactForm
from cases.models import AccessLog, Consent, ConsentPurpose, Enrolment
from interventions.mentoring import services as mentoring
from tests.conftest import login
from tests.factories import EnrolmentFactory, intervention
from tests.interventions.factories_mentoring import approved_mentor

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def consent(world, purpose: str = ConsentPurpose.MENTOR_MATCH, days: int = 200) -> Consent:
    return services.consent_record(
        young_person=world.young_person,
        purpose=purpose,
        given_by=Consent.GivenBy.PARENT,
        given_on=TODAY() - dt.timedelta(days=days),
        by=world.worker,
    )


def test_a_withdrawal_records_the_day_and_who_withdrew(world):
    given = consent(world)

    services.consent_withdraw(
        consent=given, withdrawn_on=TODAY(), withdrawn_by=Consent.GivenBy.YOUNG_PERSON, by=world.worker
    )

    given.refresh_from_db()
    assert given.withdrawn_on == TODAY()
    assert not given.is_active_on(TODAY())
    logged = AccessLog.objects.get(object_type="consent", object_id=given.pk, action=AccessLog.Action.UPDATE)
    assert (logged.user, logged.detail) == (world.worker, "consent withdrawn by young_person")
    latest = Consent.history.filter(id=given.pk).latest("history_date")
    assert (latest.withdrawn_on, latest.history_change_reason) == (TODAY(), "withdrawn by young_person")


@pytest.mark.parametrize(
    ("withdrawn_on", "withdrawn_by", "message"),
    [
        (lambda: TODAY() + dt.timedelta(days=1), "parent", "kan ikke dateres i fremtiden"),
        (lambda: TODAY() - dt.timedelta(days=201), "parent", "før det er givet"),
        (lambda: TODAY(), "the_neighbour", "Vælg, hvem der trak"),
    ],
)
def test_a_withdrawal_is_refused_when_it_cannot_be_true(world, withdrawn_on, withdrawn_by, message):
    given = consent(world)
    with pytest.raises(ValidationError, match=message):
        services.consent_withdraw(
            consent=given, withdrawn_on=withdrawn_on(), withdrawn_by=withdrawn_by, by=world.worker
        )
    given.refresh_from_db()
    assert given.withdrawn_on is None


def test_after_a_withdrawal_a_mentor_match_is_refused(world):
    given = consent(world)
    mentor = approved_mentor(world.team)
    services.consent_withdraw(consent=given, withdrawn_on=TODAY() - dt.timedelta(days=10), by=world.worker)

    with pytest.raises(ValidationError, match="mangler eller er trukket tilbage"):
        mentoring.match_propose(
            young_person=world.young_person,
            mentor=mentor,
            coordinator=world.worker,
            meeting_date=TODAY(),
            meeting_participants="Koordinator",
            by=world.worker,
        )
    # While it was valid, the same match would have been accepted.
    match = mentoring.match_propose(
        young_person=world.young_person,
        mentor=mentor,
        coordinator=world.worker,
        meeting_date=TODAY() - dt.timedelta(days=11),
        meeting_participants="Koordinator",
        by=world.worker,
    )
    assert match.pk


def test_after_a_withdrawal_housing_first_cannot_be_opened(world):
    given = consent(world, purpose=ConsentPurpose.OBTAIN_INFORMATION)
    services.consent_withdraw(consent=given, withdrawn_on=TODAY() - dt.timedelta(days=1), by=world.worker)

    with pytest.raises(ValidationError, match="mangler eller er trukket tilbage"):
        services.enrolment_open(
            young_person=world.young_person,
            intervention_type=intervention("housing_first_cti"),
            primary_worker=world.worker,
            team=world.team,
            start_date=TODAY(),
            by=world.worker,
        )
    assert not Enrolment.objects.filter(young_person=world.young_person, intervention_type__code="housing_first_cti")


def test_the_withdrawal_page_explains_it_in_danish_and_names_the_open_enrolment_that_rests_on_it(world):
    given = consent(world, purpose=ConsentPurpose.OBTAIN_INFORMATION)
    EnrolmentFactory(
        young_person=world.young_person,
        primary_worker=world.worker,
        intervention_type=intervention("housing_first_cti"),
    )
    client = login(world.worker)
    url = reverse("cases:consent_withdraw", args=[given.pk])

    page = client.get(url).content.decode()

    assert "Hvad det betyder at trække samtykket tilbage" in page
    assert "til enhver tid trækkes tilbage" in page
    assert "slettes ikke ved tilbagetrækningen" in page
    assert "Åbne forløb, der bygger på dette samtykke" in page
    assert "Housing First" in page
    assert "Trukket tilbage af" in page

    response = client.post(url, {"withdrawn_by": "guardian", "withdrawn_on": TODAY().isoformat()})
    assert response.status_code == 302
    given.refresh_from_db()
    assert given.withdrawn_on == TODAY()
    assert AccessLog.objects.filter(object_id=given.pk, detail="consent withdrawn by guardian").exists()


def test_the_withdrawal_page_says_nothing_of_enrolments_when_another_consent_covers_them(world):
    first = consent(world, purpose=ConsentPurpose.OBTAIN_INFORMATION)
    consent(world, purpose=ConsentPurpose.OBTAIN_INFORMATION, days=10)
    EnrolmentFactory(
        young_person=world.young_person,
        primary_worker=world.worker,
        intervention_type=intervention("housing_first_cti"),
    )
    page = login(world.worker).get(reverse("cases:consent_withdraw", args=[first.pk])).content.decode()
    assert "Åbne forløb, der bygger på dette samtykke" not in page


def test_a_future_withdrawal_is_refused_beside_the_field(world):
    given = consent(world)
    response = login(world.worker).post(
        reverse("cases:consent_withdraw", args=[given.pk]),
        {"withdrawn_by": "parent", "withdrawn_on": (TODAY() + dt.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 200
    assert "En tilbagetrækning kan ikke dateres i fremtiden." in response.context["form"].errors["withdrawn_on"]
    given.refresh_from_db()
    assert given.withdrawn_on is None


def test_an_outsider_cannot_withdraw_someone_elses_consent(world):
    given = consent(world)
    response = login(world.outsider).post(
        reverse("cases:consent_withdraw", args=[given.pk]), {"withdrawn_by": "parent", "withdrawn_on": TODAY()}
    )
    assert response.status_code == 404
    given.refresh_from_db()
    assert given.withdrawn_on is None


# --- Data minimisation -----------------------------------------------------------------------


def test_a_partner_is_named_only_on_a_consent_to_share():
    form = ConsentForm(
        {"purpose": "mentor_match", "partner": "Jobcentret", "given_by": "parent", "given_on": "2026-01-05"}
    )
    assert not form.is_valid()
    assert "partner" in form.errors
    sharing = ConsentForm(
        {"purpose": "share_with_partner", "partner": "Jobcentret", "given_by": "parent", "given_on": "2026-01-05"}
    )
    assert sharing.is_valid(), sharing.errors


def test_the_contact_note_warns_against_sensitive_details_and_no_case_form_asks_for_a_cpr_number(world):
    page = login(world.worker).get(reverse("cases:young_person_detail", args=[world.young_person.pk])).content.decode()
    assert "ingen oplysninger om helbred, kriminalitet eller familie, som sagen ikke har brug for" in page
    assert "CPR" not in "".join(ContactForm.base_fields)
    from cases import forms

    for name in dir(forms):
        form = getattr(forms, name)
        if isinstance(form, type) and issubclass(form, forms.forms.Form):
            assert not any("cpr" in field for field in form.base_fields), name
