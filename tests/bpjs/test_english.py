"""The BPJS submission pages in English (the second language).

Needs the compiled catalogues (`make messages`, part of `make test`)."""

import io

import pytest
from django.utils import translation

from lindung.bpjs.models import SubmissionBatch
from lindung.programs.models import Enrollment
from lindung.programs.services import propose
from tests.factories import TODAY
from tests.programs.conftest import make_person

pytestmark = pytest.mark.django_db


def test_bpjs_pages_in_english(client, regency_admin, program):
    for name in "AB":
        propose(user=None, program=program, person=make_person(name=f"I Made {name}"), today=TODAY)
    Enrollment.objects.update(state="verified")
    client.force_login(regency_admin)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    with translation.override("en"):
        page = client.get(f"/bpjs/program/{program.pk}/").content.decode()
        assert "Submission to BPJS Ketenagakerjaan" in page and "New submission batch" in page
        assert "2 verified workers waiting to be submitted." in page
        assert "Upload the BPJS answer" in page and "No submission batch yet." in page
        assert "Batch pengajuan baru" not in page

        batch_page = client.post(f"/bpjs/program/{program.pk}/", {"round": "1"}, follow=True)
        text = batch_page.content.decode()
        batch = SubmissionBatch.objects.get()
        assert f"Batch {batch.label} created: 2 workers submitted." in text
        assert "Download the registration file (XLSX)" in text and "I Made A" in text

        bad = io.BytesIO(b"\x00\x01 not a spreadsheet")
        bad.name = "jawaban.xlsx"
        refused = client.post(f"/bpjs/program/{program.pk}/jawaban/", {"answer": bad}, follow=True)
        assert "The .xlsx file is damaged or not an Excel workbook" in refused.content.decode()
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert "Batch pengajuan baru" in client.get(f"/bpjs/program/{program.pk}/").content.decode()
