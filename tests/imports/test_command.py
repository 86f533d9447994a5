"""``lindung import workers``: options, output, report files, and a real kill mid-way."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import fastexcel
import pytest
from django.core.management import CommandError, call_command

from lindung.people.models import Person
from tests.imports.files import BATUBULAN, clean_csv, row, to_csv

LINDUNG = str(Path(sys.executable).with_name("lindung"))
SUMMARY_KEYS = ["rows", "accepted", "created", "updated", "unchanged", "rejected", "errors_by_code"]


@pytest.mark.django_db
def test_json_shape_and_reports(write_file, tmp_path, capsys):
    path = write_file(to_csv([row(1), row(2, nama=""), row(3, penghasilan="x")]))
    call_command("import", "workers", str(path), "--json", "--report", str(tmp_path / "r.xlsx"))
    summary = json.loads(capsys.readouterr().out)
    assert list(summary) == SUMMARY_KEYS
    assert summary == {
        "rows": 3,
        "accepted": 1,
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 2,
        "errors_by_code": {"income_invalid": 1, "name_missing": 1},
    }
    detail = fastexcel.read_excel((tmp_path / "r.xlsx").read_bytes()).load_sheet("Rincian")
    assert detail.to_polars().get_column("kode").to_list() == ["name_missing", "income_invalid"]
    call_command("import", "workers", str(path), "--json", "--report", str(tmp_path / "r.csv"))
    assert json.loads(capsys.readouterr().out)["unchanged"] == 1
    assert (tmp_path / "r.csv").read_text(encoding="utf-8-sig").count("\n") == 3


@pytest.mark.django_db
def test_user_scope_village_and_update(write_file, operator, capsys):
    cells = row(1)
    del cells["kode_desa"]
    path = write_file(to_csv([cells]))
    call_command("import", "workers", str(path), "--user", operator.username,
                 "--village", BATUBULAN, "--json")  # fmt: skip
    assert json.loads(capsys.readouterr().out)["created"] == 1
    changed = write_file(to_csv([{**cells, "nama": "I Made Sudarsana Putra"}]), "b.csv")
    call_command("import", "workers", str(changed), "--user", operator.username,
                 "--village", BATUBULAN, "--update", "--json")  # fmt: skip
    assert json.loads(capsys.readouterr().out)["updated"] == 1
    assert Person.objects.get().full_name == "I Made Sudarsana Putra"


@pytest.mark.django_db
def test_refusals(write_file, viewer, operator):
    path = write_file(to_csv([row(1)]))
    with pytest.raises(CommandError, match="Berkas tidak ada"):
        call_command("import", "workers", "/nonexistent.csv")
    with pytest.raises(CommandError, match="Pengguna tidak ada"):
        call_command("import", "workers", str(path), "--user", "nobody")
    with pytest.raises(CommandError, match="tidak boleh mengimpor"):
        call_command("import", "workers", str(path), "--user", viewer.username)
    with pytest.raises(CommandError, match="di luar wilayah"):
        call_command("import", "workers", str(path), "--user", operator.username,
                     "--village", "51.04.01.2002")  # fmt: skip
    with pytest.raises(CommandError, match="Kolom wajib tidak ada"):
        call_command("import", "workers", str(write_file(b"nik\n1\n", "x.csv")), "--json")
    with pytest.raises(CommandError, match=".xlsx atau .csv"):
        call_command("import", "workers", str(path), "--report", "out.pdf")


# ---- a real kill -----------------------------------------------------------------------


@pytest.fixture
def fresh_database(tmp_path):
    """A database of its own (the subprocess cannot see the test transaction)."""
    env = {**os.environ, "LINDUNG_VAR_DIR": str(tmp_path / "var")}
    url = os.environ.get("DATABASE_URL", "")
    dropper = None
    if url.startswith("postgres"):
        import psycopg

        parts = urlparse(url)
        name = f"lindung_killtest_{os.getpid()}"
        admin = parts._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        env["DATABASE_URL"] = parts._replace(path=f"/{name}").geturl()

        def dropper():
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    else:
        env.pop("DATABASE_URL", None)
    subprocess.run([LINDUNG, "migrate", "-v0"], env=env, check=True)
    subprocess.run([LINDUNG, "regions", "load"], env=env, check=True, capture_output=True)
    yield env
    if dropper:
        dropper()


def _count(env, sql: str) -> int:
    url = env.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url) as conn:
            return conn.execute(sql).fetchone()[0]
    with sqlite3.connect(Path(env["LINDUNG_VAR_DIR"]) / "lindung.sqlite3", timeout=30) as conn:
        return conn.execute(sql).fetchone()[0]


def test_killed_import_keeps_whole_batches_and_the_same_command_completes_it(
    fresh_database, tmp_path
):
    env = {**fresh_database, "LINDUNG_IMPORT_THREADS": "2"}  # the parallel path on PostgreSQL
    path = tmp_path / "pekerja.csv"
    path.write_bytes(clean_csv(40_000, seed=31))
    command = [LINDUNG, "import", "workers", str(path), "--batch-rows", "200", "--json"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if _count(env, "SELECT count(*) FROM imports_importbatch") >= 5:
            break
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    batches = _count(env, "SELECT count(*) FROM imports_importbatch")
    people = _count(env, "SELECT count(*) FROM people_person")
    assert 5 <= batches < 200, "the import should have been killed half-way"
    assert people == 200 * batches  # whole batches only

    finished = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert "Melanjutkan impor" in finished.stderr
    summary = json.loads(finished.stdout)
    assert (summary["rows"], summary["created"], summary["rejected"]) == (40_000, 40_000, 0)
    assert _count(env, "SELECT count(*) FROM people_person") == 40_000
    assert _count(env, "SELECT count(DISTINCT nik) FROM people_person") == 40_000
    assert _count(env, "SELECT count(*) FROM imports_importjob") == 1
