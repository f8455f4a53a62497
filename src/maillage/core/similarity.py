"""How close a record is to a need, and why: the ranking shared by the matching of offers
(mutualisation) and the permanence's similar needs.

A score in [0, 1] fuses meaning (the cosine of e5 vectors, see `core.semantic`) with the words
both texts share, weighted by how rare they are (so that an acronym like CAF counts more than
« aide »), the same thématique, the same dimension, and the distance between them. Without the
model, the same features less meaning make the lexical path. Every feature that counted is
returned as a reason a facilitator can read.
"""

import math
import re
import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from . import semantic
from .search import stemmed_words
from .text import fold

# e5's cosines are compressed: unrelated French texts score about 0.8, close ones 0.9 and more.
# Weights tuned on `mutualisation.evaluation` (meaning alone: 39/50 in the top 3; fused: 48/50).
COSINE_FLOOR, COSINE_CEILING = 0.82, 0.95
WEIGHTS_SEMANTIC = {
    "meaning": 0.45,
    "words": 0.35,
    "thematique": 0.10,
    "dimension": 0.05,
    "near": 0.05,
}
WEIGHTS_LEXICAL = {
    "meaning": 0.0,
    "words": 0.70,
    "thematique": 0.15,
    "dimension": 0.10,
    "near": 0.05,
}
NEAR_KM, FAR_KM = 1.0, 15.0
ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")


@dataclass
class Reason:
    code: str  # meaning, words, thematique, dimension, distance
    label: str
    value: float | str | list[str] | None = None


@dataclass
class Suggestion:
    record: models.Model  # the pk while ranking; the record once chosen (see `fetch_records`)
    score: float
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class Candidate:
    """What ranking reads of a record: a few columns, not a model instance (hundreds are read
    for ten shown)."""

    pk: int
    stems: str
    thematique_ids: set[int]
    dimension_id: int | None
    location: tuple[float, float] | None


@dataclass
class Probe:
    """What is looked for: a need's text, vector, words, classification and place."""

    vector: np.ndarray | None
    words: dict[str, str]  # stem → the word of the text that carries it
    acronyms: set[str]
    thematique: models.Model | None = None
    dimension: models.Model | None = None
    location: tuple[float, float] | None = None

    @property
    def thematique_id(self) -> int | None:
        return self.thematique.pk if self.thematique else None

    @property
    def dimension_id(self) -> int | None:
        return self.dimension.pk if self.dimension else None

    @classmethod
    def of(cls, text: str, *, vector=None, thematique=None, dimension=None, location=None):
        # Each stem shown as the text wrote its word (« identité », « CAF »), not folded.
        written: dict[str, str] = {}
        for token in re.findall(r"\w+", text):
            written.setdefault(fold(token), token if token.isupper() else token.lower())
        words: dict[str, str] = {}
        for stem, word in stemmed_words(text):
            words.setdefault(stem, written.get(word, word))
        acronyms = {fold(a) for a in ACRONYM.findall(text)}
        return cls(
            vector=vector,
            words=words,
            acronyms=acronyms,
            thematique=thematique,
            dimension=dimension,
            location=location,
        )


_vocabularies: list["Vocabulary"] = []


class Vocabulary:
    """How many records of a model carry each stem, for the rarity of shared words; read again
    every few minutes."""

    TTL = 600

    def __init__(self, rows: models.QuerySet):
        # None until first read: the monotonic clock may start near zero (a machine just booted).
        self.rows, self.read_at, self.counts, self.total = rows, None, Counter(), 0
        _vocabularies.append(self)

    def _read(self) -> None:
        if self.read_at is not None and time.monotonic() - self.read_at <= self.TTL:
            return
        self.counts, self.total = Counter(), 0
        for stems in self.rows.values_list("search_stems", flat=True).iterator(chunk_size=5000):
            self.counts.update(set(stems.split()))
            self.total += 1
        self.read_at = time.monotonic()

    def idf(self, stem: str) -> float:
        self._read()
        return math.log((self.total + 1) / (self.counts[stem] + 0.5)) + 1.0


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 12742 * math.asin(math.sqrt(h))


