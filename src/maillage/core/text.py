"""Text normalisation shared by search and matching: French texts, accents, case."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case TEXT and strip its accents, so that « Écologie » and « ecologie » match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_terms(text: str) -> list[str]:
    """Split a query into folded words, dropping punctuation and duplicates, keeping order."""
    return list(dict.fromkeys(word for word in _NON_WORD.split(fold(text)) if word))


def search_document(*parts: str | None) -> str:
    """Build the folded, space-joined text that a record is searched by."""
    return " ".join(" ".join(search_terms(part)) for part in parts if part)
