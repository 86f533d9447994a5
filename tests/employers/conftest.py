"""Employers of Gianyar and Jembrana, built through the service as the page would."""

import datetime as dt

import pytest

from lindung.employers import services

TODAY = dt.date(2026, 11, 25)
BATUBULAN = "51.04.01.2001"  # Sukawati, Gianyar
KETEWEL = "51.04.01.2002"
UBUD = "51.04.05.2001"
JEMBRANA = "51.01.01.2001"


def employer_data(**overrides) -> dict:
    data = {
        "name": "PT Ikan Segar Bali",
        "nib": "1234567890123",
        "legal_form": "pt",
        "sector": "10213",
        "village_code": BATUBULAN,
        "total_workers": "40",
        "workers_male": "25",
        "workers_female": "15",
        "workers_source": "wlkp",
        "workers_as_of": "01/10/2026",
        "registered_workers": "40",
        "programs": "JKK,JKM,JHT,JP,JKP",
        "npp": "NPP0001",
        "registration_source": "insurer",
        "registration_as_of": "01/11/2026",
    }
    return data | overrides


def make_employer(user=None, **overrides):
    return services.create_employer(user=user, data=employer_data(**overrides), today=TODAY)


@pytest.fixture
def clock_today(monkeypatch):
    from lindung.programs import clock

    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY
