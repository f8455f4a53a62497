"""A workshop room under load: 300 phones (or 1,000, 2,000…) grade 4 scenarios on 5 criteria
within a minute while every screen listens for live updates.

Usage: uv run python bench/live.py [--participants 300] [--minute 60] [--backpressure 4096]
                                   [sqlite] [postgres]

  sqlite    one server process (`maillage serve --workers 1`), SQLite, the in-process bus;
  postgres  two server processes, PostgreSQL (database maillage_bench_live, recreated) and
            Redis carrying the live updates between them.

Each run prepares a fresh database with one workshop (4 scenarios, the 5 default criteria) and
its participants, starts the server, opens one stream per phone plus the projector and the
console, then:
1. walks the room through 6 phase changes (accueil … scénarios), 1.5 s apart; as live.js,
   a phone takes the panel the event carries and, in a phase where it has something of its
   own (here: the évaluation, once it has voted), then fetches just that (`salle/moi/`, with
   the page's jitter);
2. starts the évaluation: each phone sends its 4 ballots (one POST each, htmx-style) at random
   moments of the minute. Every 5 s the console announces the phase again (a real phase change
   would close the vote), so phase events are also timed under the voting load;
3. moves to the scénarios and back to the évaluation (every phone that voted fetches its
   grades), then reveals the results.
It prints the phase-event latency (facilitator's POST sent → event parsed, over all screens),
the ballots' and panels' latencies, failures, and the results events each screen got. The load
client shares the two cores with the servers: the figures are pessimistic.
"""

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PORT = 8812
SECRET_KEY = "bench-only-secret-key-" + "x" * 40
CSRF = "b" * 32
PG_DATABASE = "maillage_bench_live"


def environment(mode: str) -> dict[str, str]:
    env = dict(os.environ, SECRET_KEY=SECRET_KEY, DEBUG="false", LOG_LEVEL="ERROR",
               DJANGO_SETTINGS_MODULE="maillage.settings",
               MAILLAGE_DATA_DIR=str(ROOT / "var" / "live"), MATCHING_SEMANTIC="false")  # fmt: skip
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if mode == "postgres":
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}"
        env["REDIS_URL"] = "redis://127.0.0.1:6379/0"
    return env


def prepare(mode: str, participants: int) -> dict:
    """A fresh database with the workshop; runs in a child process with the run's settings."""
    if mode == "postgres":
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
            db.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            db.execute(f"CREATE DATABASE {PG_DATABASE}")
    else:
        for suffix in ("", "-wal", "-shm"):
            (ROOT / "var" / "live" / f"maillage.sqlite3{suffix}").unlink(missing_ok=True)
    code = f"""
import json, django
django.setup()
from datetime import timedelta
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from maillage.core import live as streams
from maillage.core.models import User
from maillage.workshops import door, live, services
call_command("migrate", verbosity=0)
desk = User.objects.create_user(email="bench@example.org", password="x", role="animateur")
start = timezone.now() + timedelta(minutes=1)
workshop = services.create_workshop(by=desk, question="Bench", starts_at=start,
                                    ends_at=start + timedelta(hours=2),
                                    expected={participants})
for n in range(4):
    live.add_scenario(workshop=workshop, by=desk, title=f"Scénario {{n + 1}}")
people = [door.join(code=workshop.join_code, name=f"P{{n}}") for n in range({participants})]
client = Client()
client.force_login(desk)
print(json.dumps({{
    "workshop": workshop.pk,
    "phases": {{p.kind: p.pk for p in workshop.phases.all()}},
    "scenarios": list(workshop.scenarios.values_list("pk", flat=True)),
    "criteria": list(workshop.criteria.values_list("pk", flat=True)),
    "tokens": [p.token for p in people],
    "session": client.cookies["sessionid"].value,
    "stream": streams.url_for(f"workshop:{{workshop.pk}}"),
}}))
"""
    out = subprocess.run([sys.executable, "-c", code], env=environment(mode), check=True,
                         capture_output=True, text=True, cwd=ROOT.parent)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- a tiny HTTP/1.1 client on asyncio streams (no dependency, one connection per request) ---


