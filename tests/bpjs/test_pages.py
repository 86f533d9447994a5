"""Insurer exchange pages: make a batch, download its file, upload the answer, read the report."""

import datetime as dt
import io

import polars as pl
import pytest

from lindung.bpjs.files import write_answer
from lindung.bpjs.models import SubmissionBatch
from lindung.programs.models import Enrollment
from lindung.programs.services import propose
from tests.factories import TODAY
from tests.programs.conftest import make_person

pytestmark = pytest.mark.django_db


def test_batch_file_answer_and_report(client, regency_admin, viewer, program):
    people = [make_person(name=f"I Made {n}") for n in "ABC"]
    for person in people:
        propose(user=None, program=program, person=person, today=TODAY)
    Enrollment.objects.update(state="verified")
    client.force_login(regency_admin)
    page = client.get(f"/bpjs/program/{program.pk}/").content.decode()
    assert "3 pekerja terverifikasi menunggu diajukan" in page

    response = client.post(f"/bpjs/program/{program.pk}/", {"round": "1"})
    batch = SubmissionBatch.objects.get()
    assert response.url == f"/bpjs/program/{program.pk}/batch/{batch.pk}/"
    assert "I Made A" in client.get(response.url).content.decode()

    download = client.get(f"/bpjs/program/{program.pk}/batch/{batch.pk}/berkas.xlsx")
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = pl.read_excel(io.BytesIO(download.content), sheet_name="PESERTA", infer_schema_length=0)
    assert sorted(sheet["NIK"]) == sorted(p.nik for p in people)
    template = client.get(f"/bpjs/program/{program.pk}/batch/{batch.pk}/templat-jawaban.xlsx")
    assert template.status_code == 200

    answer = io.BytesIO(
        write_answer(
            [
                {
                    "nik": people[0].nik,
                    "kpj": "24000000001",
                    "status": "DITERIMA",
                    "effective_date": dt.date(2027, 1, 1),
                },
                {"nik": people[1].nik, "status": "DITOLAK", "reason": "Sudah peserta aktif"},
                {
                    "nik": "5104010101700099",
                    "status": "DITERIMA",
                    "kpj": "24000000009",
                    "effective_date": dt.date(2027, 1, 1),
                },
            ]
        )
    )
    answer.name = "jawaban-bpjs.xlsx"
    response = client.post(f"/bpjs/program/{program.pk}/jawaban/", {"answer": answer}, follow=True)
    text = response.content.decode()
    assert "1 aktif, 1 ditolak, 0 tidak berubah, 1 NIK tidak dikenal" in text
    assert "unknown_nik" in text
    states = dict(Enrollment.objects.values_list("person__nik", "state"))
    assert states == {
        people[0].nik: "active",
        people[1].nik: "rejected",
        people[2].nik: "submitted",
    }

    # A viewer reads the page but downloads nothing with full NIKs.
    client.force_login(viewer)
    assert client.get(f"/bpjs/program/{program.pk}/").status_code == 200
    assert client.get(f"/bpjs/program/{program.pk}/batch/{batch.pk}/berkas.xlsx").status_code == 403
    assert client.post(f"/bpjs/program/{program.pk}/", {}).status_code == 403


def test_a_bad_answer_file_is_explained(client, regency_admin, program):
    client.force_login(regency_admin)
    bad = io.BytesIO(b"NAMA;KPJ\nBudi;1\n")
    bad.name = "jawaban.csv"
    response = client.post(f"/bpjs/program/{program.pk}/jawaban/", {"answer": bad}, follow=True)
    assert "Kolom wajib tidak ada: NIK, STATUS" in response.content.decode()


def test_nothing_to_submit_is_explained(client, regency_admin, program):
    client.force_login(regency_admin)
    response = client.post(f"/bpjs/program/{program.pk}/", {}, follow=True)
    assert "Tidak ada pekerja terverifikasi" in response.content.decode()
