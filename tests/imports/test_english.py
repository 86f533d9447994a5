"""The import pages, template and report in English (the second language).

Needs the compiled catalogues (`make messages`, part of `make test`)."""

import fastexcel
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from lindung.imports.models import ImportJob
from tests.imports.files import row, to_csv

pytestmark = pytest.mark.django_db


def test_import_pages_in_english(client, operator):
    client.force_login(operator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    with translation.override("en"):
        index = client.get(reverse("imports:index")).content.decode()
        assert "Import a list of workers from Excel or CSV" in index
        assert "Download template (.xlsx)" in index and "Upload and check" in index
        assert "No imports yet." in index and "Unggah dan periksa" not in index

        data = to_csv([row(1), row(2, nama="")])
        response = client.post(
            reverse("imports:index"), {"file": SimpleUploadedFile("w.csv", data)}
        )
        job = ImportJob.objects.get()
        page = client.get(response.url).content.decode()
        assert f"Import #{job.pk}: w.csv" in page and "Rejected lines by error" in page
        assert "How to fix" in page and "Download report (.xlsx)" in page
        assert "The full name is required" in page

        template = client.get(reverse("imports:template"))
        book = fastexcel.read_excel(b"".join(template.streaming_content))
        assert book.sheet_names[:2] == ["Workers", "Instructions"]
        assert book.load_sheet(0).to_polars().columns[:2] == ["nik", "nama"]  # names stay
        report = client.get(reverse("imports:report", args=[job.pk, "xlsx"]))
        assert fastexcel.read_excel(report.content).sheet_names[0] == "Summary"
