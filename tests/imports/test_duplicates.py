"""The import's duplicate-person check: set-wise after the load, a warning (never a
refusal) that names the other record, and the pairs for the regency's review."""

import datetime as dt
import io

import pytest

from lindung.imports import report, services
from lindung.imports.models import ImportJob, ImportRow
from lindung.people import duplicates
from lindung.people import services as people
from lindung.people.models import Person, PossibleDuplicate
from tests.factories import TODAY, nik_for, worker_data
from tests.imports.files import row, to_csv

pytestmark = pytest.mark.django_db


def run(path, **options) -> ImportJob:
    job, _ = services.job_for_path(path=path, today=TODAY, **options)
    return services.run_job(job.pk)


def rows():
    return [
        row(1, nama="I Made Sudarta", no_hp="081200000001"),
        row(2, nama="I Made Sudartha", no_hp="081200000002"),  # the same person?
        row(3, nama="I Ketut Sudarta", no_hp="081200000003"),  # his brother
        row(4, nama="I Made Sudarta", no_hp="081200000004", tanggal_lahir="20/02/1985"),
    ]


def test_similar_rows_of_one_file_are_flagged_both(write_file):
    cells = rows()
    cells[3]["nik"] = nik_for("51.04.01", dt.date(1985, 2, 20), "L", 4)
    job = run(write_file(to_csv(cells)))
    assert job.status == ImportJob.Status.DONE and job.created == 4 and job.rejected == 0
    assert job.warnings_by_code == {"possible_duplicate": 2}
    flagged = {r.row: r for r in ImportRow.objects.filter(job=job)}
    assert set(flagged) == {2, 3}  # file rows (the header is row 1)
    assert not flagged[2].rejected and flagged[2].warnings == ["possible_duplicate"]
    assert "I Made Sudartha" in flagged[2].values["duplicate_of"]
    assert "I Made Sudarta" in flagged[3].values["duplicate_of"]
    pair = PossibleDuplicate.objects.get()
    first, second = Person.objects.filter(nik__in=[cells[0]["nik"], cells[1]["nik"]]).order_by("pk")
    assert (pair.person_id, pair.other_id) == (second.pk, first.pk)
    assert (pair.found_via, pair.import_job_id, pair.reason) == ("import", job.pk, "name")
    assert pair.history.count() == 1

    out = io.BytesIO()
    report.write_csv(job, out)
    text = out.getvalue().decode()
    assert "possible_duplicate" in text and "mungkin orang yang sama dengan: I Made Sudart" in text
    assert "******" in text  # the other record's NIK, masked


def test_a_row_like_a_registered_worker_names_it(write_file, operator):
    registered = people.register_worker(
        user=operator,
        data=worker_data(nik=nik_for("51.04.01", dt.date(1985, 2, 19), "L", 9),
                         full_name="Made Sudartha", phone="081299999999"),
        today=TODAY,
    )  # fmt: skip
    job = run(write_file(to_csv([row(1, nama="I Made Sudarta", no_hp="081200000001")])))
    assert job.created == 1 and job.warnings_by_code == {"possible_duplicate": 1}
    reported = ImportRow.objects.get(job=job)
    assert f"data #{registered.pk}" in reported.values["duplicate_of"]
    pair = PossibleDuplicate.objects.get()
    assert (pair.other_id, pair.import_row) == (registered.pk, 2)

    again = run(write_file(to_csv([row(1, nama="I Made Sudarta", no_hp="081200000001")]), "b.csv"))
    assert again.unchanged == 1 and again.warnings_by_code == {}  # nothing new, nothing flagged
    assert PossibleDuplicate.objects.count() == 1


def test_the_same_phone_is_flagged(write_file):
    cells = [
        row(1, nama="I Made Sudarta", no_hp="081200000001"),
        row(2, nama="Ni Luh Ayu", jenis_kelamin="P", no_hp="081200000001"),
    ]
    cells[1]["nik"] = nik_for("51.04.01", dt.date(1985, 2, 19), "P", 2)
    job = run(write_file(to_csv(cells)))
    assert job.created == 2 and job.warnings_by_code == {"possible_duplicate": 2}
    assert PossibleDuplicate.objects.get().reason == "phone"


def test_the_check_off_flags_nothing(write_file, settings):
    settings.LINDUNG_DUPLICATE_CHECK = False
    job = run(write_file(to_csv(rows()[:2])))
    assert job.created == 2 and job.warnings_by_code == {}
    assert not PossibleDuplicate.objects.exists()


# ---- the check in the import's frames gives the database's answer ------------------------

MEN = [
    "I Made Sudarta", "Made Sudartha", "I Made Sudarma", "I Ketut Sudarta", "I Gede Sudarta",
    "I Made Sudartaa", "Made Sudrta", "I Nyoman Suarta", "Komang Suarta", "I Putu Wirawan",
]  # fmt: skip
WOMEN = ["Ni Luh Putu Ayu", "Ni Putu Ayu", "Ni Made Ayu Lestari", "Ni Ketut Artini", "Ktut Artini"]
BORN = [dt.date(1985, 2, 19), dt.date(1990, 7, 1), dt.date(1979, 12, 31)]
PHONE_FORMS = ["0", "+62", "62"]  # one number in three forms: three different phones


