import os
import sys

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


class Command(BaseCommand):
    help = (
        "Sert le site en production avec granian (ASGI). Il démarre en quelques secondes : les "
        "migrations et les fichiers statiques sont l'affaire de `maillage release` (ou de "
        "--migrate). Arrêté (SIGTERM), il ferme les flux en direct, finit les requêtes en "
        "cours et s'arrête dans le délai donné."
    )

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
            "--migrate", action="store_true", help="Faire d'abord l'étape `maillage release`."
        )
        parser.add_argument(
            "--stop-timeout",
            type=int,
            default=int(os.environ.get("STOP_TIMEOUT", 20)),
            help="Secondes laissées aux requêtes en cours à l'arrêt, avant de couper.",
        )

    def handle(self, *args, host, port, workers, backpressure, migrate, stop_timeout, **options):
        if not settings.DEBUG and settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
            raise CommandError(
                "SECRET_KEY n'est pas définie : le mode production refuse la clé de développement. "
                "Définissez SECRET_KEY (ou SECRET_KEY_FILE), ou DEBUG=true pour un essai local."
            )
        if workers < 1:
            raise CommandError("--workers doit valoir au moins 1.")
        if not 1 <= stop_timeout <= 1800:
            raise CommandError("--stop-timeout : entre 1 et 1800 secondes.")
        if migrate:
            call_command("release", verbosity=0)
        self._refuse_unless_released()
        self.stdout.write(f"Maillage sert sur http://{host}:{port}/ ({workers} processus)")
        sys.stdout.flush()
        # granian replaces this process: signals and exit codes belong to the server.
        os.execvp(
            sys.executable,
            [
                sys.executable, "-m", "granian",
                "--interface", "asgi",  # its lifespan closes the live streams on a stop
                "--host", host, "--port", str(port),
                "--workers", str(workers),
                "--backpressure", str(backpressure),
                "--workers-kill-timeout", str(stop_timeout),
                "--no-ws",
                "maillage.asgi:application",
            ],
        )  # fmt: skip

    def _refuse_unless_released(self) -> None:
        """Starting without the release step would serve an old schema or missing files."""
        executor = MigrationExecutor(connection)
        if pending := executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError(
                f"La base attend {len(pending)} migration(s) : lancez d'abord `maillage "
                "release` (ou `maillage serve --migrate`)."
            )
        manifest = getattr(staticfiles_storage, "manifest_name", None)
        if manifest and not staticfiles_storage.exists(manifest):
            raise CommandError(
                "Les fichiers statiques ne sont pas rassemblés : lancez d'abord `maillage "
                "release` (ou `maillage serve --migrate`)."
            )
