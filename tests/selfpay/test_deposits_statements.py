"""Deposits of collections to the insurer, the insurer's statement import (row report,
idempotent, unknown KPJ) and the reconciliation's differences."""

import datetime as dt

import pytest

from lindung.selfpay import services, statements
from lindung.selfpay.models import Collection, StatementLine
from tests.factories import TODAY
from tests.selfpay.conftest import ended_enrollment

pytestmark = pytest.mark.django_db


def pay(user, enrollment, months, day=TODAY):
    return services.record_collection(user=user, nik=enrollment.person.nik, months=months,
                                      paid_on=day, method="cash", today=TODAY)  # fmt: skip


@pytest.fixture
def two_paid(agent, sponsor_program):
    first = ended_enrollment(sponsor_program, kpj="26000000001")
    second = ended_enrollment(sponsor_program, kpj="26000000002")
    pay(agent, first, ["2026-10", "2026-11"], TODAY - dt.timedelta(days=2))
    pay(agent, second, ["2026-10"])
    return first, second


def test_a_deposit_takes_the_undeposited_collections_to_its_date(agent, two_paid):
    yesterday = TODAY - dt.timedelta(days=1)
    deposit = services.record_deposit(user=agent, reference="TRF-001", amount="16.800",
                                      deposited_on=yesterday, today=TODAY)  # fmt: skip
    assert (deposit.amount, deposit.collections_count) == (16_800, 1)
    second = services.record_deposit(user=agent, reference="TRF-002", amount=8400,
                                     deposited_on=TODAY, today=TODAY)  # fmt: skip
    assert second.collections_count == 1
    assert not Collection.objects.filter(deposit__isnull=True).exists()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"amount": 20_000}, "amount_mismatch"),
        ({"amount": "8400.5"}, "amount_invalid"),
        ({"reference": " "}, "reference_missing"),
        ({"deposited_on": "2026-02-30"}, "date_invalid"),
        ({"deposited_on": TODAY - dt.timedelta(days=30)}, "nothing_to_deposit"),
    ],
)
def test_a_wrong_deposit_is_refused_and_nothing_moves(agent, two_paid, change, code):
    data = {"reference": "TRF-009", "amount": 25_200, "deposited_on": TODAY, **change}
    with pytest.raises(services.DepositRefused) as caught:
        services.record_deposit(user=agent, today=TODAY, **data)
    assert caught.value.code == code
    assert Collection.objects.filter(deposit__isnull=True).count() == 2


def test_a_reference_is_used_once(agent, two_paid):
    services.record_deposit(user=agent, reference="TRF-1", amount=16_800,
                            deposited_on=TODAY - dt.timedelta(days=1), today=TODAY)  # fmt: skip
    with pytest.raises(services.DepositRefused) as caught:
        services.record_deposit(user=agent, reference="TRF-1", amount=8400, deposited_on=TODAY,
                                today=TODAY)  # fmt: skip
    assert caught.value.code == "reference_used"


STATEMENT = (
    "KPJ;Bulan;Jumlah;Tanggal Bayar\n"
    "26000000001;2026-10;8400;2026-11-24\n"
    "26000000001;11/2026;8.400;24/11/2026\n"
    "26000000002;2026-10;16800;2026-11-25\n"
    "26000000003;2026-10;8400;2026-11-25\n"
    "99999999999;2026-10;8400;2026-11-25\n"
    "26000000001;2026-12;8400,5;2026-11-25\n"
    "abc;2026-10;8400;2026-11-25\n"
    "26000000002;2026-10;16800;2026-11-25\n"
)


def test_statement_import_rows_report_and_idempotence(regency_admin, two_paid, sponsor_program):
    ended_enrollment(sponsor_program, kpj="26000000003")  # paid at the insurer, not here
    record = statements.import_statement(user=regency_admin, file_name="bpjs.csv",
                                         content=STATEMENT.encode())  # fmt: skip
    assert (record.rows, record.recorded, record.unchanged, record.refused) == (8, 3, 0, 5)
    problems = {p.row: p.code for p in record.problems.all()}
    assert problems == {4: "row_duplicate", 9: "row_duplicate", 6: "kpj_unknown",
                        7: "amount_invalid", 8: "kpj_invalid"}  # fmt: skip
    unknown = record.problems.get(row=6)
    assert "99999999999" in unknown.message and "tidak dikenal" in unknown.message
    again = statements.import_statement(user=regency_admin, file_name="bpjs.csv",
                                        content=STATEMENT.encode())  # fmt: skip
    assert (again.recorded, again.unchanged) == (0, 3)
    assert StatementLine.objects.count() == 3


def test_differences_between_collections_and_statement(regency_admin, two_paid, sponsor_program):
    ended_enrollment(sponsor_program, kpj="26000000003")
    content = (
        "kpj,bulan,jumlah,tanggal_bayar\n"
        "26000000001,2026-10,8400,2026-11-24\n"
        "26000000002,2026-10,16800,2026-11-25\n"
        "26000000003,2026-10,8400,2026-11-25\n"
    )
    statements.import_statement(user=regency_admin, file_name="b.csv", content=content.encode())
    found = statements.differences(regency_admin, dt.date(2026, 10, 1), dt.date(2026, 12, 1))
    assert [(d.kpj, f"{d.month:%Y-%m}", d.kind, d.collected, d.at_insurer) for d in found] == [
        ("26000000001", "2026-11", "not_at_insurer", 8400, None),
        ("26000000002", "2026-10", "amount_differs", 8400, 16800),
        ("26000000003", "2026-10", "not_collected", None, 8400),
    ]
    assert found[0].label


def test_a_statement_outside_the_region_is_unknown(make_user, two_paid):
    jembrana = make_user("admin.jembrana", "regency_admin", "51.01")
    content = "kpj,bulan,jumlah,tanggal_bayar\n26000000001,2026-10,8400,2026-11-24\n"
    record = statements.import_statement(user=jembrana, file_name="b.csv", content=content.encode())
    assert (record.recorded, record.refused) == (0, 1)


def test_an_unreadable_statement_is_refused_whole(regency_admin):
    for content, code in [(b"a,b\n1,2\n", "file_columns_missing"),
                          (b"PK\x03\x04garbage", "file_unreadable")]:  # fmt: skip
        with pytest.raises(statements.StatementRefused) as caught:
            statements.import_statement(user=regency_admin, file_name="x.csv", content=content)
        assert caught.value.code == code
