"""Self-paid collections priced on the phone: the rate tables come down with their validity
dates, the phone's arithmetic (``pricing.js``, run here under node) gives the server's
amount for every month it holds, a month outside the tables waits for the server, and the
server checks every amount again with the online codes."""

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from lindung.contributions.models import Payer, ReliefRule, Segment
from lindung.contributions.premiums import RateBook
from lindung.selfpay.models import Collection
from tests.sync.conftest import client_for, send
from tests.sync.test_sync_api import collect, ended_worker  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

PRICING = Path(__file__).resolve().parents[2] / "src/lindung/sync/static/lindung/sync/pricing.js"
NODE = shutil.which("node") or shutil.which("nodejs")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")

RUN = """
const pricing = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = input.cases.map((c) => {
  const line = pricing.priceMonth(input.rates, c.profile, c.month);
  return line ? line.amount : null;
});
process.stdout.write(JSON.stringify(out));
"""


def phone_prices(rates: dict, cases: list[dict]) -> list:
    """What the phone's script answers for each (profile, month)."""
    done = subprocess.run(
        [NODE, "-e", RUN, str(PRICING)],
        input=json.dumps({"rates": rates, "cases": cases}),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


def month_range(first: dt.date, last: dt.date):
    month = first
    while month <= last:
        yield month
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def test_the_rate_tables_come_down_with_their_validity(operator):
    ReliefRule.objects.create(
        code="hanya-apbd", name="Uji", legal_basis="Uji", segment="", programs=["JKK"],
        discount_bp=5000, first_month=dt.date(2026, 1, 1), last_month=dt.date(2026, 3, 1),
        excluded_payers=[Payer.SELF],
    )  # fmt: skip
    rates = client_for(operator).get("/api/v1/sync/offline-data").json()["rates"]
    # Twelve months ahead of the download (TODAY is 25/11/2026), to the month's last day.
    assert rates["valid_until"] == "2027-11-30"
    versions = rates["bpu"]
    assert versions and versions[-1]["valid_to"] == rates["valid_until"]
    for earlier, later in zip(versions, versions[1:], strict=False):
        next_day = dt.date.fromisoformat(earlier["valid_to"]) + dt.timedelta(days=1)
        assert next_day.isoformat() == later["valid_from"]
    codes = {rule["code"] for rule in rates["relief"]}
    assert "hanya-apbd" not in codes  # it never changes what a self-payer pays
    assert codes  # PP 50/2025 is there


def test_the_rate_months_setting_moves_the_validity(operator, settings):
    settings.LINDUNG_OFFLINE_RATE_MONTHS = 0
    rates = client_for(operator).get("/api/v1/sync/offline-data").json()["rates"]
    assert rates["valid_until"] == "2026-11-30"


@needs_node
def test_the_phone_prices_every_month_as_the_server_does(operator):
    # A rule for transport workers only, so the participant filter is exercised too.
    ReliefRule.objects.create(
        code="uji-transport", name="Uji", legal_basis="Uji", segment=Segment.BPU,
        programs=["JKK", "JKM"], discount_bp=9900, first_month=dt.date(2027, 2, 1),
        last_month=dt.date(2027, 4, 1), participants=ReliefRule.Participants.TRANSPORT,
    )  # fmt: skip
    rates = client_for(operator).get("/api/v1/sync/offline-data").json()["rates"]
    book = RateBook.load()
    cases, expected = [], []
    first = dt.date.fromisoformat(rates["bpu"][0]["valid_from"]).replace(day=1)
    months = list(month_range(first, dt.date(2027, 11, 1)))
    for income in (0, 800_000, 1_000_000, 1_740_000, 4_999_999, 25_000_000):
        for programs in (["JKK", "JKM"], ["JKK", "JKM", "JHT"]):
            for transport in (False, True):
                for month in months:
                    quote = book.premium(
                        Segment.BPU, programs, income, month, payer=Payer.SELF,
                        transport=transport,
                    )  # fmt: skip
                    profile = {"programs": programs, "income": income, "transport": transport}
                    cases.append({"profile": profile, "month": f"{month:%Y-%m}"})
                    expected.append(quote.total)
    assert len(cases) > 500
    assert phone_prices(rates, cases) == expected
    assert {8_400, 16_800} <= set(expected)  # relief months and full months both priced


@needs_node
def test_a_month_outside_the_downloaded_tables_waits_for_the_server(operator):
    rates = client_for(operator).get("/api/v1/sync/offline-data").json()["rates"]
    profile = {"programs": ["JKK", "JKM"], "income": 1_000_000, "transport": False}
    before = dt.date.fromisoformat(rates["bpu"][0]["valid_from"]) - dt.timedelta(days=1)
    cases = [
        {"profile": profile, "month": "2027-11"},  # the last month of the validity
        {"profile": profile, "month": "2027-12"},  # after it
        {"profile": profile, "month": f"{before:%Y-%m}"},  # before the first rate
        {"profile": {**profile, "income": None}, "month": "2027-01"},  # income not known
        {"profile": {**profile, "programs": ["JKK", "JP"]}, "month": "2027-01"},
    ]
    assert phone_prices(rates, cases) == [16_800, None, None, None, None]


def test_the_worker_copy_carries_what_prices_its_months(operator, ended_worker):  # noqa: F811
    data = client_for(operator).get("/api/v1/sync/offline-data").json()
    (copy,) = [w for w in data["workers"] if w["id"] == ended_worker.person_id]
    nik = ended_worker.person.nik
    assert copy["nik_masked"] == f"{nik[:6]}******{nik[12:]}"
    assert copy["selfpay"] == {
        "programs": ended_worker.program.benefits,
        "income": ended_worker.program.income_basis or ended_worker.person.declared_income,
        "transport": False,
        "covered_until": ended_worker.coverage_end.isoformat(),
    }


@needs_node
def test_a_collection_priced_on_the_phone_is_accepted_without_a_warning(
    operator,
    ended_worker,  # noqa: F811
):
    data = client_for(operator).get("/api/v1/sync/offline-data").json()
    (copy,) = [w for w in data["workers"] if w["id"] == ended_worker.person_id]
    (amount,) = phone_prices(data["rates"], [{"profile": copy["selfpay"], "month": "2026-12"}])
    answer = send(client_for(operator), [collect(ended_worker, ["2026-12"], amount=amount)])
    (only,) = answer.json()["answers"]
    assert only["status"] == "accepted" and only["warnings"] == []
    assert Collection.objects.get().total == amount


def test_a_wrong_amount_is_refused_with_the_online_code_and_message(operator, ended_worker):  # noqa: F811
    client = client_for(operator)
    body = {"nik": ended_worker.person.nik, "months": ["2026-12"], "paid_on": "2026-11-25",
            "method": "cash", "amount": 16_800}  # fmt: skip
    online = client.post("/api/v1/collections", body, content_type="application/json")
    assert online.status_code == 422, online.content
    (answer,) = send(client, [collect(ended_worker, ["2026-12"], amount=16_800)]).json()["answers"]
    assert answer["status"] == "refused" and answer["code"] == "amount_mismatch"
    assert answer["errors"] == online.json()["errors"]  # the online answer, field by field
    expected = "Jumlah Rp 16.800 tidak sama dengan iuran bulan yang dipilih: Rp 8.400."
    assert answer["message"] == expected
    assert not Collection.objects.exists()


def test_a_collection_waiting_for_the_server_is_priced_at_sync(operator, ended_worker, settings):  # noqa: F811
    settings.LINDUNG_OFFLINE_RATE_MONTHS = 0  # the phone holds November only
    # No amount: the phone had no rate for December 2026.
    (answer,) = send(client_for(operator), [collect(ended_worker, ["2026-12"])]).json()["answers"]
    assert answer["status"] == "warned"
    (warning,) = answer["warnings"]
    assert warning["code"] == "priced_by_server" and "Rp 8.400" in warning["message"]
    assert Collection.objects.get().total == 8_400
