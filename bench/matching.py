"""Time the matching on the large territory (budget: 50 ms for the top 10 matches of a need),
and print its quality on the labelled evaluation set.

Usage: uv run python bench/matching.py [--needs 40] [--skip-quality]

Uses bench/var/ (see bench/serve.py); adds 100,000 needs and 20,000 offers with their vectors
if they are not there yet, printing how long that took. The quality runs on the catalogue of
`mutualisation.seed.catalogue` alone, in bench/var/evaluation/, on both paths (meaning and
words fused; words alone, as where the model is not installed).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent
os.environ.setdefault("MAILLAGE_DATA_DIR", str(ROOT / "var"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
BUDGET_MS = 50
warnings.filterwarnings("ignore", "No directory at")  # static files are not collected here


def quality() -> None:
    """Run in its own data directory: the catalogue, its vectors, the evaluation."""
    import django

    django.setup()
    from django.core.management import call_command

    from maillage.core.embedding import embed_all_missing
    from maillage.core.models import User
    from maillage.mutualisation import evaluation
    from maillage.mutualisation.models import Offer
    from maillage.mutualisation.seed import load_catalogue
    from maillage.mutualisation.seed.catalogue import OFFERS

    call_command("migrate", verbosity=0)
    if not Offer.objects.exists():
        lab = User.objects.create(email="bench@maillage.localhost", role="animateur")
        load_catalogue(by=lab)
    started = time.perf_counter()
    embedded = embed_all_missing()
    if embedded:
        print(f"{embedded} texts embedded in {time.perf_counter() - started:.1f} s")
    keys = [offer[0] for offer in OFFERS]
    offers = dict(zip(keys, Offer.objects.order_by("pk"), strict=True))
    for semantic_path in (True, False):
        result = evaluation.evaluate(offers, semantic_path=semantic_path)
        n = result["pairs"]
        print(f"quality ({result['path']}): right offer first {result['first']}/{n}, "
              f"in the top 3 {result['top3']}/{n} ({100 * result['top3'] / n:.0f} %)")  # fmt: skip
        for text, expected, ranked in result["misses"]:
            print(f"    missed: « {text} » wanted {expected}, got {ranked}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=40, help="needs to time")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--quality-only", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.quality_only:
        return quality()
    if not options.skip_quality:
        env = {**os.environ, "MAILLAGE_DATA_DIR": str(ROOT / "var" / "evaluation")}
        (ROOT / "var" / "evaluation").mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, __file__, "--quality-only"], env=env, check=True)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from maillage.core import semantic
    from maillage.core.embedding import embed_all_missing
    from maillage.core.models import User
    from maillage.core.services import issue_api_token
    from maillage.mutualisation import seed as offers_seed
    from maillage.mutualisation.matching import offers_for
    from maillage.mutualisation.models import Offer
    from maillage.needs import seed as needs_seed
    from maillage.needs.models import Need
    from maillage.needs.similarity import needs_like, probe_of
    from maillage.territory.seed import large

    call_command("migrate", verbosity=0)
    if not large.Organisation.objects.exists():
        large.load(seed=1)
    if Need.objects.count() < 100_000:
        started = time.perf_counter()
        needs_seed.load_large(seed=1, count=100_000 - Need.objects.count())
        print(f"needs loaded in {time.perf_counter() - started:.1f} s")
    if Offer.objects.count() < 20_000:
        started = time.perf_counter()
        offers_seed.load_large(seed=1, count=20_000 - Offer.objects.count())
        print(f"20,000 offers loaded in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    if embedded := embed_all_missing():
        print(f"{embedded} vectors backfilled in {time.perf_counter() - started:.1f} s")
    path = "meaning and words" if semantic.available() else "words only (no model)"
    needs, open_needs = Need.objects.count(), Need.objects.open().count()
    offers = Offer.objects.matchable().count()
    print(f"{connection.vendor}: {needs} needs ({open_needs} open), {offers} offers")
    print(f"matching by {path}")

    sample = list(Need.objects.open().order_by("?")[: options.needs])
    started = time.perf_counter()
    offers_for(sample[0])
    needs_like(sample[0])
    first = 1000 * (time.perf_counter() - started)
    print(f"first call (reads every vector and the vocabulary): {first:.0f} ms")

    def timed(label, run):
        times = []
        for need in sample:
            started = time.perf_counter()
            run(need)
            times.append(1000 * (time.perf_counter() - started))
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        verdict = "within" if p95 <= BUDGET_MS else "OVER"
        print(f"{label:<44} p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  "
              f"max {times[-1]:6.1f} ms  ({verdict} the {BUDGET_MS} ms budget)")  # fmt: skip

    def both(need):
        probe = probe_of(need)
        offers_for(need, probe=probe)
        needs_like(need, probe=probe)

    timed("top 10 offers", lambda need: offers_for(need))
    timed("top 5 similar needs", lambda need: needs_like(need))
    timed("both, one probe (the need page's matching)", both)
    facilitator, _ = User.objects.get_or_create(
        email="bench@maillage.localhost", defaults={"role": "animateur"}
    )
    client = Client()
    token = {"Authorization": f"Bearer {issue_api_token(user=facilitator)}"}
    client.get(f"/api/v1/needs/{sample[0].pk}/matches", headers=token)  # builds the API's schemas
    timed(
        "GET /api/v1/needs/{id}/matches",
        lambda need: client.get(f"/api/v1/needs/{need.pk}/matches", headers=token),
    )


if __name__ == "__main__":
    main()
