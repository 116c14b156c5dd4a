"""The instruments the application ships: free to use, loaded by a data migration.

Licensed instruments (SDQ, Outcome Star, ORS/SRS) are not shipped; a
municipality holding a licence configures them the same way (docs/INSTRUMENTS.md).
Definitions are plain data so a migration can install them with historical models.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

WHO5_OPTIONS = [
    (5, "Hele tiden"),
    (4, "Det meste af tiden"),
    (3, "Lidt mere end halvdelen af tiden"),
    (2, "Lidt mindre end halvdelen af tiden"),
    (1, "Lidt af tiden"),
    (0, "På intet tidspunkt"),
]
WHO5_ITEMS = [
    "har jeg været glad og i godt humør",
    "har jeg følt mig rolig og afslappet",
    "har jeg følt mig aktiv og energisk",
    "er jeg vågnet frisk og udhvilet",
    "har min dagligdag været fyldt med ting der interesserer mig",
]

WHO5: dict[str, Any] = {
    "code": "who5",
    "name": "WHO-5 Trivselsindeks",
    "description": (
        "Fem spørgsmål om trivsel de sidste to uger, hvert scoret 0-5. Råscoren (0-25) ganges med 4 og giver "
        "en trivselsscore fra 0 til 100; 50 eller derunder tyder på lav trivsel."
    ),
    "licence": (
        "WHO-5 er udviklet af Psykiatrisk Center Nordsjælland (Region Hovedstaden) for WHO og er fri at bruge "
        "uden tilladelse."
    ),
    "instructions": "Sæt kryds ved det svar, der bedst beskriver, hvordan du har haft det de sidste to uger.",
    "answer_scales": [{"code": "frequency", "name": "Hvor ofte (0-5)", "options": WHO5_OPTIONS}],
    "items": [
        {"code": f"who5_{n}", "text": f"I de sidste to uger {text}", "answer_scale": "frequency"}
        for n, text in enumerate(WHO5_ITEMS, start=1)
    ],
    "scales": [
        {
            "code": "raw",
            "name": "Råscore (0-25)",
            "items": [f"who5_{n}" for n in range(1, 6)],
            "method": "sum",
            "multiplier": Decimal(1),
            "min_answered": 5,
            # 10 percentage points (Topp et al. 2015) are 2.5 raw points: a raw change of 3 counts, 2 does not.
            "minimal_change": Decimal("2.5"),
            "bands": [],
        },
        {
            "code": "wellbeing",
            "name": "Trivselsscore (0-100)",
            "items": [f"who5_{n}" for n in range(1, 6)],
            "method": "sum",
            "multiplier": Decimal(4),
            "min_answered": 5,
            # A change of 10 points or more on the 0-100 score is clinically relevant (Topp et al. 2015,
            # Psychother Psychosom 84:167-176); the score moves in steps of 4, so 12 counts and 8 does not.
            "minimal_change": Decimal(10),
            "bands": [
                {"code": "poor", "label": "Lav trivsel (50 eller derunder)", "min": None, "max": Decimal(50)},
                {"code": "adequate", "label": "Trivsel over 50", "min": Decimal(51), "max": None},
            ],
        },
    ],
}

# The CFBU survey's risk lifestyle (000:L4633-4760): three sub-scores recoded 1-3 and summed to 3-9.
RISK_LIFESTYLE: dict[str, Any] = {
    "code": "risk_lifestyle",
    "name": "Risikolivsstil (CFBU)",
    "description": (
        "Tre delscorer: venner med erfaring med kriminalitet eller rusmidler (få/nogle/mange), færden i "
        "højrisikomiljøer (sjældent/engang imellem/ofte) og brug af rusmidler (lavt/moderat/hyppigt), hver "
        "1-3 point, lagt sammen til 3-9. 4 eller derunder: lav risikolivsstil; 5-6: moderat; 7 eller derover: høj "
        "(CFBU 2014, bilag 2)."
    ),
    "licence": "Konstrueret fra CFBU's rapport (2014), bilag 2; ingen licens kræves.",
    "instructions": "Medarbejderens vurdering efter samtale med den unge. Vælg det svar, der passer bedst nu.",
    "answer_scales": [
        {"code": "friends", "name": "Få, nogle, mange", "options": [(1, "Få"), (2, "Nogle"), (3, "Mange")]},
        {
            "code": "settings",
            "name": "Sjældent, engang imellem, ofte",
            "options": [(1, "Sjældent"), (2, "Engang imellem"), (3, "Ofte")],
        },
        {
            "code": "substances",
            "name": "Lavt, moderat, hyppigt",
            "options": [(1, "Lavt eller intet forbrug"), (2, "Moderat forbrug"), (3, "Hyppigt forbrug")],
        },
    ],
    "items": [
        {
            "code": "friends",
            "text": "Hvor mange af den unges venner har erfaring med kriminalitet eller ulovlige rusmidler?",
            "answer_scale": "friends",
        },
        {
            "code": "high_risk_settings",
            "text": "Hvor ofte færdes den unge i højrisikomiljøer (ude til sent, i byen, hænger ud på gaden)?",
            "answer_scale": "settings",
        },
        {
            "code": "substance_use",
            "text": "Hvor ofte bruger den unge rusmidler (alkohol, hash, andre ulovlige stoffer)?",
            "answer_scale": "substances",
        },
    ],
    "scales": [
        {
            "code": "total",
            "name": "Risikolivsstil (3-9)",
            "items": ["friends", "high_risk_settings", "substance_use"],
            "method": "sum",
            "multiplier": Decimal(1),
            "min_answered": 3,
            "higher_is_better": False,
            # No minimal important difference is published. One point is one step of one of the three
            # judgements (e.g. substance use from frequent to moderate): the smallest change the
            # screening can record, and a change in what the worker judges.
            "minimal_change": Decimal(1),
            "bands": [
                {"code": "low", "label": "Lav risikolivsstil", "min": None, "max": Decimal(4)},
                {"code": "moderate", "label": "Moderat risikolivsstil", "min": Decimal(5), "max": Decimal(6)},
                {"code": "high", "label": "Høj risikolivsstil", "min": Decimal(7), "max": None},
            ],
        }
    ],
}

SHIPPED = [WHO5, RISK_LIFESTYLE]


def install(models: Any, definition: dict[str, Any], *, number: int = 1, published_on: Any = None) -> Any:
    """Create `definition` as version `number` of its instrument, published, with `models`
    (a migration's `apps` or the real models module: anything with `get_model`)."""
    get = models.get_model
    instrument, _ = get("outcomes", "Instrument").objects.get_or_create(
        code=definition["code"],
        defaults={k: definition[k] for k in ("name", "description", "licence")},
    )
    version = get("outcomes", "InstrumentVersion").objects.create(
        instrument=instrument,
        number=number,
        status="published",
        published_on=published_on,
        instructions=definition["instructions"],
    )
    answer_scales = {}
    for spec in definition["answer_scales"]:
        answer_scale = get("outcomes", "AnswerScale").objects.create(
            version=version, code=spec["code"], name=spec["name"]
        )
        for order, (value, label) in enumerate(spec["options"]):
            get("outcomes", "AnswerOption").objects.create(
                answer_scale=answer_scale, value=value, label=label, order=order
            )
        answer_scales[spec["code"]] = answer_scale
    items = {}
    for order, spec in enumerate(definition["items"]):
        items[spec["code"]] = get("outcomes", "Item").objects.create(
            version=version,
            code=spec["code"],
            text=spec["text"],
            order=order,
            answer_scale=answer_scales[spec["answer_scale"]],
            recode=spec.get("recode", {}),
        )
    scale_model = get("outcomes", "Scale")
    # Migration 0006 installs with the models of its time, before scales had a minimal change;
    # 0009 adds the field and sets it from these definitions.
    has_minimal_change = any(f.name == "minimal_change" for f in scale_model._meta.get_fields())
    for order, spec in enumerate(definition["scales"]):
        extra = {"minimal_change": spec.get("minimal_change")} if has_minimal_change else {}
        scale = scale_model.objects.create(
            version=version,
            code=spec["code"],
            name=spec["name"],
            method=spec["method"],
            multiplier=spec["multiplier"],
            min_answered=spec["min_answered"],
            higher_is_better=spec.get("higher_is_better", True),
            order=order,
            **extra,
        )
        scale.items.set([items[code] for code in spec["items"]])
        for band_order, band in enumerate(spec["bands"]):
            get("outcomes", "Band").objects.create(
                scale=scale,
                code=band["code"],
                label=band["label"],
                min_score=band["min"],
                max_score=band["max"],
                order=band_order,
            )
    return version
