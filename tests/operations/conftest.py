"""Drills run the real commands in fresh processes against fresh databases."""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest

LINDUNG = str(Path(sys.executable).with_name("lindung"))


def lindung(*args, env, check=True):
    """Run ``lindung`` with ``args``; its output, or the test fails with it."""
    result = subprocess.run([LINDUNG, *args], env=env, capture_output=True, text=True, timeout=900)
    if check and result.returncode != 0:
        raise AssertionError(f"lindung {' '.join(args)}: {result.stdout}{result.stderr}")
    return result


@pytest.fixture
def fresh_databases(tmp_path):
    """The environments of two new, empty databases on the pass's engine."""
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    url = os.environ.get("DATABASE_URL")
    if not url:
        envs = []
        for name in ("first", "second"):
            (tmp_path / name).mkdir()
            envs.append({**base, "LINDUNG_VAR_DIR": str(tmp_path / name)})
        yield envs
        return
    import psycopg

    parts = urlparse(url)
    names = [f"lindung_drill_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    admin = psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    )
    try:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
        yield [
            {
                **base,
                "LINDUNG_VAR_DIR": str(tmp_path),
                "DATABASE_URL": parts._replace(path=f"/{name}").geturl(),
            }
            for name in names
        ]
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
