"""A covering index on the contacts for the indicator engine's nightly query.

`outcomes.indicators.contacts._buckets_postgresql` reads, for each enrolment,
its contacts between two instants and needs only their time, status, channel
and minutes. With those in the index PostgreSQL answers it with an index-only
scan and never visits the contact rows (928 MB of heap with the notes on the
20,000-young-person benchmark database), which halved the query's time
(docs/PERFORMANCE.md).

The index is on `cases_contact`, a table of the cases app; it is created here
because it exists for the engine, and with raw SQL because the Contact model
does not declare it (so no migration of `cases` has to change). PostgreSQL
only: SQLite has no INCLUDE and the engine's SQLite path does not use it.
CONCURRENTLY, so that building it on a live database does not block the
logging of contacts; hence the migration is not atomic.
"""

from django.db import migrations

INDEX = "outcomes_contact_enrolment_time_covering"
CREATE = (
    f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON cases_contact (enrolment_id, occurred_at) "
    "INCLUDE (status, channel, duration_minutes)"
)
DROP = f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}"


def _on_postgresql(sql: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0001_initial"),
        ("outcomes", "0006_load_free_instruments"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False),
    ]
