"""Demo denominators and targets that reproduce the article's figures.

- Gianyar: count targets, 6,400 sponsored workers in 2023 and 12,800 in 2024, split to its
  64 desa by the programs' quota places (100, then 2 × 100) and summed up to its 7
  districts (for the districts' map), and a workforce figure (a demo
  count of employed persons, marked as such) so that its dashboard shows a coverage rate.
  Its districts and villages have none: their pages show how a region without one is
  presented (no rate).
- Jembrana: 40% coverage targeted for 2024. Its workforce is the statistics office's
  ~172,000 employed persons (Sakernas, as cited in the domain notes), 52,000 of them formal
  (a demo split); the regency's own "total tenaga kerja" of 109,417 is recorded as the
  alternative definition. The insurer's report of members outside the registry is set so
  that coverage is 34% on 31/01/2024 and formal coverage 48%, as in the article.

Every figure's source says "demo". Loading twice changes nothing.
"""

import datetime as dt

from lindung.coverage import indicators, summary
from lindung.programs.models import VillageQuota
from lindung.targets import services, splitting
from lindung.targets.models import Target

AS_OF = dt.date(2024, 1, 31)
JEMBRANA_EMPLOYED = 172_000
JEMBRANA_FORMAL = 52_000
JEMBRANA_RATE_NOW_BP = 3400
JEMBRANA_FORMAL_RATE_BP = 4800

GIANYAR_EMPLOYED = 310_000

WORKFORCE = [
    # region, year, segment, definition, count, source
    (
        "51.04",
        2023,
        "total",
        "penduduk_bekerja",
        GIANYAR_EMPLOYED - 4_000,
        "BPS, Sakernas (angka demo)",
    ),
    (
        "51.04",
        2024,
        "total",
        "penduduk_bekerja",
        GIANYAR_EMPLOYED,
        "BPS, Sakernas (angka demo)",
    ),
    (
        "51.01",
        2024,
        "total",
        "penduduk_bekerja",
        JEMBRANA_EMPLOYED,
        "BPS, Sakernas (sekitar 172.000 penduduk bekerja; angka demo)",
    ),
    (
        "51.01",
        2024,
        "formal",
        "penduduk_bekerja",
        JEMBRANA_FORMAL,
        "BPS, Sakernas (pembagian formal/informal demo)",
    ),
    (
        "51.01",
        2024,
        "informal",
        "penduduk_bekerja",
        JEMBRANA_EMPLOYED - JEMBRANA_FORMAL,
        "BPS, Sakernas (pembagian formal/informal demo)",
    ),
    (
        "51.01",
        2024,
        "total",
        "total_tenaga_kerja",
        109_417,
        "Pemkab Jembrana, Desember 2024 (angka demo)",
    ),
]
TARGETS = [
    # region, year, segment, metric, value, note
    ("51.04", 2023, "total", "sponsored", "6400", "64 desa x 100 pekerja (demo)"),
    ("51.04", 2024, "total", "sponsored", "12800", "64 desa x 100 pekerja x 2 putaran (demo)"),
    ("51.01", 2024, "total", "rate", "40", "target cakupan 2024 (demo)"),
]


def load_demo_targets() -> dict:
    """Write the demo figures (idempotent) and bring the summary up to date."""
    for region, year, segment, definition, count, source in WORKFORCE:
        services.save_workforce(
            user=None,
            data={
                "region_code": region,
                "year": year,
                "segment": segment,
                "definition": definition,
                "count": count,
                "source": source,
            },
        )
    for region, year, segment, metric, value, note in TARGETS:
        target = services.save_target(
            user=None,
            data={
                "region_code": region,
                "year": year,
                "segment": segment,
                "metric": metric,
                "value": value,
                "note": note,
            },
        )
        if metric == "sponsored":
            has_quota = VillageQuota.objects.filter(
                program__year=year, regency_code=region
            ).exists()
            splitting.split_target(
                user=None, target=target, level=4, method="quota" if has_quota else "equal"
            )
            _district_sums(region, year)
    summary.refresh()
    _jembrana_reported()
    return {
        "workforce": len(WORKFORCE),
        "targets": Target.objects.filter(region__code__startswith="51.0").count(),
    }


def _district_sums(regency: str, year: int) -> None:
    """Each district's count target, the sum of its desa's: the map of the districts is
    then coloured by target reached, as the map of the desa is."""
    sums: dict[str, int] = {}
    desa = Target.objects.filter(
        region__code__startswith=f"{regency}.", region__level=4, year=year, metric="sponsored"
    ).values_list("region_id", "value")
    for code, value in desa:
        district = code.rpartition(".")[0]
        sums[district] = sums.get(district, 0) + value
    for district, value in sorted(sums.items()):
        services.save_target(
            user=None,
            data={
                "region_code": district,
                "year": year,
                "segment": "total",
                "metric": "sponsored",
                "value": str(value),
                "note": "jumlah target desa (demo)",
            },
        )


def _jembrana_reported() -> None:
    """Members outside the registry so that Jembrana is at 34% (48% formal) on AS_OF."""
    formal = JEMBRANA_FORMAL * JEMBRANA_FORMAL_RATE_BP // 10000
    covered = JEMBRANA_EMPLOYED * JEMBRANA_RATE_NOW_BP // 10000
    registry = indicators.figures_for(["51.01"], AS_OF)[0].segments
    informal = max(
        covered - formal - registry["informal"].registry - registry["formal"].registry, 0
    )
    for segment, count in (("formal", formal), ("informal", informal)):
        services.save_reported(
            user=None,
            data={
                "region_code": "51.01",
                "segment": segment,
                "as_of": AS_OF,
                "count": count,
                "source": "Laporan kepesertaan BPJS Ketenagakerjaan (angka demo)",
            },
        )
