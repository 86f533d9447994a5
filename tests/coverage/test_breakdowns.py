"""Every indicator per category, occupation and sex, on the hand-built Gianyar
(``conftest.py``), worked out by hand and compared with the summary, the page, the XLSX
and the API.

Who is who (all in Gianyar; p7 of Jembrana never counts):

| who | sex | category | occupation | program | sponsored | then |
| p1 | L | pekerja_rentan | petani | regency | 15/01–30/06 | self-paid 01/07, lapsed 05/11 |
| p2 | P | kader_desa | kader_posyandu | regency | 15/01–30/06 | lapsed 10/07 |
| p3 | P | pekerja_rentan | pedagang | regency, round 2 | 20/07–31/12 | |
| p4 | L | petugas_parkir | petugas_parkir | regency | rejected 10/06 | |
| p5 | L | pekerja_rentan (PU) | petani | regency, round 2 | submitted 06/11 | |
| p6 | L | pekerja_rentan | nelayan | province | 01/03–31/08 | ended 01/09 |
"""

import datetime as dt
import re

import pytest
from django.test import Client

from lindung.billing.models import BillLine
from lindung.billing.services import run_billing
from lindung.coverage import indicators, summary
from tests.coverage.builders import at
from tests.dashboards.test_pages import read_xlsx

pytestmark = pytest.mark.django_db
D = dt.date
MID = D(2024, 7, 25)
END = D(2024, 12, 31)


def slices(dim: str, day: dt.date) -> dict:
    """The slices of a dimension as plain tuples, occupations by their code."""
    from lindung.coverage.api import occupation_codes

    parts = indicators.breakdowns("51.04", day).by[dim]
    codes = occupation_codes(parts) if dim == "occ" else {}
    return {codes.get(k, k): p for k, p in parts.items()}


def test_coverage_per_category_sex_and_occupation(gianyar):
    cat = slices("cat", MID)
    # p3 and p6 sponsored, p1 self-paid; p2 lapsed on 10/07 and p4 was rejected.
    assert (cat["pekerja_rentan"].sponsored, cat["pekerja_rentan"].self_paid) == (2, 1)
    assert cat["kader_desa"].covered == 0 and cat["petugas_parkir"].covered == 0
    sex = slices("sex", MID)
    assert (sex["L"].sponsored, sex["L"].self_paid) == (1, 1)  # p6; p1
    assert (sex["P"].sponsored, sex["P"].self_paid) == (1, 0)  # p3
    occ = slices("occ", MID)
    assert {k: p.covered for k, p in occ.items()} == {
        "petani": 1,  # p1 self-paid (p5 is not proposed yet)
        "pedagang": 1,
        "nelayan": 1,
        "kader_posyandu": 0,
        "petugas_parkir": 0,
    }
    # The slices of a dimension add up to the region's covered (registry) workers.
    assert sum(p.covered for p in cat.values()) == 3 == sum(p.covered for p in sex.values())


def test_sponsored_in_the_year_and_per_funder(gianyar):
    cat = slices("cat", MID)
    assert cat["pekerja_rentan"].started == 3  # p1 15/01, p6 01/03, p3 20/07
    assert cat["kader_desa"].started == 1  # p2
    assert cat["pekerja_rentan"].by_funder == {"apbd": 1, "province": 1}  # p3; p6
    sex = slices("sex", MID)
    assert (sex["L"].started, sex["P"].started) == (2, 2)
    assert (sex["L"].by_funder, sex["P"].by_funder) == ({"province": 1}, {"apbd": 1})
    occ = slices("occ", MID)
    assert occ["nelayan"].by_funder == {"province": 1}
    assert occ["pedagang"].by_funder == {"apbd": 1}
    assert occ["petani"].by_funder == {}  # p1 is self-paid now
    # A new year starts from zero.
    assert all(p.started == 0 for p in slices("cat", D(2025, 3, 1)).values())


