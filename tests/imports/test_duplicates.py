"""The import's duplicate-person check: set-wise after the load, a warning (never a
refusal) that names the other record, and the pairs for the regency's review."""

import datetime as dt
import io

import pytest

from lindung.imports import report, services
from lindung.imports.models import ImportJob, ImportRow
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
