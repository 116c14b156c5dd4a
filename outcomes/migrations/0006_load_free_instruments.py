"""Ship the free instruments as version 1: WHO-5 and the CFBU risk-lifestyle screening.

The definitions live in outcomes/instruments/definitions.py. A published
version never changes: a correction is a new version in a new migration.
"""

from __future__ import annotations

import datetime as dt

from django.db import migrations

from outcomes.instruments.definitions import SHIPPED, install


def load(apps, schema_editor):
    Instrument = apps.get_model("outcomes", "Instrument")
    for definition in SHIPPED:
        if not Instrument.objects.filter(code=definition["code"]).exists():
            install(apps, definition, number=1, published_on=dt.date(2026, 11, 21))


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0005_outcome_instruments")]
    # Unapplying leaves the rows; unapplying 0005 drops the tables.
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
