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
