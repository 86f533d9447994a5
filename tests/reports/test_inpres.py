"""The Inpres 2/2021 report and the award dossier on a hand-built regency: each figure
traced to its records, a missing source said as such (never 0), the PDF (read back with
poppler's ``pdftotext``), the XLSX, the API and the scope."""

import datetime as dt
import subprocess

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from lindung.billing import run as billing
from lindung.billing.models import Bill
from lindung.billing.services import record_payment
from lindung.claims import services as claims
from lindung.claims.models import Claim, Status
from lindung.programs.models import Program
from lindung.programs.services import add_legal_document
from lindung.reports import inpres
from lindung.targets.models import WorkforceFigure
from tests.claims.conftest import TODAY, covered
from tests.security.scan import text_of
from tests.security.world import MINIMAL_PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def regency(sponsor_program):
    """Gianyar: one APBD program (Rp 64·100·2·100.800), two sponsored workers, its Perbup,
    bills up to September 2026 with one paid bill, and one death claim paid."""
    program = sponsor_program
    Program.objects.filter(pk=program.pk).update(committed=2 * 6 * 16_800)
    first = covered(program, coverage_end=dt.date(2026, 12, 31))
    second = covered(program)
    add_legal_document(user=None, program=program, number="Perbup Gianyar 35/2025",
                       title="Perlindungan pekerja rentan", issued_on="01/03/2025",
                       pdf=ContentFile(MINIMAL_PDF, name="perbup.pdf"))  # fmt: skip
    billing.execute(program=program, month=dt.date(2026, 9, 1), today=TODAY)
    bill = Bill.objects.get(program=program, month=dt.date(2026, 9, 1))
    record_payment(user=None, bill=bill, paid_on="2026-10-15", amount=bill.amount,
                   reference="SP2D 1", today=TODAY)  # fmt: skip
    claim = claims.report(user=None, data={
        "nik": second.person.nik, "kind": "death", "event_date": "2026-08-20",
        "reporter_name": "Kadek", "heir_name": "Ni Luh", "heir_relation": "spouse",
        "heir_phone": "0812"}, today=TODAY)  # fmt: skip
    Claim.objects.filter(pk=claim.pk).update(status=Status.PAID, amount_paid=42_000_000,
                                             paid_on=dt.date(2026, 10, 5),
                                             handover_on=dt.date(2026, 10, 9),
                                             testimony="Sangat membantu keluarga kami")  # fmt: skip
    return {"program": program, "bill": Bill.objects.get(pk=bill.pk), "first": first}


def figures(report, key) -> dict:
    section = next(s for s in report.sections if s.key == key)
    return {f.label: f for f in section.figures}


def test_each_figure_is_traced_to_its_records(regency):
    # Billed is read from the runs finished by the date (they ran on the real clock).
    today = timezone.localdate()
    report = inpres.inpres("51.04", "2026-2", today)
    assert report.as_of == today and report.start == dt.date(2026, 7, 1)
    regulation = next(s for s in report.sections if s.key == "regulasi")
    assert regulation.rows == [["Perbup Gianyar 35/2025", "Perlindungan pekerja rentan",
                                dt.date(2025, 3, 1)]]  # fmt: skip
    money = figures(report, "anggaran")
    program = regency["program"]
    assert money["Pagu anggaran"].value == program.budget
    assert money["Iuran ditagih"].value == regency["bill"].amount
    assert money["Iuran dibayar (realisasi)"].value == regency["bill"].amount
    people = figures(report, "peserta")
    # One still sponsored (the other died in August: its coverage ended then).
    assert people["Disponsori pemerintah/desa"].value == 1
    benefits = figures(report, "manfaat")
    assert benefits["Manfaat dibayar"].value == 42_000_000
    assert benefits["Klaim dilaporkan"].value == 1 and benefits["Klaim dibayar"].value == 1
    assert benefits["Diserahkan kepada ahli waris"].value == 1


def test_missing_sources_are_said_not_zero(regency):
    report = inpres.inpres("51.04", "2026-2", TODAY)
    coverage = figures(report, "cakupan")
    assert coverage["Cakupan"].missing and coverage["Cakupan"].value is None
    assert "belum diisi" in coverage["Cakupan"].shown
    assert figures(report, "pemberi_kerja")["Pemberi kerja tercatat"].missing
    assert figures(report, "agen")["Agen Perisai"].missing
    # With a workforce figure, the rate and its denominator.
    WorkforceFigure.objects.create(
        region_id="51.04",
        year=2026,
        segment="total",
        definition="penduduk_bekerja",
        count=1000,
        source="BPS",
    )
    coverage = figures(inpres.inpres("51.04", "2026-2", TODAY), "cakupan")
    assert coverage["Cakupan"].value == 10  # 1 of 1.000 = 0,10% (basis points)
    assert any(f.value == 1000 and "BPS" in f.source for f in coverage.values())
    # Another regency: no program, no claim: said, not 0.
    empty = inpres.inpres("51.01", "2026-2", TODAY)
    assert figures(empty, "anggaran")["Anggaran"].missing
    assert figures(empty, "manfaat")["Klaim"].missing


