from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from maillage.core.schedule import DAILY


class Command(BaseCommand):
    help = "Exécute tout de suite les tâches quotidiennes (rappels, effacements), depuis cron."

    def handle(self, *args, **options):
        for name in DAILY:
            result = import_string(name).call()
            self.stdout.write(f"{name}: {result}")
