"""Time the formation's pages and API (budget: 100 ms p95): the method library's search and
filters, the sessions list with the seats left for a year of sessions, the team's sessions
page and the trainer's agenda as a calendar app reads it.

Usage: uv run python bench/formation.py [--rounds 30]

Uses bench/var/ (see bench/serve.py); adds 200 sessions to come of 4 paths, each with 8 to
20 people registered or waiting, if they are not there yet. Requests run in-process through
Django's test client: server time, without the network.
"""

import argparse

from inprocess import large_territory, time_pages, timed


def _sessions(trainer) -> None:
    """Four paths, 200 sessions over the coming year, each filled from 8 to 20 people (the
    ones past 12 seats waiting)."""
    import random
    from datetime import timedelta

    from django.utils import timezone

    from maillage.formation import trainings
    from maillage.formation.models import Session, TrainingPath

    if Session.objects.count() >= 200:
        return
    rng = random.Random(17)
    paths = [TrainingPath.objects.create(slug=f"parcours-{n}", name=f"Parcours {n}", hours=7,
                                         description="Un parcours.", criteria="L'avoir suivi.",
                                         skill="Une compétence") for n in range(4)]  # fmt: skip
    for n in range(200):
        starts = timezone.now() + timedelta(days=1 + n * 365 // 200, hours=rng.randint(0, 8))
        session = trainings.open_session(
            session=Session(path=paths[n % 4], starts_at=starts, capacity=12, minimum=3,
                            ends_at=starts + timedelta(hours=7)), trainers=[trainer])  # fmt: skip
        for k in range(rng.randint(8, 20)):
            trainings.register(session=session, name=f"Personne {n}-{k}",
                               email=f"personne-{n}-{k}@exemple.fr")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds
    facilitator = large_territory()
    from django.test import Client

    from maillage.formation import library

    library.load_cards()
    timed("200 sessions of a year", lambda: _sessions(facilitator))
    from maillage import team_agenda

    public, team = Client(), Client()
    team.force_login(facilitator)
    feed = "/agenda/" + team_agenda.issue(facilitator) + ".ics"
    time_pages([
        ("library", public, "/methodes/", {}),
        ("library, words", public, "/methodes/?q=demarche+en+ligne", {}),
        ("library, filters", public, "/methodes/?minutes=30&people=12&goal=imaginer", {}),
        ("a card", public, "/methodes/parcours-usager/", {}),
        ("API, search", public, "/api/v1/methods?q=idees&people=20", {}),
        ("sessions list", public, "/formations/", {}),
        ("a path's sessions", public, "/formations/parcours-1/", {}),
        ("API, sessions", public, "/api/v1/trainings", {}),
        ("team's sessions", team, "/formations/equipe/", {}),
        ("trainer's agenda feed", public, feed, {}),
    ], rounds=rounds)  # fmt: skip


if __name__ == "__main__":
    main()
