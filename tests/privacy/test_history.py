"""Change history: who, when, old and new values, and through what, for every way in."""

import datetime as dt
import io
import json

import polars as pl
import pytest
from django.core.management import call_command
from django.urls import reverse

from lindung.accounts.models import User
from lindung.accounts.services import issue_token
from lindung.people.models import Person
from lindung.people.services import register_worker
from lindung.privacy.history import Via, changes_through
from tests.factories import PASSWORD, nik_for, worker_data
from tests.imports.files import row, to_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(operator):
    return register_worker(user=operator, data=worker_data())


def _last(person):
    return person.history.order_by("-history_id").first()


def test_a_page_edit_records_who_via_old_and_new(client, operator, worker):
    client.force_login(operator)
    response = client.post(
        reverse("people:edit", args=[worker.pk]), worker_data(full_name="I Made Sudarsana Putra")
    )
    assert response.status_code == 302
    new = _last(worker)
    assert (new.history_type, new.history_user, new.history_via) == ("~", operator, Via.PAGE)
    assert new.history_via_detail == f"POST /pekerja/{worker.pk}/ubah/"
    change = {c.field: (c.old, c.new) for c in new.diff_against(new.prev_record).changes}
    assert change["full_name"] == ("I Made Sudarsana", "I Made Sudarsana Putra")


