"""Program pages through Django's test client: who sees what, and the writes behind the forms."""

import io

import pytest
import xlsxwriter

from lindung.programs import clock
from lindung.programs.models import Enrollment, LegalDocument, Program, VillageQuota
from lindung.programs.services import propose
from tests.factories import TODAY
from tests.programs.conftest import BATUBULAN, KETEWEL, make_person, program_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def login(client, user):
    client.force_login(user)
    return client


def test_program_list_and_page(client, operator, program):
    propose(user=None, program=program, person=make_person(), today=TODAY)
    page = login(client, operator).get("/program/")
    assert page.status_code == 200
    assert program.name in page.content.decode()
    detail = client.get(f"/program/{program.pk}/").content.decode()
    assert "12.800" in detail  # 64 desa × 100 × 2 rounds
    assert "Rp 100.800" in detail  # committed
    assert 'data-village="51.04.01.2001"' in detail
    assert 'data-village="51.04.01.2002"' not in detail  # the operator sees their own village


def test_program_of_another_regency_is_404(client, program, make_user):
    jembrana = make_user("disnaker.jembrana", "regency_admin", "51.01")
    assert login(client, jembrana).get(f"/program/{program.pk}/").status_code == 404


def test_regency_admin_creates_a_program(client, regency_admin):
    data = program_data(rounds="01/2027, 07/2027", budget="1.290.240.000")
    data.pop("eligible_categories")
    data["eligible_categories"] = ["pekerja_rentan", "petugas_parkir"]
    response = login(client, regency_admin).post("/program/baru/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    program = Program.objects.get()
    assert program.budget == 1_290_240_000 and program.rounds.count() == 2
    assert VillageQuota.objects.filter(program=program).count() == 128


def test_program_form_explains_errors(client, regency_admin):
    data = program_data(rounds="Januari", budget="")
    response = login(client, regency_admin).post("/program/baru/", data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Bulan mulai putaran tidak dikenali" in text
    assert "Pagu anggaran harus rupiah bulat" in text


def test_operator_cannot_create_or_verify(client, operator, program):
    login(client, operator)
    assert client.get("/program/baru/").status_code == 403
    assert client.get(f"/program/{program.pk}/verifikasi/").status_code == 403
    assert client.get(f"/bpjs/program/{program.pk}/batch/1/berkas.xlsx").status_code == 403


def test_operator_proposes_ticked_workers_and_pasted_niks(client, operator, program):
    first, second, third = (make_person(name=n) for n in ("I Made A", "Ni Luh B", "I Ketut C"))
    login(client, operator)
    page = client.get(f"/program/{program.pk}/usulan/")
    assert (
        "I Made A" in page.content.decode()
        and 'data-testid="quota-left">100<' in page.content.decode()
    )
    response = client.post(
        f"/program/{program.pk}/usulan/",
        {"action": "people", "person": [first.pk, second.pk], "round": "1"},
    )
    assert response.status_code == 200
    assert Enrollment.objects.filter(state="proposed").count() == 2
    response = client.post(
        f"/program/{program.pk}/usulan/",
        {"action": "niks", "niks": f"{third.nik}\n{first.nik}\n5104011", "round": "1"},
    )
    text = response.content.decode()
    assert "already_covered" in text and "nik_format" in text
    assert Enrollment.objects.count() == 3
    counter = client.get(
        f"/program/{program.pk}/usulan/penghitung/", {"round": "1", "person": ["1", "2"]}
    ).content.decode()
    assert 'data-testid="quota-used">3<' in counter and "2 dicentang" in counter


def test_operator_uploads_a_nik_list(client, operator, program):
    people = [make_person(name=f"I Made {n}") for n in ("A", "B")]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["No", "Nama", "NIK"])
    for i, person in enumerate(people, 1):
        sheet.write_row(i, 0, [str(i), person.full_name, person.nik])
    book.close()
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "daftar.xlsx"
    login(client, operator).post(
        f"/program/{program.pk}/usulan/", {"action": "niks", "nik_file": upload, "round": "1"}
    )
    assert Enrollment.objects.count() == 2


def test_regency_verifies_and_rejects_in_bulk(client, regency_admin, program):
    enrollments = [
        propose(user=None, program=program, person=make_person(v), today=TODAY)
        for v in (BATUBULAN, BATUBULAN, KETEWEL)
    ]
    login(client, regency_admin)
    url = f"/program/{program.pk}/verifikasi/"
    assert "3 usulan menunggu" in client.get(url).content.decode()
    client.post(url, {"action": "reject", "enrollment": [enrollments[0].pk], "reason": ""})
    assert Enrollment.objects.get(pk=enrollments[0].pk).state == "proposed"  # no reason
    client.post(url, {"action": "reject", "enrollment": [enrollments[0].pk], "reason": "Ganda"})
    assert Enrollment.objects.get(pk=enrollments[0].pk).state == "rejected"
    client.post(f"{url}?village={KETEWEL}", {"action": "verify_all"})
    states = dict(Enrollment.objects.values_list("pk", "state"))
    assert states[enrollments[1].pk] == "proposed" and states[enrollments[2].pk] == "verified"


def test_enrollment_page_moves_and_history(client, operator, program):
    enrollment = propose(user=operator, program=program, person=make_person(), today=TODAY)
    login(client, operator)
    page = client.get(f"/program/kepesertaan/{enrollment.pk}/").content.decode()
    assert "Ditarik" in page and "Terverifikasi kabupaten</button>" not in page
    client.post(
        f"/program/kepesertaan/{enrollment.pk}/", {"to_state": "withdrawn", "reason": "Pindah"}
    )
    enrollment.refresh_from_db()
    assert enrollment.state == "withdrawn"
    assert "Pindah" in client.get(f"/program/kepesertaan/{enrollment.pk}/").content.decode()


def test_legal_basis_upload(client, regency_admin, program, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = io.BytesIO(b"%PDF-1.4\n%test\n")
    pdf.name = "perbup.pdf"
    login(client, regency_admin).post(
        f"/program/{program.pk}/dasar-hukum/",
        {
            "number": "Perbup Gianyar 35/2025",
            "title": "Perlindungan pekerja rentan",
            "issued_on": "01/07/2025",
            "pdf": pdf,
        },
    )
    document = LegalDocument.objects.get()
    assert document.pdf and program.legal_basis.get() == document
    response = client.get(f"/program/{program.pk}/dasar-hukum/{document.pk}/pdf/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    not_pdf = io.BytesIO(b"MZ not a pdf")
    not_pdf.name = "virus.pdf"
    response = client.post(
        f"/program/{program.pk}/dasar-hukum/",
        {"number": "X", "title": "Y", "issued_on": "01/07/2025", "pdf": not_pdf},
        follow=True,
    )
    assert "harus PDF" in response.content.decode()


def test_quota_override(client, regency_admin, program):
    login(client, regency_admin).post(
        f"/program/{program.pk}/kuota/", {"village_code": BATUBULAN, "quota": "35"}
    )
    assert set(VillageQuota.objects.filter(village=BATUBULAN).values_list("quota", flat=True)) == {
        35
    }


def test_expiring_and_enrollment_list(client, regency_admin, program):
    login(client, regency_admin)
    assert client.get(f"/program/{program.pk}/peserta/?expiring=1").status_code == 200
    assert client.get(f"/program/{program.pk}/peserta/?state=active&q=x").status_code == 200


def test_admin_pages_open(client, system_admin, program):
    propose(user=None, program=program, person=make_person(), today=TODAY)
    login(client, system_admin)
    enrollment = Enrollment.objects.get()
    for path in (
        "/admin/programs/program/",
        f"/admin/programs/program/{program.pk}/change/",
        "/admin/programs/enrollment/",
        f"/admin/programs/enrollment/{enrollment.pk}/change/",
        "/admin/programs/legaldocument/",
        "/admin/bpjs/submissionbatch/",
        "/admin/bpjs/answerimport/",
    ):
        assert client.get(path).status_code == 200, path


def test_viewer_reads_but_does_not_propose(client, viewer, program):
    login(client, viewer)
    assert client.get(f"/program/{program.pk}/").status_code == 200
    assert client.get(f"/program/{program.pk}/usulan/").status_code == 403
    assert client.get(f"/program/{program.pk}/verifikasi/").status_code == 403
    assert "Usulkan pekerja" not in client.get(f"/program/{program.pk}/").content.decode()
