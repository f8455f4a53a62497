"""Needs that look like a need: by meaning where the model is installed, by words elsewhere."""

from maillage.core.search import matching
from maillage.core.similarity import (
    Probe,
    Suggestion,
    Vocabulary,
    neighbourhood_location,
    rank,
    vector_of,
)
from maillage.core.vectors import index_of

from .models import Need

CANDIDATES = 200  # read by meaning; most are closed needs, filtered out afterwards
LEXICAL_CANDIDATES = 50
_vocabulary = Vocabulary(Need.objects.all())


def location_of(need: Need) -> tuple[float, float] | None:
    organisation = need.organisation
    if organisation is not None and organisation.latitude is not None:
        return (organisation.latitude, organisation.longitude)
    return neighbourhood_location(need.neighbourhood)


def probe_of(need: Need) -> Probe:
    return Probe.of(
        need.embedding_text(),
        vector=vector_of(need),
        thematique_id=need.thematique_id,
        dimension_id=need.dimension_id,
        location=location_of(need),
    )


def needs_like(need: Need, *, limit: int = 5, probe: Probe | None = None) -> list[Suggestion]:
    """The open needs closest to NEED, best first, each with its reasons."""
    probe = probe or probe_of(need)
    others = Need.objects.open().exclude(pk=need.pk)
    cosines: dict[int, float] = {}
    index = index_of(Need)
    if probe.vector is not None:
        cosines = dict(index.nearest(probe.vector, CANDIDATES))
    found = matching(others, need.embedding_text(), any_word=True, ranked=True).order_by("-rank")
    by_words = list(found.values_list("pk", flat=True)[:LEXICAL_CANDIDATES])
    if probe.vector is not None:
        cosines |= index.similarity(probe.vector, [pk for pk in by_words if pk not in cosines])
    candidates = others.filter(pk__in=set(cosines) | set(by_words))
    suggestions = [
        rank(
            probe,
            other,
            cosine=cosines.get(other.pk),
            stems=other.search_stems,
            thematique_ids={other.thematique_id} if other.thematique_id else set(),
            dimension_id=other.dimension_id,
            location=location_of(other),
            vocabulary=_vocabulary,
            thematique_label=str(other.thematique or ""),
            dimension_label=str(other.dimension or ""),
        )
        for other in candidates.select_related("thematique", "dimension", "organisation").defer(
            "embedding"
        )
    ]
    suggestions.sort(key=lambda s: (-s.score, -s.record.pk))
    return [s for s in suggestions if s.score > 0][:limit]
