"""Who may reach the assessment and status-change pages of outcomes/."""

from __future__ import annotations

import datetime as dt

from outcomes.instruments.services import assessment_record
from outcomes.models import Assessment, Instrument
from tests.conftest import World
from tests.url_access import API_LIST, PERSONAL, Row, no_args, own_person


def _who5(world: World):
    return Instrument.objects.get(code="who5").current_version()


def own_person_and_who5(world: World) -> dict:
    return {"pk": world.young_person.pk, "version_pk": _who5(world).pk}


def own_assessment(world: World) -> dict:
    assessment = assessment_record(
        young_person=world.young_person,
        version=_who5(world),
        respondent=Assessment.Respondent.YOUNG_PERSON,
        answered_on=dt.date(2026, 1, 5),
        answers={f"who5_{n}": 3 for n in range(1, 6)},
        by=None,
    )
    return {"pk": assessment.pk}


ROWS: dict[str, Row] = {
    "outcomes:assessment_choose": Row("get", own_person, PERSONAL),
    "outcomes:assessment_new": Row("get", own_person_and_who5, PERSONAL),
    "outcomes:assessment_detail": Row("get", own_assessment, PERSONAL),
    "outcomes:status_change_record": Row("get", own_person, PERSONAL),
    "outcomes:assessment_api": Row("get", no_args, API_LIST),
}
