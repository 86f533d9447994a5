"""One migrated test database per run, copied by every test process after the first.

Every pytest process makes its own test database: all the migrations, then the whole official
region list. On the CI machine that costs a process a minute or two of CPU, and
``scripts/test-all.sh`` starts six such processes (two xdist workers and one live pass, on each
engine). With ``LINDUNG_TEST_TEMPLATES`` naming a folder (the script sets it), the first
process to get there builds its database the usual way and keeps a copy as the run's template;
the others copy it instead (PostgreSQL: ``CREATE DATABASE … TEMPLATE``; SQLite: a file on the
folder's file system). Without the variable nothing changes. ``python -m tests.dbtemplate drop``
removes the PostgreSQL template at the end of the run.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import sys
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

FOLDER_VARIABLE = "LINDUNG_TEST_TEMPLATES"
# The drills' database as ``lindung migrate`` leaves it (``tests/operations/conftest.py``):
# its SQLite file in the folder, its PostgreSQL name after the configured database's.
DRILL_SQLITE = "drill-template.sqlite3"


def drill_template_name(database: str) -> str:
    return f"{database}_drill_template"


@dataclass
class Template:
    """The state of this process's test database for the session."""

    folder: Path | None = None
    copied: bool = False  # the database is a copy of the template: keep it, drop it at the end
    pg_template: str = ""
    lock: object | None = field(default=None, repr=False)

    @property
    def enabled(self) -> bool:
        return self.folder is not None


def _admin(settings_dict: dict):
    import psycopg

    return psycopg.connect(
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )


def _template_name(settings_dict: dict) -> str:
    return f"test_{settings_dict['NAME']}_template"


def _sqlite_template(folder: Path) -> Path:
    return folder / "template.sqlite3"


def _pg_template_exists(admin, name: str) -> bool:
    found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
    return found.fetchone() is not None


def prepare(worker: str | None) -> Template:
    """Before the test database is set up: point it at a copy of the template when there is
    one; otherwise hold the run's lock until :func:`keep` has made the template."""
    from django.conf import settings

    folder = os.environ.get(FOLDER_VARIABLE)
    if not folder or len(settings.DATABASES) != 1:  # a standby's mirror: the usual way
        return Template()
    folder_path = Path(folder)
    folder_path.mkdir(parents=True, exist_ok=True)
    db = settings.DATABASES["default"]
    sqlite = db["ENGINE"] == "django.db.backends.sqlite3"
    state = Template(folder=folder_path)
    if sqlite:
        # A file beside the template (not the usual in-memory database), so it can be copied.
        path = folder_path / f"test_{worker or 'main'}_{os.getpid()}.sqlite3"
        db.setdefault("TEST", {})["NAME"] = str(path)
    lock = open(folder_path / ("sqlite.lock" if sqlite else "postgresql.lock"), "w")  # noqa: SIM115
    fcntl.flock(lock, fcntl.LOCK_EX)
    if sqlite:
        template = _sqlite_template(folder_path)
        if template.exists():
            shutil.copyfile(template, path)
            state.copied = True
    else:
        name = db["TEST"]["NAME"] if db.get("TEST", {}).get("NAME") else f"test_{db['NAME']}"
        state.pg_template = _template_name(db)  # of the configured name, the same in every process
        with closing(_admin(db)) as admin:
            if _pg_template_exists(admin, state.pg_template):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{state.pg_template}"')
                state.copied = True
    if state.copied:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()
    else:
        state.lock = lock
    return state


def keep(state: Template) -> None:
    """After this process built its test database the usual way: keep it as the template."""
    if not state.enabled or state.copied:
        return
    from django.db import connection, connections

    db = connection.settings_dict
    try:
        if db["ENGINE"] == "django.db.backends.sqlite3":
            template = _sqlite_template(state.folder)
            partial = template.with_suffix(".partial")
            with closing(sqlite3.connect(partial)) as target:
                connection.ensure_connection()
                connection.connection.backup(target)
            partial.rename(template)
        else:
            connections.close_all()  # a template may have no one connected to it
            with closing(_admin(db)) as admin:
                admin.execute(f'CREATE DATABASE "{state.pg_template}" TEMPLATE "{db["NAME"]}"')
    finally:
        fcntl.flock(state.lock, fcntl.LOCK_UN)
        state.lock.close()
        state.lock = None


def drop_copy(state: Template) -> None:
    """At the end of the session: remove this process's copy (pytest-django keeps a database
    it was told to reuse)."""
    if not state.copied:
        return
    from django.db import connection, connections

    db = connection.settings_dict
    connections.close_all()
    if db["ENGINE"] == "django.db.backends.sqlite3":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db['NAME']}{suffix}").unlink(missing_ok=True)
        return
    with closing(_admin(db)) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')


def drop_templates() -> None:
    """The end of a run: the PostgreSQL templates of ``DATABASE_URL`` go, the test database's
    and the drills' (the SQLite ones are files in the run's folder)."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return
    parts = urlparse(url)
    db = {
        "NAME": parts.path.lstrip("/"),
        "HOST": parts.hostname,
        "PORT": parts.port,
        "USER": parts.username,
        "PASSWORD": parts.password,
    }
    with closing(_admin(db)) as admin:
        for name in (_template_name(db), drill_template_name(db["NAME"])):
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    if sys.argv[1:] != ["drop"]:
        sys.exit("usage: python -m tests.dbtemplate drop")
    drop_templates()
