"""Formal coverage from the employer registry, on hand-built employers of Gianyar: each
denominator, sector, size, region below, the outreach funnel, the trend, the formal target,
and the same figures on the page, in the XLSX, the PDF and the indicators API."""

import datetime as dt

import fastexcel
import pytest
from django.test import Client

from lindung.coverage import formal
from lindung.employers import services
from lindung.targets.models import Target, WorkforceFigure
from tests.employers.conftest import BATUBULAN, TODAY, UBUD, make_employer

pytestmark = pytest.mark.django_db
DAY = TODAY  # 25/11/2026; the figures below are as of 01/11/2026


@pytest.fixture
def gianyar_employers():
    """A: 40 workers, all registered (C, medium, Sukawati); B: 10 workers, none (I, small,
    Ubud); C: closed on 01/11/2026 (not counted). A and B were invited to a socialisation,
    A came; B got a visit later. Gianyar's formal workforce: 1,000 employed persons (BPS)
    and 800 in the labour force; a 40% formal rate target for 2026."""
    a = make_employer(name="PT Ikan", nib="8120000000001", total_workers="40",
                      workers_male="25", workers_female="15", registered_workers="40")  # fmt: skip
    b = make_employer(name="Warung Ubud", nib="8120000000002", sector="I", village_code=UBUD,
                      total_workers="10", workers_male="", workers_female="",
                      registered_workers="0", npp="", programs="")  # fmt: skip
    make_employer(name="Toko Tutup", nib="8120000000003", sector="47111", total_workers="5",
                  workers_male="", workers_female="", registered_workers="5",
                  closed_on="01/11/2026")  # fmt: skip
    services.hold_event(
        user=None,
        data={"title": "Sosialisasi", "held_on": "05/11/2026", "village_code": BATUBULAN},
        employers=[a, b],
        attended={a.pk},
        today=TODAY,
    )
    services.record_action(
        user=None,
        employer=b,
        data={"kind": "visit", "outcome": "promised", "done_on": "10/11/2026"},
        today=TODAY,
    )
    for definition, count in (("penduduk_bekerja", 1000), ("angkatan_kerja", 800)):
        WorkforceFigure.objects.create(
            region_id="51.04", year=2026, segment="formal", definition=definition,
            count=count, source="BPS Gianyar 2026",
        )  # fmt: skip
    WorkforceFigure.objects.create(
        region_id="51.04.01", year=2026, segment="formal", definition="penduduk_bekerja",
        count=200, source="BPS",
    )  # fmt: skip
    Target.objects.create(region_id="51.04", year=2026, segment="formal", metric="rate", value=4000)
    return a, b


def test_formal_coverage_of_a_regency_with_each_denominator(gianyar_employers):
    figures = formal.formal_figures("51.04", DAY)
    region = figures.region
    assert (region.employers, region.total_workers, region.registered_workers) == (2, 50, 40)
    assert region.registered_employers == 1
    # Registered PU ÷ the formal workforce (BPS employed persons, the preferred definition).
    assert figures.workforce.count == 1000 and figures.workforce.source == "BPS Gianyar 2026"
    assert region.rate_bp == 400
    # The other definition, and the employers' own count, beside it.
    assert [(w.definition, rate) for w, rate in figures.alternative_rates()] == [
        ("angkatan_kerja", 5.0)
    ]
    assert region.employer_rate_bp == 8000
    (target,) = figures.targets
    assert (target.target.value, target.actual, target.achievement) == (4000, 400, 10)


def test_per_sector_size_and_region_below(gianyar_employers):
    figures = formal.formal_figures("51.04", DAY)
    sectors = {
        g.key: (g.employers, g.total_workers, g.registered_workers) for g in figures.by_sector
    }
    assert sectors == {"C": (1, 40, 40), "I": (1, 10, 0)}
    sizes = {g.key: (g.employers, g.employer_rate_bp) for g in figures.by_size}
    assert sizes == {"small": (1, 0), "medium": (1, 10000)}
    districts = {g.key: (g.registered_workers, g.rate_bp) for g in figures.children}
    # Sukawati has its own formal workforce (200): 40 ÷ 200; Ubud has none.
    assert districts == {"51.04.01": (40, 2000), "51.04.05": (0, None)}


def test_the_outreach_funnel_and_the_dates(gianyar_employers):
    region = formal.formal_figures("51.04", DAY).region
    # Both reached (A at the socialisation, B by the visit: its absence does not count).
    assert (region.reached, region.reached_registered, region.reached_workers) == (2, 1, 40)
    before = formal.formal_figures("51.04", dt.date(2026, 11, 7)).region
    assert (before.reached, before.registered_workers) == (1, 40)
    # Before the figures' date nothing of them is counted.
    earlier = formal.formal_figures("51.04", dt.date(2026, 9, 30)).region
    assert (earlier.employers, earlier.registered_workers, earlier.reached) == (0, 0, 0)


def test_the_trend_ends_on_the_figures_of_the_day(gianyar_employers):
    figures = formal.formal_figures("51.04", DAY)
    assert len(figures.trend) == 12
    last = figures.trend[-1]
    assert (last.month, last.registered_workers, last.reached, last.rate_bp) == (
        dt.date(2026, 11, 1),
        40,
        2,
        400,
    )
    assert figures.trend[-2].registered_workers == 0


def test_a_village_and_the_country(gianyar_employers):
    village = formal.formal_figures(BATUBULAN, DAY)
    assert (village.region.registered_workers, village.children) == (40, [])
    country = formal.formal_figures("", DAY)
    assert country.region.registered_workers == 40 and country.workforce is None


def test_the_page_exports_and_api_show_it(gianyar_employers, viewer):
    client = Client()
    client.force_login(viewer)
    page = client.get(f"/dasbor/51.04/?tanggal={DAY.isoformat()}").content.decode()
    assert 'id="panel-formal"' in page and 'id="tabel-formal_sektor"' in page
    assert "4,00%" in page and "BPS Gianyar 2026" in page
    one = client.get(f"/dasbor/51.04/xlsx/?tanggal={DAY}&tabel=formal_corong")
    rows = fastexcel.read_excel(one.content).load_sheet(0, header_row=None).to_polars().rows()
    assert ("Dijangkau (sosialisasi, surat, kunjungan, …)", "2") in [r[:2] for r in rows]
    pdf = client.get(f"/dasbor/51.04/laporan.pdf?tanggal={DAY}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    api = client.get(f"/api/v1/indicators?region=51.04&date={DAY.isoformat()}").json()
    found = api["formal_coverage"]
    assert found["registered_workers"] == 40 and found["coverage_rate"] == 4.0
    assert found["workforce"]["definition"] == "penduduk_bekerja"
    assert found["coverage_rate_of_employers_workers"] == 80.0
    assert found["funnel"] == {
        "employers": 2,
        "reached": 2,
        "reached_registered": 1,
        "workers_registered": 40,
    }
    assert found["by_sector"]["C"]["registered_workers"] == 40
    assert found["targets"][0]["value"] == 40.0 and found["targets"][0]["actual"] == 4.0