def crowded_rows(count: int) -> list[dict]:
    """Rows of one village with few names, birth dates and phones: many possible pairs."""
    cells = []
    for i in range(count):
        female = i % 3 == 0
        names = WOMEN if female else MEN
        born = BORN[i % len(BORN)]
        cells.append(
            row(
                nik=nik_for("51.04.01", born, "P" if female else "L", 100 + i),
                nama=names[(i * 7) % len(names)],
                jenis_kelamin="P" if female else "L",
                tanggal_lahir=born.strftime("%d/%m/%Y"),
                no_hp=PHONE_FORMS[i % 3] + f"812{(i % 40 if i % 5 == 0 else 1000 + i):07d}",
            )
        )
    return cells


def test_the_pairs_are_those_the_database_query_finds(write_file, operator):
    for serial, name in ((1, "I Made Sudartha"), (2, "Ni Putu Ayu")):
        people.register_worker(
            user=operator,
            data=worker_data(nik=nik_for("51.04.01", BORN[0], "L" if serial == 1 else "P", serial),
                             full_name=name, sex="L" if serial == 1 else "P"),
            today=TODAY,
        )  # fmt: skip
    job = run(write_file(to_csv(crowded_rows(240))), batch_rows=40)
    assert job.status == ImportJob.Status.DONE and job.created == 240

    kept = {
        (person, other): reason
        for person, other, reason in PossibleDuplicate.objects.values_list(
            "person_id", "other_id", "reason"
        )
    }
    everyone = list(Person.objects.values_list("pk", flat=True))
    expected = {}
    for found in sorted(duplicates.find(everyone), key=lambda f: f.reason):
        expected.setdefault(found.pair, found.reason)
    assert len(kept) > 50 and kept == expected

    # Each pair's later record was checked after the earlier one: its row names the other.
    flagged = {
        number
        for number, warnings in ImportRow.objects.filter(job=job).values_list("row", "warnings")
        if "possible_duplicate" in warnings
    }
    row_of = {cells["nik"]: number for number, cells in enumerate(crowded_rows(240), start=2)}
    nik_of = dict(Person.objects.values_list("pk", "nik"))
    later = {row_of[nik_of[person]] for person, _ in kept if nik_of[person] in row_of}
    in_pairs = {row_of[nik_of[pk]] for pair in kept for pk in pair if nik_of[pk] in row_of}
    assert later <= flagged <= in_pairs


def test_a_worker_registered_during_the_import_is_paired_with_later_batches(
    write_file, operator, monkeypatch
):
    cells = [row(1, nama="I Wayan Sukadana", no_hp="081200000001"),
             row(2, nama="I Made Sudarta", no_hp="081200000002")]  # fmt: skip
    real = services.load_batch
    registered = []

    def load_then_register(batch, **kwargs):
        result = real(batch, **kwargs)
        if not registered:  # between the first batch and the second
            registered.append(
                people.register_worker(
                    user=operator,
                    data=worker_data(
                        nik=nik_for("51.04.01", BORN[0], "L", 9),
                        full_name="Made Sudartha",
                        phone="081299999999",
                    ),
                    today=TODAY,
                )  # fmt: skip
            )
        return result

    monkeypatch.setattr(services, "load_batch", load_then_register)
    job = run(write_file(to_csv(cells)), batch_rows=1)
    assert job.created == 2
    second = Person.objects.get(nik=cells[1]["nik"])
    pair = PossibleDuplicate.objects.get()
    assert (pair.person_id, pair.other_id) == (max(second.pk, registered[0].pk),
                                               min(second.pk, registered[0].pk))  # fmt: skip
    assert (pair.found_via, pair.import_job_id) == ("import", job.pk)


def test_pairs_with_a_batch_that_took_the_general_path_name_its_real_ids(write_file):
    registered = row(1, nama="I Wayan Sukadana", no_hp="081200000001")
    run(write_file(to_csv([registered]), "first.csv"))
    cells = [
        registered,  # registered already: the first batch's COPY is refused
        row(2, nama="I Made Sudarta", no_hp="081200000002"),
        row(3, nama="Made Sudartha", no_hp="081200000003"),  # in the second batch
    ]
    job = run(write_file(to_csv(cells), "second.csv"), batch_rows=2)
    assert (job.created, job.unchanged) == (2, 1)
    made = dict(
        Person.objects.filter(nik__in=[cells[1]["nik"], cells[2]["nik"]]).values_list("nik", "pk")
    )
    pair = PossibleDuplicate.objects.get()
    assert (pair.person_id, pair.other_id) == (made[cells[2]["nik"]], made[cells[1]["nik"]])
    flagged = ImportRow.objects.get(job=job, row=4)
    assert f"data #{made[cells[1]['nik']]}" in flagged.values["duplicate_of"]
