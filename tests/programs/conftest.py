"""Builders for program tests: a Gianyar program and workers created straight in the registry."""

import datetime as dt

import pytest

from lindung.people.categories import Category
from lindung.people.models import Person
from lindung.programs.services import create_program
from tests.factories import nik_for

BATUBULAN = "51.04.01.2001"
KETEWEL = "51.04.01.2002"
GIANYAR_KELURAHAN = "51.04.03.1006"  # Kel. Gianyar, Kec. Gianyar
NEGARA_JEMBRANA = "51.01.01.2001"


def program_data(**overrides) -> dict:
    data = {
        "name": "Perlindungan Pekerja Rentan Gianyar 2027",
        "year": 2027,
        "area_code": "51.04",
        "funder": "apbd",
        "funder_name": "Pemerintah Kabupaten Gianyar",
        "budget": 64 * 100 * 2 * 100_800,
        "includes_jht": False,
        "income_basis": 1_000_000,
        "sponsored_months": 6,
        "rounds": "01/2027, 07/2027",
        "quota_per_village": 100,
        "include_kelurahan": False,
        "eligible_categories": list(Category.values),
        "min_age": 18,
        "max_age": 65,
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_program(db):
    def make(user=None, **overrides):
        return create_program(user=user, data=program_data(**overrides))

    return make


@pytest.fixture
def program(make_program):
    return make_program()


_serials: dict[str, int] = {}


def make_person(
    village: str = BATUBULAN,
    *,
    born: dt.date = dt.date(1985, 2, 19),
    sex: str = "L",
    category: str = Category.PEKERJA_RENTAN,
    segment: str = Person.Segment.BPU,
    serial: int | None = None,
    name: str = "I Made Sudarsana",
    income: int = 1_000_000,
) -> Person:
    district = village.rpartition(".")[0]
    if serial is None:
        serial = _serials.get(district, 0) + 1
        while Person.objects.filter(nik=nik_for(district, born, sex, serial)).exists():
            serial += 1
        _serials[district] = serial
    person = Person(
        nik=nik_for(district, born, sex, serial),
        full_name=name,
        sex=sex,
        birth_date=born,
        village_id=village,
        category=category,
        declared_income=income,
        segment=segment,
    )
    person.set_region_codes()
    person.save()
    return person


@pytest.fixture
def person(db):
    return make_person()


@pytest.fixture
def bpu_rates(transactional_db):
    """For tests on a flushed database: the default BPU rate table, loaded if missing."""
    from lindung.contributions.defaults import ensure_default_rates

    ensure_default_rates()


@pytest.fixture
def make_billing_program(db):
    """A 2024 Gianyar APBD program (one 6-month round from 01/2024), as the billing tests
    build it (``tests.billing.conftest``)."""

    def make(**overrides):
        values = {
            "name": "Perlindungan Pekerja Rentan Gianyar 2024",
            "year": 2024,
            "rounds": "01/2024",
            "budget": 64 * 100 * 100_800,
        }
        return create_program(user=None, data=program_data(**(values | overrides)))

    return make
