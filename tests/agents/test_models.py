import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from lindung.agents.models import Agent, Agreement, Organisation, add_year


@pytest.fixture
def holding(db):
    return Organisation.objects.create(
        kind=Organisation.Kind.HOLDING, name="PT Mitra Gianyar Aman", regency_id="51.04"
    )


def test_agreement_lasts_at_most_one_year(holding):
    agreement = Agreement(
        organisation=holding,
        number="PKS/001",
        start_date=dt.date(2024, 5, 28),
        end_date=dt.date(2025, 5, 28),
    )
    agreement.full_clean()
    agreement.end_date = dt.date(2025, 5, 29)
    with pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert "end_date" in error.value.message_dict


def test_add_year_of_a_leap_day():
    assert add_year(dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)


def test_a_member_belongs_to_a_holding_of_its_regency(holding):
    bumdes = Organisation(
        kind=Organisation.Kind.BUMDES, name="BumDes Batubulan", regency_id="51.04", parent=holding
    )
    bumdes.full_clean()
    other = Organisation.objects.create(
        kind=Organisation.Kind.BUMDES, name="BumDes Celuk", regency_id="51.04"
    )
    bumdes.parent = other
    with pytest.raises(ValidationError):
        bumdes.full_clean()


def test_a_coordinator_needs_an_organisation(db):
    with pytest.raises(IntegrityError):
        Agent.objects.create(full_name="Wayan", regency_id="51.04", is_coordinator=True)
