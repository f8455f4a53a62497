"""Stopping and starting: `maillage release` is the release step, `serve` starts in seconds and
refuses an installation not released; a stop closes the live streams and exits in bounded time."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

SECRET = "une-cle-de-test-pour-le-serveur"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(data_dir) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "REDIS_URL"}}
    return env | {"MAILLAGE_DATA_DIR": str(data_dir), "SECRET_KEY": SECRET, "DEBUG": "false"}


def _maillage(*args, env, **kwargs):
    return subprocess.run([sys.executable, "-m", "maillage.cli", *args], env=env,
                          capture_output=True, text=True, **kwargs)  # fmt: skip


def test_serve_refuses_an_installation_that_was_not_released(tmp_path):
    refused = _maillage("serve", env=_env(tmp_path), timeout=60)
    assert refused.returncode != 0 and "maillage release" in refused.stderr
    assert "migration" in refused.stderr


def _answers(port: int, path: str = "/healthz") -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        connection.request("GET", path)
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def _stream(port: int, path: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    assert b"200" in sock.recv(200)
    return sock


def _closed(sock: socket.socket, seconds: float) -> bool:
    sock.settimeout(seconds)
    try:
        while chunk := sock.recv(4096):
            if chunk.endswith(b"0\r\n\r\n"):  # the chunked body's end
                return True
        return True
    except TimeoutError:
        return False
    except OSError:
        return True


def test_serve_starts_in_seconds_and_a_stop_closes_the_streams(tmp_path):
    env = _env(tmp_path)
    released = _maillage("release", env=env, timeout=300)
    assert released.returncode == 0, released.stderr
    port = _free_port()
    began = time.monotonic()
    server = subprocess.Popen([sys.executable, "-m", "maillage.cli", "serve", "--port", str(port),
                               "--workers", "1", "--stop-timeout", "10"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        while not _answers(port):
            assert time.monotonic() - began < 30 and server.poll() is None, "did not start"
            time.sleep(0.1)
        started = time.monotonic() - began
        from maillage.core import live

        with override_settings(SECRET_KEY=SECRET):
            path = live.url_for("workshop:1")
        streams = [_stream(port, path) for _ in range(20)]
        stopping = time.monotonic()
        server.send_signal(signal.SIGTERM)
        try:
            assert all(_closed(sock, 8) for sock in streams), "a stream stayed open"
        finally:
            for sock in streams:
                sock.close()
        server.wait(timeout=15)
        stopped = time.monotonic() - stopping
    finally:
        if server.poll() is None:
            server.kill()
    assert started < 15 and stopped < 10, (started, stopped)


@pytest.mark.django_db
def test_serve_migrate_runs_the_release_step_first(monkeypatch, settings):
    ran = []
    monkeypatch.setattr("os.execvp", lambda *args: ran.append("granian"))
    monkeypatch.setattr(
        "maillage.core.management.commands.serve.call_command",
        lambda name, **kw: ran.append(name),
    )
    settings.DEBUG = True
    call_command("serve", "--migrate")
    assert ran == ["release", "granian"]
    with pytest.raises(CommandError, match="stop-timeout"):
        call_command("serve", "--stop-timeout", "0")
