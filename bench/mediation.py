"""Time the médiation numérique on a year of 100,000 accompaniments (budget: 100 ms p95 for
pages and API), and the export of that year: time and peak memory, XLSX and CSV.

Usage: uv run python bench/mediation.py [--rounds 30]

Uses bench/var/ (see bench/serve.py); adds 100,000 accompaniments of 30,000 people if they are
not there yet, printing how long that took. Requests run in-process through Django's test
client: server time, without the network.
"""

import argparse
import time
import tracemalloc

from inprocess import large_territory, time_pages, timed


def _export(client, url: str, headers: dict) -> None:
    """Download URL, streamed, and print how long it took and the most Python held at once."""
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get(url, headers=headers)
    size = sum(len(chunk) for chunk in response.streaming_content)
    took = time.perf_counter() - started
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert response.status_code == 200, response.status_code
    print(f"{url:<52} {took:6.1f} s  {size / 1e6:6.1f} MB  peak memory {peak / 1e6:6.1f} MB")


def _slots() -> None:
    """Twenty médiateurs, each with eight slots a day on five days, published for eight
    weeks (about 6,400 slots), a third of them booked."""
    from datetime import time

    from maillage.core.models import User
    from maillage.mediation import agenda
    from maillage.mediation.models import Appointment, Opening, Slot

    if Slot.objects.count() < 6_000:
        for n in range(20):
            mediator, _ = User.objects.get_or_create(email=f"mediateur-{n}@maillage.localhost",
                                                     defaults={"role": "animateur"})  # fmt: skip
            for weekday in range(5):
                Opening.objects.create(mediator=mediator, weekday=weekday, start=time(9),
                                       minutes=45, count=8)  # fmt: skip
        timed("20 médiateurs' slots for 8 weeks", agenda.publish)
        from django.utils import timezone

        Appointment.objects.bulk_create(
            Appointment(slot=slot, name="Personne", phone="+33612345678",
                        consent_at=timezone.now())
            for slot in Slot.objects.all()[::3]
        )  # fmt: skip
    print(f"{Slot.objects.count()} slots, {Appointment.objects.count()} appointments")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds

    facilitator = large_territory()
    from django.test import Client

    from maillage.core.services import issue_api_token
    from maillage.mediation import coop, seed
    from maillage.mediation.models import Accompaniment, Beneficiary

    if Accompaniment.objects.count() < 100_000:
        timed("100,000 accompaniments", lambda: seed.load_large(seed=1))
    print(f"{Accompaniment.objects.count()} accompaniments, {Beneficiary.objects.count()} people")
    busiest = Beneficiary.objects.order_by("-pk").first()
    year_back = Accompaniment.objects.order_by("date", "pk")[100]  # near the last page
    client = Client()
    client.force_login(facilitator)
    token = {"Authorization": f"Bearer {issue_api_token(user=facilitator)}"}
    page = client.get("/api/v1/accompaniments?page[size]=100", headers=token).json()
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    month = (today.isoformat(), (today + timedelta(days=30)).isoformat())
    time_pages([
        ("list", client, "/mediation/", {}),
        ("list, a year back", client, f"/mediation/?avant={coop.cursor_after(year_back)}", {}),
        ("list, one kind", client, "/mediation/?kind=collectif&mine=on", {}),
        ("a person's history", client, busiest.get_absolute_url(), {}),
        ("record form", client, "/mediation/noter/", {}),
        ("API, first page", client, "/api/v1/accompaniments?page[size]=100", token),
        ("API, next page", client,
         f"/api/v1/accompaniments?page[size]=100&page[after]={page['next']}", token),
        ("API, a month", client, "/api/v1/accompaniments?from=2026-06-01&to=2026-06-30", token),
    ], rounds=rounds)  # fmt: skip
    _slots()
    time_pages([
        ("free slots of a month", Client(),
         f"/api/v1/appointments/slots?from={month[0]}&to={month[1]}", {}),
        ("booking page", Client(), "/rendez-vous/", {}),
        ("the desk's agenda", client, "/mediation/rendez-vous/", {}),
    ], rounds=rounds)  # fmt: skip
    _export(client, "/api/v1/accompaniments/export?format=csv", token)
    _export(client, "/api/v1/accompaniments/export?format=xlsx", token)


if __name__ == "__main__":
    main()
