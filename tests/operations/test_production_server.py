"""The production server as an operator starts it: several processes, JSON logs with the
request id, ``/metrics`` adding up the processes, static files cached for a year."""

import json
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

from tests.web.test_security_headers import _production_env
from tests.web.test_serve import free_port, get

LINDUNG = str(Path(sys.executable).with_name("lindung"))


def test_production_server(tmp_path):
    port = free_port()
    env = _production_env(tmp_path, LINDUNG_SSL_REDIRECT="0", LINDUNG_ALLOWED_HOSTS="127.0.0.1")
    migrate = [LINDUNG, "migrate", "--noinput", "-v0"]
    assert subprocess.run(migrate, env=env, capture_output=True, timeout=900).returncode == 0
    server = subprocess.Popen(
        [LINDUNG, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        status, _, page = get(f"{base}/masuk/", attempts=2400)  # collectstatic first
        assert status == 200
        (css,) = re.findall(r'href="(/static/lindung/lindung\.[0-9a-f]{12}\.css)"', page.decode())
        status, headers, _ = get(base + css)
        assert status == 200
        assert "max-age=315360000" in headers["Cache-Control"]
        assert "immutable" in headers["Cache-Control"]
        request = urllib.request.Request(f"{base}/healthz", headers={"X-Request-ID": "drill-0001"})
        for _ in range(6):
            with urllib.request.urlopen(request, timeout=5) as answer:
                assert answer.headers["X-Request-ID"] == "drill-0001"
        _, _, metrics = get(f"{base}/metrics")
        text = metrics.decode()
        counted = re.search(
            r'django_http_requests_total_by_method_total\{method="GET"\} (\S+)', text
        )
        assert counted and float(counted.group(1)) >= 8, text[:2000]
        assert "lindung_queue_length 0.0" in text
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    healthz = [line for line in lines if line.get("path") == "/healthz"]
    assert len(healthz) == 6, output[-3000:]
    assert {line["request_id"] for line in healthz} == {"drill-0001"}
    assert {line["status"] for line in healthz} == {200}
    assert all(line["logger"] == "lindung.requests" and "duration_ms" in line for line in healthz)
