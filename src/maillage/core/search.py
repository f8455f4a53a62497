"""French full-text search behind one interface.

Both databases search the same words, stemmed here by the Snowball French stemmer with a few
corrections (`stems`) and stored in `search_stems`: PostgreSQL through a GIN index of their
`simple` text-search vector, SQLite through an FTS5 table kept in step by triggers. So a query
finds the same records on both. Models opt in with `search_text` (folded words, for substring
filters), `search_stems`, and a migration that calls `install` for their table.
"""

from functools import cache

import Stemmer
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import F, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from .text import search_terms

# Folded French words too common to tell two needs apart.
STOPWORDS = set(
    "a au aux avec ce ces dans de des du elle en est et etre eux il ils je la le les leur lui ma "
    "mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur "
    "ta te tes toi ton tu un une vos votre vous c d j l m n s t y ai as avons avez ont suis sont "
    "plus tres fait faire peu bien aussi comme tout tous cette cet dois doit peux peut veux veut "
    "voudrais voudrait avoir".split()
)

# Words inhabitants write (folded), and the words offers and services use for the same thing.
FAMILIAR = {
    "ordi": "ordinateur", "ordis": "ordinateur", "pc": "ordinateur",
    "tel": "telephone", "portable": "telephone portable",
    "mail": "courriel", "mails": "courriel", "email": "courriel", "mel": "courriel",
    "appart": "appartement", "proprio": "proprietaire",
    "boulot": "emploi travail", "taf": "emploi travail", "job": "emploi",
    "chomage": "chomage emploi", "chomeur": "chomage emploi",
    "gamin": "enfant", "gamins": "enfants", "gosses": "enfants", "petits": "enfants",
    "ado": "adolescent", "ados": "adolescents",
    "asso": "association", "assos": "associations",
    "secu": "assurance maladie", "toubib": "medecin",
    "fric": "argent", "thune": "argent", "bouffe": "alimentation", "manger": "manger alimentaire",
    "frigo": "refrigerateur", "bagnole": "voiture", "rdv": "rendez vous",
    "courier": "courrier", "imprimer": "imprimer imprimante",
}  # fmt: skip


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


def stemmed_words(text: str) -> list[tuple[str, str]]:
    """The meaningful words of TEXT, familiar ones said as offers say them, each with its stem:
    [(« demarch », « démarches »), …] (words folded)."""
    words = [
        standard
        for word in search_terms(text)
        if word not in STOPWORDS and len(word) > 1
        for standard in FAMILIAR.get(word, word).split()
    ]
    return list(zip(map(_stem, words, _stemmer().stemWords(words)), words, strict=True))


def stems(text: str) -> list[str]:
    """The distinct stems of the meaningful words of TEXT (« démarches » → « demarch »)."""
    return list(dict.fromkeys(stem for stem, _word in stemmed_words(text)))


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
    return matching_stems(queryset, stems(text), any_word=any_word, ranked=ranked)


def matching_stems(
    queryset: QuerySet, words: list[str], *, any_word: bool = False, ranked: bool = False
) -> QuerySet:
    """`matching` for stems already computed (see `stems`)."""
    if not words:
        return queryset.none()
    if _is_postgresql():
        query = SearchQuery(
            (" | " if any_word else " & ").join(words), search_type="raw", config="simple"
        )
        table = queryset.model._meta.db_table
        vector = RawSQL(f'"{table}"."search_vector"', [], output_field=SearchVectorField())
        found = queryset.alias(document=vector).filter(document=query)
        return found.annotate(rank=SearchRank(vector, query)) if ranked else found
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


def best_matches(queryset: QuerySet, words: list[str], *, limit: int) -> list[int]:
    """The pks of up to LIMIT records of QUERYSET sharing the most of the stems WORDS (see
    `stems`), best first.

    Cheaper than ranking `matching(..., ranked=True)`: SQLite's FTS5 orders its own matches by
    bm25 in C, and the best of them are then kept if QUERYSET admits them."""
    if not words:
        return []
    if _is_postgresql():
        found = matching_stems(queryset, words, any_word=True, ranked=True).order_by("-rank", "-pk")
        return list(found.values_list("pk", flat=True)[:limit])
    table = _fts_table(queryset)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH %s ORDER BY rank LIMIT %s",
            [" OR ".join(words), limit * 5],
        )
        ranked = [row[0] for row in cursor.fetchall()]
    admitted = set(queryset.filter(pk__in=ranked).values_list("pk", flat=True))
    return [pk for pk in ranked if pk in admitted][:limit]


def similar(queryset: QuerySet, text: str, *, limit: int = 5) -> list:
    """The records closest to TEXT, best first."""
    found = matching(queryset, text, any_word=True, ranked=True)
    return list(found.order_by(F("rank").desc(), "-pk")[:limit])


def install_sql(table: str) -> list[str]:
    """The statements that index TABLE for full-text search on the current database."""
    if _is_postgresql():
        # A stored vector: ranking reads it instead of parsing every matching row again (30 ms
        # down to 5 ms for 3,000 matches). Django's models do not know this column.
        return [
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED "
            f"ALWAYS AS (to_tsvector('simple'::regconfig, COALESCE(search_stems, ''))) STORED",
            f"CREATE INDEX IF NOT EXISTS {table}_fts ON {table} USING gin (search_vector)",
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
            cursor.execute(
                "SELECT (SELECT count(*) FROM pg_indexes WHERE indexname = %s) + (SELECT count(*) "
                "FROM information_schema.columns WHERE table_name = %s "
                "AND column_name = 'search_vector')",
                [names[0], table],
            )
            complete = cursor.fetchone()[0] == 2
            if not complete:
                cursor.execute(f"DROP INDEX IF EXISTS {names[0]}")
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
