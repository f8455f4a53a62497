from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

from maillage.core.search import install

# Two accepted bookings of one means never share an instant. PostgreSQL only: SQLite serialises
# every write transaction, and the booking service checks before it writes.
NO_OVERLAP = """
ALTER TABLE mutualisation_booking ADD CONSTRAINT booking_no_overlap
EXCLUDE USING gist (offer_id WITH =, tstzrange(start, "end", '[)') WITH &&)
WHERE (status = 'acceptee')
"""


def forbid_overlaps(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NO_OVERLAP)


def allow_overlaps(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE mutualisation_booking DROP CONSTRAINT booking_no_overlap"
        )


class Migration(migrations.Migration):
    dependencies = [("mutualisation", "0001_initial")]

    operations = [
        install("mutualisation_offer"),
        BtreeGistExtension(),
        migrations.RunPython(forbid_overlaps, allow_overlaps),
    ]
