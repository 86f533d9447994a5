"""Drills run the real commands in fresh processes against fresh databases."""

import os
import shutil
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


def _admin(url: str):
    import psycopg

    parts = urlparse(url)
    return psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """A database migrated once per test process, copied by :func:`migrate` (a migration
    of the whole schema in a new process costs more than the drills themselves)."""
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    url = os.environ.get("DATABASE_URL")
    folder = tmp_path_factory.mktemp("migrated")
    if not url:
        lindung("migrate", "--noinput", "-v0", env={**base, "LINDUNG_VAR_DIR": str(folder)})
        yield folder / "lindung.sqlite3"
        return
    # Named after the pass's database (``lindung`` → ``lindung_drill_tpl_…``), so the
    # databases of runs beside each other on one server are told apart by their owner.
    name = f"{urlparse(url).path.lstrip('/')}_drill_tpl_{uuid.uuid4().hex[:8]}"
    admin = _admin(url)
    try:
        admin.execute(f'CREATE DATABASE "{name}"')
        env = {**base, "DATABASE_URL": urlparse(url)._replace(path=f"/{name}").geturl()}
        lindung("migrate", "--noinput", "-v0", env={**env, "LINDUNG_VAR_DIR": str(folder)})
        yield name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def migrate(migrated_template):
    """``migrate(env)``: the database of ``env`` becomes a copy of the migrated template."""

    def copy(env: dict) -> None:
        if "DATABASE_URL" not in env:
            shutil.copy(migrated_template, Path(env["LINDUNG_VAR_DIR"]) / "lindung.sqlite3")
            return
        name = urlparse(env["DATABASE_URL"]).path.lstrip("/")
        with _admin(env["DATABASE_URL"]) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{migrated_template}"')

    return copy


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
    parts = urlparse(url)
    names = [f"{parts.path.lstrip('/')}_drill_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    admin = _admin(url)
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
