"""Time the observatory's dashboard on the large territory (budget: 300 ms).

Usage: uv run python bench/observatory.py [--rounds 20]

Uses bench/var/ (see bench/serve.py), with its 100,000 needs. Prints the dashboard and the
indicators API, for the last twelve months and for one dimension: cold (just after a change:
everything counted again) and kept (the figures from the cache, as until the next change); then
streams the open data files, with their size and the peak of memory Python allocated meanwhile.
"""

import argparse
import statistics
import time
import tracemalloc

from inprocess import large_territory, time_pages, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds

    facilitator = large_territory()
    from django.test import Client

    from maillage.core.services import issue_api_token
    from maillage.needs import seed
    from maillage.needs.models import Need
    from maillage.observatory.indicators import invalidate

    if Need.objects.count() < 100_000:
        timed("100,000 needs", lambda: seed.load_large(seed=1, count=100_000))
    print(f"{Need.objects.count()} needs")
    client = Client()
    client.force_login(facilitator)
    token = {"Authorization": f"Bearer {issue_api_token(user=facilitator)}"}
    cases = [
        ("dashboard", "/observatoire/", {}),
        ("dashboard, a dimension", "/observatoire/?dimension=ecologie", {}),
        ("API indicators", "/api/v1/indicators", token),
    ]
    print(f"{'cold (after a change)':<24} {'median':>8} {'max':>8}  (ms, 5 rounds)")
    for name, url, headers in cases:
        timings = []
        for _ in range(5):
            invalidate()
            started = time.perf_counter()
            assert client.get(url, headers=headers).status_code == 200
            timings.append((time.perf_counter() - started) * 1000)
        print(f"{name:<24} {statistics.median(timings):8.1f} {max(timings):8.1f}")
    from maillage.observatory.indicators import warm

    invalidate()
    started = time.perf_counter()
    warm()
    print(
        f"the worker's recount after a change (all dimensions, and each): "
        f"{time.perf_counter() - started:.1f} s"
    )
    print("kept (until the next change, or once the worker has recounted):")
    time_pages([(name, client, url, headers) for name, url, headers in cases], rounds=rounds,
               budget_ms=300)  # fmt: skip
    print(f"{'open data, streamed':<32} {'seconds':>8} {'MB':>8} {'peak MB':>8}")
    for name in ("data-inclusion-structures.json", "data-inclusion-structures.csv",
                 "data-inclusion-services.json", "besoins-agreges.csv"):  # fmt: skip
        tracemalloc.start()
        started = time.perf_counter()
        response = client.get(f"/api/v1/opendata/{name}")
        size = sum(len(chunk) for chunk in response.streaming_content)
        took = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"{name:<32} {took:8.2f} {size / 1e6:8.2f} {peak / 1e6:8.2f}")
    import_a_large_file()


def import_a_large_file(rows: int = 100_000) -> None:
    """Import 100,000 structures from a Latin-1 file with semicolons, as a dry run (everything
    is written, then rolled back, so that the bench's territory stays as it was)."""
    from pathlib import Path

    from maillage.observatory import importer

    path = Path(__file__).resolve().parent / "var" / "structures-100000.csv"
    if not path.exists():
        with path.open("w", encoding="cp1252", newline="") as out:
            out.write("source;id;nom;description;code_postal;commune;telephone\n")
            for n in range(rows):
                out.write(f"bench;{n};Structure numéro {n};Une structure du territoire;13500;"
                          f"Martigues;04 42 {n % 100:02d} {n // 100 % 100:02d} 00\n")  # fmt: skip
    tracemalloc.start()
    started = time.perf_counter()
    with path.open("rb") as binary:
        report = importer.import_structures(binary, by=None, dry_run=True)
    took = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(
        f"import of {report.read:,} rows ({path.stat().st_size / 1e6:.1f} MB, {report.encoding}): "
        f"{report.created:,} created, {len(report.rejected)} rejected in {took:.1f} s, "
        f"peak {peak / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