def _listed(words: list[str]) -> str:
    """« a, b et c », as a person lists things."""
    if len(words) == 1:
        return words[0]
    return _("%(first)s et %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def _km(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def word_weights(probe: Probe, vocabulary: Vocabulary) -> dict[str, float]:
    """How much each of the probe's words counts: its rarity, doubled for an acronym."""
    return {
        stem: vocabulary.idf(stem) * (2.0 if stem in probe.acronyms else 1.0)
        for stem in probe.words
    }


SHOWN_WORDS = 3


def rank(
    probe: Probe, candidate: Candidate, *, cosine: float | None, word_weights: dict[str, float]
) -> Suggestion:
    """Score CANDIDATE against PROBE and say why; WORD_WEIGHTS come from `word_weights`."""
    reasons = []
    meaning = 0.0
    if cosine is not None and probe.vector is not None:
        meaning = min(1.0, max(0.0, (cosine - COSINE_FLOOR) / (COSINE_CEILING - COSINE_FLOOR)))
        if meaning >= 0.4:
            reasons.append(Reason("meaning", _("Sens proche"), round(cosine, 3)))
    weights = WEIGHTS_SEMANTIC if probe.vector is not None else WEIGHTS_LEXICAL

    stems = set(candidate.stems.split())
    shared = [s for s in probe.words if s in stems]

    total = sum(word_weights.values()) or 1.0
    words = sum(word_weights[s] for s in shared) / total
    if shared:
        # The rarest words tell the most; a person reads three, not a list.
        telling = sorted(shared, key=lambda s: -word_weights.get(s, 0.0))[:SHOWN_WORDS]
        shown = [probe.words[s] for s in shared if s in telling]
        reasons.append(Reason("words", _("parle aussi de %s") % _listed(shown), shown))

    same_thematique = (
        probe.thematique is not None and probe.thematique_id in candidate.thematique_ids
    )
    if same_thematique:
        reasons.append(Reason("thematique", _("Même thématique : %s") % probe.thematique))
    same_dimension = probe.dimension is not None and probe.dimension_id == candidate.dimension_id
    if same_dimension:
        reasons.append(Reason("dimension", _("Même dimension : %s") % probe.dimension))
    near = 0.0
    if probe.location and candidate.location:
        km = distance_km(probe.location, candidate.location)
        near = min(1.0, max(0.0, (FAR_KM - km) / (FAR_KM - NEAR_KM)))
        reasons.append(Reason("distance", _("À %s km") % _km(km), round(km, 2)))

    score = (
        weights["meaning"] * meaning
        + weights["words"] * words
        + weights["thematique"] * same_thematique
        + weights["dimension"] * same_dimension
        + weights["near"] * near
    )
    return Suggestion(record=candidate.pk, score=round(score, 4), reasons=reasons)


def best(
    probe: Probe,
    candidates: list[Candidate],
    cosines: dict[int, float],
    vocabulary: Vocabulary,
    records: models.QuerySet,
    limit: int,
) -> list[Suggestion]:
    """Rank CANDIDATES, keep the LIMIT best that score, and read their records from RECORDS."""
    weights = word_weights(probe, vocabulary)  # the same for every candidate
    ranked = [rank(probe, c, cosine=cosines.get(c.pk), word_weights=weights) for c in candidates]
    ranked = sorted((s for s in ranked if s.score > 0), key=lambda s: (-s.score, s.record))[:limit]
    found = records.in_bulk([s.record for s in ranked])
    for suggestion in ranked:
        suggestion.record = found[suggestion.record]
    return ranked


def point(latitude: float | None, longitude: float | None) -> tuple[float, float] | None:
    return None if latitude is None or longitude is None else (latitude, longitude)


def reset() -> None:
    """Forget what was read from the database (tests roll it back)."""
    for vocabulary in _vocabularies:
        vocabulary.read_at = None


def vector_of(record, *, store: bool = True) -> np.ndarray | None:
    """RECORD's vector: the stored one, or computed now (and stored) if the background task has
    not run yet. None without the model."""
    if not semantic.available():
        return None
    if record.embedding is not None:
        return semantic.from_bytes(record.embedding)
    vector = semantic.embed([record.embedding_text()], query=record.EMBED_AS_QUERY)[0]
    if store and record.pk:
        type(record).objects.filter(pk=record.pk).update(
            embedding=semantic.to_bytes(vector), embedded_at=timezone.now()
        )
    return vector
