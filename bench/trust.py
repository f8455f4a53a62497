"""What the trust issue promised, measured: backups of the large territory, `serve` starting
and stopping with 1,000 live streams open, and the figures page under 32 concurrent clients
while its figures keep expiring.

Usage: uv run python bench/trust.py [--streams 1000] [--clients 32] [--seconds 40]
                                    [backup] [backup-postgres] [stop] [stampede]

- backup: `maillage backup` of the large territory (bench/var/, seeded once by bench/serve.py)
  while nothing else runs, then `maillage restore` into an empty installation; prints the
  times, the archive's size and the rows restored. backup-postgres: the same on PostgreSQL
  (the large territory seeded once into the database maillage_bench_trust).
- stop: `maillage serve --workers 1` on a fresh workshop database: seconds until /healthz
  answers, then 1,000 streams opened on the room, then SIGTERM: seconds until every stream is
  closed by the server and until the process is gone.
- stampede: `maillage serve --workers 2` on the large territory with Redis, 32 clients asking
  /chiffres/ in a loop, the figures made stale every ten seconds (as each change does);
  prints p50, p99, the slowest and how many answers took more than 10 s.
"""

import argparse
import asyncio
import http.client
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import live
import serve

ROOT = Path(__file__).resolve().parent
PORT = 8813
REDIS = "redis://127.0.0.1:6379/13"
PG_SOURCE, PG_TARGET = "maillage_bench_trust", "maillage_bench_trust_restored"


def large_territory(**extra) -> dict[str, str]:
    serve.prepare()
    env = serve.environment() | {"LOG_LEVEL": "ERROR", "MATCHING_SEMANTIC": "false"}
    env.pop("DATABASE_URL", None)
    return env | extra


def command(*args: str, env: dict) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "maillage.cli", *args], env=env,
                          cwd=ROOT.parent, capture_output=True, text=True)  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"maillage {' '.join(args)}: {done.stderr[-2000:]}")
    return time.perf_counter() - started, done.stdout.strip()


def backup() -> None:
    """The large territory of bench/var/ on SQLite, backed up and restored elsewhere."""
    env = large_territory(REDIS_URL="")
    target = ROOT / "var" / "restauree"
    round_trip("SQLite", env, env | {"MAILLAGE_DATA_DIR": str(target)}, target)


