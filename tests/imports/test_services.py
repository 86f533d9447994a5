"""The whole import: load, report, idempotence, update, scope, interruption, size."""

import pytest
from django.db import connection

from lindung.imports import loading, services
from lindung.imports.models import ImportBatch, ImportJob, ImportRow
from lindung.people.models import Person
from tests.factories import TODAY
from tests.imports.files import BATUBULAN, KETEWEL, clean_csv, row, to_csv

pytestmark = pytest.mark.django_db
SUMMARY_KEYS = ["rows", "accepted", "created", "updated", "unchanged", "rejected", "errors_by_code"]


def run(path, **options) -> ImportJob:
    job, _ = services.job_for_path(path=path, today=TODAY, **options)
    return services.run_job(job.pk)


def registry() -> list[tuple]:
    """Everything the registry holds about people, to compare before and after."""
    return list(
        Person.objects.order_by("nik").values_list(
            "nik", "full_name", "sex", "birth_date", "village_id", "district_code",
            "address", "phone", "occupation_id", "occupation_text", "category",
            "declared_income", "updated_at",
        )
    )  # fmt: skip


def dirty_rows():
    return [
        row(1),
        row(2, nik="5.10401E+15"),
        row(3, nama=""),
        row(1, nama="I Made Dobel"),
        row(5, pekerjaan="Pembuat canang"),
        row(6, kode_desa="51.04.01.9999", kategori="pegawai"),
    ]


def test_clean_and_dirty_file_counts_and_report(write_file):
    job = run(write_file(to_csv(dirty_rows())))
    assert job.status == ImportJob.Status.DONE
    summary = job.summary()
    assert list(summary) == SUMMARY_KEYS
    assert summary == {
        "rows": 6,
        "accepted": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": 4,
        "errors_by_code": {
            "duplicate_in_file": 1,
            "name_missing": 1,
            "nik_scientific_notation": 1,
            "village_unknown": 1,
        },
    }
    # The two loaded rows are one name, birth date and phone: flagged, not refused.
    assert job.warnings_by_code == {"occupation_unknown": 1, "possible_duplicate": 2}
    rows = {r.row: r for r in ImportRow.objects.filter(job=job)}
    assert set(rows) == {2, 3, 4, 5, 6, 7}
    assert rows[2].warnings == ["possible_duplicate"] and not rows[2].rejected
    assert rows[7].errors == ["village_unknown", "category_unknown"]
    assert rows[7].values["village_code"] == "51.04.01.9999"
    assert rows[5].first_row == 2
    assert not rows[6].rejected
    assert rows[6].warnings == ["occupation_unknown", "possible_duplicate"]
    assert Person.objects.get(nik=row(5)["nik"]).occupation_text == "Pembuat canang"
    assert not job.file and job.finished_at


def test_same_file_twice_changes_nothing(write_file):
    path = write_file(clean_csv(300, seed=5))
    first = run(path)
    before = registry()
    second = run(path)
    assert first.created == 300
    assert second.summary() == {**first.summary(), "created": 0, "unchanged": 300}
    assert registry() == before


def test_direct_copy_and_the_staged_path_write_the_same_rows(write_file, operator, monkeypatch):
    """A new file goes in by one ``COPY`` per batch (PostgreSQL); a batch with registered
    NIKs by the staging table. Both must write every column alike."""
    path = write_file(to_csv([*dirty_rows(), row(7, no_hp=""), row(8, pekerjaan="")]))
    columns = [f.attname for f in Person._meta.concrete_fields if f.attname != "id"]

    def everything():
        return list(Person.objects.order_by("nik").values_list(*columns))

    direct = run(path, user=operator)
    written = everything()
    assert direct.created == 4
    assert {p.created_by_id for p in Person.objects.all()} == {operator.pk}
    Person.objects.all().delete()
    monkeypatch.setattr(services, "prepare_direct", lambda *args, **kwargs: None)
    staged = run(path, user=operator)
    assert staged.summary() == direct.summary()
    created_at = columns.index("created_at"), columns.index("updated_at")
    strip = [tuple(v for i, v in enumerate(r) if i not in created_at) for r in written]
    assert [tuple(v for i, v in enumerate(r) if i not in created_at) for r in everything()] == strip


def test_a_batch_meeting_registered_niks_falls_back_and_the_next_ones_skip_the_copy(
    write_file, monkeypatch
):
    run(write_file(clean_csv(100, seed=31), "first.csv"))  # the first batch's workers
    tried = []
    real = loading.load_batch

    def watch(batch, **kwargs):
        tried.append(kwargs["direct"] is not None)
        return real(batch, **kwargs)

    monkeypatch.setattr(services, "load_batch", watch)
    job = run(write_file(clean_csv(300, seed=31), "all.csv"), batch_rows=100)
    assert (job.created, job.unchanged) == (200, 100)
    assert Person.objects.count() == 300
    if connection.vendor == "postgresql":
        assert tried[0] and not tried[1]  # refused once, then the general path


def test_existing_nik_is_unchanged_or_updated_never_doubled(write_file):
    run(write_file(to_csv([row(1), row(2)]), "a.csv"))
    changed = write_file(to_csv([row(1, alamat="Banjar Kelod"), row(2)]), "b.csv")
    kept = run(changed)
    assert (kept.created, kept.updated, kept.unchanged) == (0, 0, 2)
    assert kept.warnings_by_code == {"exists": 1}
    assert Person.objects.get(nik=row(1)["nik"]).address == "Banjar Kaja"
    updated = run(changed, update=True)
    assert (updated.created, updated.updated, updated.unchanged) == (0, 1, 1)
    assert Person.objects.get(nik=row(1)["nik"]).address == "Banjar Kelod"
    assert Person.objects.count() == 2


