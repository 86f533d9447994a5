"""``lindung programs`` and ``lindung bpjs`` on the command line."""

import datetime as dt
import io
import json

import polars as pl
import pytest
from django.core.management import CommandError, call_command

from lindung.bpjs.files import write_answer
from lindung.bpjs.services import create_batch
from lindung.programs.models import Enrollment
from lindung.programs.services import activate_many, propose
from tests.factories import TODAY
from tests.programs.conftest import make_person

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_list_and_end_periods(program, regency_admin):
    enrollment = propose(user=None, program=program, person=make_person(), today=TODAY)
    Enrollment.objects.filter(pk=enrollment.pk).update(state="submitted")
    activate_many(user=None, answers={enrollment.pk: ("24000000001", dt.date(2026, 5, 1))})
    rows = json.loads(run("programs", "list", "--json", "--user", regency_admin.username))
    assert rows[0]["name"] == program.name and rows[0]["places"] == 12_800
    assert "0 kepesertaan" in run("programs", "end-periods", "--today", "2026-10-31")
    assert "1 kepesertaan" in run("programs", "end-periods", "--today", "2026-11-01")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("programs", "end-periods", "--today", "25/11/2026")


def test_export_and_import_answer(program, regency_admin, viewer, tmp_path):
    people = [make_person(), make_person()]
    for person in people:
        propose(user=None, program=program, person=person, today=TODAY)
    Enrollment.objects.update(state="verified")
    create_batch(user=regency_admin, program=program)
    out = tmp_path / "batch.xlsx"
    assert "2 peserta" in run("bpjs", "export", "--program", str(program.pk), "--batch", "1",
                              "--out", str(out))  # fmt: skip
    assert pl.read_excel(out, sheet_name="PESERTA").height == 2
    answer = tmp_path / "jawaban.xlsx"
    answer.write_bytes(
        write_answer([{"nik": people[0].nik, "status": "ditolak", "reason": "Ganda"}])
    )
    summary = json.loads(
        run("bpjs", "import-answer", str(answer), "--program", str(program.pk), "--json",
            "--user", regency_admin.username)
    )  # fmt: skip
    assert (summary["rejected"], summary["unknown"]) == (1, 0)
    with pytest.raises(CommandError, match="tidak boleh"):
        run("bpjs", "import-answer", str(answer), "--program", str(program.pk), "--user",
            viewer.username)  # fmt: skip


def test_a_batch_by_command(program, regency_admin, viewer):
    """The submission batch has a command like the other steps."""
    people = [make_person(), make_person()]
    for person in people:
        propose(user=None, program=program, person=person, today=TODAY)
    Enrollment.objects.update(state="verified")
    summary = json.loads(
        run("bpjs", "batch", "--program", str(program.pk), "--user", regency_admin.username,
            "--note", "Batch uji", "--json")
    )  # fmt: skip
    assert (summary["number"], summary["entries"]) == (1, 2)
    assert set(Enrollment.objects.values_list("state", flat=True)) == {"submitted"}
    with pytest.raises(CommandError, match="Tidak ada pekerja terverifikasi"):
        run("bpjs", "batch", "--program", str(program.pk))
    with pytest.raises(CommandError, match="tidak boleh"):
        run("bpjs", "batch", "--program", str(program.pk), "--user", viewer.username)


def test_a_program_created_by_command(regency_admin, tmp_path):
    from tests.programs.conftest import program_data

    data = program_data(rounds="01/2027")
    del data["name"]
    source = tmp_path / "program.json"
    source.write_text(json.dumps(data))
    summary = json.loads(
        run("programs", "create", "--data", str(source), "--name", "Program Desil 2027",
            "--favoured-deciles", "1-4", "--user", regency_admin.username, "--json")
    )  # fmt: skip
    assert summary["name"] == "Program Desil 2027" and summary["rounds"] == ["01/2027"]
    assert summary["favoured_decile_max"] == 4 and summary["villages"] > 0
    with pytest.raises(CommandError, match="favoured_decile_max: decile_invalid"):
        run("programs", "create", "--data", str(source), "--name", "Lain",
            "--favoured-deciles", "12")  # fmt: skip
    with pytest.raises(CommandError, match="JSON"):
        run("programs", "create", "--data", str(tmp_path / "tidak-ada.json"))
