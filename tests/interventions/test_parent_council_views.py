"""Parent council pages: scope, the three phases on one page, the printable plan."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import AccessLog
from interventions.models import ParentCouncil
from interventions.parent_council import selectors
from tests.conftest import login
from tests.factories import EnrolmentFactory, TeamFactory, UserFactory
from tests.interventions.factories_methods import (
    ParentCouncilFactory,
    ParentCouncilFamilyFactory,
    ParentCouncilFollowUpFactory,
    ParentCouncilMeetingFactory,
    ParentCouncilParentFactory,
    ParentCouncilPlanItemFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db


def _council_about(*young_people, **kwargs) -> ParentCouncil:
    council = ParentCouncilFactory(**kwargs)
    for young_person in young_people:
        ParentCouncilParentFactory(family=ParentCouncilFamilyFactory(council=council, young_person=young_person))
    return council


def test_a_council_is_seen_through_any_young_person_of_the_group(world):
    east = TeamFactory(name="Team Øst")
    elsewhere = EnrolmentFactory(primary_worker=UserFactory(team=east)).young_person
    council = _council_about(world.colleagues_young_person, elsewhere, initiator=UserFactory(team=east))
    assert list(selectors.parent_councils_for(world.worker)) == [council]
    assert list(selectors.parent_councils_for(world.leader)) == [council]
    assert list(selectors.parent_councils_for(world.outsider)) == []
    assert list(selectors.parent_councils_for(world.analyst)) == []


def test_the_council_page_shows_the_phases_and_logs_a_read_per_family(world):
    council = _council_about(world.young_person, world.colleagues_young_person, initiator=world.worker)
    html = login(world.worker).get(reverse("interventions:council_detail", args=[council.pk])).content.decode()
    assert html.index("Fase I: forberedelse") < html.index("Fase II: rådslagningsmødet") < html.index("Fase III")
    assert "Foreløbig indbydelse til forældrene" in html
    reads = AccessLog.objects.filter(action="read", object_type="parentcouncil", object_id=council.pk)
    assert set(reads.values_list("young_person_id", flat=True)) == {
        world.young_person.pk,
        world.colleagues_young_person.pk,
    }


def test_another_teams_worker_gets_404(world):
    council = _council_about(world.young_person, world.colleagues_young_person, initiator=world.worker)
    client = login(world.outsider)
    assert client.get(reverse("interventions:council_detail", args=[council.pk])).status_code == 404
    assert client.get(reverse("interventions:council_plan_print", args=[council.pk])).status_code == 404


def test_creating_a_council_from_the_form(world):
    other = EnrolmentFactory(primary_worker=world.worker).young_person
    client = login(world.worker)
    response = client.post(
        reverse("interventions:council_create"),
        {
            "title": "Pigerne i klubben",
            "concern": "Mobning på nettet",
            "young_people": [world.young_person.pk, other.pk],
        },
    )
    council = ParentCouncil.objects.get()
    assert response["Location"] == reverse("interventions:council_detail", args=[council.pk])
    assert council.initiator == world.worker
    refused = client.post(
        reverse("interventions:council_create"),
        {"title": "x", "concern": "y", "young_people": [world.young_person.pk]},
    )
    assert "mindst to unge" in refused.content.decode()


def test_a_refused_step_shows_why_on_the_page(world):
    council = _council_about(world.young_person, world.colleagues_young_person, initiator=world.worker)
    council.families.first().parents.all().delete()
    response = login(world.worker).post(
        reverse("interventions:council_invitation", args=[council.pk]),
        {"step": "preliminary_invitation", "on": days_ago(1).isoformat()},
    )
    assert response.status_code == 200
    assert "Tilføj de forældre, der skal inviteres, først" in response.content.decode()


def test_the_plan_prints_and_exports_as_pdf_and_overdue_items_show_in_words(world):
    council = _council_about(world.young_person, world.colleagues_young_person, initiator=world.worker)
    ParentCouncilMeetingFactory(council=council, held_on=days_ago(30), questions="Hvad kan vi gøre?")
    ParentCouncilPlanItemFactory(council=council, follow_up_on=days_ago(3))
    ParentCouncilFollowUpFactory(council=council, due_on=days_ago(1))
    client = login(world.worker)
    page = client.get(reverse("interventions:council_plan_print", args=[council.pk])).content.decode()
    assert "Vi ringer til hinanden" in page and "Hvad kan vi gøre?" in page
    pdf = client.get(reverse("interventions:council_plan_pdf", args=[council.pk]))
    assert pdf.content.startswith(b"%PDF")
    detail = client.get(reverse("interventions:council_detail", args=[council.pk])).content.decode()
    assert "Overskredet" in detail
    listing = client.get(reverse("interventions:council_list")).content.decode()
    assert "Overskredet" in listing and council.title in listing
