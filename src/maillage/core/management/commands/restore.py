import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from maillage.core import backups


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde de `maillage backup` sur une installation neuve (base vide), "
        "et dit si chaque table est revenue entière."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options):
        if not archive.is_file():
            raise CommandError(f"Aucun fichier {archive}.")
        started = time.perf_counter()
        try:
            counts = backups.restore(archive)
        except backups.BackupError as failed:
            raise CommandError(str(failed)) from failed
        short = {table: c for table, c in counts.items() if c[1] < c[0]}
        if short:
            lines = ", ".join(f"{t} ({got}/{expected})" for t, (expected, got) in short.items())
            raise CommandError(f"Restauration incomplète : {lines}.")
        call_command("migrate", interactive=False, verbosity=0)  # an older archive catches up
        rows = sum(expected for expected, _got in counts.values())
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(
            f"Restauré : {len(counts)} tables, {rows} lignes, en {elapsed:.1f} s."))  # fmt: skip
