"""The pages: template, upload (inline and background), progress, cancel, report."""

import io

import fastexcel
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from lindung.imports import services
from lindung.imports.models import ImportJob
from lindung.people.models import Person
from tests.imports.files import clean_csv, row, to_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, operator):
    client.force_login(operator)
    return client


def upload(client, data: bytes, name="pekerja.csv", **extra):
    return client.post(reverse("imports:index"), {"file": SimpleUploadedFile(name, data), **extra})


def test_template_has_the_columns_and_allowed_values(signed_in):
    response = signed_in.get(reverse("imports:template"))
    assert response.status_code == 200
    book = fastexcel.read_excel(b"".join(response.streaming_content))
    assert book.sheet_names == ["Pekerja", "Petunjuk", "Pekerjaan", "Kategori", "Desa"]
    assert book.load_sheet(0).to_polars().columns == [
        "nik", "nama", "jenis_kelamin", "tanggal_lahir", "kode_desa", "alamat", "no_hp",
        "pekerjaan", "kategori", "penghasilan",
    ]  # fmt: skip
    villages = book.load_sheet("Desa").to_polars()
    assert villages.get_column("kode_desa").to_list() == ["51.04.01.2001"]


def test_small_upload_runs_at_once_and_shows_counts(signed_in, operator):
    data = to_csv([row(1), row(2, nama=""), row(3, kode_desa="51.04.01.2002")])
    response = upload(signed_in, data)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:job", args=[job.pk])
    page = signed_in.get(response.url).content.decode()
    assert job.status == "done" and job.user == operator
    assert 'id="count-accepted">1<' in page and 'id="count-rejected">2<' in page
    # The counters say what they count: processed rows include the rejected ones.
    assert "diproses (diterima atau ditolak)" in page
    assert "Diterima (disimpan)" in page and "Ditolak (tidak disimpan)" in page
    assert "name_missing" in page and "village_out_of_scope" in page
    assert "Nama lengkap wajib diisi" in page


def test_large_upload_goes_to_the_background_worker(signed_in, settings):
    settings.LINDUNG_IMPORT_INLINE_BYTES = 100
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda func, **kw: func())
        response = upload(signed_in, clean_csv(40, villages=("51.04.01.2001",)))
    job = ImportJob.objects.get()
    assert job.status == "queued" and job.task_id
    assert DBTaskResult.objects.filter(id=job.task_id).exists()
    fragment = signed_in.get(reverse("imports:progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "Menunggu" in fragment
    services.run_job(job.pk)  # what db_worker does
    fragment = signed_in.get(reverse("imports:progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true"
    assert 'value="100"' in fragment.content.decode()
    assert Person.objects.count() == 40
    assert response.status_code == 302


def test_report_downloads(signed_in):
    upload(signed_in, to_csv([row(1), row(1), row(3, kategori="=cmd|' /C calc'!A0")]))
    job = ImportJob.objects.get()
    xlsx = signed_in.get(reverse("imports:report", args=[job.pk, "xlsx"]))
    book = fastexcel.read_excel(xlsx.content)
    assert book.sheet_names == ["Ringkasan", "Ditolak", "Rincian"]
    rejected = book.load_sheet("Ditolak", dtypes="string").to_polars()
    assert rejected.get_column("baris").to_list() == ["3", "4"]
    assert rejected.get_column("kesalahan").to_list() == ["duplicate_in_file", "category_unknown"]
    csv = signed_in.get(reverse("imports:report", args=[job.pk, "csv"])).content.decode("utf-8")
    assert csv.startswith("\ufeffbaris,kolom,kode,jenis,pesan,nilai,keterangan")
    assert "'=cmd" in csv  # a formula in a cell is neutralised
    assert "sama dengan baris 2" in csv
    assert signed_in.get(reverse("imports:report", args=[job.pk, "pdf"])).status_code == 404


def test_the_reimported_report_sheet_is_read_as_a_worker_file(signed_in):
    upload(signed_in, to_csv([row(1, nama="")]))
    job = ImportJob.objects.get()
    report = signed_in.get(reverse("imports:report", args=[job.pk, "xlsx"])).content
    from lindung.imports.reading import read_table

    table = read_table(report, "laporan.xlsx")
    assert table.details["sheet"] == "Ditolak"
    assert table.headers.unknown == []


def test_cancel_and_resume(signed_in, settings):
    settings.LINDUNG_IMPORT_INLINE_BYTES = 10
    upload(signed_in, to_csv([row(1)]))
    job = ImportJob.objects.get()
    signed_in.post(reverse("imports:cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "cancelled" and not job.file
    # A job whose process died can be resumed from the page.
    ImportJob.objects.filter(pk=job.pk).update(status="running", runner="elsewhere:1")
    assert services.can_resume(ImportJob.objects.get(pk=job.pk))
    signed_in.post(reverse("imports:resume", args=[job.pk]))
    assert ImportJob.objects.get(pk=job.pk).status == "queued"


def test_others_jobs_are_invisible_and_viewers_cannot_upload(client, operator, make_user):
    other = make_user("op.ketewel", "village_operator", "51.04.01.2002")
    client.force_login(other)
    upload(client, to_csv([row(1, kode_desa="51.04.01.2002")]))
    job = ImportJob.objects.get()
    client.force_login(operator)
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("imports:report", args=[job.pk, "csv"])).status_code == 404
    viewer = make_user("bupati", "viewer", "51.04")
    client.force_login(viewer)
    assert client.get(reverse("imports:index")).status_code == 403
    assert upload(client, to_csv([row(2)])).status_code == 403


def test_upload_form_errors(signed_in):
    response = upload(signed_in, b"nik;nama\n1;2\n")
    job = ImportJob.objects.get()
    page = signed_in.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert job.status == "refused" and "Kolom wajib tidak ada" in page
    response = upload(signed_in, to_csv([row(1)]), village="51.04.01.2002")
    assert response.status_code == 200
    assert "di luar wilayah Anda" in response.content.decode()
    assert io  # keep the import for the helpers above
