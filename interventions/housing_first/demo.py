"""Demo network maps and housing goals for the Housing First/CTI courses of
seed_demo's municipality (which already holds their housing status events).

1. Every young person with a CTI course gets a network map: birth family
   (often conflict-filled, 001:L2558-2560), sometimes a foster family,
   friends and peers, now and then a mentor family, the paid professionals
   (the CTI contact person from the course's start, a caseworker, ...) and
   civil-society offers; those bridged to during the course carry the date,
   more of them the further the course has come. A few relations have ended.
2. Every CTI course gets two to four housing goals set with the young person,
   with target dates over the nine months; most goals whose target has
   passed are met.

Everything is drawn from `rng` in a fixed order and bulk-written.
"""

from __future__ import annotations

import datetime as dt
import random

from cases.demo import vocabulary as words
from interventions.method_demo import EnrolmentRow, day_between, enrolment_rows, later
from interventions.models import HousingGoal, NetworkRelation, RelationType

NINE_MONTHS = 273
GOALS = (
    "Skrevet op til en bolig",
    "Flyttet ind i egen lejlighed",
    "Indskud og husleje betalt til tiden",
    "Budget lagt for de første tre måneder",
    "Møbler og internet på plads",
    "Kender naboerne og opgangen",
    "Har styr på post og e-Boks",
    "Husleje betalt selv tre måneder i træk",
)
FAMILY = (("Mor", 60), ("Far", 45), ("Storebror", 25), ("Lillesøster", 25), ("Moster", 15), ("Mormor", 20))
PROFESSIONALS = (("Sagsbehandler", 90), ("Psykolog", 25), ("Misbrugsbehandler", 15), ("UU-vejleder", 30))
CIVIL_SOCIETY = (
    "Røde Kors lektiecafé",
    "Frivilligcentret, økonomirådgivning",
    "Spejderne",
    "Fodboldklubben",
    "Værested for unge",
    "Studerende hjælper med budget",
    "Kirkens korshærs café",
)
PEER_PLACES = ("fra produktionsskolen", "fra opgangen", "fra klubben", "fra holdet")
NOTES = ("", "", "Ses hver uge.", "Ringer af og til.", "Svær relation, men vigtig.")


def _relation(young_person_id: int, worker_id: int, name: str, kind: str, **fields: object) -> NetworkRelation:
    return NetworkRelation(
        young_person_id=young_person_id, created_by_id=worker_id, name=name, relation_type=kind, **fields
    )


def _network(rng: random.Random, course: EnrolmentRow, today: dt.date) -> list[NetworkRelation]:
    person, worker, start = course.young_person_id, course.worker_id, course.start
    horizon = min(course.end, today) if course.end else today
    progress = min(1.0, (horizon - start).days / NINE_MONTHS)
    years_ago = start - dt.timedelta(days=365 * 8)
    relations = []
    for name, chance in FAMILY:
        if rng.randint(1, 100) <= chance:
            quality = "conflict" if rng.random() < 0.55 else "positive"
            relations.append(_relation(person, worker, name, RelationType.BIRTH_FAMILY, quality=quality))
    if rng.random() < 0.4:
        surname = rng.choice(words.LAST_NAMES)
        since = day_between(rng, years_ago, start - dt.timedelta(days=400))
        for role in ("Plejemor", "Plejefar")[: rng.randint(1, 2)]:
            quality = "positive" if rng.random() < 0.7 else "conflict"
            relations.append(
                _relation(person, worker, f"{role} {surname}", RelationType.FOSTER_FAMILY, quality=quality, since=since)
            )
    for _ in range(rng.randint(0, 3)):
        name = rng.choice(words.MALE_FIRST_NAMES if rng.random() < 0.5 else words.FEMALE_FIRST_NAMES)
        since = day_between(rng, years_ago, start)
        quality = "positive" if rng.random() < 0.8 else "conflict"
        relations.append(_relation(person, worker, name, RelationType.FRIEND, quality=quality, since=since))
    for _ in range(rng.randint(0, 2)):
        name = f"{rng.choice(words.MALE_FIRST_NAMES)} {rng.choice(PEER_PLACES)}"
        relations.append(_relation(person, worker, name, RelationType.PEER, since=day_between(rng, start, horizon)))
    if rng.random() < 0.15:
        name = f"Familien {rng.choice(words.LAST_NAMES)}"
        relations.append(
            _relation(person, worker, name, RelationType.MENTOR_FAMILY, since=day_between(rng, start, horizon))
        )
    relations.append(_relation(person, worker, "CTI-kontaktperson", RelationType.PROFESSIONAL, paid=True, since=start))
    for name, chance in PROFESSIONALS:
        if rng.randint(1, 100) <= chance:
            quality = "positive" if rng.random() < 0.8 else "conflict"
            since = day_between(rng, years_ago, start)
            kind = RelationType.PROFESSIONAL
            relations.append(_relation(person, worker, name, kind, paid=True, quality=quality, since=since))
    for name in rng.sample(CIVIL_SOCIETY, rng.randint(0, 3)):
        if rng.random() < 0.3 + 0.6 * progress:
            bridged = day_between(rng, start, horizon)
            relations.append(
                _relation(person, worker, name, RelationType.CIVIL_SOCIETY, since=bridged, bridged_on=bridged)
            )
        else:
            relations.append(
                _relation(person, worker, name, RelationType.CIVIL_SOCIETY, since=day_between(rng, years_ago, start))
            )
    for relation in relations:
        relation.note = rng.choice(NOTES)
        if relation.relation_type in (RelationType.FRIEND, RelationType.PEER) and rng.random() < 0.1:
            relation.ended_on = day_between(rng, relation.since or start, today)
    return relations


def _goals(rng: random.Random, course: EnrolmentRow, today: dt.date) -> list[HousingGoal]:
    horizon = min(course.end, today) if course.end else today
    goals = []
    for index, text in enumerate(sorted(rng.sample(GOALS, rng.randint(2, 4)), key=GOALS.index)):
        target = course.start + dt.timedelta(days=rng.randint(30, 90) + 60 * index)
        goal = HousingGoal(enrolment_id=course.id, created_by_id=course.worker_id, text=text, target_on=target)
        if target <= horizon and rng.random() < 0.7:
            goal.met_on = max(course.start, later(target, rng.randint(-21, 14), horizon))
        goals.append(goal)
    return goals


def seed_demo_housing_first(*, rng: random.Random, today: dt.date) -> dict[str, int]:
    courses = enrolment_rows("housing_first_cti", today)
    relations: list[NetworkRelation] = []
    goals: list[HousingGoal] = []
    mapped: set[int] = set()
    for course in sorted(courses, key=lambda c: (c.start, c.id)):
        if course.young_person_id not in mapped:
            mapped.add(course.young_person_id)
            relations += _network(rng, course, today)
        goals += _goals(rng, course, today)
    NetworkRelation.objects.bulk_create(relations, batch_size=5000)
    HousingGoal.objects.bulk_create(goals, batch_size=5000)
    return {NetworkRelation._meta.db_table: len(relations), HousingGoal._meta.db_table: len(goals)}
