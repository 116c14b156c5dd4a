"""The access rule of cases.selectors, role by role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from cases import selectors
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def _names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


def test_worker_sees_her_own_and_her_teams_young_people(world):
    assert _names(selectors.young_people_for(world.worker)) == {"Mikkel Ung", "Freja Kollega"}


def test_team_leader_sees_her_team(world):
    assert _names(selectors.young_people_for(world.leader)) == {"Mikkel Ung", "Freja Kollega"}


def test_worker_of_another_team_sees_only_her_own(world):
    assert _names(selectors.young_people_for(world.outsider)) == {"Jonas Fremmed"}
    with pytest.raises(Http404):
        selectors.young_person_for(world.outsider, world.young_person.pk)


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_analysts_and_administrators_see_no_personal_record(world, role):
    user = getattr(world, role)
    assert not selectors.young_people_for(user).exists()
    assert not selectors.enrolments_for(user).exists()
    assert not selectors.contacts_for(user).exists()


def test_anonymous_and_deactivated_users_see_nothing(world):
    assert not selectors.young_people_for(AnonymousUser()).exists()
    world.worker.is_active = False
    world.worker.save()
    assert not selectors.young_people_for(world.worker).exists()


def test_a_worker_keeps_seeing_her_enrolment_in_another_team(world):
    """A worker moved to another team still sees the enrolments she is primary worker of."""
    world.worker.team = world.other_team
    world.worker.save()
    assert "Mikkel Ung" in _names(selectors.young_people_for(world.worker))
    assert "Freja Kollega" not in _names(selectors.young_people_for(world.worker))


def test_contacts_follow_the_enrolments(world):
    mine = ContactFactory(enrolment=world.enrolment)
    theirs = ContactFactory(enrolment=world.outsiders_young_person.enrolments.get())
    visible = set(selectors.contacts_for(world.worker).values_list("pk", flat=True))
    assert mine.pk in visible and theirs.pk not in visible
