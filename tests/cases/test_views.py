from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessLog, Contact
from tests.factories import ContactFactory, EnrolmentFactory, PauseFactory

pytestmark = pytest.mark.django_db


def test_caseload_lists_own_active_enrolments_not_seen_longest_first(world, client_for):
    now = timezone.now()
    seen_yesterday = EnrolmentFactory(primary_worker=world.worker, young_person__name="Seen Yesterday")
    ContactFactory(enrolment=seen_yesterday, occurred_at=now - dt.timedelta(days=1))
    seen_long_ago = EnrolmentFactory(primary_worker=world.worker, young_person__name="Seen Long Ago")
    ContactFactory(enrolment=seen_long_ago, occurred_at=now - dt.timedelta(days=20))
    # A text message is not a qualifying contact, so it does not count as "seen".
    ContactFactory(enrolment=seen_long_ago, occurred_at=now - dt.timedelta(hours=2), channel=Contact.Channel.TEXT)
    EnrolmentFactory(
        primary_worker=world.worker,
        young_person__name="Ended Enrolment",
        end_date=timezone.localdate() - dt.timedelta(days=2),
        end_reason="completed",
    )

    response = client_for(world.worker).get(reverse("cases:my_young_people"))

    names = [row.young_person.name for row in response.context["rows"]]
    assert names == ["Mikkel Ung", "Seen Long Ago", "Seen Yesterday"]  # never seen comes first
    rows = {row.young_person.name: row for row in response.context["rows"]}
    assert rows["Seen Long Ago"].days_since_last_contact == 20
    assert rows["Seen Long Ago"].overdue  # relationship work expects weekly contact
    assert not rows["Seen Yesterday"].overdue
    assert "Freja Kollega" not in names  # a colleague's young person is on the team view only
    assert "Over the norm" in response.content.decode() or "Over normen" in response.content.decode()


def test_team_view_shows_the_teams_enrolments(world, client_for):
    response = client_for(world.worker).get(reverse("cases:my_young_people") + "?scope=team")
    names = {row.young_person.name for row in response.context["rows"]}
    assert names == {"Mikkel Ung", "Freja Kollega"}


def test_paused_enrolment_is_shown_as_paused_not_overdue(world, client_for):
    today = timezone.localdate()
    PauseFactory(enrolment=world.enrolment, start_date=today - dt.timedelta(days=3), end_date=None)
    response = client_for(world.worker).get(reverse("cases:my_young_people"))
    row = response.context["rows"][0]
    assert row.paused and not row.overdue


def test_caseload_list_is_written_to_the_access_log(world, client_for):
    client_for(world.worker).get(reverse("cases:my_young_people"))
    entry = AccessLog.objects.get(action=AccessLog.Action.LIST)
    assert (entry.user, entry.young_person, entry.purpose) == (world.worker, world.young_person, "case_work")


def test_young_person_page_shows_timeline_newest_first_and_logs_the_read(world, client_for):
    older = ContactFactory(enrolment=world.enrolment, occurred_at=timezone.now() - dt.timedelta(days=5))
    newer = ContactFactory(enrolment=world.enrolment, occurred_at=timezone.now() - dt.timedelta(days=1))

    response = client_for(world.worker).get(reverse("cases:young_person_detail", args=[world.young_person.pk]))

    assert response.status_code == 200
    assert [c.pk for c in response.context["contacts"]] == [newer.pk, older.pk]
    read = AccessLog.objects.get(action=AccessLog.Action.READ)
    assert (read.user, read.young_person, read.purpose) == (world.worker, world.young_person, "case_work")


def test_contact_form_defaults_to_now_in_person_and_usual_duration(world, client_for):
    for _ in range(3):
        ContactFactory(enrolment=world.enrolment, duration_minutes=90)
    for _ in range(5):  # text messages don't say how long a meeting takes
        ContactFactory(enrolment=world.enrolment, duration_minutes=5, channel=Contact.Channel.TEXT)
    response = client_for(world.worker).get(reverse("cases:young_person_detail", args=[world.young_person.pk]))
    form = response.context["form"]
    assert form.initial["duration_minutes"] == 90
    assert form.initial["channel"] == "in_person"
    assert form.initial["status"] == "held"
    assert abs(form.initial["occurred_at"] - timezone.now()) < dt.timedelta(minutes=2)
    assert form.initial["enrolment"] == world.enrolment