def test_enrollments_by_state_and_quota_fill(gianyar):
    cat = slices("cat", MID)
    assert cat["pekerja_rentan"].by_state == {"active": 2, "continued": 1}  # p3, p6; p1
    assert cat["kader_desa"].by_state == {"lapsed": 1}
    assert cat["petugas_parkir"].by_state == {"rejected": 1}
    # Places of the 2024 programs held: a lapsed enrollment keeps its place, a rejected
    # one gives it back.
    assert (cat["pekerja_rentan"].quota_used, cat["kader_desa"].quota_used) == (3, 1)
    assert cat["petugas_parkir"].quota_used == 0
    end = slices("cat", END)
    assert end["pekerja_rentan"].by_state == {
        "submitted": 1,  # p5
        "active": 1,  # p3
        "ended": 1,  # p6
        "lapsed": 1,  # p1
    }
    assert end["pekerja_rentan"].quota_used == 4
    sex = slices("sex", END)
    assert sex["L"].by_state == {"submitted": 1, "ended": 1, "lapsed": 1, "rejected": 1}
    assert sex["P"].by_state == {"active": 1, "lapsed": 1}
    assert (sex["L"].quota_used, sex["P"].quota_used) == (3, 2)
    # The slices add up to the region's figures.
    parts = indicators.breakdowns("51.04", END)
    assert parts.quota_used == 5 == sum(p.quota_used for p in end.values())
    # A 2025 date reads the 2025 programs' places: none here.
    assert all(p.quota_used == 0 for p in slices("cat", D(2025, 1, 5)).values())


def test_expiring_per_breakdown(gianyar):
    # On 01/06: p1 and p2 end on 30/06; on 05/08: p6 ends 31/08; on 01/12: p3.
    assert {k: p.expiring for k, p in slices("cat", D(2024, 6, 1)).items() if p.expiring} == {
        "pekerja_rentan": 1,
        "kader_desa": 1,
    }
    assert {k: p.expiring for k, p in slices("sex", D(2024, 8, 5)).items() if p.expiring} == {
        "L": 1
    }
    occ = slices("occ", D(2024, 12, 1))
    assert {k: p.expiring for k, p in occ.items() if p.expiring} == {"pedagang": 1}
    # p3's end is 31/12: not "expiring" before p3 started (20/07).
    assert all(p.expiring == 0 for p in slices("occ", D(2024, 7, 1)).values())


def test_retention_per_breakdown(gianyar):
    cat = slices("cat", END)
    # p1 (self-paid to 05/11) and p6 (nothing after 31/08); p6's 6-month day is 28/02/2025.
    assert cat["pekerja_rentan"].retention == {1: [2, 1], 3: [2, 1], 6: [1, 0]}
    assert cat["kader_desa"].retention == {1: [1, 0], 3: [1, 0], 6: [1, 0]}  # p2
    occ = slices("occ", END)
    assert occ["petani"].retention == {1: [1, 1], 3: [1, 1], 6: [1, 0]}
    assert occ["nelayan"].retention == {1: [1, 0], 3: [1, 0], 6: [0, 0]}
    sex = slices("sex", END)
    total = indicators.breakdowns("51.04", END).retention
    for k in (1, 3, 6):
        assert (
            tuple(sex["L"].retention[k][i] + sex["P"].retention[k][i] for i in (0, 1)) == (total[k])
        )


def bill_july(gianyar) -> dict[int, int]:
    """Bill the regency's program up to July, dated 01/08/2024; the amount per person."""
    run_billing(user=None, program=gianyar.regency, month=D(2024, 7, 1), today=END)
    BillLine.objects.update(created_at=at(D(2024, 8, 1)))  # the lines' trigger marks them
    summary.refresh()
    amounts: dict[int, int] = {}
    for line in BillLine.objects.select_related("enrollment"):
        person = line.enrollment.person_id
        amounts[person] = amounts.get(person, 0) + line.amount
    return amounts


