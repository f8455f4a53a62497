"""Keeping the vectors of matched records in step with their texts."""

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from . import semantic
from .models import Embedded

BATCH = 32


def embed_rows(rows: models.QuerySet) -> int:
    """Compute and store the vectors of ROWS' texts; return how many were written."""
    if not semantic.available():
        return 0
    written = 0
    records = list(rows)
    for start in range(0, len(records), BATCH):
        batch = records[start : start + BATCH]
        model = type(batch[0])
        texts = [record.embedding_text() for record in batch]
        vectors = _embed_once(texts, query=model.EMBED_AS_QUERY)
        now = timezone.now()
        for record, vector in zip(batch, vectors, strict=True):
            written += model.objects.filter(pk=record.pk).update(
                embedding=semantic.to_bytes(vector), embedded_at=now
            )
    return written


_recent: dict[tuple[str, bool], object] = {}


def _embed_once(texts: list[str], *, query: bool) -> list:
    """Embed TEXTS, computing each distinct text once: repeated texts (a form sent twice,
    synthetic data) cost nothing. Keeps the last few thousand vectors."""
    missing = list(dict.fromkeys(t for t in texts if (t, query) not in _recent))
    if missing:
        if len(_recent) > 5000:
            _recent.clear()
        for text, vector in zip(missing, semantic.embed(missing, query=query), strict=True):
            _recent[(text, query)] = vector
    return [_recent[(text, query)] for text in texts]


def embed_later(record: Embedded) -> None:
    """Once the current transaction commits, compute RECORD's vector in the background."""
    if not semantic.available():
        return
    from .tasks import embed

    label, pk = record._meta.label, record.pk
    transaction.on_commit(lambda: embed.enqueue(model=label, pk=pk))


def embedded_models() -> list[type[Embedded]]:
    return [m for m in apps.get_models() if issubclass(m, Embedded)]


def embed_all_missing() -> int:
    written = 0
    for model in embedded_models():
        while batch := embed_rows(
            model.objects.filter(embedding__isnull=True).order_by("pk")[:500]
        ):
            written += batch
    return written