def backup_postgres() -> None:
    """The same on PostgreSQL: the large territory seeded once into its own database."""
    import psycopg

    server = "postgres://postgres@127.0.0.1:5432/"
    env = serve.environment() | {"DATABASE_URL": server + PG_SOURCE, "REDIS_URL": "",
                                 "LOG_LEVEL": "ERROR", "MATCHING_SEMANTIC": "false"}  # fmt: skip
    with psycopg.connect(server + "postgres", autocommit=True) as db:
        seeded = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_SOURCE]).fetchone()
        if not seeded:
            db.execute(f"CREATE DATABASE {PG_SOURCE}")
        db.execute(f"DROP DATABASE IF EXISTS {PG_TARGET} WITH (FORCE)")
        db.execute(f"CREATE DATABASE {PG_TARGET}")
    if not seeded:
        command("migrate", env=env)
        took, _said = command("seed", "--scale", "large", "--seed", "1", env=env)
        print(f"seed --scale large on PostgreSQL: {took:.1f} s")
    target = ROOT / "var" / "restauree-pg"
    round_trip("PostgreSQL", env, env | {"DATABASE_URL": server + PG_TARGET,
                                         "MAILLAGE_DATA_DIR": str(target)}, target)  # fmt: skip
    with psycopg.connect(server + "postgres", autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {PG_TARGET} WITH (FORCE)")


def round_trip(name: str, source: dict, target: dict, target_dir: Path) -> None:
    archive = ROOT / "var" / "bench-sauvegarde.tar.gz"
    took, said = command("backup", str(archive), env=source)
    print(f"{name}: backup  {took:6.1f} s   {archive.stat().st_size / 1e6:7.1f} MB   ({said})")
    shutil.rmtree(target_dir, ignore_errors=True)
    target_dir.mkdir()
    took, said = command("restore", str(archive), env=target)
    print(f"{name}: restore {took:6.1f} s   ({said})")
    shutil.rmtree(target_dir)
    archive.unlink()


async def hold_streams(path: str, count: int, stop) -> None:
    """COUNT streams on PATH; once all hold the room's state, call STOP, then say when the
    server closed them."""
    opened, closed = asyncio.Event(), []
    ready = 0

    async def one():
        nonlocal ready
        reader, writer = await asyncio.open_connection("127.0.0.1", live.PORT, limit=2**20)
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        await writer.drain()
        counted = False
        while line := await reader.readline():
            if line.startswith(b"event: ") and not counted:
                counted, ready = True, ready + 1
                if ready == count:
                    opened.set()
        closed.append(time.monotonic())
        writer.close()

    tasks = [asyncio.create_task(one()) for _ in range(count)]
    await asyncio.wait_for(opened.wait(), timeout=120)
    stopped_at = stop()
    await asyncio.wait(tasks, timeout=120)
    shut = [t for t in closed if t >= stopped_at]
    if not shut:
        print("  no stream closed by the server")
        return
    print(f"  {len(shut)} of {count} streams closed by the server, the last "
          f"{max(shut) - stopped_at:.2f} s after SIGTERM")  # fmt: skip


def stop(streams: int) -> None:
    (ROOT / "var" / "live").mkdir(parents=True, exist_ok=True)
    room = live.prepare("sqlite", 0)
    command("release", env=live.environment("sqlite"))
    started = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "maillage.cli", "serve", "--port", str(live.PORT), "--workers", "1"],
        env=live.environment("sqlite"), cwd=ROOT.parent, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        serve.wait_until_up(server, live.PORT, tries=600)
        print(f"serve    up in {time.monotonic() - started:.2f} s (process start to /healthz)")
        stopped = {}

        def terminate() -> float:
            stopped["at"] = time.monotonic()
            server.send_signal(signal.SIGTERM)
            return stopped["at"]

        asyncio.run(hold_streams(room["stream"], streams, terminate))
        server.wait(timeout=120)
        print(f"  process gone {time.monotonic() - stopped['at']:.2f} s after SIGTERM "
              f"(exit code {server.returncode})")  # fmt: skip
    finally:
        if server.poll() is None:
            server.kill()


def stampede(clients: int, seconds: float) -> None:
    env = large_territory(REDIS_URL=REDIS)
    subprocess.run(["redis-cli", "-n", REDIS.rsplit("/", 1)[1], "flushdb"], check=True,
                   capture_output=True)  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "maillage.cli", "serve", "--port", str(PORT), "--workers", "2"],
        env=env, cwd=ROOT.parent, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    staling = subprocess.Popen(  # what every change to a need does: the figures go stale
        [sys.executable, "-c", "import django, time; django.setup()\n"
         "from maillage.observatory import indicators\n"
         "while True:\n    time.sleep(10)\n    indicators.invalidate()"],
        env=env, cwd=ROOT.parent,
    )  # fmt: skip
    try:
        serve.wait_until_up(server, PORT, tries=600)
        started = time.perf_counter()
        first = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        first.request("GET", "/chiffres/")
        first.getresponse().read()
        print(f"stampede the first count, nothing kept yet: {time.perf_counter() - started:.1f} s")
        latencies: list[float] = []
        deadline = time.monotonic() + seconds

        def client() -> None:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
            while time.monotonic() < deadline:
                started = time.perf_counter()
                connection.request("GET", "/chiffres/")
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    raise RuntimeError(f"/chiffres/ answered {response.status}")
                latencies.append(time.perf_counter() - started)

        threads = [threading.Thread(target=client) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        latencies.sort()
        print(f"stampede {clients} clients, {seconds:.0f} s, figures stale every 10 s: "
              f"{len(latencies)} answers, p50 {statistics.median(latencies) * 1000:.0f} ms, "
              f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.0f} ms, slowest "
              f"{latencies[-1]:.1f} s, {sum(t > 10 for t in latencies)} past 10 s")  # fmt: skip
    finally:
        staling.kill()
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("parts", nargs="*", default=["backup", "stop", "stampede"])
    options = parser.parse_args()
    os.chdir(ROOT.parent)
    if "backup" in options.parts:
        backup()
    if "backup-postgres" in options.parts:
        backup_postgres()
    if "stop" in options.parts:
        stop(options.streams)
    if "stampede" in options.parts:
        stampede(options.clients, options.seconds)


if __name__ == "__main__":
    main()