def _contact_post(world, **overrides):
    data = {
        "enrolment": world.enrolment.pk,
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": 45,
        "channel": "phone",
        "status": "held",
        "note": "Talte om skole",
    }
    data.update(overrides)
    return data


def test_logging_a_contact_with_htmx_returns_fresh_form_and_new_timeline(world, client_for):
    url = reverse("cases:contact_create", args=[world.young_person.pk])
    response = client_for(world.worker).post(url, _contact_post(world), headers={"HX-Request": "true"})

    assert response.status_code == 200
    contact = Contact.objects.get()
    assert (contact.worker, contact.channel, contact.duration_minutes) == (world.worker, "phone", 45)
    html = response.content.decode()
    assert 'id="timeline"' in html and 'hx-swap-oob="true"' in html  # the first contact: the whole timeline
    assert f'data-contact-id="{contact.pk}"' in html
    created = AccessLog.objects.get(action=AccessLog.Action.CREATE)
    assert (created.object_type, created.object_id) == ("contact", contact.pk)


def test_a_newer_contact_is_put_at_the_top_and_an_earlier_one_brings_the_whole_timeline(world, client_for):
    url = reverse("cases:contact_create", args=[world.young_person.pk])
    client = client_for(world.worker)
    now = timezone.localtime()
    client.post(url, _contact_post(world, occurred_at=(now - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")))

    newest = client.post(url, _contact_post(world), headers={"HX-Request": "true"}).content.decode()
    latest = Contact.objects.latest("occurred_at")
    assert '<ol hx-swap-oob="afterbegin:#timeline">' in newest and 'id="timeline"' not in newest
    assert newest.count("data-contact-id=") == 1 and f'data-contact-id="{latest.pk}"' in newest

    earlier = (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, _contact_post(world, occurred_at=earlier), headers={"HX-Request": "true"})
    middle = response.content.decode()
    assert 'id="timeline"' in middle and 'hx-swap-oob="true"' in middle and "afterbegin" not in middle
    ids = [int(pk) for pk in re.findall(r'data-contact-id="(\d+)"', middle)]
    assert ids == list(Contact.objects.order_by("-occurred_at", "-id").values_list("pk", flat=True))


def test_logging_a_contact_without_javascript_redirects_to_the_page(world, client_for):
    url = reverse("cases:contact_create", args=[world.young_person.pk])
    response = client_for(world.worker).post(url, _contact_post(world))
    assert response.status_code == 302
    assert Contact.objects.count() == 1


def test_invalid_contact_shows_field_errors_inline_and_saves_nothing(world, client_for):
    url = reverse("cases:contact_create", args=[world.young_person.pk])
    future = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(world.worker).post(
        url, _contact_post(world, occurred_at=future, duration_minutes=-5), headers={"HX-Request": "true"}
    )
    form = response.context["form"]
    assert "duration_minutes" in form.errors
    assert Contact.objects.count() == 0
    response = client_for(world.worker).post(
        url, _contact_post(world, occurred_at=future), headers={"HX-Request": "true"}
    )
    assert "occurred_at" in response.context["form"].errors
    assert 'class="invalid-feedback' in response.content.decode()
    assert Contact.objects.count() == 0


def test_contact_before_the_enrolment_started_is_refused(world, client_for):
    url = reverse("cases:contact_create", args=[world.young_person.pk])
    before = dt.datetime.combine(world.enrolment.start_date - dt.timedelta(days=1), dt.time(12))
    response = client_for(world.worker).post(
        url, _contact_post(world, occurred_at=before.strftime("%Y-%m-%dT%H:%M")), headers={"HX-Request": "true"}
    )
    assert (
        "outside the enrolment" in " ".join(response.context["form"].errors["occurred_at"])
        or response.context["form"].errors["occurred_at"]
    )
    assert Contact.objects.count() == 0


def test_cannot_log_on_another_teams_young_person(world, client_for):
    url = reverse("cases:contact_create", args=[world.outsiders_young_person.pk])
    response = client_for(world.worker).post(url, _contact_post(world))
    assert response.status_code == 404
    assert Contact.objects.count() == 0


def test_cannot_log_on_another_teams_enrolment_through_a_visible_person(world, client_for):
    outsiders_enrolment = world.outsiders_young_person.enrolments.get()
    url = reverse("cases:contact_create", args=[world.young_person.pk])
    response = client_for(world.worker).post(url, _contact_post(world, enrolment=outsiders_enrolment.pk))
    assert response.status_code == 200  # the form again, with an error on the enrolment field
    assert "enrolment" in response.context["form"].errors
    assert Contact.objects.count() == 0


def test_editing_a_contact_is_saved_and_recorded(world, client_for):
    contact = ContactFactory(enrolment=world.enrolment, duration_minutes=30)
    url = reverse("cases:contact_edit", args=[contact.pk])
    client = client_for(world.worker)
    assert client.get(url).status_code == 200
    data = _contact_post(world, duration_minutes=75)
    data["occurred_at"] = timezone.localtime(contact.occurred_at).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, data)
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.duration_minutes == 75
    change = AccessLog.objects.get(action=AccessLog.Action.UPDATE)
    assert "duration_minutes" in change.detail and change.user == world.worker


def test_cancelling_a_contact_keeps_it_marked_cancelled(world, client_for):
    contact = ContactFactory(enrolment=world.enrolment)
    response = client_for(world.worker).post(reverse("cases:contact_cancel", args=[contact.pk]))
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.status == Contact.Status.CANCELLED
    assert AccessLog.objects.filter(action=AccessLog.Action.UPDATE, object_id=contact.pk).exists()


def test_search_is_a_post_logged_with_its_term(world, client_for):
    response = client_for(world.worker).post(
        reverse("cases:young_people_search"), {"term": "Freja"}, headers={"HX-Request": "true"}
    )
    assert [p.name for p in response.context["results"]] == ["Freja Kollega"]
    search = AccessLog.objects.get(action=AccessLog.Action.SEARCH)
    assert search.detail == "Freja" and search.user == world.worker
    assert AccessLog.objects.get(action=AccessLog.Action.LIST).young_person == world.colleagues_young_person


def test_search_never_finds_another_teams_young_person(world, client_for):
    response = client_for(world.worker).post(reverse("cases:young_people_search"), {"term": "Jonas"})
    assert response.context["results"] == []


def test_a_cpr_number_typed_into_search_is_masked_in_the_access_log(world, client_for):
    client_for(world.worker).post(reverse("cases:young_people_search"), {"term": "010203-1234"})
    assert AccessLog.objects.get(action=AccessLog.Action.SEARCH).detail == "[cpr]"


def test_pages_are_danish_by_default_and_english_on_request(world, client_for):
    client = client_for(world.worker)
    assert "Mine unge" in client.get(reverse("cases:my_young_people")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "My young people" in client.get(reverse("cases:my_young_people")).content.decode()


def test_method_follow_ups_appear_on_the_workers_list(world, client_for):
    from tests.interventions.factories_methods import (
        MediationCaseFactory,
        MediationFollowUpFactory,
        MediationPartyFactory,
    )

    case = MediationCaseFactory(team=world.team)
    MediationPartyFactory(case=case, young_person=world.young_person)
    MediationFollowUpFactory(case=case, months=3, due_on=timezone.localdate() - dt.timedelta(days=2))
    response = client_for(world.worker).get(reverse("cases:my_young_people"))
    [followup] = response.context["method_followups"]
    assert followup.overdue
    assert followup.url in response.content.decode()
    assert client_for(world.outsider).get(reverse("cases:my_young_people")).context["method_followups"] == []
