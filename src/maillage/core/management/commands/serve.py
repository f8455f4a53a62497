import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Sert le site en production avec granian (ASGI)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", 2)))
        parser.add_argument(
            "--backpressure",
            type=int,
            default=4096,
            help="Requêtes simultanées par processus (les flux en direct comptent).",
        )
        parser.add_argument(
            "--no-migrate", action="store_true", help="Ne pas appliquer les migrations."
        )

    def handle(self, *args, host, port, workers, backpressure, no_migrate, **options):
        if not settings.DEBUG and settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
            raise CommandError(
                "SECRET_KEY n'est pas définie : le mode production refuse la clé de développement. "
                "Définissez SECRET_KEY (ou SECRET_KEY_FILE), ou DEBUG=true pour un essai local."
            )
        if workers < 1:
            raise CommandError("--workers doit valoir au moins 1.")
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Maillage sert sur http://{host}:{port}/ ({workers} processus)")
        sys.stdout.flush()
        # granian replaces this process: signals and exit codes belong to the server.
        os.execvp(
            sys.executable,
            [
                sys.executable,
                "-m",
                "granian",
                "--interface",
                "asginl",  # Django has no ASGI lifespan support
                "--host",
                host,
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--backpressure",
                str(backpressure),
                "--no-ws",
                "maillage.asgi:application",
            ],
        )
