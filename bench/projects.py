"""Time the working groups' pages on the large territory (budget: 100 ms each).

Usage: uv run python bench/projects.py [--rounds 30]

Uses bench/var/ (see bench/serve.py); adds 1,000 projects with 50,000 items (and the 100,000
needs they answer) if they are not there yet, printing how long that took. Requests run
in-process through Django's test client as a facilitator, so the figures are server time
without the network: the portfolio, the largest project's page, its backlog, the board of its
current step, the API's project, and a pilot's « Mon à faire ».
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
    from django.db.models import Count
    from django.test import Client

    from maillage.core.models import User
    from maillage.core.services import issue_api_token
    from maillage.needs import seed as needs_seed
    from maillage.needs.models import Need
    from maillage.projects import seed
    from maillage.projects.models import Item, Member, Project
    from maillage.territory.seed import large

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the pages name their files
    if not large.Organisation.objects.exists():
        large.load(seed=1)
    if Need.objects.count() < 100_000:
        needs_seed.load_large(seed=1, count=100_000)
    facilitator, _ = User.objects.get_or_create(
        email="bench@maillage.localhost", defaults={"role": "animateur"}
    )
    if Project.objects.count() < 1_000:
        started = time.perf_counter()
        seed.load_large(seed=1)
        print(f"1,000 projects and 50,000 items loaded in {time.perf_counter() - started:.1f} s")
    print(f"{Project.objects.count()} projects, {Item.objects.count()} items")

    biggest = Project.objects.annotate(n=Count("items")).order_by("-n").first()
    step = biggest.steps.get(status="en-cours")
    pilot = Member.objects.filter(project=biggest, role="pilote").select_related("person").first()
    pilot_user, _ = User.objects.get_or_create(email="pilote-bench@maillage.localhost")
    if pilot.person.user_id is None:
        pilot.person.user = pilot_user
        pilot.person.save(update_fields=["user"])
    client, own = Client(), Client()
    client.force_login(facilitator)
    own.force_login(pilot.person.user)
    token = {"Authorization": f"Bearer {issue_api_token(user=facilitator)}"}
    cases = [
        ("portfolio", client, "/projets/", {}),
        ("portfolio, a dimension", client, "/projets/?dimension=ecologie&status=en-cours", {}),
        ("project page", client, biggest.get_absolute_url(), {}),
        ("backlog", client, f"/projets/{biggest.pk}/carnet/", {}),
        ("board of a step", client, f"/projets/{biggest.pk}/etapes/{step.pk}/tableau/", {}),
        ("API project", client, f"/api/v1/projects/{biggest.pk}", token),
        ("API list", client, "/api/v1/projects", token),
        ("my to-do", own, "/projets/mon-a-faire/", {}),
    ]
    print(f"{'case':<24} {'median':>8} {'p95':>8}  (ms, {rounds} rounds, budget {BUDGET_MS} ms)")
    for name, who, url, headers in cases:
        who.get(url, headers=headers)
        timings = []
        for _ in range(rounds):
            started = time.perf_counter()
            response = who.get(url, headers=headers)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        verdict = "ok" if p95 < BUDGET_MS else "OVER BUDGET"
        print(f"{name:<24} {statistics.median(timings):8.1f} {p95:8.1f}  {verdict}")


if __name__ == "__main__":
    main()
