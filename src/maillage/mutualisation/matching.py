"""Offers that could answer a need, ranked, each with why (see `core.similarity`).

Candidates come from two sides and are scored together: the nearest offers by meaning, and the
offers sharing words with the need by full-text search, so that an acronym or an exact word
finds its offer even when the model ranks it low, or when there is no model."""

from collections import defaultdict

from maillage.core.search import best_matches
from maillage.core.similarity import Candidate, Probe, Suggestion, Vocabulary, best, point
from maillage.core.vectors import index_of
from maillage.needs.models import Need
from maillage.needs.similarity import probe_of

from .models import Offer

CANDIDATES = 60
_vocabulary = Vocabulary(Offer.objects.matchable())


def offers_for(need: Need, *, limit: int = 10, probe: Probe | None = None) -> list[Suggestion]:
    """The standing offers that could answer NEED, best first."""
    return offers_for_probe(probe or probe_of(need), limit=limit)


def offers_for_probe(probe: Probe, *, limit: int = 10) -> list[Suggestion]:
    """The standing offers closest to what PROBE looks for, best first."""
    offers = Offer.objects.matchable()
    by_words = best_matches(offers, list(probe.words), limit=CANDIDATES)
    cosines = {}
    if probe.vector is not None:
        cosines = index_of(Offer).nearest(probe.vector, CANDIDATES, also=by_words)
    rows = offers.filter(pk__in=set(cosines) | set(by_words)).values_list(
        "pk", "search_stems", "dimension_id", "place__latitude", "place__longitude",
        "organisation__latitude", "organisation__longitude",
    )  # fmt: skip
    rows = list(rows)
    thematiques = defaultdict(set)
    through = Offer.thematiques.through.objects.filter(offer_id__in=[row[0] for row in rows])
    for offer_id, thematique_id in through.values_list("offer_id", "thematique_id"):
        thematiques[offer_id].add(thematique_id)
    candidates = [
        Candidate(pk, stems, thematiques[pk], dimension_id,
                  point(place_lat, place_lon) or point(org_lat, org_lon))
        for pk, stems, dimension_id, place_lat, place_lon, org_lat, org_lon in rows
    ]  # fmt: skip
    records = Offer.objects.select_related("organisation", "person", "dimension").defer("embedding")
    return best(probe, candidates, cosines, _vocabulary, records, limit)
