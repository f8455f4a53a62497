"""The README's first command, run as a newcomer would: `maillage demo`."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_demo(data_dir, port: int) -> str:
    """Start the demo, wait until it answers, stop it; return what it printed."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env["MAILLAGE_DATA_DIR"] = str(data_dir)
    process = subprocess.Popen(
        [sys.executable, "-m", "maillage.cli", "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/structures/tiers-lieu-de-martigues/"
                ) as response:
                    page = response.read().decode()
                    break
            except OSError:
                if process.poll() is not None:
                    break
                time.sleep(0.5)
        else:
            pytest.fail("the demo did not answer within 90 s")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/nulle-part/")
        except urllib.error.HTTPError as error:
            missing = error
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert "Tiers-lieu de Martigues" in page, output
    assert missing.code == 404  # DEBUG off: the site's own page, not Django's debug one
    assert "Page introuvable" in missing.read().decode()
    return output


def test_the_demo_creates_its_database_loads_the_territory_and_keeps_it(tmp_path):
    port = _free_port()
    first = _run_demo(tmp_path, port)
    assert (tmp_path / "maillage.sqlite3").exists()
    assert "Chargement du territoire de démonstration" in first
    assert f"http://127.0.0.1:{port}/" in first
    assert "animatrice@maillage.localhost" in first and "maillage-demo" in first

    second = _run_demo(tmp_path, port)
    assert "Chargement du territoire" not in second


def test_the_demos_first_run_shows_its_progress_and_does_not_flood_the_terminal(tmp_path):
    from maillage.seed import DEMO_STEPS

    output = _run_demo(tmp_path, _free_port())
    total = len(DEMO_STEPS)
    steps = [line for line in output.splitlines() if f"/{total} " in line]
    assert [line.split(f"/{total} ")[0][-1] for line in steps] == [
        *(str(n) for n in range(1, total + 1)),
        str(total),
    ]
    assert "300 besoins" in output
    assert "Comptes de démonstration" in output and "Ctrl+C" in output
    # The seeded year's e-mails were sent in that past; no task's every step, no request.
    assert "demandeur" not in output and "Content-Transfer-Encoding" not in output
    assert "from: Maillage" not in output  # nor its text messages
    assert "Task id=" not in output and "GET /" not in output
    assert len(output.splitlines()) < 60, output
