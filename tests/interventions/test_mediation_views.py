"""Mediation pages: who sees a case, the page walks the method in order, the
print view and the PDF, and every read is logged."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse

from cases.models import AccessLog
from interventions.mediation import selectors
from interventions.models import MediationAgreement, MediationCase
from tests.conftest import login
from tests.factories import EnrolmentFactory, TeamFactory, UserFactory
from tests.interventions.factories_methods import (
    MediationCaseFactory,
    MediationFollowUpFactory,
    MediationPartyFactory,
    MediationStepFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db


def _case_of(young_person, **kwargs) -> MediationCase:
    case = MediationCaseFactory(**kwargs)
    MediationPartyFactory(case=case, young_person=young_person, role="victim")
    MediationPartyFactory(case=case, young_person=None, name="Elev fra Nordskolen", role="offender")
    return case


def test_a_case_is_seen_through_any_party_the_user_may_see(world):
    case = _case_of(world.colleagues_young_person, team=TeamFactory(name="Team Øst"))
    assert list(selectors.mediation_cases_for(world.worker)) == [case]  # her team's young person
    assert list(selectors.mediation_cases_for(world.leader)) == [case]
    assert list(selectors.mediation_cases_for(world.outsider)) == []
    assert list(selectors.mediation_cases_for(world.analyst)) == []


def test_a_mediator_and_the_owning_team_see_the_case(world):
    east = TeamFactory(name="Team Øst")
    mediator = UserFactory(team=world.other_team)
    case = _case_of(EnrolmentFactory(primary_worker=UserFactory(team=east)).young_person, team=east)
    case.mediators.set([mediator])
    assert list(selectors.mediation_cases_for(mediator)) == [case]
    assert list(selectors.mediation_cases_for(world.worker)) == []
    case.team = world.team
    case.save()
    assert list(selectors.mediation_cases_for(world.worker)) == [case]


def test_a_mentor_account_sees_no_mediation_case(world):
    mentor = UserFactory(role="mentor", team=None)
    _case_of(world.young_person, team=world.team)
    assert list(selectors.mediation_cases_for(mentor)) == []


def test_the_case_page_shows_the_steps_in_order_and_logs_a_read_per_registered_party(world):
    case = _case_of(world.young_person, team=world.team, mediators=[world.worker])
    response = login(world.worker).get(reverse("interventions:mediation_detail", args=[case.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Forberedelse") < html.index("Mæglingsmødet") < html.index("Aftalen") < html.index("Opfølgning")
    assert "Elev fra Nordskolen" in html
    reads = AccessLog.objects.filter(user=world.worker, action="read", object_type="mediationcase", object_id=case.pk)
    assert list(reads.values_list("young_person_id", flat=True)) == [world.young_person.pk]


def test_another_teams_worker_gets_404(world):
    case = _case_of(world.young_person, team=world.team)
    client = login(world.outsider)
    assert client.get(reverse("interventions:mediation_detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("interventions:mediation_agreement_print", args=[case.pk])).status_code == 404
    assert client.post(reverse("interventions:mediation_close", args=[case.pk])).status_code == 404


def test_creating_a_case_from_the_form(world):
    client = login(world.worker)
    url = reverse("interventions:mediation_create")
    page = client.get(url, {"young_person": world.young_person.pk})
    assert page.status_code == 200
    assert f'<option value="{world.young_person.pk}" selected>' in page.content.decode()
    response = client.post(
        url,
        {
            "case_type": "external",
            "summary": "Trusler efter en fest",
            "referred_on": days_ago(2).isoformat(),
            "first_young_person": world.young_person.pk,
            "first_role": "offender",
            "second_name": "Ung fra nabokommunen",
            "second_role": "victim",
            "mediators": [world.worker.pk],
        },
    )
    case = MediationCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("interventions:mediation_detail", args=[case.pk])
    assert [p.display_name for p in case.parties.all()] == ["Mikkel Ung", "Ung fra nabokommunen"]
    page = client.get(response["Location"]).content.decode()
    assert "Venter" in page and "Registrér politiets godkendelse" in page


def test_a_refused_step_shows_the_message_on_the_page(world):
    case = _case_of(world.young_person, team=world.team, mediators=[world.worker])
    response = login(world.worker).post(
        reverse("interventions:mediation_step_record", args=[case.pk]), {"step": 1, "done_on": days_ago(1).isoformat()}
    )
    assert response.status_code == 200
    assert "Forbered mæglingen først" in response.content.decode()
    assert not case.steps.exists()


def test_the_list_marks_overdue_follow_ups_in_words(world):
    case = _case_of(world.young_person, team=world.team)
    MediationStepFactory(case=case, step=6)
    MediationFollowUpFactory(case=case, months=3, due_on=days_ago(5))
    html = login(world.worker).get(reverse("interventions:mediation_list")).content.decode()
    assert "Overskredet" in html
    assert "Opfølgning" in html


def test_the_agreement_prints_and_exports_as_pdf(world):
    case = _case_of(world.young_person, team=world.team, mediators=[world.worker])
    MediationAgreement.objects.create(case=case, text="Vi lader hinanden være i frikvarteret.", approved_on=days_ago(1))
    client = login(world.worker)
    page = client.get(reverse("interventions:mediation_agreement_print", args=[case.pk]))
    assert page.status_code == 200
    assert "Vi lader hinanden være i frikvarteret." in page.content.decode()
    assert 'href="/static/css/print.css"' in page.content.decode()  # print styles are a file (CSP)
    pdf = client.get(reverse("interventions:mediation_agreement_pdf", args=[case.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout
    assert "Vi lader hinanden være i frikvarteret." in text.decode()
    exports = AccessLog.objects.filter(action="export", object_type="mediationcase", object_id=case.pk)
    assert exports.count() == 2
