"""The employers' summary (``coverage.formal_summary``) gives exactly the formal figures a
direct count of the employers gives, after every kind of write: the service, the API, the
import, an edit, a move to another village, a closure, an outreach, a bulk update by SQL,
a delete; at every level and on days across and within months."""

import datetime as dt

import pytest

from lindung.accounts.services import issue_token
from lindung.coverage import formal, formal_summary
from lindung.coverage.models import FormalDirtyVillage, FormalTally
from lindung.employers import importing, services
from lindung.employers.models import Employer
from lindung.programs.models import add_months
from tests.employers.conftest import BATUBULAN, JEMBRANA, KETEWEL, TODAY, UBUD, make_employer

pytestmark = pytest.mark.django_db
D = dt.date
REGISTERED = ("registered", "partly")
CODES = ("", "51", "51.04", "51.04.01", BATUBULAN, "51.01")
DAYS = (
    D(2025, 3, 31),
    D(2026, 6, 1),
    D(2026, 9, 30),
    D(2026, 10, 14),
    D(2026, 11, 1),
    D(2026, 11, 12),
    TODAY,
)
LEVEL_LENGTHS = {0: 2, 1: 5, 2: 8, 3: 13}


def _level(code: str) -> int:
    return {0: 0, 2: 1, 5: 2, 8: 3, 13: 4}[len(code)]


def direct(code: str, day: dt.date, months: int = 12) -> dict:
    """The formal figures counted from the employers one by one, by their definitions."""
    level = _level(code)
    groups: dict[str, dict] = {"region": {}, "sector": {}, "size": {}, "child": {}}
    employers = [e for e in Employer.objects.all() if e.village_id.startswith(code)]

    def add(kind: str, key: str, values: tuple) -> None:
        found = groups[kind].setdefault(key, [0] * 7)
        for i, value in enumerate(values):
            found[i] += value

    for e in employers:
        known = e.workers_as_of <= day and (e.closed_on is None or e.closed_on > day)
        if not known:
            continue
        counted = e.registration_as_of <= day
        reached = e.first_reached_on is not None and e.first_reached_on <= day
        registered = e.compliance in REGISTERED
        values = (
            1,
            e.total_workers,
            e.registered_workers if counted else 0,
            1 if registered else 0,
            1 if reached else 0,
            1 if reached and registered else 0,
            e.registered_workers if counted and reached and registered else 0,
        )
        add("region", "", values)
        add("sector", e.kbli_section, values)
        add("size", e.size_class, values)
        if level < 4:
            add("child", e.village_id[: LEVEL_LENGTHS[level]], values)
    first = add_months(day.replace(day=1), 1 - months)
    trend = []
    month = first
    while month <= day:
        end = min(add_months(month, 1) - dt.timedelta(days=1), day)
        alive = [e for e in employers if e.closed_on is None or e.closed_on > end]
        trend.append(
            (
                month,
                sum(
                    e.registered_workers
                    for e in alive
                    if max(e.workers_as_of, e.registration_as_of) <= end
                ),
                sum(
                    1
                    for e in alive
                    if e.first_reached_on and max(e.workers_as_of, e.first_reached_on) <= end
                ),
            )
        )
        month = add_months(month, 1)
    return {
        "region": groups["region"].get("", [0] * 7),
        "sector": groups["sector"],
        "size": groups["size"],
        "child": groups["child"],
        "trend": trend,
    }


def _values(group) -> list[int]:
    return [
        group.employers,
        group.total_workers,
        group.registered_workers,
        group.registered_employers,
        group.reached,
        group.reached_registered,
        group.reached_workers,
    ]


def from_summary(code: str, day: dt.date) -> dict:
    formal_summary.ensure_fresh()
    figures = formal._compute(code, day, 12)
    return {
        "region": _values(figures.region),
        "sector": {g.key: _values(g) for g in figures.by_sector},
        "size": {g.key: _values(g) for g in figures.by_size},
        "child": {g.key: _values(g) for g in figures.children},
        "trend": [(p.month, p.registered_workers, p.reached) for p in figures.trend],
    }


def assert_same_everywhere() -> None:
    for code in CODES:
        for day in DAYS:
            assert from_summary(code, day) == direct(code, day), (code, day)
    assert formal_summary.verify() == []
    assert not FormalDirtyVillage.objects.exists()


