"""Nearest neighbours by meaning, over the embeddings of one model's rows.

A brute-force scan of a matrix held in memory: 100,000 rows of 384 floats (150 MB) take about
13 ms, so no approximate index is worth its complexity. Each search first reads the rows embedded
since the last one, so every process sees new and changed texts; rows that left the candidates
(withdrawn, closed, deleted) are filtered out by the caller's queryset.
"""

import threading

import numpy as np
from django.db import models

from . import semantic


class VectorIndex:
    def __init__(self, model: type[models.Model]):
        self.model = model
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.ids = np.empty(0, dtype=np.int64)
        self.matrix = np.empty((0, semantic.DIMENSIONS), dtype=np.float32)
        self._position: dict[int, int] = {}
        self._seen = None  # (embedded_at, pk) of the last row read

    def refresh(self) -> None:
        rows = self.model._default_manager
        if self._seen is None:
            # embedded_at is written with the embedding: it alone tells which rows have one.
            parts = [rows.filter(embedded_at__isnull=False)]
        else:
            # Many rows share an instant (a batch): (embedded_at, pk) orders them all. Two
            # queries, as each keeps to the (embedded_at, id) index where an OR would not.
            at, pk = self._seen
            parts = [rows.filter(embedded_at=at, pk__gt=pk), rows.filter(embedded_at__gt=at)]
        new_ids, new_vectors = [], []
        for part in parts:
            ordered = part.order_by("embedded_at", "pk").values_list(
                "pk", "embedding", "embedded_at"
            )
            for pk, data, at in ordered.iterator(chunk_size=5000):
                vector = semantic.from_bytes(data)
                if pk in self._position:
                    self.matrix[self._position[pk]] = vector
                else:
                    self._position[pk] = len(self.ids) + len(new_ids)
                    new_ids.append(pk)
                    new_vectors.append(vector)
                self._seen = (at, pk)
        if new_ids:
            self.ids = np.concatenate([self.ids, np.asarray(new_ids, dtype=np.int64)])
            self.matrix = np.vstack([self.matrix, np.asarray(new_vectors, dtype=np.float32)])

    def vector(self, pk: int) -> np.ndarray | None:
        position = self._position.get(pk)
        return None if position is None else self.matrix[position]

    def nearest(self, vector: np.ndarray, k: int, *, also=()) -> dict[int, float]:
        """The cosine similarity with VECTOR of the K closest rows, and of the rows ALSO asked
        for (those that have a vector)."""
        with self._lock:
            self.refresh()
            if not len(self.ids):
                return {}
            scores = self.matrix @ vector
            k = min(k, len(scores))
            top = np.argpartition(-scores, k - 1)[:k]
            found = {int(self.ids[i]): float(scores[i]) for i in top}
            for pk in also:
                if pk not in found and (position := self._position.get(pk)) is not None:
                    found[pk] = float(scores[position])
            return found


_indexes: dict[type[models.Model], VectorIndex] = {}


def index_of(model: type[models.Model]) -> VectorIndex:
    if model not in _indexes:
        _indexes[model] = VectorIndex(model)
    return _indexes[model]


def reset_all() -> None:
    """Forget what was read (tests roll back rows the indexes have seen)."""
    for index in _indexes.values():
        index.reset()
