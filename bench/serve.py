"""Compare the servers `maillage serve` could use on the large seeded territory.

Usage: uv run python bench/serve.py [--seconds 15] [--concurrency 8] [--workers 2]

Seeds the large territory into bench/var/ (once), starts each server in turn on 127.0.0.1, and
loads the directory, a search and an organisation page with keep-alive clients in a separate
process. Prints requests per second, p50 and p99 for each. The load client shares the two cores,
so the figures are pessimistic; compare them with each other, not with other machines.
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DATA_DIR = ROOT / "var"
PORT = 8811
PATHS = ["/structures/", "/structures/?q=numerique+martigues", "/structures/g1-42/", "/healthz"]
SERVERS = {
    "granian-asgi": ["-m", "granian", "--interface", "asginl", "--workers", "{workers}",
                     "--backpressure", "4096", "--no-ws", "--log-level", "warning",
                     "--port", str(PORT), "maillage.asgi:application"],
    "uvicorn-asgi": ["-m", "uvicorn", "--workers", "{workers}", "--log-level", "warning",
                     "--port", str(PORT), "maillage.asgi:application"],
    "granian-wsgi": ["-m", "granian", "--interface", "wsgi", "--workers", "{workers}",
                     "--backpressure", "64", "--log-level", "warning", "--port", str(PORT),
                     "maillage.wsgi:application"],
}  # fmt: skip


def environment() -> dict[str, str]:
    env = dict(
        os.environ, MAILLAGE_DATA_DIR=str(DATA_DIR), DJANGO_SETTINGS_MODULE="maillage.settings"
    )
    env.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    return env


def prepare() -> None:
    marker = DATA_DIR / "seeded"
    if marker.exists():
        return
    DATA_DIR.mkdir(exist_ok=True)
    run = [sys.executable, "-m", "maillage.cli"]
    subprocess.run([*run, "migrate", "-v0"], env=environment(), check=True)
    started = time.perf_counter()
    subprocess.run([*run, "seed", "--scale", "large", "--seed", "1"], env=environment(), check=True)
    print(f"seed --scale large: {time.perf_counter() - started:.1f} s")
    subprocess.run([*run, "collectstatic", "--noinput", "-v0"], env=environment(), check=True)
    marker.touch()


def client(seconds: float, offset: int) -> list[float]:
    """Request the pages round-robin on one keep-alive connection; return each latency."""
    latencies, deadline, i = [], time.monotonic() + seconds, offset
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    while time.monotonic() < deadline:
        path = PATHS[i % len(PATHS)]
        i += 1
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
        latencies.append(time.perf_counter() - started)
    return latencies


def threads_client(seconds: float, threads: int, offset: int) -> list[float]:
    results: list[list[float]] = [[] for _ in range(threads)]

    def run(n: int) -> None:
        results[n] = client(seconds, offset + n)

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return [latency for result in results for latency in result]


def wait_until_up(process: subprocess.Popen, port: int = PORT, tries: int = 100) -> None:
    for _ in range(tries):
        if process.poll() is not None:
            raise RuntimeError("the server stopped")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not answer")


def measure(name: str, seconds: float, concurrency: int, workers: int) -> None:
    args = [a.format(workers=workers) for a in SERVERS[name]]
    process = subprocess.Popen([sys.executable, *args], env=environment(), cwd=ROOT.parent)
    try:
        wait_until_up(process)
        threads_client(2, 2, 0)  # warm up
        with ProcessPoolExecutor(2) as pool:  # two client processes, each with threads
            parts = pool.map(threads_client, [seconds] * 2, [concurrency // 2] * 2, [0, 1])
            latencies = sorted(latency for part in parts for latency in part)
        rps = len(latencies) / seconds
        p50 = statistics.median(latencies) * 1000
        p99 = latencies[int(len(latencies) * 0.99)] * 1000
        print(
            f"{name:<14} {rps:8.0f} req/s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms"
            f"   ({len(latencies)} requests)"
        )
    finally:
        process.terminate()
        process.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("servers", nargs="*", default=list(SERVERS))
    options = parser.parse_args()
    prepare()
    print(
        f"{options.concurrency} clients, {options.workers} workers, "
        f"{options.seconds:.0f} s each, pages {PATHS}"
    )
    for name in options.servers:
        measure(name, options.seconds, options.concurrency, options.workers)


if __name__ == "__main__":
    main()
