"""What the in-process benchmarks share: Django set up on bench/var/ with the large territory,
a facilitator, and the timing of pages through Django's test client (server time, no network).
"""

import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
os.environ.setdefault("MAILLAGE_DATA_DIR", str(ROOT / "var"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
BUDGET_MS = 100


def large_territory():
    """Set Django up on bench/var/, with the large territory's organisations and people; return
    the benchmarks' facilitator."""
    import django

    django.setup()
    from django.core.management import call_command

    from maillage.core.models import User
    from maillage.territory.seed import large

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the pages name their files
    if not large.Organisation.objects.exists():
        large.load(seed=1)
    facilitator, _ = User.objects.get_or_create(
        email="bench@maillage.localhost", defaults={"role": "animateur"}
    )
    return facilitator


def timed(what: str, load) -> None:
    """Run LOAD, saying how long it took."""
    started = time.perf_counter()
    load()
    print(f"{what} loaded in {time.perf_counter() - started:.1f} s")


def time_pages(cases, *, rounds: int, budget_ms: int = BUDGET_MS) -> None:
    """Print the median and 95th percentile of each (name, client, url, headers) case."""
    print(f"{'case':<24} {'median':>8} {'p95':>8}  (ms, {rounds} rounds, budget {budget_ms} ms)")
    for name, client, url, headers in cases:
        client.get(url, headers=headers)
        timings = []
        for _ in range(rounds):
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        verdict = "ok" if p95 < budget_ms else "OVER BUDGET"
        print(f"{name:<24} {statistics.median(timings):8.1f} {p95:8.1f}  {verdict}")