def test_premiums_billed_per_breakdown(gianyar):
    amounts = bill_july(gianyar)
    p1, p2, p3 = (amounts[p.pk] for p in (gianyar.p1, gianyar.p2, gianyar.p3))
    # Six sponsored months of p1 and p2 (January to June), July of p3: one price a month.
    month = p3
    assert month > 0 and (p1, p2) == (6 * month, 6 * month)
    assert set(amounts) == {gianyar.p1.pk, gianyar.p2.pk, gianyar.p3.pk}
    cat = slices("cat", END)
    assert (cat["pekerja_rentan"].billed, cat["kader_desa"].billed) == (7 * month, 6 * month)
    sex = slices("sex", END)
    assert (sex["L"].billed, sex["P"].billed) == (6 * month, 7 * month)
    occ = slices("occ", END)
    assert {k: p.billed for k, p in occ.items() if p.billed} == {
        "petani": 6 * month,
        "kader_posyandu": 6 * month,
        "pedagang": month,
    }
    # Before the run's day nothing is billed; the 2025 programs have no bills.
    assert all(p.billed == 0 for p in slices("cat", D(2024, 7, 31)).values())
    assert all(p.billed == 0 for p in slices("cat", D(2025, 1, 31)).values())
    assert summary.verify() == []


# ---- the page, its XLSX and the API show the same ------------------------------------------


def table_rows(html: str, key: str) -> dict[str, list[str]]:
    match = re.search(rf'<table class="data" id="tabel-{key}">(.*?)</table>', html, re.S)
    assert match, key
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", match.group(1), re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        rows[cells[0]] = cells[1:]
    return rows


@pytest.fixture
def viewer_client(viewer):
    client = Client()
    client.force_login(viewer)
    return client


def test_the_page_shows_every_breakdown(gianyar, viewer_client):
    html = viewer_client.get(f"/dasbor/51.04/?tanggal={MID}").content.decode()
    cat = table_rows(html, "kategori")
    assert cat["Kategori peserta"][:9] == [
        "Terlindungi",
        "Bagian",
        "Dibiayai pemerintah",
        "Iuran mandiri",
        "Dibiayai sejak awal 2024",
        "Berakhir dalam 30 hari",
        "Kuota 2024 dipakai",
        "dari semua tempat kuota",
        "Iuran ditagih 2024",
    ]
    # covered, share, sponsored, self-paid, started, expiring, places held (of 700), billed
    assert cat["Pekerja rentan"] == ["3", "100,00%", "2", "1", "3", "0", "3", "0,43%", "Rp 0"]
    assert cat["Kader desa"] == ["0", "0,00%", "0", "0", "1", "0", "1", "0,14%", "Rp 0"]
    assert cat["Petugas parkir"][:7] == ["0", "0,00%", "0", "0", "0", "0", "0"]
    sex = table_rows(html, "jenis_kelamin")
    assert sex["Laki-laki"][:7] == ["2", "66,67%", "1", "1", "2", "0", "2"]
    assert sex["Perempuan"][:7] == ["1", "33,33%", "1", "0", "2", "0", "2"]
    occ = table_rows(html, "pekerjaan")
    assert occ["Nelayan"][:3] == ["1", "33,33%", "1"]
    states = table_rows(html, "kategori_status")
    assert states["Kategori peserta"] == ["Aktif", "Lanjut iuran mandiri", "Berhenti", "Ditolak"]
    assert states["Pekerja rentan"] == ["2", "1", "–", "–"]
    assert states["Kader desa"] == ["–", "–", "1", "–"]
    funders = table_rows(html, "jenis_kelamin_dana")
    assert funders["Laki-laki"] == ["–", "1"] and funders["Perempuan"] == ["1", "–"]
    # The charts of the covered leave out the groups with nobody covered.
    assert html.count("Terlindungi menurut kategori peserta") == 1
    # What cannot be broken down says so.
    assert "tidak dapat dirinci per pekerja" in html
    assert "pagu adalah batas anggaran program" in html


