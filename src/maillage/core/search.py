"""French full-text search behind one interface.

Both databases search the same words, stemmed here by the Snowball French stemmer with a few
corrections (`stems`) and stored in `search_stems`: PostgreSQL through a GIN index of their
`simple` text-search vector, SQLite through an FTS5 table kept in step by triggers. So a query
finds the same records on both. Models opt in with `search_text` (folded words, for substring
filters), `search_stems`, and a migration that calls `install` for their table.
"""

from functools import cache

import Stemmer
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from .text import search_terms

# Folded French words too common to tell two needs apart.
STOPWORDS = set(
    "a au aux avec ce ces dans de des du elle en est et etre eux il ils je la le les leur lui ma "
    "mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur "
    "ta te tes toi ton tu un une vos votre vous c d j l m n s t y ai as avons avez ont suis sont "
    "plus tres fait faire peu bien aussi comme tout tous cette cet".split()
)


@cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("french")


def _stem(word: str, stem: str) -> str:
    """Snowball cuts short words down to ambiguous stems (« café » → « caf », like the CAF):
    keep such words whole, in the singular. It also keeps the plural of words ending in a vowel
    (« vélos », « cargos »): drop it."""
    if len(stem) <= 3 and stem != word:
        return word[:-1] if word[-1] in "sx" and len(word) > 3 else word
    if len(stem) > 3 and stem[-1] == "s" and stem[-2] in "aiou":
        return stem[:-1]
    return stem


def stems(text: str) -> list[str]:
    """The distinct stems of the meaningful words of TEXT (« démarches » → « demarch »)."""
    words = [w for w in search_terms(text) if w not in STOPWORDS and len(w) > 1]
    return list(dict.fromkeys(map(_stem, words, _stemmer().stemWords(words))))


def stem_document(*parts: str | None) -> str:
    return " ".join(stems(" ".join(p for p in parts if p)))


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _fts_table(queryset: QuerySet) -> str:
    return f"{queryset.model._meta.db_table}_fts"


def matching(
    queryset: QuerySet, text: str, *, any_word: bool = False, ranked: bool = False
) -> QuerySet:
    """Keep the records that match TEXT (every word, or ANY_WORD); if RANKED, annotate `rank`
    (higher is closer), which costs a lookup per match. Without a meaningful word, nothing
    matches."""
    if _is_postgresql():
        words = stems(text)
        if not words:
            return queryset.none()
        query = SearchQuery(
            (" | " if any_word else " & ").join(words), search_type="raw", config="simple"
        )
        vector = SearchVector("search_stems", config="simple")
        found = queryset.alias(document=vector).filter(document=query)
        return found.annotate(rank=SearchRank(vector, query)) if ranked else found
    words = stems(text)
    if not words:
        return queryset.none()
    expression = (" OR " if any_word else " AND ").join(words)
    table, base = _fts_table(queryset), queryset.model._meta.db_table
    ids = RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [expression])
    if not ranked:
        return queryset.filter(pk__in=ids)
    rank = RawSQL(
        f"(SELECT -bm25({table}) FROM {table} "
        f"WHERE {table} MATCH %s AND {table}.rowid = {base}.id)",
        [expression],
        output_field=FloatField(),
    )
    return queryset.filter(pk__in=ids).annotate(rank=rank)


def similar(queryset: QuerySet, text: str, *, limit: int = 5) -> list:
    """The records closest to TEXT, best first."""
    found = matching(queryset, text, any_word=True, ranked=True)
    return list(found.order_by(F("rank").desc(), "-pk")[:limit])


def install_sql(table: str) -> list[str]:
    """The statements that index TABLE for full-text search on the current database."""
    if _is_postgresql():
        return [
            f"CREATE INDEX IF NOT EXISTS {table}_fts ON {table} "
            f"USING gin (to_tsvector('simple'::regconfig, COALESCE(search_stems, '')))"
        ]
    fts = f"{table}_fts"
    add = f"INSERT INTO {fts}(rowid, search_stems) VALUES (new.id, new.search_stems);"
    remove = f"INSERT INTO {fts}({fts}, rowid, search_stems) VALUES ('delete', old.id, old.search_stems);"  # noqa: E501
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(search_stems, content='{table}', content_rowid='id')",  # noqa: E501
        f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN {add} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN {remove} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF search_stems ON {table} BEGIN {remove} {add} END",  # noqa: E501
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]  # fmt: skip


def install(table: str):
    """A migration operation that indexes TABLE for full-text search."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        for statement in install_sql(table):
            schema_editor.execute(statement)

    return migrations.RunPython(forwards, migrations.RunPython.noop)


def ensure_indexed(table: str, *, using: str = "default") -> bool:
    """Recreate TABLE's search index if it is missing or incomplete; tell whether it had to.

    On SQLite, a migration that alters TABLE copies it to a new table and drops its triggers,
    so this runs after every `migrate` (see the apps' `ready`)."""
    from django.db import connections

    connection = connections[using]
    names = [f"{table}_fts", f"{table}_fts_insert", f"{table}_fts_delete", f"{table}_fts_update"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = %s", [names[0]])
            complete = cursor.fetchone()[0] == 1
        else:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE name IN (%s, %s, %s, %s)", names
            )
            complete = cursor.fetchone()[0] == len(names)
        if complete:
            return False
        for statement in install_sql(table):
            cursor.execute(statement)
    return True