def test_summary_equals_a_direct_count_after_every_kind_of_write(client, regency_admin):
    # Created through the service: dates across two years, a closure, a partial registration.
    a = make_employer(name="PT Ikan", nib="8120000000001", workers_as_of="01/10/2026")
    b = make_employer(
        name="Warung", nib="8120000000002", sector="I", village_code=UBUD, total_workers="10",
        workers_male="", workers_female="", registered_workers="0", npp="", programs="",
        workers_as_of="15/03/2025", registration_as_of="20/03/2025",
    )  # fmt: skip
    make_employer(
        name="Toko", nib="8120000000003", sector="47111", village_code=KETEWEL,
        total_workers="5", workers_male="", workers_female="", registered_workers="5",
        workers_as_of="02/01/2026", registration_as_of="10/11/2026", closed_on="12/11/2026",
    )  # fmt: skip
    make_employer(
        name="Koperasi", nib="8120000000004", sector="K", village_code=JEMBRANA,
        total_workers="25", workers_male="", workers_female="", registered_workers="12",
        workers_as_of="01/06/2026", registration_as_of="01/05/2026",
    )  # fmt: skip
    assert_same_everywhere()
    assert FormalTally.objects.filter(level=1, region_code="51").exists()

    # Outreach: a socialisation (first reached) and a visit.
    services.hold_event(
        user=None,
        data={"title": "Sosialisasi", "held_on": "05/11/2026", "village_code": BATUBULAN},
        employers=[a, b],
        attended={a.pk},
        today=TODAY,
    )
    services.record_action(
        user=None,
        employer=b,
        data={"kind": "visit", "outcome": "promised", "done_on": "10/10/2026"},
        today=TODAY,
    )
    assert_same_everywhere()

    # Edited: more registered, moved to another village, closed.
    a.refresh_from_db()
    b.refresh_from_db()
    services.update_employer(
        user=None, employer=a, changes={"registered_workers": "30"}, today=TODAY
    )
    services.update_employer(
        user=None, employer=b, changes={"village_code": BATUBULAN}, today=TODAY
    )
    services.update_employer(
        user=None, employer=a, changes={"closed_on": "12/11/2026"}, today=TODAY
    )
    assert_same_everywhere()

    # Through the API.
    response = client.post(
        "/api/v1/employers",
        content_type="application/json",
        headers={"Authorization": f"Bearer {issue_token(regency_admin)}"},
        data={
            "name": "Minimarket Sukawati",
            "nib": "8120000000009",
            "village_code": KETEWEL,
            "sector": "47111",
            "total_workers": 12,
            "registered_workers": 4,
            "programs": ["JKK", "JKM", "JHT"],
            "registration_source": "insurer",
            "registration_as_of": "2026-11-01",
        },
    )
    assert response.status_code == 201, response.content
    assert_same_everywhere()

    # Imported: new employers and an update of one already there; again, nothing changes.
    text = (
        "nama_usaha;nib;kbli;kode_desa;jumlah_pekerja;terdaftar_bpjs;program;npp\n"
        f"PT Ikan;8120000000001;10213;{BATUBULAN};85;80;JKK,JKM,JHT,JP,JKP;NPP1\n"
        f"PT Baru;8120000000010;10213;{UBUD};300;290;JKK,JKM,JHT,JP,JKP;NPP2\n"
        f"Warung Men Sari;;I;{JEMBRANA};3;0;;\n"
    )
    for _ in range(2):
        report = importing.import_employers(
            user=None, data=text.encode(), name="daftar.csv", source="insurer",
            as_of="01/09/2026", today=TODAY,
        )  # fmt: skip
        assert report.ok
        assert_same_everywhere()

    # A bulk update by SQL (no service, no signal) and deletes.
    Employer.objects.filter(nib="8120000000010").update(closed_on=D(2026, 10, 20))
    Employer.objects.filter(nib="8120000000004").update(compliance="registered")
    Employer.objects.filter(name="Warung Men Sari").delete()
    assert_same_everywhere()
    Employer.objects.filter(nib="8120000000009").delete()
    Employer.objects.filter(nib="8120000000004").delete()
    assert_same_everywhere()


def test_an_unchanged_save_marks_nothing_and_a_rebuild_writes_the_same_rows():
    a = make_employer(nib="8120000000001")
    formal_summary.refresh()
    rows = sorted(FormalTally.objects.values_list("region_code", "span", "day", "employers"))
    assert rows and all(r[3] == 1 for r in rows if r[1] == "d" and r[2] == a.workers_as_of)
    Employer.objects.filter(pk=a.pk).update(contact_name="Bu Made")  # not a figure
    assert not FormalDirtyVillage.objects.exists()
    assert formal_summary.rebuild() == len(rows)
    assert (
        sorted(FormalTally.objects.values_list("region_code", "span", "day", "employers")) == rows
    )
    Employer.objects.all().delete()
    formal_summary.refresh()
    assert not FormalTally.objects.exists()


def test_a_reader_sees_a_write_at_once(settings):
    """The figures cache is on: a write (marked by the trigger) is read at the next read."""
    settings.LINDUNG_FIGURES_CACHE_SECONDS = 60
    make_employer(nib="8120000000001", registered_workers="10")
    assert formal.formal_figures("51.04", TODAY).region.registered_workers == 10
    Employer.objects.filter(nib="8120000000001").update(registered_workers=30)
    assert formal.formal_figures("51.04", TODAY).region.registered_workers == 30


def test_sqlite_employer_triggers_come_back_after_a_table_rebuild():
    """A migration that rebuilds the employers' table on SQLite drops its triggers; the
    coverage app makes them again after every ``migrate``."""
    from django.db import connection

    from lindung.coverage import triggers

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps triggers across ALTER TABLE")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER coverage_employer_upd")
    triggers.restore_sqlite_triggers()
    make_employer(nib="8120000000001")
    formal_summary.refresh()
    Employer.objects.filter(nib="8120000000001").update(registered_workers=5)
    assert FormalDirtyVillage.objects.get().village_code == BATUBULAN
