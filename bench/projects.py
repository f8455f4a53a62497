"""Time the working groups' pages on the large territory (budget: 100 ms each).

Usage: uv run python bench/projects.py [--rounds 30]

Uses bench/var/ (see bench/serve.py); adds 1,000 projects with 50,000 items (and the 100,000
needs they answer) if they are not there yet, printing how long that took. Requests run
in-process through Django's test client, so the figures are server time without the network:
the portfolio, the largest project's page, its backlog, the board of its current step, the
API's project and list, and a pilot's « Mon à faire ».
"""

import argparse

from inprocess import large_territory, time_pages, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds

    facilitator = large_territory()
    from django.db.models import Count
    from django.test import Client

    from maillage.core.models import User
    from maillage.core.services import issue_api_token
    from maillage.needs import seed as needs_seed
    from maillage.needs.models import Need
    from maillage.projects import seed
    from maillage.projects.models import Item, Member, Project

    if Need.objects.count() < 100_000:
        timed("100,000 needs", lambda: needs_seed.load_large(seed=1, count=100_000))
    if Project.objects.count() < 1_000:
        timed("1,000 projects and 50,000 items", lambda: seed.load_large(seed=1))
    print(f"{Project.objects.count()} projects, {Item.objects.count()} items")

    biggest = Project.objects.annotate(n=Count("items")).order_by("-n").first()
    step = biggest.steps.get(status="en-cours")
    pilot = Member.objects.filter(project=biggest, role="pilote").select_related("person").first()
    if pilot.person.user_id is None:
        pilot.person.user, _ = User.objects.get_or_create(email="pilote-bench@maillage.localhost")
        pilot.person.save(update_fields=["user"])
    client, own = Client(), Client()
    client.force_login(facilitator)
    own.force_login(pilot.person.user)
    token = {"Authorization": f"Bearer {issue_api_token(user=facilitator)}"}
    time_pages([
        ("portfolio", client, "/projets/", {}),
        ("portfolio, a dimension", client, "/projets/?dimension=ecologie&status=en-cours", {}),
        ("project page", client, biggest.get_absolute_url(), {}),
        ("backlog", client, f"/projets/{biggest.pk}/carnet/", {}),
        ("board of a step", client, f"/projets/{biggest.pk}/etapes/{step.pk}/tableau/", {}),
        ("API project", client, f"/api/v1/projects/{biggest.pk}", token),
        ("API list", client, "/api/v1/projects", token),
        ("my to-do", own, "/projets/mon-a-faire/", {}),
    ], rounds=rounds)  # fmt: skip


if __name__ == "__main__":
    main()
