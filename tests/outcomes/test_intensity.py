"""Weekly contact intensity and norms, worked by hand from spec §§3-6.

Every test runs twice (see conftest `compute`): straight through the engine,
and written to the fact and snapshot tables and read back.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from cases.models import Contact, Enrolment
from tests.outcomes.builders import contact, day, enrol, instant, pause


def test_partial_first_and_last_weeks_are_not_eligible_but_their_contacts_count_in_the_total(one):
    # Wed 2026-03-04 .. Wed 2026-04-22. With 20 weeks back from Sunday 06-28 the
    # window starts on 02-09; eligible are the six whole weeks 03-09 .. 04-13.
    enrolment = enrol(start="2026-03-04", end="2026-04-22", reason="completed")
    contact(enrolment, "2026-03-03 10:00")  # before the start: data quality
    contact(enrolment, "2026-03-05 10:00")  # partial first week
    contact(enrolment, "2026-03-10 10:00", minutes=60)
    contact(enrolment, "2026-03-12 18:00", minutes=30)
    contact(enrolment, "2026-03-25 09:00", minutes=45)
    contact(enrolment, "2026-04-21 11:00")  # partial last week
    contact(enrolment, "2026-04-23 11:00")  # after the end: data quality

    r = one(enrolment, as_of="2026-06-30", window_weeks=20)

    assert r.weeks_eligible == 6
    assert r.weeks_with_contact == 2
    assert r.qualifying_contacts == 3
    assert r.contact_minutes == 135
    assert r.weekly_contact_rate == Fraction(1, 3)
    assert r.at_least_weekly is False
    assert r.contacts_per_week == Fraction(1, 2)
    assert r.expected_contacts == 6
    assert r.norm_attainment == Fraction(1, 2)
    assert r.days_since_last_contact == 70  # 2026-06-30 - 2026-04-21
    assert r.qualifying_contacts_total == 5
    assert r.contacts_outside_enrolment == 2
    assert r.active is False
    assert r.duration_days == 49
    assert r.as_json()["weekly_contact_rate"] == 0.3333


def test_pauses_the_running_week_and_contacts_after_the_as_of_date(one):
    # Window (12 weeks, as of Tue 2026-06-30): Mondays 04-06 .. 06-22.
    enrolment = enrol(start="2026-01-05")
    pause(enrolment, "2026-04-15", "2026-04-20")  # touches the weeks of 04-13 and 04-20
    pause(enrolment, "2026-06-16", None)  # open: the weeks of 06-15 and 06-22 are paused
    eligible = ["2026-04-06", "2026-04-27", "2026-05-04", "2026-05-11", "2026-05-18", "2026-05-25"]
    eligible += ["2026-06-01", "2026-06-08"]
    for monday in eligible:
        if monday not in ("2026-05-11", "2026-05-18"):
            contact(enrolment, f"{monday} 14:00", minutes=50)
    contact(enrolment, "2026-05-12 10:00", status=Contact.Status.CANCELLED)
    contact(enrolment, "2026-05-13 10:00", channel=Contact.Channel.TEXT)
    contact(enrolment, "2026-05-19 10:00", status=Contact.Status.NO_SHOW)
    contact(enrolment, "2026-04-14 10:00")  # paused week: total only
    contact(enrolment, "2026-06-29 10:00")  # running week, before D: total only
    contact(enrolment, "2026-06-30 23:30")  # on D, late evening: total only
    contact(enrolment, "2026-07-01 00:30")  # after D: nowhere

    r = one(enrolment, as_of="2026-06-30")

    assert r.weeks_eligible == 8
    assert r.weeks_with_contact == 6
    assert r.qualifying_contacts == 6
    assert r.contact_minutes == 300
    assert r.weekly_contact_rate == Fraction(3, 4)
    assert r.at_least_weekly is True  # exactly 0.75 is enough
    assert r.contacts_per_week == Fraction(3, 4)
    assert r.expected_contacts == 8
    assert r.norm_attainment == Fraction(3, 4)
    assert r.qualifying_contacts_total == 9
    assert r.days_since_last_contact == 0
    assert r.contacts_outside_enrolment == 0
    assert r.active is True
    assert r.duration_days == 176


def test_no_eligible_week_gives_null_rates(one):
    enrolment = enrol(start="2026-06-17")  # the only whole week (06-22) is still running on 06-27
    contact(enrolment, "2026-06-18 10:00")
    r = one(enrolment, as_of="2026-06-27")
    assert (r.weeks_eligible, r.weekly_contact_rate, r.at_least_weekly, r.contacts_per_week) == (0, None, None, None)
    assert r.expected_contacts == 0
    assert r.norm_attainment is None
    assert r.qualifying_contacts_total == 1
    assert r.days_since_last_contact == 9
    json = r.as_json()
    assert (json["weekly_contact_rate"], json["at_least_weekly"], json["norm_attainment"]) == (None, None, None)


def test_no_contact_at_all(one):
    enrolment = enrol(start="2026-01-05")
    contact(enrolment, "2026-06-02 10:00", status=Contact.Status.CANCELLED)
    r = one(enrolment, as_of="2026-06-30")
    assert (r.weeks_eligible, r.weeks_with_contact, r.weekly_contact_rate) == (12, 0, 0)
    assert r.at_least_weekly is False
    assert r.norm_attainment == 0
    assert r.days_since_last_contact is None
    assert r.qualifying_contacts_total == 0


@pytest.mark.parametrize(
    ("channel", "status", "counts"),
    [
        (Contact.Channel.IN_PERSON, Contact.Status.HELD, True),
        (Contact.Channel.PHONE, Contact.Status.HELD, True),
        (Contact.Channel.VIDEO, Contact.Status.HELD, True),
        (Contact.Channel.ESCORT, Contact.Status.HELD, True),
        (Contact.Channel.GROUP_ACTIVITY, Contact.Status.HELD, True),
        (Contact.Channel.TEXT, Contact.Status.HELD, False),
        (Contact.Channel.IN_PERSON, Contact.Status.CANCELLED, False),
        (Contact.Channel.IN_PERSON, Contact.Status.NO_SHOW, False),
    ],
)
def test_only_held_contacts_other_than_text_qualify(one, channel, status, counts):
    enrolment = enrol(start="2026-01-05")
    contact(enrolment, "2026-06-03 10:00", channel=channel, status=status, minutes=40)
    r = one(enrolment, as_of="2026-06-30")
    assert r.weeks_with_contact == int(counts)
    assert r.contact_minutes == 40 * counts
    assert r.qualifying_contacts_total == int(counts)
    assert r.days_since_last_contact == (27 if counts else None)


def test_every_contact_outside_the_enrolment_is_a_data_quality_finding(one):
    enrolment = enrol(start="2026-03-02", end="2026-05-29", reason="completed")
    contact(enrolment, "2026-03-01 23:59", status=Contact.Status.CANCELLED)  # the evening before the start
    contact(enrolment, "2026-03-02 00:00")  # the first minute of the first day: inside
    contact(enrolment, "2026-05-29 23:59")  # the last minute of the last day: inside
    contact(enrolment, "2026-05-30 00:00", channel=Contact.Channel.TEXT)
    contact(enrolment, "2026-07-01 10:00")  # after the as-of date: not yet logged as of D
    r = one(enrolment, as_of="2026-06-30")
    assert r.contacts_outside_enrolment == 2
    assert r.qualifying_contacts_total == 2
    assert r.days_since_last_contact == 32  # from 05-29, not from the outside contact


def test_utc_offsets_move_contacts_across_midnight_and_the_week_boundary(one):
    # Four whole weeks, Mondays 01-05 .. 01-26, as of Sunday 02-01 (winter time, UTC+1).
    enrolment = enrol(start="2026-01-05")
    contact(enrolment, instant("2026-01-11T23:30:00+00:00"))  # Monday 01-12 00:30 locally
    contact(enrolment, instant("2026-01-18T22:59:00+00:00"))  # Sunday 01-18 23:59 locally
    contact(enrolment, instant("2026-01-25T23:00:00+00:00"))  # Monday 01-26 00:00 locally
    contact(enrolment, instant("2026-02-01T23:30:00+01:00"))  # Sunday 02-01 23:30, given with its offset
    contact(enrolment, instant("2026-02-01T23:30:00+00:00"))  # Monday 02-02 00:30: after D

    r = one(enrolment, as_of="2026-02-01", window_weeks=4)

    assert r.weeks_eligible == 4
    assert r.weeks_with_contact == 2  # 01-12 (two contacts) and 01-26 (two); none in 01-05 or 01-19
    assert r.qualifying_contacts == 4
    assert r.qualifying_contacts_total == 4
    assert r.days_since_last_contact == 0


def test_the_spring_daylight_saving_change(one):
    # 2026-03-29, the last Sunday of March: 02:00 CET becomes 03:00 CEST (UTC+2).
    enrolment = enrol(start="2026-03-02")
    contact(enrolment, instant("2026-03-29T01:30:00+00:00"))  # 03:30 CEST Sunday: week of 03-23
    contact(enrolment, instant("2026-03-29T22:30:00+00:00"))  # 00:30 CEST Monday 03-30 (at UTC+1 it would be Sunday)
    r = one(enrolment, as_of="2026-04-05", window_weeks=2)  # weeks of 03-23 and 03-30
    assert (r.weeks_with_contact, r.qualifying_contacts) == (2, 2)
    r = one(enrolment, as_of="2026-03-29", window_weeks=1)  # only the week of 03-23
    assert (r.weeks_with_contact, r.qualifying_contacts, r.qualifying_contacts_total) == (1, 1, 1)


def test_the_autumn_daylight_saving_change(one):
    # 2026-10-25, the last Sunday of October: 03:00 CEST becomes 02:00 CET (UTC+1).
    enrolment = enrol(start="2026-09-07")
    contact(enrolment, instant("2026-10-25T00:30:00+00:00"))  # 02:30 CEST, the first of two 02:30s
    contact(enrolment, instant("2026-10-25T01:30:00+00:00"))  # 02:30 CET, the second
    contact(enrolment, instant("2026-10-25T22:30:00+00:00"))  # 23:30 CET Sunday (at UTC+2 it would be Monday)
    r = one(enrolment, as_of="2026-10-25", window_weeks=1)  # the week of 10-19
    assert (r.weeks_with_contact, r.qualifying_contacts, r.qualifying_contacts_total) == (1, 3, 3)
    assert r.days_since_last_contact == 0


def test_iso_week_53_across_new_year(one):
    # Mondays 12-07, 12-14, 12-21, 12-28 (week 53 of 2026, to Sunday 2027-01-03) and 2027-01-04.
    enrolment = enrol(start="2026-12-07")
    contact(enrolment, instant("2026-12-31T23:30:00+00:00"))  # 2027-01-01 00:30 locally: still week 53
    contact(enrolment, instant("2027-01-03T22:59:00+00:00"))  # Sunday 23:59: week 53
    contact(enrolment, instant("2027-01-03T23:00:00+00:00"))  # Monday 2027-01-04 00:00: week 1
    r = one(enrolment, as_of="2027-01-10", window_weeks=5)
    assert (r.weeks_eligible, r.weeks_with_contact, r.qualifying_contacts) == (5, 2, 3)
    assert r.weekly_contact_rate == Fraction(2, 5)


def test_mentoring_norm_halves_from_enrolment_day_364(one):
    # Start Wed 2025-01-08. Window of four weeks as of Sunday 2026-01-25: Mondays
    # 01-05 (k = 362, norm 1), 01-12 (k = 369, 0.5), 01-19 (k = 376, 0.5) and 12-29 (k = 355, 1).
    enrolment = enrol(start="2025-01-08", code="mentoring")
    contact(enrolment, "2025-12-30 10:00")
    contact(enrolment, "2026-01-13 10:00")
    r = one(enrolment, as_of="2026-01-25", window_weeks=4)
    assert r.expected_contacts == 3
    assert r.norm_attainment == Fraction(2, 3)
    assert r.as_json()["norm_attainment"] == 0.6667
    assert r.as_json()["expected_contacts"] == 3.0


def test_attainment_is_capped_at_one(one):
    enrolment = enrol(start="2025-01-08", code="mentoring")
    for text in ["2025-12-30 10:00", "2025-12-31 10:00", "2026-01-06 10:00", "2026-01-13 10:00", "2026-01-20 10:00"]:
        contact(enrolment, text)
    r = one(enrolment, as_of="2026-01-25", window_weeks=4)
    assert r.qualifying_contacts == 5
    assert r.norm_attainment == 1


def test_cti_phase_norms_over_nine_months(one):
    # Start Monday 2026-01-05; 40 weeks as of Sunday 2026-10-11 cover k = 0, 7, ..., 273:
    # 13 weeks at 2, 13 at 1, 13 at 0.5 and one (k = 273) at 0.25.
    enrolment = enrol(start="2026-01-05", code="housing_first_cti")
    r = one(enrolment, as_of="2026-10-11", window_weeks=40)
    assert r.weeks_eligible == 40
    assert r.expected_contacts == Decimal("45.75")
    assert r.norm_attainment == 0
    assert r.contacts_per_week == 0


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2026-04-05", 2),  # Monday 03-30: k = 84, phase 1
        ("2026-04-12", 1),  # Monday 04-06: k = 91, phase 2
        ("2026-07-05", 1),  # Monday 06-29: k = 175
        ("2026-07-12", Decimal("0.5")),  # Monday 07-06: k = 182, phase 3
        ("2026-10-11", Decimal("0.25")),  # Monday 10-05: k = 273, after the phases
    ],
)
def test_cti_phase_boundaries(one, as_of, expected):
    enrolment = enrol(start="2026-01-05", code="housing_first_cti")
    assert one(enrolment, as_of=as_of, window_weeks=1).expected_contacts == expected


@pytest.mark.parametrize("code", ["mediation", "parent_council"])
def test_event_based_interventions_have_no_norm(one, code):
    enrolment = enrol(start="2026-01-05", code=code)
    contact(enrolment, "2026-06-03 10:00")
    r = one(enrolment, as_of="2026-06-30")
    assert r.expected_contacts == 0
    assert r.norm_attainment is None
    assert r.weekly_contact_rate == Fraction(1, 12)


def test_a_norm_edited_by_an_administrator_is_used(one):
    enrolment = enrol(start="2026-01-05")
    enrolment.intervention_type.norms.update(contacts_per_week=Decimal("1.5"))
    assert one(enrolment, as_of="2026-06-30").expected_contacts == 18


def test_enrolments_starting_after_the_as_of_date_are_left_out(compute):
    started = enrol(start="2026-06-01")
    later = enrol(start="2026-07-01")
    contact(later, "2026-06-15 10:00")  # outside the later enrolment, but it does not exist yet
    results = compute(as_of=day("2026-06-30"), window_weeks=12, enrolments=Enrolment.objects.all())
    assert [r.enrolment_id for r in results] == [started.pk]
    assert sum(r.contacts_outside_enrolment for r in results) == 0
    assert compute(as_of=day("2026-05-31"), window_weeks=12, enrolments=Enrolment.objects.all()) == []
