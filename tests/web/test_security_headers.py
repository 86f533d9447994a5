"""Production hardening: the Content-Security-Policy on every page, no inline script or style
in any template, and ``lindung check --deploy`` clean in production mode."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

import lindung
from lindung import settings as lindung_settings

TEMPLATES = Path(lindung.__file__).parent
# An inline script or style, an event handler attribute, a javascript: URL, code htmx
# would evaluate: each needs 'unsafe-inline' or 'unsafe-eval', which the policy refuses.
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"hx-on|hx-vals\s*=\s*['\"]\s*js:", re.I), "htmx code"),
]


def test_no_template_holds_inline_script_or_style():
    found = []
    for path in sorted(TEMPLATES.glob("*/templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(TEMPLATES)}:{line}: {what}")
    assert found == []


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client, regency_admin):
    client.force_login(regency_admin)
    for url in ("/", "/pekerja/", "/program/"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert "style-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert 'src="/static/lindung/lindung.js"' in response.content.decode()


def test_the_page_script_is_served_by_the_app(client):
    response = client.get("/static/lindung/lindung.js")
    assert response.status_code == 200
    assert b"data-check-all" in b"".join(response.streaming_content)


def _production_env(tmp_path, **extra) -> dict:
    # As a server is started: none of the test run's own settings (the browser tests'
    # DJANGO_ALLOW_ASYNC_UNSAFE would be reported as a deployment error, rightly).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("LINDUNG_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(
        LINDUNG_PRODUCTION="1",
        LINDUNG_SECRET_KEY=secrets.token_urlsafe(60),
        LINDUNG_ALLOWED_HOSTS="lindung.gianyarkab.go.id",
        LINDUNG_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        PYTHONPATH=str(TEMPLATES.parent),
    )
    env.update(extra)
    return env


def _run(args, env):
    return subprocess.run(
        [sys.executable, "-m", "lindung.cli", *args],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], _production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    demo = _production_env(tmp_path, LINDUNG_PRODUCTION="0")
    plain = _run(["check", "--deploy", "--fail-level", "WARNING"], demo)
    assert plain.returncode != 0 and "security.W012" in plain.stdout + plain.stderr


def test_production_settings(tmp_path):
    env = _production_env(tmp_path, LINDUNG_PROXY_SSL_HEADER="X-Forwarded-Proto: https")
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = _run(["shell", "-c", code], env)
    assert result.stdout.split("\n")[-2] == (
        "True True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https')"
    ), result.stderr


def test_proxy_header_setting(monkeypatch):
    monkeypatch.setenv("LINDUNG_PROXY_SSL_HEADER", "HTTP_X_FORWARDED_PROTO=https")
    assert lindung_settings._proxy_ssl_header() == ("HTTP_X_FORWARDED_PROTO", "https")
    monkeypatch.setenv("LINDUNG_PROXY_SSL_HEADER", "")
    assert lindung_settings._proxy_ssl_header() is None
