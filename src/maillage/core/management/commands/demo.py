import copy
import os
import signal
import subprocess
import sys

import uvicorn
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from maillage import seed as territory
from maillage.core.accounts import demo_recovery_codes, must_have_second_factor
from maillage.core.models import User
from maillage.core.progress import ProgressBar, summary
from maillage.territory.seed import demo


class Command(BaseCommand):
    help = "Lance la démonstration : base SQLite locale, territoire de démo, site sur 127.0.0.1."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--journal", action="store_true",
            help="Affiche aussi chaque requête et chaque tâche de fond (pour le développement).",
        )  # fmt: skip

    def handle(self, *args, host: str, port: int, journal: bool, **options):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        if "SITE_URL" not in os.environ:  # links in e-mails point at this demo
            settings.SITE_URL = f"http://{host}:{port}"
        call_command("migrate", interactive=False, verbosity=0)
        if not territory.is_demo_loaded():
            self.stdout.write("Chargement du territoire de démonstration (la première fois) :")
            counts = territory.load_demo(progress=ProgressBar(self.stdout))
            self.stdout.write(f"  {summary(counts)}.")
        self._welcome(host, port)
        # Background tasks (e-mails) run beside the server, stopped with it; quiet unless one
        # fails, so that the terminal shows the e-mails (login codes) and nothing else.
        worker = subprocess.Popen([sys.executable, "-m", "maillage.cli", "worker",
                                   "--verbosity", "1" if journal else "0"],
                                  env={**os.environ, "SITE_URL": settings.SITE_URL})  # fmt: skip
        # Stopped by a signal, the demo still stops its worker (the `finally` below runs).
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            # The ASGI application, as in production: the workshops' live streams need it
            # (Django's development server speaks WSGI only). WhiteNoise serves the static
            # files from the apps.
            uvicorn.run("maillage.asgi:application", host=host, port=port,
                        log_level="info" if journal else "warning", access_log=journal,
                        log_config=_access_log_without_secrets())  # fmt: skip
        finally:
            worker.terminate()
            worker.wait(timeout=10)

    def _welcome(self, host: str, port: int) -> None:
        """One block that says where the demo is and how to get in."""
        rule = "═" * 72
        self.stdout.write(f"\n{rule}")
        self.stdout.write(self.style.SUCCESS(f"  Maillage tourne sur http://{host}:{port}/"))
        self.stdout.write(f"  Données : {settings.DATABASES['default']['NAME']}\n")
        self.stdout.write(f"  Comptes de démonstration, mot de passe « {demo.PASSWORD} » :")
        for email, label in demo.ACCOUNTS:
            self.stdout.write(f"    {email:<34} {label}")
            user = User.objects.filter(email=email).first()
            if user is not None and must_have_second_factor(user):
                codes = " ".join(demo_recovery_codes(user)[:3])
                self.stdout.write(f"    {'':<34} double authentification : un code de secours "
                                  f"parmi {codes}")  # fmt: skip
        self.stdout.write(
            "\n  Les courriels envoyés (codes de connexion, invitations, réponses) s'affichent"
            "\n  ci-dessous, dans ce terminal. Arrêter la démonstration : Ctrl+C."
        )
        self.stdout.write(f"{rule}\n")


def _access_log_without_secrets() -> dict:
    """uvicorn's own log configuration, its lines passed through the filter of secret links."""
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["filters"] = {"secrets": {"()": "maillage.core.logs.RedactSecrets"}}
    for handler in config["handlers"].values():
        handler["filters"] = ["secrets"]
    return config
