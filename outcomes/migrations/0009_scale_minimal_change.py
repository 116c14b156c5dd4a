"""A scale's minimal relevant change, and its value for the shipped instruments.

The shipped versions already exist in every database (0006), so the value is
set here, on every version of WHO-5 and risk lifestyle whose scale of that code
has none yet (a copy an administrator made included). It is set on published
versions too: it changes no score or band of any assessment, only how the
quarterly report reads the change between two of them (improved, unchanged,
worsened), so the rule that a published version's scoring never changes holds.
"""

from __future__ import annotations

from django.db import migrations, models

from outcomes.instruments.definitions import SHIPPED


def set_shipped(apps, schema_editor):
    Scale = apps.get_model("outcomes", "Scale")
    for definition in SHIPPED:
        for spec in definition["scales"]:
            if spec.get("minimal_change") is not None:
                Scale.objects.filter(
                    version__instrument__code=definition["code"], code=spec["code"], minimal_change__isnull=True
                ).update(minimal_change=spec["minimal_change"])


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0008_report_runs")]

    operations = [
        migrations.AddField(
            model_name="scale",
            name="minimal_change",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text=(
                    "The smallest change of the score that reports count as improved or worsened; a smaller "
                    "change counts as unchanged. Empty: any change counts."
                ),
                max_digits=8,
                null=True,
                verbose_name="minimal relevant change",
            ),
        ),
        migrations.AddConstraint(
            model_name="scale",
            constraint=models.CheckConstraint(
                condition=models.Q(("minimal_change__isnull", True), ("minimal_change__gte", 0), _connector="OR"),
                name="minimal_change_not_negative",
            ),
        ),
        # Unapplying drops the field with the values.
        migrations.RunPython(set_shipped, migrations.RunPython.noop),
    ]
