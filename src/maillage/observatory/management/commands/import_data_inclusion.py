"""Import organisations (or, with --services, their services) from a data·inclusion CSV
file, printing the report."""

from django.core.management.base import BaseCommand, CommandError

from maillage.observatory import importer


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--services", action="store_true", help="un fichier de services")
        parser.add_argument("--dry-run", action="store_true", help="dire sans rien enregistrer")

    def handle(self, *args, file: str, services: bool, dry_run: bool, **options):
        run = importer.import_services if services else importer.import_structures
        try:
            with open(file, "rb") as binary:
                report = run(binary, by=None, dry_run=dry_run)
        except (OSError, importer.Unreadable) as wrong:
            raise CommandError(str(wrong)) from wrong
        self.stdout.write(
            f"{report.read} lignes ({report.encoding}, « {report.delimiter} ») : "
            f"{report.created} créées, {report.updated} mises à jour, "
            f"{report.unchanged} inchangées, {len(report.rejected)} refusées"
            + (" — essai, rien n'est enregistré" if dry_run else "")
        )
        for line, ident, why in report.rejected[:50]:
            self.stdout.write(f"  ligne {line} ({ident or '?'}) : {why}")
