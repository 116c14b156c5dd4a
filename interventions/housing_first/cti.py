"""The CTI course of a Housing First enrolment: nine months in three phases of
about three months, intensive at first and tapering (001:L2524-2534, spec §6).

Phase boundaries are counted in enrolment days (day 0 is the start date), as
the contact norms are: transition days 0-90, try-out 91-181, transfer of
care 182-272; from day 273 the course is over its nine months. The planned
end is the start date plus nine calendar months. Each phase's contact norm is
read from the intervention type's stored norms, never written here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import Enrolment
from interventions.months import add_months

COURSE_MONTHS = 9
CTI_CODE = "housing_first_cti"


@dataclass(frozen=True)
class PhaseDefinition:
    code: str
    label: Promise
    first_day: int
    last_day: int | None  # None: open-ended
    purpose: Promise


PHASES = (
    PhaseDefinition(
        "transition", _("Transition"), 0, 90, _("Intensive support into the new home; build the relationship.")
    ),
    PhaseDefinition(
        "try_out", _("Try-out"), 91, 181, _("The young person tries things alone; the network takes over more.")
    ),
    PhaseDefinition(
        "transfer_of_care",
        _("Transfer of care"),
        182,
        272,
        _("Hand over to lasting, unpaid relations and civil-society offers."),
    ),
)
AFTER = PhaseDefinition("after", _("After the course"), 273, None, _("The nine months are over."))


@dataclass(frozen=True)
class PhaseRow:
    definition: PhaseDefinition
    starts_on: dt.date
    ends_on: dt.date | None
    norm: Decimal
    current: bool
    past: bool

    @property
    def code(self) -> str:
        return self.definition.code

    @property
    def label(self) -> str:
        return str(self.definition.label)


@dataclass(frozen=True)
class CtiCourse:
    enrolment: Enrolment
    as_of: dt.date
    day: int
    phase: PhaseRow | None  # None before the start date
    phases: list[PhaseRow]
    planned_end: dt.date

    @property
    def norm(self) -> Decimal:
        """The current phase's contact norm, in qualifying contacts per week."""
        return self.phase.norm if self.phase else Decimal(0)

    @property
    def days_to_planned_end(self) -> int:
        return (self.planned_end - self.as_of).days

    @property
    def ended(self) -> bool:
        return self.enrolment.end_date is not None and self.enrolment.end_date <= self.as_of


def phase_definition_for_day(day: int) -> PhaseDefinition | None:
    if day < 0:
        return None
    return next((p for p in PHASES if p.last_day is not None and day <= p.last_day), AFTER)


def cti_course(enrolment: Enrolment, today: dt.date) -> CtiCourse:
    """The course as it stands on `today`, or on its end date when it has ended.
    Uses the intervention type's prefetched norms when present."""
    as_of = min(today, enrolment.end_date) if enrolment.end_date else today
    day = (as_of - enrolment.start_date).days
    current = phase_definition_for_day(day)
    rows = []
    for definition in (*PHASES, AFTER):
        rows.append(
            PhaseRow(
                definition=definition,
                starts_on=enrolment.start_date + dt.timedelta(days=definition.first_day),
                ends_on=(
                    enrolment.start_date + dt.timedelta(days=definition.last_day)
                    if definition.last_day is not None
                    else None
                ),
                norm=enrolment.intervention_type.norm_for_day(definition.first_day),
                current=definition is current,
                past=definition.last_day is not None and day > definition.last_day,
            )
        )
    return CtiCourse(
        enrolment=enrolment,
        as_of=as_of,
        day=day,
        phase=next((r for r in rows if r.current), None),
        phases=rows,
        planned_end=add_months(enrolment.start_date, COURSE_MONTHS),
    )