async def request(method: str, path: str, cookies: dict, body: str = "", hx: bool = False):
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    headers = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Cookie: {cookie}",
               "Connection: close", f"X-CSRFToken: {CSRF}"]  # fmt: skip
    if hx:
        headers.append("HX-Request: true")
    if body:
        headers += ["Content-Type: application/x-www-form-urlencoded",
                    f"Content-Length: {len(body)}"]  # fmt: skip
    writer.write(("\r\n".join(headers) + "\r\n\r\n" + body).encode())
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    await reader.read()
    writer.close()
    return status


class Screen:
    """One open stream: records when each event arrived."""

    def __init__(self, path: str, cookies: dict, phone: bool):
        self.path, self.cookies, self.phone = path, cookies, phone
        self.events: list[tuple[float, str, dict]] = []
        self.ready = asyncio.Event()
        self.key = None
        self.personal = set()  # the phases where this phone has something of its own

    async def run(self, stats: dict):
        reader, writer = await asyncio.open_connection("127.0.0.1", PORT, limit=2**20)
        writer.write(f"GET {self.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        await writer.drain()
        name = None
        try:
            while line := await reader.readline():
                line = line.decode().rstrip("\r\n")
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: ") and name:
                    data = json.loads(line[6:])
                    self.events.append((time.monotonic(), name, data))
                    if name == "phase":
                        self._phase(data, stats)
                    if len(self.events) >= 4:
                        self.ready.set()
        finally:
            writer.close()

    def _phase(self, data: dict, stats: dict):
        # As live.js: the panel comes with the event, unless the phone has its own in the phase.
        changed = self.key is not None and data["key"] != self.key
        if changed and self.phone and data["kind"] in self.personal:
            stats["refreshes"].append(asyncio.create_task(self._refresh(stats)))
        self.key = data["key"]

    async def _refresh(self, stats: dict):
        await asyncio.sleep(random.random() * 1.5)  # live.js's jitter on the phone's panel
        started = time.monotonic()
        try:
            status = await request("GET", self.path_room, self.cookies, hx=True)
        except OSError:
            status = 0
        stats["panels"].append(time.monotonic() - started)
        if status != 200:
            stats["failures"].append(("panel", status))


async def run_room(room: dict, participants: int, minute: float) -> dict:
    pk = room["workshop"]
    stats = {"failures": [], "ballots": [], "panels": [], "phase": [], "refreshes": []}
    desk = {"sessionid": room["session"], "csrftoken": CSRF}
    screens = []
    for token in room["tokens"][:participants]:
        screen = Screen(room["stream"], {f"atelier-{pk}": token, "csrftoken": CSRF}, phone=True)
        screen.path_room = f"/ateliers/{pk}/salle/moi/"
        screens.append(screen)
    screens += [Screen(room["stream"], desk, phone=False) for _ in range(2)]  # console, projector
    tasks = []
    for n, screen in enumerate(screens):
        tasks.append(asyncio.create_task(screen.run(stats)))
        if n % 50 == 49:
            await asyncio.sleep(0.05)  # phones arrive over a moment, not at one instant
    await asyncio.wait_for(asyncio.gather(*(s.ready.wait() for s in screens)), 60)
    print(f"  {len(screens)} screens listening")

    async def move(kind: str) -> None:
        sent = time.monotonic()
        status = await request("POST", f"/ateliers/{pk}/console/phase/{room['phases'][kind]}/",
                               desk)  # fmt: skip
        if status != 302:
            stats["failures"].append(("phase", status))
        stats["phase"].append(sent)

    for kind in ["accueil", "inspiration", "ideation", "scenarios", "accueil", "scenarios"]:
        await move(kind)
        await asyncio.sleep(1.5)
    await move("evaluation")
    await asyncio.sleep(1.5)

    phones = {screen.cookies[f"atelier-{pk}"]: screen for screen in screens if screen.phone}

    async def ballot(token: str, scenario: int, delay: float) -> None:
        await asyncio.sleep(delay)
        body = "&".join(f"critere-{c}={random.randrange(7)}" for c in room["criteria"])
        started = time.monotonic()
        phone = {f"atelier-{pk}": token, "csrftoken": CSRF}
        try:
            status = await request(
                "POST", f"/ateliers/{pk}/salle/vote/{scenario}/", phone, body, hx=True
            )
        except OSError:
            status = 0
        stats["ballots"].append(time.monotonic() - started)
        phones[token].personal.add("evaluation")
        if status != 200:
            stats["failures"].append(("ballot", status))

    async def announce() -> None:
        for _ in range(int(minute // 5)):
            await asyncio.sleep(5)
            await move("evaluation")

    voting_started = time.monotonic()
    tokens = room["tokens"][:participants]
    votes = [ballot(token, scenario, random.random() * minute)
             for token in tokens for scenario in room["scenarios"]]  # fmt: skip
    await asyncio.gather(announce(), *votes)
    voting = time.monotonic() - voting_started
    for kind in ["scenarios", "evaluation"]:
        await move(kind)
        await asyncio.sleep(2)
    await request("POST", f"/ateliers/{pk}/console/resultats/", desk)
    await asyncio.sleep(2)
    await asyncio.gather(*stats["refreshes"])
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return stats | {"screens": screens, "voting": voting}


def report(stats: dict) -> None:
    sent = stats["phase"]
    latencies, missed = [], 0
    for screen in stats["screens"]:
        arrivals = [at for at, name, _data in screen.events if name == "phase"]
        for moment in sent:
            after = [at for at in arrivals if at >= moment]
            if after:
                latencies.append(after[0] - moment)
            else:
                missed += 1
    latencies.sort()

    def line(name: str, values: list[float]) -> str:
        values = sorted(values)
        if not values:
            return f"  {name:<28} none"
        p = [values[min(len(values) - 1, int(len(values) * q))] * 1000 for q in (0.5, 0.99)]
        return (f"  {name:<28} p50 {p[0]:7.1f} ms   p99 {p[1]:7.1f} ms   max "
                f"{values[-1] * 1000:7.1f} ms   ({len(values)})")  # fmt: skip

    print(line("phase event, every screen", latencies))
    print(f"  {'phase events missed':<28} {missed}")
    print(line("ballot POST", stats["ballots"]))
    print(f"  {'ballots per second':<28} {len(stats['ballots']) / stats['voting']:.1f}")
    print(line("panel GET after a phase", stats["panels"]))
    results = [sum(1 for _a, n, _d in s.events if n == "results") for s in stats["screens"]]
    print(f"  {'results events per screen':<28} median {statistics.median(results):.0f} "
          f"over {stats['voting']:.0f} s of voting")  # fmt: skip
    print(f"  {'failed requests':<28} {len(stats['failures'])} {stats['failures'][:5]}")


def run(mode: str, participants: int, minute: float, backpressure: int) -> None:
    workers = 1 if mode == "sqlite" else 2
    print(f"\n{mode}: {workers} server process(es), {participants} participants")
    (ROOT / "var" / "live").mkdir(parents=True, exist_ok=True)
    room = prepare(mode, participants)
    server = subprocess.Popen(
        [sys.executable, "-m", "maillage.cli", "serve", "--port", str(PORT),
         "--workers", str(workers), "--backpressure", str(backpressure), "--migrate"],
        env=environment(mode), cwd=ROOT.parent, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(150):
            try:
                if asyncio.run(request("GET", "/healthz", {})) == 200:
                    break
            except OSError:
                time.sleep(0.2)
        started = time.process_time()
        stats = asyncio.run(run_room(room, participants, minute))
        print(f"  client CPU {time.process_time() - started:.0f} s")
        report(stats)
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--minute", type=float, default=60)
    parser.add_argument(
        "--backpressure",
        type=int,
        default=4096,
        help="connections per server process (maillage serve's own default)",
    )
    parser.add_argument("modes", nargs="*", default=["sqlite", "postgres"])
    options = parser.parse_args()
    for mode in options.modes:
        run(mode, options.participants, options.minute, options.backpressure)


if __name__ == "__main__":
    main()
