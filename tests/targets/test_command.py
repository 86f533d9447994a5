"""``lindung targets import``: figures from a file, all rows or none."""

import io
import json

import pytest
from django.core.management import call_command

from lindung.targets.models import WorkforceFigure

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("targets", *args, stdout=out)
    return out.getvalue()


def test_import_a_file(tmp_path, regency_admin):
    path = tmp_path / "ak.csv"
    path.write_text("kode_wilayah,tahun,jumlah,sumber\n51.04,2024,290000,BPS\n")
    data = json.loads(run("import", str(path), "--user", regency_admin.username, "--json"))
    assert (data["kind"], data["created"], data["problems"]) == ("workforce", 1, [])
    assert WorkforceFigure.objects.get().count == 290000
    path.write_text("kode_wilayah,tahun,jumlah,sumber\n51.01,2024,1,BPS\n")
    with pytest.raises(SystemExit):
        run("import", str(path), "--user", regency_admin.username)
