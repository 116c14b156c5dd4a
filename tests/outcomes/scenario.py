"""A fixed scenario with every tricky date in it, to run the engine on SQLite and on
PostgreSQL and compare the outputs (test_sqlite.py).

Run as a script (`python -m tests.outcomes.scenario`) against the database in
DATABASE_URL (migrated, empty), it builds the scenario, computes the indicators
directly and through the stored snapshots and prints both documents as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import os

AS_OF = dt.date(2027, 1, 10)
WINDOW_WEEKS = 60


def build() -> None:
    from cases.models import Contact
    from outcomes.models import StatusEvent
    from tests.factories import TeamFactory, UserFactory, YoungPersonFactory
    from tests.outcomes.builders import contact, enrol, instant, pause, status

    team = TeamFactory(name="Scenario", external_id="T-S")
    worker = UserFactory(external_id="W-S", team=team)
    person = YoungPersonFactory(external_id="Y-S")
    status(person, StatusEvent.Domain.EDUCATION, "2025-08-01", "enrolled")
    status(person, StatusEvent.Domain.HOUSING, "2026-02-01", "own_tenancy")
    status(person, StatusEvent.Domain.HOUSING, "2026-09-01", "shelter")
    cti = enrol(start="2026-01-14", code="housing_first_cti", external_id="E-CTI", worker=worker, young_person=person)
    pause(cti, "2026-05-04", "2026-05-20")
    for moment in [
        "2026-01-13T23:30:00+00:00",  # 01-14 00:30 locally: the first day
        "2026-03-29T01:30:00+00:00",  # spring change
        "2026-03-29T22:30:00+00:00",  # Monday 03-30 locally
        "2026-10-25T01:30:00+00:00",  # autumn change, second 02:30
        "2026-10-25T22:30:00+00:00",  # Sunday 23:30 locally
        "2026-12-31T23:30:00+00:00",  # 2027-01-01 locally, ISO week 53 of 2026
        "2027-01-03T23:00:00+00:00",  # Monday 2027-01-04 00:00 locally
        "2027-01-10T22:59:00+00:00",  # Sunday 23:59 locally, on D
        "2027-01-10T23:00:00+00:00",  # after D
    ]:
        contact(cti, instant(moment), minutes=45)
    contact(cti, "2026-01-13 23:59")  # outside: the evening before the start
    contact(cti, "2026-06-10 10:00", channel=Contact.Channel.TEXT)
    mentoring = enrol(start="2025-12-03", end="2026-02-20", reason="dropped_out", code="mentoring", external_id="E-M")
    mentoring.primary_worker.external_id = "W-M"
    mentoring.primary_worker.save()
    mentoring.team.external_id = "T-M"
    mentoring.team.save()
    mentoring.young_person.external_id = "Y-M"
    mentoring.young_person.save()
    contact(mentoring, "2025-12-10 16:00")
    contact(mentoring, "2026-02-21 00:10")  # outside


def documents() -> dict:
    from cases.models import Enrolment
    from outcomes.indicators.aggregates import indicators_document
    from outcomes.indicators.engine import compute_indicators
    from tests.outcomes.builders import compute_stored

    direct = compute_indicators(as_of=AS_OF, window_weeks=WINDOW_WEEKS)
    stored = compute_stored(as_of=AS_OF, window_weeks=WINDOW_WEEKS, enrolments=Enrolment.objects.all())
    return {
        "direct": indicators_document(as_of=AS_OF, window_weeks=WINDOW_WEEKS, results=direct),
        "stored": indicators_document(as_of=AS_OF, window_weeks=WINDOW_WEEKS, results=stored),
    }


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "youthcase.settings")
    django.setup()
    build()
    print(json.dumps(documents()))


if __name__ == "__main__":
    main()
