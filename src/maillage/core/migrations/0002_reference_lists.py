from django.db import migrations

from maillage.core.reference import load_reference_lists


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load_reference_lists, migrations.RunPython.noop)]
