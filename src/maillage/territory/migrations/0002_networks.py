from django.db import migrations

from maillage.core.reference import load_networks


class Migration(migrations.Migration):
    dependencies = [("territory", "0001_initial")]

    operations = [migrations.RunPython(load_networks, migrations.RunPython.noop)]