def test_bad_half_and_region_are_refused():
    for half, code in (("2026-3", "half_invalid"), ("2027-1", "half_in_future")):
        with pytest.raises(inpres.ReportRefused) as refused:
            inpres.inpres("51.04", half, TODAY)
        assert refused.value.code == code
    with pytest.raises(inpres.ReportRefused) as refused:
        inpres.inpres("51.04.01.2001", "2026-1", TODAY)
    assert refused.value.code == "region_invalid"


def test_award_dossier_arranges_the_same_facts_with_a_series(regency):
    report = inpres.award("51.04", "2026-2", TODAY)
    assert [s.key for s in report.sections] == ["regulasi", "kinerja", "kebijakan", "deret"]
    series = next(s for s in report.sections if s.key == "deret")
    assert [row[0] for row in series.rows] == [2024, 2025, 2026]
    assert series.rows[0][2] is None  # no program in 2024: missing, not 0
    assert series.rows[2][2] == regency["program"].budget and series.rows[2][4] == 42_000_000
    policy = next(s for s in report.sections if s.key == "kebijakan")
    assert "Sangat membantu keluarga kami" in policy.note


def test_pdf_xlsx_page_and_api(regency, regency_admin, operator, frozen_today, tmp_path):
    client = Client()
    client.force_login(regency_admin)
    page = client.get("/laporan/", {"region": "51.04", "half": "2026-2"}).content.decode()
    assert "Laporan pelaksanaan Inpres 2/2021" in page and "Perbup Gianyar 35/2025" in page
    assert "tidak tersedia" in page
    query = {
        "region": "51.04",
        "half": "2026-2",
        "format": "pdf",
        "nip": "19700101",
        "kantor": "Dinas Tenaga Kerja Kabupaten Gianyar",
        "penandatangan": "I Wayan Sudira",
    }
    pdf = client.get("/laporan/", query)
    assert pdf["Content-Type"] == "application/pdf"
    path = tmp_path / "laporan.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["/usr/bin/pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout  # fmt: skip
    assert "DINAS TENAGA KERJA KABUPATEN GIANYAR" in text
    assert "I Wayan Sudira" in text and "NIP 19700101" in text
    assert "Rp 42.000.000" in text and "tidak tersedia" in text
    xlsx = client.get("/laporan/", {"region": "51.04", "half": "2026-2", "format": "xlsx"})
    text = text_of(xlsx.content)  # the sheets' XML: numbers are written as numbers
    assert "<v>42000000</v>" in text and f"<v>{regency['program'].budget}</v>" in text
    api = client.get("/api/v1/reports/inpres", {"region": "51.04", "half": "2026-2"})
    assert api.status_code == 200
    manfaat = next(s for s in api.json()["sections"] if s["key"] == "manfaat")
    assert {"label": "Manfaat dibayar", "value": 42_000_000}.items() <= manfaat["figures"][
        2
    ].items()
    bad = client.get("/api/v1/reports/inpres", {"region": "51.04", "half": "2026"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["code"] == "half_invalid"
    query = {"region": "51.04", "half": "2026-2", "kind": "award", "format": "pdf"}
    award_pdf = client.get("/api/v1/reports/inpres", query)
    assert award_pdf.content.startswith(b"%PDF")
    # A village operator's scope does not contain the regency.
    village = Client()
    village.force_login(operator)
    assert village.get("/laporan/", {"region": "51.04", "half": "2026-2"}).status_code == 404
    assert village.get("/api/v1/reports/inpres", {"region": "51.04"}).status_code == 404


def test_employers_are_counted_from_the_registry(regency):
    """The formal side: employers by compliance, their workers and the registered ones (a
    closed employer's workers left out), and those reached by an action in the half-year."""
    from lindung.employers import services as employers

    def employer(name, nib, total, registered, closed_on=""):
        return employers.create_employer(user=None, data={
            "name": name, "nib": nib, "sector": "47111", "village_code": "51.04.01.2001",
            "total_workers": str(total), "workers_source": "wlkp",
            "workers_as_of": "01/07/2026", "registered_workers": str(registered),
            "programs": "JKK,JKM,JHT,JP" if registered else "",
            "registration_source": "insurer", "registration_as_of": "01/07/2026",
            "closed_on": closed_on}, today=TODAY)  # fmt: skip

    shop = employer("Minimarket Sukawati", "1234567890123", 12, 12)
    employer("UMKM Ukiran", "1234567890124", 6, 0)
    employer("LPD Lama", "1234567890125", 9, 0, closed_on="01/06/2026")
    employers.record_action(user=None, employer=shop, data={
        "kind": "visit", "done_on": "05/08/2026", "outcome": "promised"}, today=TODAY)  # fmt: skip
    found = figures(inpres.inpres("51.04", "2026-2", TODAY), "pemberi_kerja")
    assert found["Pemberi kerja tercatat"].value == 3
    assert found["Terdaftar"].value == 1 and found["Tutup"].value == 1
    assert found["Belum terdaftar"].value == 1
    assert found["Pekerja pada pemberi kerja yang masih berusaha"].value == 18
    assert found["Di antaranya terdaftar BPJS Ketenagakerjaan (PU)"].value == 12
    assert found["Pemberi kerja yang dijangkau pada semester ini"].value == 1
    assert inpres.inpres("51.01", "2026-2", TODAY).sections  # another regency: none of these
    other = figures(inpres.inpres("51.01", "2026-2", TODAY), "pemberi_kerja")
    assert other["Pemberi kerja tercatat"].missing
