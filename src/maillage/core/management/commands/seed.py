import time

from django.core.management.base import BaseCommand, CommandError

from maillage import seed as territory
from maillage.core.progress import ProgressBar, summary


class Command(BaseCommand):
    help = "Charge un territoire : la démo (Martigues) ou un grand territoire synthétique."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["demo", "large"], default="demo")
        parser.add_argument("--seed", type=int, default=1, help="Graine du hasard (reproductible).")

    def handle(self, *args, scale: str, seed: int, **options):
        started = time.perf_counter()
        if scale == "demo":
            if territory.is_demo_loaded():
                raise CommandError("Le territoire de démonstration est déjà chargé.")
            counts = territory.load_demo(progress=ProgressBar(self.stdout))
        else:
            try:
                counts = territory.load_large(seed=seed)
            except ValueError as error:
                raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Chargé en {elapsed:.1f} s : {summary(counts)}."))
