"""Backups: `maillage backup` writes one archive while the site runs, `maillage restore` brings
it back on an empty installation — every table's rows the same — and refuses anything else."""

import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from maillage.core import backups


def _rows(cursor, tables) -> dict[str, list[tuple]]:
    rows = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}"')
        rows[table] = sorted(map(repr, cursor.fetchall()))
    return rows


def _read(database, tables) -> dict[str, list[tuple]]:
    """Every row of TABLES, read by the same driver on both sides (no type conversion)."""
    try:
        return _rows(database.cursor(), tables)
    finally:
        database.close()


def _open_source():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return sqlite3.connect(db["NAME"])
    import psycopg

    return psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"],
                           password=db.get("PASSWORD") or None, dbname=db["NAME"])  # fmt: skip


def _restore(env_url: str, archive: Path, media: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DATABASE_URL": env_url, "MAILLAGE_DATA_DIR": str(media.parent)}
    return subprocess.run([sys.executable, "-m", "maillage.cli", "restore", str(archive)],
                          env=env, capture_output=True, text=True, timeout=600)  # fmt: skip


@pytest.fixture
def target_database(tmp_path):
    """An empty database of the same engine, and a way to read it."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restauree.sqlite3"
        yield f"sqlite:///{path}", lambda: sqlite3.connect(path)
        return
    import psycopg

    db = connection.settings_dict
    name = f"{db['NAME']}_restore"
    admin = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"],
             "password": db.get("PASSWORD") or None, "dbname": "postgres"}  # fmt: skip
    with psycopg.connect(**admin, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}"')
        server.execute(f'CREATE DATABASE "{name}"')
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    url = f"postgres://{db['USER']}{password}@{db['HOST']}:{admin['port']}/{name}"
    yield url, lambda: psycopg.connect(**(admin | {"dbname": name}))
    with psycopg.connect(**admin, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_on_an_empty_installation_holds_every_row(
    tmp_path, target_database, settings
):
    from django.apps import apps

    from maillage import seed
    from maillage.core.reference import load_networks, load_reference_lists

    load_reference_lists(apps)  # an earlier test of whole transactions may have emptied them
    load_networks(apps)
    settings.MEDIA_ROOT = tmp_path / "source" / "media"
    (settings.MEDIA_ROOT / "imports").mkdir(parents=True)
    (settings.MEDIA_ROOT / "imports" / "structures.csv").write_text("source;id;nom\n")
    seed.load_demo()
    archive = tmp_path / "sauvegarde.tar.gz"
    call_command("backup", str(archive))
    with tarfile.open(archive) as content:
        names = content.getnames()
    assert "manifest.json" in names and "media/imports/structures.csv" in names

    url, open_target = target_database
    restored_media = tmp_path / "cible" / "media"
    done = _restore(url, archive, restored_media)
    assert done.returncode == 0, done.stderr
    assert "Restauré" in done.stdout
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
    source, target = (_read(opened, tables) for opened in (_open_source(), open_target()))
    different = [t for t in tables if source[t] != target[t]]
    assert not different, different
    assert sum(map(len, source.values())) > 1000  # the demo's territory, not empty tables
    assert (restored_media / "imports" / "structures.csv").read_text() == "source;id;nom\n"

    again = _restore(url, archive, restored_media)  # the target now holds data
    assert again.returncode != 0 and "contient déjà des données" in again.stderr


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_no_backup_and_an_installation_with_data(tmp_path):
    from tests.factories import UserFactory

    junk = tmp_path / "pas-une-sauvegarde.tar.gz"
    junk.write_bytes(b"\x00" * 100)
    with pytest.raises(CommandError, match="n'est pas une sauvegarde"):
        call_command("restore", str(junk))
    UserFactory()
    archive = backups.backup(tmp_path / "a.tar.gz")
    with pytest.raises(CommandError, match="contient déjà des données"):
        call_command("restore", str(archive))


def test_the_nightly_backups_keep_the_last_ones(tmp_path):
    for day in range(1, 10):
        (tmp_path / f"maillage-202612{day:02d}-030000.tar.gz").write_bytes(b"x")
    removed = backups.prune(tmp_path, keep=7)
    assert [p.name for p in removed] == ["maillage-20261201-030000.tar.gz",
                                         "maillage-20261202-030000.tar.gz"]  # fmt: skip
    assert len(list(tmp_path.glob("maillage-*.tar.gz"))) == 7
    assert settings.BACKUP_KEEP >= 1
