"""Offers that could answer a need, ranked, each with why (see `core.similarity`).

Candidates come from two sides and are scored together: the nearest offers by meaning, and the
offers sharing words with the need by full-text search, so that an acronym or an exact word
finds its offer even when the model ranks it low, or when there is no model."""

from maillage.core.search import matching
from maillage.core.similarity import Probe, Suggestion, Vocabulary, rank
from maillage.core.vectors import index_of
from maillage.needs.models import Need
from maillage.needs.similarity import probe_of

from .models import Offer

CANDIDATES = 60
_vocabulary = Vocabulary(Offer.objects.matchable())


def _location(offer: Offer) -> tuple[float, float] | None:
    where = offer.location
    return (where.latitude, where.longitude) if where else None


def offers_for(need: Need, *, limit: int = 10, probe: Probe | None = None) -> list[Suggestion]:
    """The standing offers that could answer NEED, best first."""
    probe = probe or probe_of(need)
    return offers_for_text(need.embedding_text(), probe, limit=limit)


def offers_for_text(text: str, probe: Probe, *, limit: int = 10) -> list[Suggestion]:
    offers = Offer.objects.matchable()
    cosines: dict[int, float] = {}
    index = index_of(Offer)
    if probe.vector is not None:
        cosines = dict(index.nearest(probe.vector, CANDIDATES))
    found = matching(offers, text, any_word=True, ranked=True).order_by("-rank")
    by_words = list(found.values_list("pk", flat=True)[:CANDIDATES])
    if probe.vector is not None:
        cosines |= index.similarity(probe.vector, [pk for pk in by_words if pk not in cosines])
    candidates = (
        offers.filter(pk__in=set(cosines) | set(by_words))
        .select_related("organisation", "person", "place", "dimension")
        .prefetch_related("thematiques")
        .defer("embedding")
    )
    suggestions = []
    for offer in candidates:
        thematiques = {t.pk: t for t in offer.thematiques.all()}
        suggestions.append(
            rank(
                probe,
                offer,
                cosine=cosines.get(offer.pk),
                stems=offer.search_stems,
                thematique_ids=set(thematiques),
                dimension_id=offer.dimension_id,
                location=_location(offer),
                vocabulary=_vocabulary,
                thematique_label=str(thematiques.get(probe.thematique_id, "")),
                dimension_label=str(offer.dimension or ""),
            )
        )
    suggestions.sort(key=lambda s: (-s.score, s.record.pk))
    return [s for s in suggestions if s.score > 0][:limit]
