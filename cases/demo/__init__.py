"""The synthetic demo municipality behind `seed_demo` and `demo_logins`.

`DEMO_LOGINS` is the one list of known accounts: `seed_demo` creates them and
`demo_logins` (what `make run` prints) shows them. Every generated user,
these included, has the password `DEMO_PASSWORD`.

Modules: `vocabulary` (names, places, notes), `calendar` (local days and
their UTC offsets), `plans` (what is decided before writing), `population`
(plans the municipality through `courses` — young people, enrolments,
pauses —, `staff` — teams, workers, caseloads, handovers — and `profile` —
risk flags, status over time), `contacts` (the contact stream) and `seed`
(writing it all through `cases.bulk`).
"""

from __future__ import annotations

from typing import NamedTuple

DEMO_PASSWORD = "youthcase-demo"


class DemoLogin(NamedTuple):
    username: str
    name: str
    role: str  # a cases.models.User.Role value
    team: str | None


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("sara", "Sara Østergaard", "worker", "Team Nord"),
    DemoLogin("karim", "Karim Haddad", "worker", "Team Nord"),
    DemoLogin("omar", "Omar Hussein", "worker", "Team Syd"),
    DemoLogin("lene", "Lene Bøgh", "team_leader", "Team Nord"),
    DemoLogin("hanne", "Hanne Lund", "worker", "Boligteamet"),  # Housing First/CTI courses
    DemoLogin("mette", "Mette Kjær", "mentor", None),  # a volunteer mentor, created by the mentoring demo
    DemoLogin("anders", "Anders Kjærgaard", "analyst", None),
    DemoLogin("admin", "Administrator", "administrator", None),
)