def test_page_xlsx_and_api_agree_at_the_end_of_the_year(gianyar, viewer_client):
    month = bill_july(gianyar)[gianyar.p3.pk]
    html = viewer_client.get(f"/dasbor/51.04/?tanggal={END}").content.decode()
    api = viewer_client.get(f"/api/v1/indicators?region=51.04&date={END}").json()
    rentan = api["breakdowns"]["category"]["pekerja_rentan"]
    assert rentan == {
        "covered": 1,  # p3
        "sponsored": 1,
        "self_paid": 0,
        "sponsored_in_year": 3,
        "expiring_30_days": 1,  # p3 ends 31/12
        "by_state": {"submitted": 1, "active": 1, "ended": 1, "lapsed": 1},
        "by_funder": {"apbd": 1},
        "retention": {
            "1": {"ended": 2, "still_covered": 1, "rate": 50.0},
            "3": {"ended": 2, "still_covered": 1, "rate": 50.0},
            "6": {"ended": 1, "still_covered": 0, "rate": 0.0},
        },
        "quota_used": 4,
        "quota_share": 0.57,  # 4 of 700 places
        "billed": 7 * month,
    }
    assert api["breakdowns"]["sex"]["P"]["billed"] == 7 * month
    assert api["breakdowns"]["occupation"]["kader_posyandu"]["retention"]["6"] == {
        "ended": 1,
        "still_covered": 0,
        "rate": 0.0,
    }
    assert set(api["breakdowns"]["occupation"]) == {
        "petani",
        "kader_posyandu",
        "pedagang",
        "petugas_parkir",
        "nelayan",
    }
    # The older keys are still there, with the same numbers.
    assert api["by_category"] == {"pekerja_rentan": 1}
    page = table_rows(html, "kategori")["Pekerja rentan"]
    assert page[:8] == ["1", "100,00%", "1", "0", "3", "1", "4", "0,57%"]
    assert page[8] == f"Rp {7 * month:,}".replace(",", ".")
    retention = table_rows(html, "kategori_retensi")["Pekerja rentan"]
    assert retention == ["2", "1", "50,00%", "2", "1", "50,00%", "1", "0", "0,00%"]

    sheets = read_xlsx(
        viewer_client.get(f"/dasbor/51.04/xlsx/?tanggal={END}&tabel=kategori").content
    )
    ((name, rows),) = sheets.items()
    assert name == "Kategori"
    header = next(i for i, row in enumerate(rows) if row[0] == "Kategori peserta")
    data = {row[0]: row[1:] for row in rows[header + 1 :]}
    assert data["Pekerja rentan"][:2] == ("1", "1")  # number cells read back as text
    assert data["Pekerja rentan"][8] == str(7 * month)
    everything = read_xlsx(viewer_client.get(f"/dasbor/51.04/xlsx/?tanggal={END}").content)
    for sheet in (
        "Kategori - status",
        "Pekerjaan - sumber dana",
        "Jenis kelamin - retensi",
    ):
        assert sheet in everything, sorted(everything)


def test_a_village_page_has_the_breakdowns_of_its_own_workers(gianyar, viewer_client):
    html = viewer_client.get(f"/dasbor/51.04.01.2002/?tanggal={END}").content.decode()
    # Ketewel: p3 (sponsored) and p4 (rejected).
    cat = table_rows(html, "kategori")
    assert set(cat) == {"Kategori peserta", "Pekerja rentan", "Petugas parkir"}
    assert cat["Pekerja rentan"][:2] == ["1", "100,00%"]
    states = table_rows(html, "jenis_kelamin_status")
    assert states["Laki-laki"] == ["–", "1"] and states["Perempuan"] == ["1", "–"]
