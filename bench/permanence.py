"""Time the permanence's queue and search on the large territory (budget: 100 ms each).

Usage: uv run python bench/permanence.py [--rounds 30]

Uses bench/var/ (see bench/serve.py); adds 100,000 needs with their journals if they are not
there yet, printing how long that took. Requests run in-process through Django's test client
as a facilitator, so the figures are server time without the network.
"""

import argparse
import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
os.environ.setdefault("MAILLAGE_DATA_DIR", str(ROOT / "var"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
BUDGET_MS = 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from maillage.core.models import User
    from maillage.core.services import issue_api_token
    from maillage.needs import seed
    from maillage.needs.models import Need
    from maillage.territory.seed import large

    call_command("migrate", verbosity=0)
    if not large.Organisation.objects.exists():
        large.load(seed=1)
    facilitator, _ = User.objects.get_or_create(
        email="bench@maillage.localhost", defaults={"role": "animateur"}
    )
    if Need.objects.count() < 100_000:
        started = time.perf_counter()
        seed.load_large(seed=1, count=100_000)
        print(f"100,000 needs with their journals loaded in {time.perf_counter() - started:.1f} s")
    print(f"{Need.objects.count()} needs, {Need.objects.open().count()} open")

    client = Client()
    client.force_login(facilitator)
    token = {"Authorization": f"Bearer {issue_api_token(user=facilitator)}"}
    cases = [
        ("queue, first page", "/permanence/file/", {}),
        ("queue, text search", "/permanence/file/?q=ordinateurs+reconditionner", {}),
        ("queue, overdue only", "/permanence/file/?overdue=on", {}),
        ("API list, first page", "/api/v1/needs", token),
        ("API text search", "/api/v1/needs?q=rendez-vous+carte+identite", token),
    ]
    print(f"{'case':<24} {'median':>8} {'p95':>8}  (ms, {rounds} rounds, budget {BUDGET_MS} ms)")
    for name, url, headers in cases:
        client.get(url, headers=headers)
        timings = []
        for _ in range(rounds):
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        verdict = "ok" if p95 < BUDGET_MS else "OVER BUDGET"
        print(f"{name:<24} {statistics.median(timings):8.1f} {p95:8.1f}  {verdict}")


if __name__ == "__main__":
    main()
