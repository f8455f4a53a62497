import secrets

from django.db import migrations, models

import maillage.needs.models

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def one_code_each(apps, schema_editor):
    """The column's default was drawn once for every need already there: draw one per need."""
    Need = apps.get_model("needs", "Need")
    for pk in Need.objects.values_list("pk", flat=True).iterator(chunk_size=2000):
        code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        Need.objects.filter(pk=pk).update(tracking_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("needs", "0006_waiting_for_the_requester"),
    ]

    operations = [
        migrations.AddField(
            model_name="need",
            name="tracking_code",
            field=models.CharField(
                default=maillage.needs.models.short_code, editable=False, max_length=8
            ),
        ),
        migrations.RunPython(one_code_each, migrations.RunPython.noop),
    ]
