"""Needs that look like a need: by meaning where the model is installed, by words elsewhere."""

from maillage.core.search import best_matches, matching
from maillage.core.similarity import (
    Candidate,
    Probe,
    Suggestion,
    Vocabulary,
    best,
    point,
    vector_of,
)
from maillage.core.vectors import index_of
from maillage.territory.geography import neighbourhood_location

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
        thematique=need.thematique,
        dimension=need.dimension,
        location=location_of(need),
    )


def needs_like(need: Need, *, limit: int = 5, probe: Probe | None = None) -> list[Suggestion]:
    """The open needs closest to NEED, best first, each with its reasons."""
    probe = probe or probe_of(need)
    others = Need.objects.open().exclude(pk=need.pk)
    text = need.embedding_text()
    cosines = {}
    if probe.vector is not None:
        # Meaning finds the needs; words only bring those whose vector is not computed yet.
        waiting = matching(others.filter(embedded_at__isnull=True), text, any_word=True)
        by_words = list(waiting.values_list("pk", flat=True)[:LEXICAL_CANDIDATES])
        cosines = index_of(Need).nearest(probe.vector, CANDIDATES, also=by_words)
    else:
        by_words = best_matches(others, list(probe.words), limit=LEXICAL_CANDIDATES)
    rows = others.filter(pk__in=set(cosines) | set(by_words)).values_list(
        "pk", "search_stems", "thematique_id", "dimension_id", "neighbourhood",
        "organisation__latitude", "organisation__longitude",
    )  # fmt: skip
    candidates = [
        Candidate(pk, stems, {thematique_id} if thematique_id else set(), dimension_id,
                  point(org_lat, org_lon) or neighbourhood_location(hood))
        for pk, stems, thematique_id, dimension_id, hood, org_lat, org_lon in rows
    ]  # fmt: skip
    records = Need.objects.select_related("thematique", "dimension").defer("embedding")
    return best(probe, candidates, cosines, _vocabulary, records, limit)
