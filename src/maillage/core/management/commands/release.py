from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "L'étape de mise en production : applique les migrations et rassemble les fichiers "
        "statiques, une fois, avant de lancer (ou relancer) `maillage serve`."
    )

    def handle(self, *args, **options):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=options["verbosity"])
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(self.style.SUCCESS("Base à jour, fichiers statiques rassemblés."))
