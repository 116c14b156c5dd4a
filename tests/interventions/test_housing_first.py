"""Housing First with CTI: the phases and their norms, the housing timeline
with the move-in, housing goals, the network map as a picture, the status
template, and who may see them."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from cases.models import AccessLog
from interventions.housing_first import selectors, services
from interventions.housing_first.cti import cti_course, phase_definition_for_day
from interventions.housing_first.network_map import network_map
from interventions.models import ContactNorm, NetworkRelation
from outcomes.models import StatusEvent
from tests.conftest import login
from tests.factories import ContactFactory, EnrolmentFactory, StatusEventFactory, intervention
from tests.interventions.factories_methods import (
    HousingGoalFactory,
    MediationCaseFactory,
    MediationPartyFactory,
    NetworkRelationFactory,
    ParentCouncilFactory,
    cti_enrolment,
    days_ago,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(world):
    return cti_enrolment(young_person=world.young_person, primary_worker=world.worker, start_date=days_ago(100))


@pytest.mark.parametrize(
    ("day", "phase"),
    [(0, "transition"), (90, "transition"), (91, "try_out"), (181, "try_out"), (182, "transfer_of_care")]
    + [(272, "transfer_of_care"), (273, "after"), (-1, None)],
)
def test_phase_boundaries_in_enrolment_days(day, phase):
    definition = phase_definition_for_day(day)
    assert (definition.code if definition else None) == phase


def test_the_course_shows_its_phase_planned_end_and_the_phases_norm_from_the_stored_norms(course):
    today = course.start_date + dt.timedelta(days=100)
    state = cti_course(course, today)
    assert (state.phase.code, state.day, state.norm) == ("try_out", 100, Decimal("1"))
    assert [row.norm for row in state.phases] == [Decimal("2"), Decimal("1"), Decimal("0.5"), Decimal("0.25")]
    ContactNorm.objects.filter(intervention_type=course.intervention_type, from_day=91).update(contacts_per_week=3)
    course.intervention_type.refresh_from_db()
    assert cti_course(course, today).norm == Decimal("3")


def test_the_planned_end_is_nine_calendar_months_after_the_start(course):
    course.start_date = dt.date(2025, 5, 31)
    assert cti_course(course, dt.date(2025, 6, 1)).planned_end == dt.date(2026, 2, 28)


def test_an_ended_course_is_shown_as_it_stood_at_its_end(course):
    course.end_date = course.start_date + dt.timedelta(days=50)
    state = cti_course(course, course.start_date + dt.timedelta(days=200))
    assert (state.phase.code, state.day, state.ended) == ("transition", 50, True)


def test_the_timeline_marks_the_move_in_and_a_return_to_homelessness(world, course):
    StatusEventFactory(young_person=world.young_person, domain="housing", value="institution", date=days_ago(200))
    StatusEventFactory(young_person=world.young_person, domain="housing", value="shelter", date=days_ago(90))
    StatusEventFactory(young_person=world.young_person, domain="housing", value="own_tenancy", date=days_ago(60))
    StatusEventFactory(young_person=world.young_person, domain="housing", value="street", date=days_ago(10))
    timeline = selectors.housing_timeline(course, days_ago(0))
    assert timeline.move_in_date == days_ago(60)
    assert [(e.event.value, e.before_course, e.move_in) for e in timeline.events] == [
        ("institution", True, False),
        ("shelter", False, False),
        ("own_tenancy", False, True),
        ("street", False, False),
    ]
    assert timeline.returned_to_homelessness
    assert timeline.current.value == "street"


def test_housing_status_is_recorded_through_the_outcome_service(world, course):
    with translation.override("en"):
        event = services.housing_status_record(enrolment=course, date=days_ago(3), value="own_tenancy", by=world.worker)
        assert (event.domain, event.recorded_by) == ("housing", world.worker)
        with pytest.raises(ValidationError) as error:
            services.housing_status_record(enrolment=course, date=days_ago(3), value="shelter", by=world.worker)
        assert "already has a status in this domain on this day" in " ".join(error.value.messages)
        with pytest.raises(ValidationError) as error:
            services.housing_status_record(enrolment=course, date=days_ago(-1), value="shelter", by=world.worker)
        assert error.value.message_dict["date"] == ["The date is in the future; record it when it has happened."]
        with pytest.raises(ValidationError) as error:
            services.housing_status_record(enrolment=world.enrolment, date=days_ago(1), value="shelter", by=None)
        assert "not a Housing First (CTI) enrolment" in " ".join(error.value.messages)


def test_housing_goals_are_set_and_met(world, course):
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            services.housing_goal_add(enrolment=course, text="x", target_on=days_ago(101), by=world.worker)
        assert "before the start of the course" in error.value.message_dict["target_on"][0]
        goal = services.housing_goal_add(
            enrolment=course, text="Skrevet op til bolig", target_on=days_ago(-30), by=world.worker
        )
        services.housing_goal_met(goal=goal, met_on=days_ago(2), by=world.worker)
        with pytest.raises(ValidationError) as error:
            services.housing_goal_met(goal=goal, met_on=days_ago(1), by=world.worker)
        assert "already met" in " ".join(error.value.messages)
    assert AccessLog.objects.filter(object_type="housinggoal", object_id=goal.pk, action="update").count() == 2


def test_a_relation_is_validated_and_only_civil_society_offers_are_bridged_to(world):
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            services.network_relation_save(
                young_person=world.young_person,
                by=world.worker,
                name="Mor",
                relation_type="birth_family",
                bridged_on=days_ago(3),
            )
        assert error.value.message_dict["bridged_on"] == ["Only civil-society offers are recorded as bridged to."]
        with pytest.raises(ValidationError) as error:
            services.network_relation_save(
                young_person=world.young_person,
                by=world.worker,
                name="Mor",
                relation_type="birth_family",
                since=days_ago(3),
                ended_on=days_ago(4),
            )
        assert "before the start of the relation" in error.value.message_dict["ended_on"][0]
    relation = services.network_relation_save(
        young_person=world.young_person,
        by=world.worker,
        name="Lektiecafé",
        relation_type="civil_society",
        bridged_on=days_ago(3),
    )
    services.network_relation_save(
        young_person=world.young_person,
        relation=relation,
        by=world.worker,
        name="Lektiecafé",
        relation_type="civil_society",
        quality="conflict",
        bridged_on=days_ago(3),
    )
    log = AccessLog.objects.filter(object_type="networkrelation", object_id=relation.pk).order_by("id")
    assert list(log.values_list("action", "detail")) == [("create", ""), ("update", "quality")]


def test_the_network_map_is_a_labelled_picture_with_line_styles_and_markers(world):
    relations = [
        NetworkRelationFactory(young_person=world.young_person, name="Mor", quality="conflict"),
        NetworkRelationFactory(
            young_person=world.young_person,
            name="Kontaktperson",
            relation_type="professional",
            paid=True,
            quality="positive",
        ),
        NetworkRelationFactory(
            young_person=world.young_person,
            name="Røde Kors lektiecafé",
            relation_type="civil_society",
            quality="positive",
        ),
        NetworkRelationFactory(
            young_person=world.young_person,
            name="Gammel ven",
            ended_on=days_ago(1),
            relation_type="friend",
            quality="positive",
        ),
    ]
    with translation.override("en"):
        picture = network_map("Mikkel Ung", relations)
        description = picture.description
    assert [n.relation.name for n in picture.nodes] == ["Mor", "Røde Kors lektiecafé", "Kontaktperson"]
    assert [g.text for g in picture.groups] == ["Birth family", "Civil society", "Professional"]
    assert description == (
        "3 current relations. Birth family: 1 (1 conflict-filled); Civil society: 1; Professional: 1. 1 paid, 2 unpaid."
    )
    xs = [n.x for n in picture.nodes] + [g.x for g in picture.groups]
    assert all(0 < x < picture.width for x in xs)


def test_the_map_page_draws_an_svg_with_title_description_legend_and_table(world, course):
    NetworkRelationFactory(young_person=world.young_person, name="Mor", quality="conflict")
    NetworkRelationFactory(
        young_person=world.young_person, name="Bostøtte", relation_type="professional", paid=True, quality="positive"
    )
    response = login(world.worker).get(reverse("interventions:network_map", args=[course.pk]))
    html = response.content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "Netværkskort for Mikkel Ung" in svg
    assert 'stroke-dasharray="11 7"' in svg  # the conflict-filled relation
    assert "<rect" in svg and "kr." in svg  # the paid relation's square
    assert "Signaturforklaring" in svg and "Konfliktfyldt" in svg and "Ulønnet relation" in svg
    assert not re.search(r'(x|y|cx|cy|x1|y1|x2|y2)="\d+,\d', svg)  # no decimal commas in coordinates
    assert "<caption" in html and "Bostøtte" in html


def test_the_status_template_lists_goals_met_and_offers_bridged_to_during_the_course(world, course):
    HousingGoalFactory(enrolment=course, text="Egen lejlighed", met_on=days_ago(5))
    HousingGoalFactory(enrolment=course, text="Budget lagt")
    NetworkRelationFactory(
        young_person=world.young_person,
        name="Frivilligcentret",
        relation_type="civil_society",
        quality="positive",
        bridged_on=days_ago(20),
    )
    NetworkRelationFactory(
        young_person=world.young_person,
        name="Spejderne",
        relation_type="civil_society",
        quality="positive",
        bridged_on=days_ago(300),
    )
    html = login(world.worker).get(reverse("interventions:cti_status", args=[course.pk])).content.decode()
    assert "Boligmål: 1 af 2 nået" in html
    assert "Frivilligcentret" in html and "Spejderne" not in html  # bridged before the course
    assert AccessLog.objects.filter(action="export", object_type="enrolment", object_id=course.pk).exists()


def test_the_course_page_shows_phase_norm_and_this_weeks_contacts(world, course):
    ContactFactory(enrolment=course)
    html = login(world.worker).get(reverse("interventions:housing_first_detail", args=[course.pk])).content.decode()
    assert "Afprøvning" in html  # the try-out phase, day 100
    assert "1 kvalificerende kontakter om ugen" in html or "1 kvalificerende kontakt" in html


def test_only_cti_enrolments_in_scope_have_a_course_page(world, course):
    assert login(world.outsider).get(reverse("interventions:housing_first_detail", args=[course.pk])).status_code == 404
    other = login(world.worker).get(reverse("interventions:housing_first_detail", args=[world.enrolment.pk]))
    assert other.status_code == 404  # relationship work, not CTI


def test_recording_a_status_from_the_page(world, course):
    client = login(world.worker)
    response = client.post(
        reverse("interventions:housing_status_add", args=[course.pk]),
        {"date": days_ago(1).isoformat(), "value": "own_tenancy"},
    )
    assert response.status_code == 302
    assert StatusEvent.objects.get(young_person=world.young_person).value == "own_tenancy"
    page = client.get(reverse("interventions:housing_first_detail", args=[course.pk])).content.decode()
    assert "Indflytning" in page


def test_a_relation_is_added_and_changed_from_the_map_page(world, course):
    client = login(world.worker)
    url = reverse("interventions:network_map", args=[course.pk])
    response = client.post(
        url,
        {
            "name": "Moster Lise",
            "relation_type": "birth_family",
            "paid": "false",
            "quality": "positive",
            "since": "2015-06-01",
        },
    )
    assert response.status_code == 302
    relation = NetworkRelation.objects.get()
    assert (relation.paid, relation.since) == (False, dt.date(2015, 6, 1))
    edit = reverse("interventions:network_relation_edit", args=[course.pk, relation.pk])
    assert 'value="true"' in client.get(edit).content.decode()
    client.post(edit, {"name": "Moster Lise", "relation_type": "birth_family", "paid": "true", "quality": "conflict"})
    relation.refresh_from_db()
    assert (relation.paid, relation.quality) == (True, "conflict")


def test_the_young_person_page_links_each_enrolment_to_its_methods_pages(world, course):
    for code in ("mediation", "parent_council"):
        EnrolmentFactory(
            young_person=world.young_person, primary_worker=world.worker, intervention_type=intervention(code)
        )
    html = login(world.worker).get(reverse("cases:young_person_detail", args=[world.young_person.pk])).content.decode()
    person = world.young_person.pk
    assert f'href="/mediation/?young_person={person}"' in html
    assert f'href="/parent-councils/new/?young_person={person}"' in html
    assert f'href="/housing-first/{course.pk}/"' in html and f'href="/housing-first/{course.pk}/network/"' in html


def test_the_pages_speak_english_when_chosen(world, course):
    case = MediationCaseFactory(team=world.team, mediators=[world.worker])
    MediationPartyFactory(case=case, young_person=world.young_person)
    council = ParentCouncilFactory(initiator=world.worker)
    client = login(world.worker)
    client.cookies["django_language"] = "en"
    pages = {
        reverse("interventions:mediation_detail", args=[case.pk]): "The method, step by step",
        reverse("interventions:council_detail", args=[council.pk]): "Phase I: preparation",
        reverse("interventions:housing_first_detail", args=[course.pk]): "Contact norm in this phase",
        reverse("interventions:network_map", args=[course.pk]): "Network map of Mikkel Ung",
    }
    for url, text in pages.items():
        response = client.get(url)
        assert text in response.content.decode(), url
        assert '<html lang="en">' in response.content.decode()
