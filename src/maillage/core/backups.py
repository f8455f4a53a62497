"""Backups: one consistent archive of an installation, and its restoration on an empty one.

The archive (a .tar.gz) holds the database — SQLite's online backup, taken while the site
runs, or PostgreSQL's `pg_dump` (one snapshot) — the uploaded files (MEDIA_ROOT; the filed
reports live in the database), and a manifest: when, which engine, the migrations applied,
each table's row count and each member's checksum. A restoration checks the checksums, refuses
an installation that holds data, and says whether every table came back whole."""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"


class BackupError(Exception):
    """The backup or the restoration cannot be done; the message says why, in French."""


def _engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql"


def _libpq_environment() -> dict[str, str]:
    """The database's address for pg_dump and pg_restore, without a password on their command
    line (visible to every user of the machine)."""
    db = connection.settings_dict
    env = os.environ.copy()
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                          ("PGPASSWORD", "PASSWORD"), ("PGDATABASE", "NAME")):  # fmt: skip
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as content:
        for block in iter(lambda: content.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _counted_in(copy: Path) -> dict[str, int]:
    with sqlite3.connect(copy) as database:
        tables = "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        names = [row[0] for row in database.execute(tables)]
        counts = {name: database.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
                  for name in sorted(names)}  # fmt: skip
    database.close()
    return counts


def _dump_database(target: Path) -> None:
    if _engine() == "sqlite":
        # A connection of its own, reading what is committed: consistent while others write.
        source = sqlite3.connect(connection.settings_dict["NAME"], timeout=20)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return
    done = subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)],
        env=_libpq_environment(), capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        raise BackupError(f"pg_dump a échoué : {done.stderr.strip()[:500]}")


def backup(target: Path | None = None) -> Path:
    """Write the archive (by default in BACKUP_DIR, named by the time); return its path."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    if target is None or target.is_dir():
        folder = target or Path(settings.BACKUP_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"maillage-{stamp}.tar.gz"
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        database = Path(work) / ("database.sqlite3" if _engine() == "sqlite" else "database.pgdump")
        # SQLite's rows are counted in the copy itself; PostgreSQL's just before its dump.
        counts = None if _engine() == "sqlite" else table_counts()
        _dump_database(database)
        counts = counts if counts is not None else _counted_in(database)
        files = sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []
        manifest = {
            "format": FORMAT, "created_at": timezone.now().isoformat(), "engine": _engine(),
            "database": {"file": database.name, "sha256": _sha256(database)},
            "migrations": sorted(f"{app}.{name}" for app, name in
                                 MigrationRecorder(connection).applied_migrations()),
            "tables": counts,
            "files": [{"path": str(p.relative_to(media)), "sha256": _sha256(p),
                       "size": p.stat().st_size} for p in files],
        }  # fmt: skip
        partial = target.with_name(target.name + ".partiel")
        with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
            body = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(body), int(datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(body))
            archive.add(database, arcname=database.name)
            for path in files:
                archive.add(path, arcname=f"media/{path.relative_to(media)}")
        partial.replace(target)  # never a half-written archive under the final name
    return target


def is_empty() -> bool:
    """No table holds data of ours (a new database, or one with only its migrations)."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if not tables:
        return True
    counts = table_counts()
    ours = [t for t in ("core_user", "territory_organisation", "needs_need") if t in counts]
    return all(counts[t] == 0 for t in ours)


def read_manifest(archive_path: Path) -> dict:
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            return json.load(archive.extractfile(MANIFEST))
    except (OSError, tarfile.TarError, KeyError, json.JSONDecodeError) as unreadable:
        raise BackupError(
            f"Ce fichier n'est pas une sauvegarde de Maillage : {unreadable}."
        ) from None


def restore(archive_path: Path) -> dict[str, tuple[int, int]]:
    """Bring the archive back on this (empty) installation; return each table's expected and
    restored row counts."""
    manifest = read_manifest(archive_path)
    if manifest.get("format") != FORMAT:
        raise BackupError("Cette sauvegarde vient d'une autre version du format.")
    if manifest["engine"] != _engine():
        raise BackupError(
            f"Cette sauvegarde est celle d'une base {manifest['engine']} : restaurez-la sur la "
            "même sorte de base."
        )
    if not is_empty():
        raise BackupError(
            "Cette installation contient déjà des données : une restauration ne les remplace "
            "pas. Restaurez sur une installation neuve (une base vide)."
        )
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive_path, "r:gz") as archive:
        archive.extractall(work, filter="data")
        work = Path(work)
        database = work / manifest["database"]["file"]
        if _sha256(database) != manifest["database"]["sha256"]:
            raise BackupError("La sauvegarde est abîmée : sa base ne correspond pas au manifeste.")
        for entry in manifest["files"]:
            if _sha256(work / "media" / entry["path"]) != entry["sha256"]:
                raise BackupError(f"La sauvegarde est abîmée : {entry['path']}.")
        _load_database(database)
        media = Path(settings.MEDIA_ROOT)
        if (work / "media").exists():
            shutil.copytree(work / "media", media, dirs_exist_ok=True)
    counts = table_counts()
    return {table: (expected, counts.get(table, -1))
            for table, expected in manifest["tables"].items()}  # fmt: skip


def _load_database(database: Path) -> None:
    if _engine() == "sqlite":
        connection.close()
        with sqlite3.connect(database) as source:
            target = sqlite3.connect(connection.settings_dict["NAME"])
            source.backup(target)
            target.close()
        source.close()
        return
    connection.close()
    done = subprocess.run(
        ["pg_restore", "--no-owner", "--no-privileges", "--clean", "--if-exists",
         "--exit-on-error", "--dbname", connection.settings_dict["NAME"], str(database)],
        env=_libpq_environment(), capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        raise BackupError(f"pg_restore a échoué : {done.stderr.strip()[:500]}")


def prune(folder: Path, keep: int) -> list[Path]:
    """Keep the KEEP newest archives of FOLDER; return those removed."""
    archives = sorted(folder.glob("maillage-*.tar.gz"))
    removed = archives[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink()
    return removed
