"""Drills run the real commands in fresh processes against fresh databases."""

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from contextlib import closing
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests import dbtemplate

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
    """A database migrated by ``lindung migrate`` in a new process, copied by :func:`migrate`
    (a migration of the whole schema costs more than the drills themselves): once per run
    when ``LINDUNG_TEST_TEMPLATES`` names the run's folder (``scripts/test-all.sh``), the
    first process of each engine making it under a lock there; otherwise once per process."""
    folder = os.environ.get(dbtemplate.FOLDER_VARIABLE)
    if folder:
        yield _run_template(Path(folder))
        return
    url = os.environ.get("DATABASE_URL")
    scratch = tmp_path_factory.mktemp("migrated")
    if not url:
        yield _migrated_sqlite(scratch / "lindung.sqlite3")
        return
    # Named after the pass's database (``lindung`` → ``lindung_drill_tpl_…``), so the
    # databases of runs beside each other on one server are told apart by their owner.
    name = f"{urlparse(url).path.lstrip('/')}_drill_tpl_{uuid.uuid4().hex[:8]}"
    try:
        yield _migrated_pg(url, name, scratch)
    finally:
        with closing(_admin(url)) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _base_env() -> dict:
    return {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}


def _migrated_sqlite(path: Path) -> Path:
    """``path``, a SQLite database ``lindung migrate`` made."""
    folder = path.parent / f"{path.stem}.var"
    folder.mkdir(exist_ok=True)
    lindung("migrate", "--noinput", "-v0", env={**_base_env(), "LINDUNG_VAR_DIR": str(folder)})
    (folder / "lindung.sqlite3").rename(path)
    return path


def _migrated_pg(url: str, name: str, scratch: Path) -> str:
    """The PostgreSQL database ``name`` (on ``url``'s server), made and migrated."""
    with closing(_admin(url)) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    env = {**_base_env(), "DATABASE_URL": urlparse(url)._replace(path=f"/{name}").geturl()}
    lindung("migrate", "--noinput", "-v0", env={**env, "LINDUNG_VAR_DIR": str(scratch)})
    return name


def _run_template(folder: Path):
    """The run's migrated template of this pass's engine, made by the first process that
    asks (the others wait on the lock, then find it); dropped by ``tests.dbtemplate drop``."""
    url = os.environ.get("DATABASE_URL")
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ("drill-postgresql.lock" if url else "drill-sqlite.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not url:
            path = folder / dbtemplate.DRILL_SQLITE
            if not path.exists():
                scratch = Path(tempfile.mkdtemp(dir=folder))
                _migrated_sqlite(scratch / "lindung.sqlite3").rename(path)
                shutil.rmtree(scratch, ignore_errors=True)
            return path
        name = dbtemplate.drill_template_name(urlparse(url).path.lstrip("/"))
        with closing(_admin(url)) as admin:
            found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            exists = found.fetchone() is not None
        if not exists:
            with tempfile.TemporaryDirectory(dir=folder) as scratch:
                _migrated_pg(url, name, Path(scratch))
        return name


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
