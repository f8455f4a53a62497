from django.conf import settings
from django.db import migrations, models


def promise(apps, schema_editor):
    """The needs already there get the promise the desk made them: N working days."""
    from maillage.core.delays import add_working_days

    Need = apps.get_model("needs", "Need")
    days = settings.NEEDS_FIRST_ANSWER_WORKING_DAYS
    batch = []
    for need in Need.objects.only("pk", "created_at").iterator(chunk_size=5000):
        need.answer_promised_at = add_working_days(need.created_at, days)
        batch.append(need)
        if len(batch) == 5000:
            Need.objects.bulk_update(batch, ["answer_promised_at"])
            batch = []
    Need.objects.bulk_update(batch, ["answer_promised_at"])


class Migration(migrations.Migration):
    dependencies = [("needs", "0004_embeddings_and_short_stems")]

    operations = [
        migrations.AddField(
            model_name="need",
            name="answer_promised_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="première réponse promise pour le",
            ),
        ),
        migrations.RunPython(promise, migrations.RunPython.noop),
    ]
