"""``lindung coverage``: refresh, rebuild, verify."""

import io

import pytest
from django.core.management import CommandError, call_command

from lindung.coverage.models import Tally

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("coverage", *args, stdout=out)
    return out.getvalue()


def test_refresh_rebuild_verify(gianyar):
    assert "0 desa" in run("refresh")
    rows = Tally.objects.count()
    assert f"{rows} baris" in run("rebuild")
    assert "sama dengan" in run("verify")
    Tally.objects.filter(region_code="51.04").delete()
    with pytest.raises(CommandError):
        run("verify")
