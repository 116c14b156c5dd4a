"""The audit trail: an access log nobody can edit, the change history of the
case data, a young person's access report and data export, and the team
leader's review of the access log."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from textwrap import dedent

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from cases.audit import Action, Purpose, access_log_record
from cases.importer import import_records
from cases.models import AccessLog, Consent, Contact, ProblemArea, Team, User, YoungPerson
from cases.selectors_audit import change_history
from cases.services import young_person_update
from cases.services.history import case_history_purge
from interventions.housing_first.services import network_relation_save
from outcomes.instruments.services import assessment_record
from outcomes.models import Assessment, Instrument
from tests.factories import ContactFactory, UserFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

CPR = "0101081234"


@pytest.fixture(autouse=True)
def _english(settings):
    # The texts asserted here are the English msgids; the application's default is Danish.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _read(user, young_person):
    return access_log_record(user=user, action=Action.READ, purpose=Purpose.CASE_WORK, young_person=young_person)


# --- The access log cannot be edited ------------------------------------------------------


def test_postgresql_refuses_an_update_of_the_access_log(world):
    row = _read(world.worker, world.young_person)
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        AccessLog.objects.filter(pk=row.pk).update(purpose=Purpose.STATISTICS, user=world.leader)
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_accesslog SET detail = 'edited' WHERE id = %s", [row.pk])
    row.refresh_from_db()
    assert (row.purpose, row.user, row.detail) == (Purpose.CASE_WORK, world.worker, "")


def test_a_stored_row_cannot_be_saved_or_deleted_but_the_retention_job_can_purge(world):
    old = AccessLog.objects.create(
        user=world.worker, action=Action.READ, purpose=Purpose.CASE_WORK, at=timezone.now() - dt.timedelta(days=4000)
    )
    recent = access_log_record(user=world.worker, action=Action.READ, purpose=Purpose.CASE_WORK)
    recent.detail = "edited"
    with pytest.raises(AccessLog.Immutable):
        recent.save()
    with pytest.raises(AccessLog.Immutable):
        recent.delete()
    # What the retention job does: a queryset delete of the rows past the period.
    assert AccessLog.objects.filter(at__lt=timezone.now() - dt.timedelta(days=365)).delete()[0] == 1
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not AccessLog.objects.filter(pk=old.pk).exists()


def test_the_access_log_outlives_a_deleted_young_person(world):
    person = YoungPersonFactory(name="Slettes Snart")
    row = _read(world.worker, person)
    pk = person.pk
    person.delete()
    row = AccessLog.objects.get(pk=row.pk)
    assert row.young_person_id == pk
    assert AccessLog.objects.filter(young_person_id=pk).count() == 1


def test_the_admin_shows_the_access_log_read_only(world, client_for):
    row = _read(world.worker, world.young_person)
    admin = client_for(world.admin)
    assert admin.get(reverse("admin:cases_accesslog_changelist")).status_code == 200
    assert admin.get(reverse("admin:cases_accesslog_add")).status_code == 403
    change_url = reverse("admin:cases_accesslog_change", args=[row.pk])
    assert admin.get(change_url).status_code == 200  # viewing is allowed
    response = admin.post(change_url, {"detail": "edited", "purpose": "statistics"})
    assert response.status_code == 403
    assert admin.post(reverse("admin:cases_accesslog_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    bulk = admin.post(
        reverse("admin:cases_accesslog_changelist"), {"action": "delete_selected", "_selected_action": [row.pk]}
    )
    assert bulk.status_code in (200, 302)
    row.refresh_from_db()
    assert row.detail == "" and row.purpose == Purpose.CASE_WORK


# --- Who decides access: not editable by those it limits --------------------------------------


def test_a_staff_user_without_superuser_cannot_change_roles_or_teams_in_the_admin(world, client_for):
    from django.contrib.auth.models import Permission

    staff = UserFactory(username="staffer", role=User.Role.ADMINISTRATOR, team=None, is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    if apps.is_installed("django_otp.plugins.otp_totp"):  # staff sign in with a second factor (tests/conftest.login)
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.create(user=staff, name="authenticator app", confirmed=True)
    url = reverse("admin:cases_user_change", args=[staff.pk])
    client = client_for(staff)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="role"' not in page.content.decode() and 'name="is_superuser"' not in page.content.decode()
    client.post(
        url,
        {
            "username": "staffer",
            "name": "Staffer",
            "email": "",
            "role": "team_leader",
            "team": world.team.pk,
            "is_superuser": "on",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
        },
    )
    staff.refresh_from_db()
    assert (staff.role, staff.team_id, staff.is_superuser) == (User.Role.ADMINISTRATOR, None, False)


def test_a_role_change_in_the_admin_is_in_the_users_history_and_a_login_is_not(world, client_for):
    admin = client_for(world.admin)
    url = reverse("admin:cases_user_change", args=[world.worker.pk])
    data = {
        "username": "worker",
        "name": "Sara Worker",
        "email": "",
        "role": "team_leader",
        "team": world.team.pk,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
    }
    assert admin.post(url, data).status_code == 302
    newest = world.worker.history.first()
    assert newest.role == User.Role.TEAM_LEADER and newest.history_user == world.admin
    assert newest.prev_record.role == User.Role.WORKER
    rows = world.worker.history.count()
    client_for(world.worker)  # signing in saves last_login only
    assert world.worker.history.count() == rows
    assert admin.get(reverse("admin:cases_user_history", args=[world.worker.pk])).status_code == 200


# --- Change history ----------------------------------------------------------------------


def _contact_edit(world, client, contact, **changes):
    data = {
        "enrolment": contact.enrolment_id,
        "occurred_at": timezone.localtime(contact.occurred_at).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": contact.duration_minutes,
        "channel": contact.channel,
        "status": contact.status,
        "note": contact.note,
    }
    data.update(changes)
    return client.post(reverse("cases:contact_edit", args=[contact.pk]), data)


def test_changing_a_contact_records_who_and_the_old_and_new_values(world, client_for):
    minute = (timezone.now() - dt.timedelta(days=2)).replace(second=0, microsecond=0)
    contact = ContactFactory(enrolment=world.enrolment, duration_minutes=30, note="Kort snak", occurred_at=minute)
    client = client_for(world.worker)
    assert _contact_edit(world, client, contact, duration_minutes=75, note="Lang snak").status_code == 302

    newest = contact.history.first()
    assert newest.history_type == "~" and newest.history_user == world.worker
    delta = newest.diff_against(newest.prev_record)
    assert {(c.field, c.old, c.new) for c in delta.changes} == {
        ("duration_minutes", 30, 75),
        ("note", "Kort snak", "Lang snak"),
    }

    page = client_for(world.leader).get(reverse("cases:change_history", args=[world.young_person.pk]))
    assert page.status_code == 200
    entry = next(e for e in page.context["page"] if e.record == "Contact" and e.kind == "Changed")
    assert entry.by == "Sara Worker"
    assert {(c.old, c.new) for c in entry.changes} == {("30", "75"), ("Kort snak", "Lang snak")}
    assert "Kort snak" in page.content.decode() and "Lang snak" in page.content.decode()


def test_a_save_that_changes_nothing_is_not_shown_as_a_change(world):
    contact = ContactFactory(enrolment=world.enrolment)
    contact.save()
    kinds = [e.kind for e in change_history(world.young_person) if e.record == "Contact"]
    assert kinds == ["Created"]


def test_the_change_history_hides_cpr_numbers_and_shows_problem_areas(world, client_for):
    young_person_update(young_person=world.young_person, by=world.worker, cpr_number=CPR, phone="12345678")
    area = ProblemArea.objects.create(name="Skolefravær")
    world.young_person.problem_areas.add(area)
    page = client_for(world.worker).get(reverse("cases:change_history", args=[world.young_person.pk]))
    body = page.content.decode()
    assert CPR not in body and "010108" not in body
    changes = {c.field: (c.old, c.new) for e in page.context["page"] if e.record == "Young person" for c in e.changes}
    assert changes["CPR number"] == ("–", "******")
    assert changes["phone"] == ("–", "12345678")
    assert changes["problem areas"] == ("–", "Skolefravær")
    network_relation_save(young_person=world.young_person, by=world.worker, name="Mor", relation_type="birth_family")
    relation = {e.record: e for e in change_history(world.young_person)}["Network relation"]
    assert relation.kind == "Created" and ("who", "–", "Mor") in {(c.field, c.old, c.new) for c in relation.changes}


def test_the_change_history_is_for_the_persons_workers_and_leader_and_is_logged(world, client_for):
    url = reverse("cases:change_history", args=[world.young_person.pk])
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.analyst).get(url).status_code == 403
    client_for(world.worker).get(url)
    client_for(world.leader).get(url)
    rows = AccessLog.objects.filter(young_person=world.young_person, detail="change history")
    assert sorted(rows.values_list("user__username", "purpose")) == [
        ("leader", Purpose.SUPERVISION),
        ("worker", Purpose.CASE_WORK),
    ]


def test_the_importer_writes_history_without_a_user(tmp_path: Path):
    files = {
        "teams.csv": "external_id,name\nT1,Team Nord\n",
        "young_people.csv": "external_id,name,birth_date,gender\nY1,Mikkel Ung,2008-05-17,male\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(dedent(text))
    import_records(tmp_path)
    (tmp_path / "young_people.csv").write_text(
        "external_id,name,birth_date,gender\nY1,Mikkel Ungersen,2008-05-17,male\n"
    )
    import_records(tmp_path)
    person = YoungPerson.objects.get(external_id="Y1")
    entries = change_history(person)
    assert [e.kind for e in entries] == ["Changed", "Created"]
    assert entries[0].by == "The system (import or scheduled job)"
    assert [(c.field, c.old, c.new) for c in entries[0].changes] == [("name", "Mikkel Ung", "Mikkel Ungersen")]


def test_purging_a_young_persons_history_leaves_others(world):
    contact = ContactFactory(enrolment=world.enrolment)
    Consent.objects.create(
        young_person=world.young_person,
        purpose="obtain_information",
        given_by="young_person",
        given_on=dt.date(2026, 1, 1),
        recorded_by=world.worker,
    )
    world.young_person.problem_areas.add(ProblemArea.objects.create(name="Kriminalitet"))
    others_before = YoungPerson.history.filter(id=world.colleagues_young_person.pk).count()
    assert case_history_purge(young_person_ids=[world.young_person.pk]) >= 5
    assert not YoungPerson.history.filter(id=world.young_person.pk).exists()
    assert not Contact.history.filter(id=contact.pk).exists()
    assert not Consent.history.filter(young_person_id=world.young_person.pk).exists()
    assert change_history(world.young_person) == []
    assert YoungPerson.history.filter(id=world.colleagues_young_person.pk).count() == others_before


# --- The access report ---------------------------------------------------------------------


def _named_team_world(world):
    # A team name a spreadsheet would run as a formula.
    Team.objects.filter(pk=world.team.pk).update(name="=HYPERLINK(1)")
    world.worker.refresh_from_db()


def test_the_access_report_lists_uses_by_role_and_team_never_by_name(world, client_for):
    client_for(world.worker).get(reverse("cases:young_person_detail", args=[world.young_person.pk]))
    access_log_record(user=None, action=Action.UPDATE, purpose=Purpose.DATA_IMPORT, young_person=world.young_person)
    _read(world.worker, world.outsiders_young_person)

    response = client_for(world.leader).get(reverse("cases:access_report", args=[world.young_person.pk]))
    assert response.status_code == 200
    table = response.content.decode().split("<table")[1]  # the page header names the signed-in leader
    rows = response.context["rows"]
    assert [(r.action, r.purpose, r.by) for r in rows] == [
        ("Read", "Access request", "Team leader, Team Nord"),  # this very page
        ("Change", "Data import", "The system (import or scheduled job)"),
        ("Read", "Case work", "Relationship worker, Team Nord"),
    ]
    assert rows[2].record == "young person"
    for name in ("Sara Worker", "Lene Leader", "Omar Outsider"):
        assert name not in table
    assert "no-store" in response["Cache-Control"]


def test_the_access_report_csv_is_logged_formula_safe_and_nameless(world, client_for):
    _read(world.worker, world.young_person)
    _named_team_world(world)
    url = reverse("cases:access_report_csv", args=[world.young_person.pk])
    assert str(world.young_person.pk) in url and world.young_person.name.split()[0] not in url
    response = client_for(world.worker).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="access-report-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["Time", "Action", "Purpose"]
    assert rows[1][1:] == ["Export", "Access request", "young person", "Relationship worker, =HYPERLINK(1)"]
    assert rows[2][1:] == ["Read", "Case work", "", "Relationship worker, =HYPERLINK(1)"]
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@"))]
    assert "Sara Worker" not in text
    export = AccessLog.objects.get(action=Action.EXPORT)
    assert (export.user, export.young_person, export.purpose) == (
        world.worker,
        world.young_person,
        Purpose.ACCESS_REQUEST,
    )


# --- The full data export -------------------------------------------------------------------


def test_the_data_export_is_a_logged_json_file_of_everything_held(world, client_for):
    young_person_update(young_person=world.young_person, by=world.worker, cpr_number=CPR)
    contact = ContactFactory(enrolment=world.enrolment, note="Talte om skole")
    Consent.objects.create(
        young_person=world.young_person,
        purpose="obtain_information",
        given_by="young_person",
        given_on=dt.date(2026, 1, 1),
        recorded_by=world.worker,
    )
    ContactFactory(enrolment=world.outsiders_young_person.enrolments.get(), note="Someone else's")
    assessment_record(
        young_person=world.young_person,
        version=Instrument.objects.get(code="who5").current_version(),
        respondent=Assessment.Respondent.YOUNG_PERSON,
        answered_on=dt.date(2026, 3, 1),
        answers={f"who5_{n}": 3 for n in range(1, 6)},
        by=world.worker,
    )
    network_relation_save(young_person=world.young_person, by=world.worker, name="Mor", relation_type="birth_family")
    url = reverse("cases:data_export", args=[world.young_person.pk])
    assert CPR not in url

    client = client_for(world.worker)
    assert client.get(url).status_code == 405  # POST only
    response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == (
        f'attachment; filename="personal-data-{world.young_person.pk}-{timezone.localdate().isoformat()}.json"'
    )
    data = json.loads(response.content)
    assert data["young_person"]["cpr_number"] == CPR
    assert data["young_person"]["name"] == "Mikkel Ung"
    assert [c["note"] for c in data["contacts"]] == ["Talte om skole"]
    assert data["contacts"][0]["id"] == contact.pk
    assert data["contacts"][0]["worker"] == "Relationship worker, Team Nord"
    assert data["consents"][0]["purpose"] == "Obtaining information from others"
    assert [e["id"] for e in data["enrolments"]] == [world.enrolment.pk]
    assert data["assessments"][0]["instrument"].startswith("WHO")
    assert [a["value"] for a in data["assessments"][0]["answers"]] == [3, 3, 3, 3, 3]
    assert [(r["name"], r["relation_type"]) for r in data["network_relations"]] == [("Mor", "Birth family")]
    text = response.content.decode()
    assert "Sara Worker" not in text and "Someone else" not in text
    export = AccessLog.objects.get(action=Action.EXPORT)
    assert (export.user, export.young_person, export.purpose) == (
        world.worker,
        world.young_person,
        Purpose.ACCESS_REQUEST,
    )
    assert client_for(world.outsider).post(url).status_code == 404


# --- The team leader's review -----------------------------------------------------------------


def _review(client, **params):
    return client.get(reverse("cases:access_log_review"), params)


def test_the_leader_reviews_her_teams_log_and_nothing_else(world, client_for):
    mine = _read(world.worker, world.young_person)
    # An outsider reading the team's young person is in the team's log; her reading her own is not.
    intruder = _read(world.outsider, world.colleagues_young_person)
    other = _read(world.outsider, world.outsiders_young_person)
    search = access_log_record(user=world.colleague, action=Action.SEARCH, purpose=Purpose.CASE_WORK, detail="Frej")

    response = _review(client_for(world.leader))
    assert response.status_code == 200
    shown = [row.pk for row in response.context["page"]]
    assert set(shown) == {mine.pk, intruder.pk, search.pk}
    assert other.pk not in shown
    body = response.content.decode()
    assert "Omar Outsider" in body and "Team Syd" in body and "Frej" in body
    logged = AccessLog.objects.filter(user=world.leader, detail="access log review")
    assert set(logged.values_list("young_person_id", "purpose")) == {
        (world.young_person.pk, Purpose.SUPERVISION),
        (world.colleagues_young_person.pk, Purpose.SUPERVISION),
    }


def test_the_review_filters_by_user_person_date_action_and_purpose(world, client_for):
    day = timezone.now() - dt.timedelta(days=10)
    old = AccessLog.objects.create(
        user=world.worker, young_person=world.young_person, action=Action.EXPORT, purpose=Purpose.ACCESS_REQUEST, at=day
    )
    colleague = _read(world.colleague, world.young_person)
    worker_today = _read(world.worker, world.colleagues_young_person)
    client = client_for(world.leader)

    def shown(**params):
        response = _review(client, **params)
        assert response.status_code == 200, response.context["form"].errors
        return {row.pk for row in response.context["page"]} - set(
            AccessLog.objects.filter(user=world.leader).values_list("pk", flat=True)
        )

    assert shown(user=world.colleague.pk) == {colleague.pk}
    assert shown(young_person=world.young_person.pk) == {old.pk, colleague.pk}
    assert shown(user=world.worker.pk, young_person=world.young_person.pk) == {old.pk}
    local_day = timezone.localtime(day).date()
    assert shown(date_from=local_day.isoformat(), date_to=local_day.isoformat()) == {old.pk}
    assert shown(date_from=(local_day + dt.timedelta(days=1)).isoformat()) == {colleague.pk, worker_today.pk}
    assert shown(action="export") == {old.pk}
    assert shown(purpose="case_work") == {colleague.pk, worker_today.pk}


def test_the_review_refuses_people_and_teams_outside_the_leaders_scope(world, client_for):
    client = client_for(world.leader)
    response = _review(client, young_person=world.outsiders_young_person.pk)
    assert response.status_code == 200
    assert "young_person" in response.context["form"].errors and response.context["page"] is None
    assert _review(client, date_from="2026-02-01", date_to="2026-01-01").context["form"].errors["date_to"]
    # A leader's "team" parameter is not hers to choose.
    assert _review(client, team=world.other_team.pk).context["team"] == world.team
    for user in (world.worker, world.analyst, world.outsider):
        assert _review(client_for(user)).status_code == 403
    assert _review(client_for(None)).status_code == 302


def test_an_administrator_picks_any_team(world, client_for):
    other = _read(world.outsider, world.outsiders_young_person)
    client = client_for(world.admin)
    first = _review(client)
    assert first.status_code == 200 and first.context["page"] is None
    response = _review(client, team=world.other_team.pk)
    assert [row.pk for row in response.context["page"]] == [other.pk]
    assert _review(client, team=999999).status_code == 404


def test_review_links_hold_ids_not_names(world, client_for):
    for _ in range(60):
        _read(world.worker, world.young_person)
    response = _review(client_for(world.leader), young_person=world.young_person.pk, purpose="case_work")
    links = re.findall(r'href="([^"]*)"', response.content.decode())
    next_page = [link for link in links if "page=2" in link]
    assert next_page == [f"?young_person={world.young_person.pk}&amp;purpose=case_work&amp;page=2"]
    assert not [link for link in links if "Mikkel" in link or "Ung" in link]


def test_the_young_persons_page_links_to_the_change_history_and_the_access_report(world):
    from django.urls import reverse

    from tests.conftest import login

    page = login(world.worker).get(reverse("cases:young_person_detail", args=[world.young_person.pk]))
    content = page.content.decode()
    assert reverse("cases:change_history", args=[world.young_person.pk]) in content
    assert reverse("cases:access_report", args=[world.young_person.pk]) in content


def test_the_access_log_review_is_in_the_leaders_menu_only(world):
    from django.urls import reverse

    from tests.conftest import login

    url = reverse("cases:access_log_review")
    assert url in login(world.leader).get(reverse("cases:my_young_people")).content.decode()
    assert url not in login(world.worker).get(reverse("cases:my_young_people")).content.decode()