def test_update_leaves_columns_the_file_does_not_have(write_file):
    run(write_file(to_csv([row(1)]), "a.csv"))
    cells = row(1, penghasilan="1500000")
    del cells["alamat"], cells["no_hp"]
    job = run(write_file(to_csv([cells]), "b.csv"), update=True)
    person = Person.objects.get(nik=cells["nik"])
    assert job.updated == 1
    assert (person.declared_income, person.address, person.phone) == (
        1_500_000,
        "Banjar Kaja",
        "081234567890",
    )


def test_operator_scope(write_file, operator):
    run(write_file(to_csv([row(9, kode_desa=KETEWEL)]), "ketewel.csv"))
    rows = [row(1), row(2, kode_desa=KETEWEL), row(9)]  # row 9 lives in Ketewel already
    job = run(write_file(to_csv(rows), "mine.csv"), user=operator, update=True)
    assert job.summary()["errors_by_code"] == {
        "exists_out_of_scope": 1,
        "village_out_of_scope": 1,
    }
    assert (job.created, job.rejected) == (1, 2)
    assert Person.objects.get(nik=row(9)["nik"]).village_id == KETEWEL
    assert Person.objects.get(nik=row(1)["nik"]).created_by == operator


def test_default_village(write_file, operator):
    cells = row(1)
    del cells["kode_desa"]
    job = run(write_file(to_csv([cells])), user=operator, village=BATUBULAN)
    assert job.created == 1
    with pytest.raises(services.ImportRefused):
        services.job_for_path(path=write_file(to_csv([cells])), user=operator, village=KETEWEL)


def test_viewer_may_not_import(write_file, viewer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.job_for_path(path=write_file(to_csv([row()])), user=viewer)


def test_refused_file_loads_nothing(write_file):
    job = run(write_file(b"nik,nama\r\n1,2\r\n"))
    assert job.status == ImportJob.Status.REFUSED
    assert job.error_code == "column_missing"
    assert "jenis_kelamin" in job.error_params["columns"]


def test_failure_mid_way_keeps_whole_batches_and_a_rerun_completes(write_file, monkeypatch):
    path = write_file(clean_csv(1000, seed=11))
    job, _ = services.job_for_path(path=path, today=TODAY, batch_rows=200)
    calls = {"n": 0}
    real = loading.load_batch

    def dying(*args, **kwargs):
        calls["n"] += 1
        result = real(*args, **kwargs)  # the batch's rows are written...
        if calls["n"] == 3:
            raise ConnectionError("database gone")  # ...and then its transaction dies
        return result

    monkeypatch.setattr(services, "load_batch", dying)
    with pytest.raises(ConnectionError):
        services.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.error_code == "interrupted"
    assert ImportBatch.objects.filter(job=job).count() == 2
    assert Person.objects.count() == 400  # two whole batches, nothing of the third

    monkeypatch.setattr(services, "load_batch", real)
    again, resumed = services.job_for_path(path=path, today=TODAY, batch_rows=200)
    assert resumed and again.pk == job.pk
    done = services.run_job(again.pk)
    assert done.status == ImportJob.Status.DONE
    assert (done.created, done.unchanged, done.rejected) == (1000, 0, 0)
    assert Person.objects.count() == 1000


def test_blind_rerun_of_a_half_loaded_file_makes_no_duplicates(write_file):
    path = write_file(clean_csv(500, seed=12))
    first_half = write_file(clean_csv(250, seed=12), "half.csv")  # same first 250 workers
    run(first_half)
    job = run(path)
    assert (job.created, job.unchanged) == (250, 250)
    assert Person.objects.count() == 500


def test_cancel_before_start_and_between_batches(write_file):
    job, _ = services.job_for_path(path=write_file(clean_csv(600, seed=13)), batch_rows=200)
    services.cancel_job(user=None, job=job)
    assert services.run_job(job.pk).status == ImportJob.Status.CANCELLED

    job, _ = services.job_for_path(
        path=write_file(clean_csv(600, seed=14), "b.csv"), batch_rows=200
    )

    def cancel_after_first(j):
        if j.rows_loaded == 200:
            ImportJob.objects.filter(pk=j.pk).update(cancel_requested=True)

    done = services.run_job(job.pk, progress=cancel_after_first)
    assert done.status == ImportJob.Status.CANCELLED
    assert done.rows_loaded == 200 and Person.objects.count() == 200


def test_fifty_thousand_rows(write_file):
    job = run(write_file(clean_csv(50_000, seed=21)))
    assert (job.created, job.rejected) == (50_000, 0)
    assert Person.objects.count() == 50_000
    assert Person.objects.filter(province_code="51").count() == 50_000


def test_loader_uses_set_based_statements(write_file, django_assert_max_num_queries):
    path = write_file(clean_csv(5000, seed=22))
    job, _ = services.job_for_path(path=path)
    with django_assert_max_num_queries(60):  # not one per row
        services.run_job(job.pk)
    assert connection.vendor in ("sqlite", "postgresql")
