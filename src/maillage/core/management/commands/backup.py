import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maillage.core import backups


class Command(BaseCommand):
    help = (
        "Écrit une sauvegarde complète (la base, les fichiers déposés, un manifeste) dans une "
        "archive, pendant que le site tourne."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "destination", nargs="?", type=Path,
            help="Le fichier à écrire, ou un dossier (par défaut BACKUP_DIR).",
        )  # fmt: skip

    def handle(self, *args, destination: Path | None, **options):
        started = time.perf_counter()
        try:
            archive = backups.backup(destination)
        except backups.BackupError as failed:
            raise CommandError(str(failed)) from failed
        size = archive.stat().st_size / 1e6
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"{archive} ({size:.1f} Mo, {elapsed:.1f} s)"))
