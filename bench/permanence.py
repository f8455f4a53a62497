"""Time the permanence's queue and search on the large territory (budget: 100 ms each).

Usage: uv run python bench/permanence.py [--rounds 30]

Uses bench/var/ (see bench/serve.py); adds 100,000 needs with their journals if they are not
there yet, printing how long that took. Requests run in-process through Django's test client
as a facilitator, so the figures are server time without the network.
"""

import argparse

from inprocess import large_territory, time_pages, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds

    facilitator = large_territory()
    from django.test import Client

    from maillage.core.services import issue_api_token
    from maillage.needs import seed
    from maillage.needs.models import Need

    if Need.objects.count() < 100_000:
        timed("100,000 needs with their journals", lambda: seed.load_large(seed=1, count=100_000))
    print(f"{Need.objects.count()} needs, {Need.objects.open().count()} open")

    client = Client()
    client.force_login(facilitator)
    token = {"Authorization": f"Bearer {issue_api_token(user=facilitator)}"}
    time_pages([
        ("queue, first page", client, "/permanence/file/", {}),
        ("queue, text search", client, "/permanence/file/?q=ordinateurs+reconditionner", {}),
        ("queue, overdue only", client, "/permanence/file/?overdue=on", {}),
        ("API list, first page", client, "/api/v1/needs", token),
        ("API text search", client, "/api/v1/needs?q=rendez-vous+carte+identite", token),
    ], rounds=rounds)  # fmt: skip


if __name__ == "__main__":
    main()
