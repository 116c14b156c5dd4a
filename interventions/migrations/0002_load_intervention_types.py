"""The five intervention types of spec/indicators.md §6 with their default norms.

Administrators may change names, descriptions and norms in the admin later;
this migration only loads the starting point.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import migrations

TYPES = [
    (
        "relationship_work",
        "Relationsarbejde",
        "Gruppe- og aktivitetsarbejde, der opbygger tillid, og individuelt arbejde med en eksplicit "
        "hjælperelation (CFBU 2014).",
        [(0, "1")],
    ),
    (
        "mentoring",
        "Mentorordning",
        "Frivillige mentorer eller mentorfamilier matchet med en ung; ugentlige møder det første år, "
        "derefter hver 14. dag (VIVE 2021, 001:L2300-2308).",
        [(0, "1"), (364, "0.5")],
    ),
    (
        "mediation",
        "Mægling",
        "Konfliktmægling mellem unge: ekstern (SSP), skole, elevmægling og offersamtaler (CFK 2013).",
        [(0, "0")],
    ),
    (
        "parent_council",
        "Forældrerådslagning",
        "Forældre til en gruppe unge mødes og aftaler en plan (CFK 2013).",
        [(0, "0")],
    ),
    (
        "housing_first_cti",
        "Housing First med CTI",
        "Critical Time Intervention: ni måneder i tre faser, intensivt først og aftagende (VIVE 2021).",
        [(0, "2"), (91, "1"), (182, "0.5"), (273, "0.25")],
    ),
]


def load(apps, schema_editor):
    InterventionType = apps.get_model("interventions", "InterventionType")
    ContactNorm = apps.get_model("interventions", "ContactNorm")
    for code, name, description, norms in TYPES:
        intervention, _ = InterventionType.objects.get_or_create(
            code=code, defaults={"name": name, "description": description}
        )
        for from_day, per_week in norms:
            ContactNorm.objects.get_or_create(
                intervention_type=intervention, from_day=from_day, defaults={"contacts_per_week": Decimal(per_week)}
            )


def unload(apps, schema_editor):
    apps.get_model("interventions", "InterventionType").objects.filter(code__in=[t[0] for t in TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("interventions", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
