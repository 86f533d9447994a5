"""Workers ↔ employers: a formal worker names its employer; the employer's page lists its
workers within the user's scope, NIKs masked for the roles that get them masked."""

import pytest
from django.test import Client

from lindung.employers import selectors, services
from lindung.people.models import Person
from lindung.people.nik import mask_nik
from lindung.privacy.models import AccessEntry
from tests.employers.conftest import JEMBRANA, make_employer
from tests.factories import nik_for

pytestmark = pytest.mark.django_db


def person(village, name, serial, segment="PU"):
    import datetime as dt

    worker = Person(
        nik=nik_for(village.rpartition(".")[0], dt.date(1985, 5, 6), "L", serial),
        full_name=name,
        sex="L",
        birth_date=dt.date(1985, 5, 6),
        village_id=village,
        category="pekerja_rentan",
        declared_income=2_000_000,
        segment=segment,
    )
    worker.set_region_codes()
    worker.save()
    return worker


def test_a_formal_worker_names_its_employer_and_the_history_keeps_it(operator):
    employer = make_employer()
    worker = person(employer.village_id, "I Wayan Pabrik", 1)
    services.link_worker(user=operator, employer=employer, nik=worker.nik)
    worker.refresh_from_db()
    assert worker.employer_id == employer.pk
    assert worker.history.latest().employer_id == employer.pk


def test_an_informal_worker_is_refused(operator):
    employer = make_employer()
    worker = person(employer.village_id, "I Wayan Tani", 1, segment="BPU")
    with pytest.raises(services.EmployerRefused) as refusal:
        services.link_worker(user=operator, employer=employer, nik=worker.nik)
    assert refusal.value.code == "worker_not_formal"


def test_a_worker_outside_the_region_is_not_found(operator):
    employer = make_employer()
    outside = person(JEMBRANA, "I Made Luar", 1)
    with pytest.raises(services.EmployerRefused) as refusal:
        services.link_worker(user=operator, employer=employer, nik=outside.nik)
    assert refusal.value.code == "worker_not_found"


def test_the_page_lists_workers_in_scope_with_the_nik_masked_for_viewers(viewer, regency_admin):
    employer = make_employer()
    inside = person(employer.village_id, "I Wayan Pabrik", 1)
    outside = person(JEMBRANA, "I Made Merantau", 2)
    Person.objects.filter(pk__in=[inside.pk, outside.pk]).update(employer=employer)
    assert list(selectors.workers_of(viewer, employer)) == [inside]
    client = Client()
    client.force_login(viewer)
    page = client.get(f"/pemberi-kerja/{employer.pk}/").content.decode()
    assert "I Wayan Pabrik" in page and "I Made Merantau" not in page
    assert inside.nik not in page and mask_nik(inside.nik) in page
    assert AccessEntry.objects.filter(user=viewer, record_ids__contains=f",{inside.pk},").exists()
    client.force_login(regency_admin)
    assert inside.nik in client.get(f"/pemberi-kerja/{employer.pk}/").content.decode()
