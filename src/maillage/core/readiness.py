"""What /readyz checks, each named: « ok », « absent » (not configured), or what fails."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone


def database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return f"erreur : {error.__class__.__name__}"
    return "ok"


def redis() -> str:
    if not settings.REDIS_URL:
        return "absent"
    import redis as client

    try:
        client.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5,
                              socket_timeout=0.5).ping()  # fmt: skip
    except (client.exceptions.RedisError, OSError) as error:
        return f"erreur : {error.__class__.__name__}"
    return "ok"


def worker() -> str:
    from .housekeeping import dead_after, last_beat

    try:
        seen = last_beat()
    except DatabaseError:
        return "erreur : base de données"
    if seen is None:
        return "erreur : aucun processus de tâches n'a encore battu"
    if timezone.now() - seen > dead_after():
        return f"erreur : silencieux depuis {seen:%Y-%m-%d %H:%M:%S}"
    return "ok"


def migrations() -> str:
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return "erreur : base de données"
    return f"erreur : {len(pending)} en attente" if pending else "ok"


def checks() -> dict[str, str]:
    return {"database": database(), "redis": redis(), "worker": worker(),
            "migrations": migrations()}  # fmt: skip
