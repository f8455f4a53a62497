from django.db import migrations

from maillage.formation.library import load_cards


class Migration(migrations.Migration):
    dependencies = [("formation", "0001_initial"), ("core", "0002_reference_lists")]

    operations = [migrations.RunPython(load_cards, migrations.RunPython.noop)]