def test_an_api_edit_records_the_token_user(client, operator, worker):
    response = client.patch(
        f"/api/v1/workers/{worker.pk}",
        data={"phone": "081999888777"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {issue_token(operator)}"},
    )
    assert response.status_code == 200
    new = _last(worker)
    assert (new.history_user, new.history_via) == (operator, Via.API)
    assert new.history_via_detail == f"PATCH /api/v1/workers/{worker.pk}"
    assert (new.prev_record.phone, new.phone) == ("081234567890", "081999888777")


def test_a_command_edit_records_the_command(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("kata-sandi-panjang-2026\n"))
    call_command("users", "create", "--username", "op.baru", "--role", "viewer",
                 "--region", "51.04", "--password-stdin")  # fmt: skip
    record = User.objects.get(username="op.baru").history.get()
    assert (record.history_type, record.history_via) == ("+", Via.COMMAND)
    assert record.history_via_detail == "lindung users create"
    assert not hasattr(record, "password")  # hashes stay out of the history


def test_a_sign_in_is_not_a_change(client, operator):
    before = operator.history.count()
    signed_in = client.post(reverse("login"), {"username": operator.username, "password": PASSWORD})
    assert signed_in.status_code == 302
    operator.refresh_from_db()
    assert operator.last_login is not None
    assert operator.history.count() == before


def test_changes_outside_any_source_are_the_system(worker):
    assert _last(worker).history_via == Via.SYSTEM
    with changes_through(Via.INSURER_FILE, "jawaban.csv"):
        worker.phone = "0811"
        worker.save()
    assert (_last(worker).history_via, _last(worker).history_via_detail) == (
        Via.INSURER_FILE,
        "jawaban.csv",
    )


def _import(write_file, operator, rows, *extra, name="a.csv"):
    path = write_file(to_csv(rows), name)
    call_command("import", "workers", str(path), "--user", operator.username, "--json", *extra)


def _tracked(record) -> dict:
    return {f.attname: getattr(record, f.attname) for f in Person.history.model.tracked_fields}


def test_an_import_writes_the_rows_per_row_saving_would(write_file, operator, capsys):
    _import(write_file, operator, [row(1), row(2, nama="Ni Wayan Sari", jenis_kelamin="L")])
    assert json.loads(capsys.readouterr().out)["created"] == 2
    for person in Person.objects.all():
        bulk = person.history.get()
        assert (bulk.history_type, bulk.history_user, bulk.history_via) == (
            "+",
            operator,
            Via.IMPORT,
        )
        assert bulk.history_via_detail.startswith("impor #")
        assert _tracked(bulk) == _tracked(person)
        assert bulk.history_date == person.created_at  # the batch's time, as in a save
        # The same person saved one by one, through the same source, records the same.
        with changes_through(Via.IMPORT, bulk.history_via_detail, user=operator):
            person.save()
        single = _last(person)
        assert _tracked(single) | {"updated_at": None} == _tracked(bulk) | {"updated_at": None}
        assert (single.history_user, single.history_via) == (operator, Via.IMPORT)
        assert single.history_via_detail == bulk.history_via_detail


def test_an_import_copying_its_history_from_what_it_sent_tells_a_later_save_apart(
    write_file, operator, capsys
):
    """The direct COPY takes its ids from the sequence ahead: later workers, saved one by
    one, get new ids, and every person has exactly one historical row of its own."""
    _import(write_file, operator, [row(1), row(2)])
    later = register_worker(
        user=operator, data=worker_data(nik=nik_for("51.04.01", dt.date(1985, 2, 19), "L", 99))
    )
    assert later.pk > max(Person.objects.exclude(pk=later.pk).values_list("pk", flat=True))
    for person in Person.objects.all():
        assert list(person.history.values_list("id", flat=True)) == [person.pk]


@pytest.mark.parametrize("address", ['Jl. Raya, No. "1"', "Banjar Kaja\nGang 2"])
def test_history_rows_written_in_bulk_are_those_a_save_writes(operator, address):
    """``write_history(rows=…)``, the bulk writer of rows a writer sent itself (COPY on
    PostgreSQL, one executemany on SQLite), records what ``save()`` records: with the
    records' CSV reused (PostgreSQL), also when a field holds a comma, a quote or a line
    break, and whatever the source's detail holds."""
    from django.db import connection

    from lindung.privacy.history import history_rows, write_history

    detail = 'impor #7 "a, b".csv'
    person = register_worker(user=operator, data=worker_data())
    with changes_through(Via.IMPORT, detail, user=operator):
        person.address = address
        person.save()
    single = _last(person)
    values = {}
    for f in Person._meta.concrete_fields:
        value = f.get_db_prep_save(getattr(person, f.attname), connection)
        values[f.attname] = [value.isoformat() if hasattr(value, "tzinfo") else value]
    records = pl.DataFrame(values, schema_overrides={"birth_date": pl.Date})
    sent = None
    if connection.vendor == "postgresql":
        sent = records.write_csv(include_header=False).encode()
    with changes_through(Via.IMPORT, detail, user=operator):
        rows = history_rows(Person, records, created=False, now=single.history_date, sent=sent)
        with connection.cursor() as cursor:
            write_history(cursor, rows=rows)
    bulk = _last(person)
    assert bulk.history_id != single.history_id
    assert bulk.address == address
    assert _tracked(bulk) == _tracked(single)
    assert (bulk.history_type, bulk.history_date, bulk.history_user) == (
        "~",
        single.history_date,
        operator,
    )
    assert (bulk.history_via, bulk.history_via_detail, bulk.history_change_reason) == (
        Via.IMPORT,
        detail,
        None,
    )


def test_an_import_update_records_old_and_new(write_file, operator, capsys):
    _import(write_file, operator, [row(1), row(2)])
    _import(write_file, operator, [row(1, nama="I Made Sudarsana Putra"), row(2)], "--update",
            name="b.csv")  # fmt: skip
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["updated"] == 1
    changed = Person.objects.get(full_name="I Made Sudarsana Putra")
    new = _last(changed)
    assert (new.history_type, new.history_via, new.history_user) == ("~", Via.IMPORT, operator)
    assert (new.prev_record.full_name, new.full_name) == ("I Made Sudarsana", changed.full_name)
    assert _tracked(new) == _tracked(changed)
    unchanged = Person.objects.exclude(pk=changed.pk).get()
    assert unchanged.history.count() == 1


def test_history_off_writes_none(write_file, operator, settings, capsys):
    settings.SIMPLE_HISTORY_ENABLED = False
    _import(write_file, operator, [row(1)])
    assert Person.history.count() == 0


def test_bulk_writers_of_enrollments_and_bills_write_history(operator):
    """Status moves (bulk_update), bills of a run (bulk_create) and a payment's counter
    (a guarded update) leave their historical rows, with who and through what."""
    import datetime as dt

    from lindung.billing.models import Bill
    from lindung.billing.services import record_payment, run_billing
    from lindung.programs.models import Enrollment
    from lindung.programs.services import create_program
    from tests.billing.conftest import activate, make_person, program_data, sponsor

    program = create_program(user=None, data=program_data(year=2024, rounds="01/2024"))
    with changes_through(Via.COMMAND, "lindung billing run"):
        enrollments = sponsor(program, [make_person()])
        activate(enrollments, dt.date(2024, 1, 1))
        run_billing(
            user=None, program=program, month=dt.date(2024, 1, 1), today=dt.date(2024, 2, 1)
        )
    enrollment = Enrollment.objects.get()
    states = list(enrollment.history.order_by("history_id").values_list("state", "history_via"))
    assert [s for s, _ in states] == ["proposed", "verified", "submitted", "active"]
    assert {v for _, v in states} == {"command"}
    bill = Bill.objects.get()
    # Created by the run's bulk insert, then its totals set.
    made = bill.history.order_by("history_id")
    assert [(h.history_type, h.history_via) for h in made] == [("+", "command"), ("~", "command")]
    record_payment(user=None, bill=bill, paid_on="05/02/2024", amount=bill.amount,
                   reference="TRF-1", today=dt.date(2024, 2, 5))  # fmt: skip
    last = bill.history.order_by("-history_id").first()
    assert (last.history_type, last.paid) == ("~", bill.amount)
