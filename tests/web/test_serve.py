"""``lindung serve`` is a real server (granian) that answers over HTTP."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from lindung import __version__


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["LINDUNG_VAR_DIR"] = str(tmp_path)  # a fresh embedded database
    lindung = Path(sys.executable).with_name("lindung")
    process = subprocess.Popen(
        [str(lindung), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


def get(url: str, attempts: int = 1200):
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status, response.headers, response.read()
        except OSError:
            time.sleep(0.25)
    raise AssertionError(f"{url} did not answer")


def test_serve_answers_health_and_static_files(server):
    status, _, body = get(f"{server}/healthz")
    assert status == 200
    assert json.loads(body) == {"status": "ok", "database": "sqlite", "version": __version__}
    status, headers, _ = get(f"{server}/static/lindung/lindung.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    status, _, page = get(f"{server}/static/django_htmx/htmx-2.min.js")
    assert status == 200 and len(page) > 10_000  # htmx is served by the app, not a CDN
