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
        self._seen = None

    def refresh(self) -> None:
        rows = self.model._default_manager.filter(embedding__isnull=False)
        if self._seen is not None:
            # ≥ and not >: rows embedded in the same instant as the last one read are read again.
            rows = rows.filter(embedded_at__gte=self._seen)
        new_ids, new_vectors = [], []
        for pk, data, at in (
            rows.order_by("embedded_at")
            .values_list("pk", "embedding", "embedded_at")
            .iterator(chunk_size=5000)
        ):
            vector = semantic.from_bytes(data)
            if pk in self._position:
                self.matrix[self._position[pk]] = vector
            else:
                self._position[pk] = len(self.ids) + len(new_ids)
                new_ids.append(pk)
                new_vectors.append(vector)
            self._seen = at
        if new_ids:
            self.ids = np.concatenate([self.ids, np.asarray(new_ids, dtype=np.int64)])
            self.matrix = np.vstack([self.matrix, np.asarray(new_vectors, dtype=np.float32)])

    def vector(self, pk: int) -> np.ndarray | None:
        position = self._position.get(pk)
        return None if position is None else self.matrix[position]

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The K rows closest to VECTOR, with their cosine similarity, closest first."""
        with self._lock:
            self.refresh()
            if not len(self.ids):
                return []
            scores = self.matrix @ vector
            k = min(k, len(scores))
            top = np.argpartition(-scores, k - 1)[:k]
            top = top[np.argsort(-scores[top])]
            return [(int(self.ids[i]), float(scores[i])) for i in top]

    def similarity(self, vector: np.ndarray, pks: list[int]) -> dict[int, float]:
        """The cosine similarity of VECTOR with each of the rows PKS that has an embedding."""
        with self._lock:
            self.refresh()
            return {
                pk: float(self.matrix[self._position[pk]] @ vector)
                for pk in pks
                if pk in self._position
            }


_indexes: dict[type[models.Model], VectorIndex] = {}


def index_of(model: type[models.Model]) -> VectorIndex:
    if model not in _indexes:
        _indexes[model] = VectorIndex(model)
    return _indexes[model]


def reset_all() -> None:
    """Forget what was read (tests roll back rows the indexes have seen)."""
    for index in _indexes.values():
        index.reset()
