"""Formula injection: every cell of an uploaded file, and the file's name, come back in
the row-level report as text, never as a formula."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lindung.imports.models import ImportJob
from tests.imports.files import row, to_csv
from tests.spreadsheet_checks import PAYLOADS, assert_text_not_formula

pytestmark = pytest.mark.django_db


def test_report_workbook_holds_uploaded_cells_as_text(client, operator):
    client.force_login(operator)
    fields = ["nama", "alamat", "no_hp", "pekerjaan", "kategori", "penghasilan", "tanggal_lahir"]
    rows = [
        row(serial, **{field: payload})
        for serial, (field, payload) in enumerate(
            ((f, p) for f in fields for p in PAYLOADS), start=1
        )
    ]
    upload = SimpleUploadedFile("=HYPERLINK(1).csv", to_csv(rows))
    client.post(reverse("imports:index"), {"file": upload})
    job = ImportJob.objects.get()
    assert job.rejected > 0
    report = client.get(reverse("imports:report", args=[job.pk, "xlsx"]))
    assert report.status_code == 200
    # the CSV reader trims cells, so leading tabs and carriage returns arrive stripped
    assert_text_not_formula(report.content, [p.strip() for p in PAYLOADS[:4]])
