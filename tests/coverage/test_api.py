"""``/api/v1/indicators``: the hand-built Gianyar's indicators, and refusals of bad input."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from lindung.billing.models import Bill, BillingRun
from lindung.billing.services import record_payment, run_billing
from tests.coverage.builders import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(viewer):
    client = Client()
    client.force_login(viewer)
    return client


def test_indicators_of_a_regency_at_a_date(gianyar, api):
    response = api.get("/api/v1/indicators?region=51.04&date=2024-07-25")
    assert response.status_code == 200
    data = response.json()
    assert data["region"] == "51.04" and data["date"] == "2024-07-25"
    assert (data["covered"], data["sponsored"], data["self_paid"], data["reported"]) == (
        103,
        2,
        1,
        100,
    )
    assert data["workforce"]["count"] == 1000
    assert data["workforce"]["definition"] == "penduduk_bekerja"
    assert data["workforce"]["source"] == "BPS Sakernas (uji)"
    assert data["coverage_rate"] == 10.3
    assert data["target"] == {
        "segment": "total",
        "metric": "sponsored",
        "value": 12,
        "actual": 4,
        "achievement_percent": 33,
        "status": "red",
        "inherited_from": None,
    }
    rate_target = [t for t in data["targets"] if t["metric"] == "rate"][0]
    assert (rate_target["value"], rate_target["actual"], rate_target["inherited_from"]) == (
        40.0,
        10.3,
        "51",
    )
    informal, formal = data["by_segment"]["informal"], data["by_segment"]["formal"]
    assert (informal["covered"], informal["registry"], informal["coverage_rate"]) == (3, 3, None)
    assert (formal["covered"], formal["reported"]["count"]) == (100, 100)
    assert data["by_category"] == {"pekerja_rentan": 3}
    assert data["by_occupation"] == {"petani": 1, "pedagang": 1, "nelayan": 1}
    assert data["by_sex"] == {"L": 2, "P": 1}
    assert data["by_funder"] == {"apbd": 1, "province": 1}
    assert data["by_state"] == {"active": 2, "continued": 1, "lapsed": 1, "rejected": 1}
    assert data["expiring_30_days"] == 0
    assert data["retention"]["1"] == {"ended": 0, "still_covered": 0, "rate": None}
    assert data["quota"] == {"year": 2024, "places": 700, "used": 4, "fill_rate": 0.57}


def test_retention_in_the_api(gianyar, api):
    data = api.get("/api/v1/indicators?region=51.04&date=2024-12-31").json()
    assert data["retention"] == {
        "1": {"ended": 3, "still_covered": 1, "rate": 33.33},
        "3": {"ended": 3, "still_covered": 1, "rate": 33.33},
        "6": {"ended": 2, "still_covered": 0, "rate": 0.0},
    }


def test_default_region_and_date(gianyar, api):
    data = api.get("/api/v1/indicators").json()
    assert data["region"] == "51.04"  # the viewer's own region
    assert data["date"] == timezone.localdate().isoformat()


def test_monthly_series(gianyar, api):
    response = api.get("/api/v1/indicators/series?region=51.04&from=2024-05&to=2024-08")
    assert response.status_code == 200
    data = response.json()
    assert [m["month"] for m in data["months"]] == ["2024-05", "2024-06", "2024-07", "2024-08"]
    assert [m["covered"] for m in data["months"]] == [3, 103, 103, 103]
    assert [m["sponsored"] for m in data["months"]] == [3, 3, 2, 2]  # p6 to 31/08
    assert data["months"][2]["coverage_rate"] == 10.3
    assert data["months"][2]["date"] == "2024-07-31"


@pytest.mark.parametrize(
    "query, field, code",
    [
        ("date=2024-13-01", "date", "date_invalid"),
        ("date=kemarin", "date", "date_invalid"),
    ],
)
def test_bad_dates_are_refused(gianyar, api, query, field, code):
    response = api.get(f"/api/v1/indicators?region=51.04&{query}")
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["field"], error["code"]) == (field, code)
    assert error["message"]


@pytest.mark.parametrize(
    "query, field, code",
    [
        ("from=2024-13&to=2024-12", "from", "month_invalid"),
        ("from=2024-01&to=desember", "to", "month_invalid"),
        ("from=2024-06&to=2024-01", "from", "range_invalid"),
        ("from=2000-01&to=2024-01", "from", "range_invalid"),
    ],
)
def test_bad_series_ranges_are_refused(gianyar, api, query, field, code):
    response = api.get(f"/api/v1/indicators/series?region=51.04&{query}")
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["field"], error["code"]) == (field, code)


def test_scope_and_authentication(gianyar, api):
    assert api.get("/api/v1/indicators?region=51.01").status_code == 404  # Jembrana
    assert api.get("/api/v1/indicators?region=99.99").status_code == 404
    assert Client().get("/api/v1/indicators?region=51.04").status_code == 401


def test_budget_realisation_reads_the_bills_and_payments(gianyar, api):
    data = api.get("/api/v1/indicators?region=51.04&date=2024-12-31").json()
    assert data["budget"] == {
        "programs": 1,
        "allocated": 10**12,
        "committed": 0,  # the builders do not move the program's counters
        "billed": 0,
        "paid": 0,
    }
    run_billing(
        user=None, program=gianyar.regency, month=dt.date(2024, 7, 1), today=dt.date(2024, 12, 31)
    )
    bill = Bill.objects.filter(program=gianyar.regency).first()
    assert bill is not None and bill.amount > 0
    record_payment(
        user=None,
        bill=bill,
        paid_on="15/08/2024",
        amount=bill.amount,
        reference="SP2D-001",
        today=dt.date(2024, 12, 31),
    )
    # Billed from the moment the run finished (made 01/08/2024 here), paid on its date.
    BillingRun.objects.update(finished_at=at(dt.date(2024, 8, 1)))
    paid = api.get("/api/v1/indicators?region=51.04&date=2024-12-31").json()["budget"]
    assert (paid["billed"], paid["paid"]) == (bill.amount, bill.amount)
    billed = api.get("/api/v1/indicators?region=51.04&date=2024-08-10").json()["budget"]
    assert (billed["billed"], billed["paid"]) == (bill.amount, 0)
    before = api.get("/api/v1/indicators?region=51.04&date=2024-07-31").json()["budget"]
    assert (before["billed"], before["paid"]) == (0, 0)
