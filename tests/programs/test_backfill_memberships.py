"""Workers activated before the registry kept insurer memberships get theirs from their
active enrollment's KPJ, once; a KPJ already another person's is reported, not recorded."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from lindung.people.models import Membership
from lindung.programs.models import Enrollment
from lindung.programs.services import backfill_memberships
from tests.billing.conftest import (
    BATUBULAN,
    activate,
    make_person,
    sponsor,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(make_billing_program):
    return make_billing_program()


def test_backfill_creates_missing_memberships_once(program):
    people = [make_person(BATUBULAN) for _ in range(3)]
    enrollments = sponsor(program, people)
    activate(enrollments, dt.date(2024, 1, 19))
    Membership.objects.all().delete()  # as before memberships were kept
    Enrollment.objects.filter(pk=enrollments[2].pk).update(kpj="")  # no KPJ: nothing to keep
    result = backfill_memberships()
    assert result == {"created": 2, "kpj_taken": []}
    first = Membership.objects.get(person=people[0])
    assert (first.kpj, first.status, first.as_of, first.source, first.source_label) == (
        f"{24_000_000_000 + enrollments[0].pk}",
        "active",
        dt.date(2024, 1, 19),
        "program",
        program.name,
    )
    assert first.history.count() == 1
    assert backfill_memberships() == {"created": 0, "kpj_taken": []}
    assert Membership.objects.count() == 2


def test_a_kpj_already_another_persons_is_reported(program):
    people = [make_person(BATUBULAN) for _ in range(2)]
    enrollments = sponsor(program, people)
    activate(enrollments, dt.date(2024, 1, 19))
    Membership.objects.all().delete()
    kpj = Enrollment.objects.get(pk=enrollments[0].pk).kpj
    Enrollment.objects.filter(pk=enrollments[1].pk).update(kpj=kpj)
    out = io.StringIO()
    call_command("programs", "backfill-memberships", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["created"] == 1
    assert result["kpj_taken"] == [{"enrollment": enrollments[1].pk, "kpj": kpj}]
    assert Membership.objects.get().person == people[0]
