"""A small, hand-built Gianyar: every indicator of it is worked out by hand in the tests.

Sukawati district (51.04.01): Batubulan (B), Ketewel (K), Celuk (C); one worker in
Jembrana (another regency) who must never count for Gianyar.

| who | village | sex | category | program | path |
| p1 | B | L | pekerja_rentan | regency 2024 | active 15/01 (to 30/06), ended 01/07,
                                               continued 03/07, lapsed 05/11 |
| p2 | B | P | kader_desa | regency 2024 | active 15/01 (to 30/06), ended 01/07, lapsed 10/07 |
| p3 | K | P | pekerja_rentan | regency 2024 round 2 | active 20/07 (to 31/12) |
| p4 | K | L | petugas_parkir | regency 2024 | proposed 01/06, rejected 10/06 |
| p5 | C | L | pekerja_rentan (PU) | regency 2024 round 2 | proposed 01/11, verified, submitted |
| p6 | B | L | pekerja_rentan | province 2024 | active 01/03 (to 31/08), ended 01/09 |
| p7 | Jembrana | P | pekerja_rentan | Jembrana 2024 | active 01/02 (to 31/07) |
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from lindung.coverage import summary
from lindung.targets.models import ReportedCoverage, Target, WorkforceFigure
from tests.coverage.builders import (
    BATUBULAN,
    CELUK,
    KETEWEL,
    MENDOYO_VILLAGE,
    enroll,
    make_person,
    make_program,
    sponsored_path,
)

D = dt.date


@pytest.fixture
def gianyar(db):
    regency = make_program(starts=(D(2024, 1, 1), D(2024, 7, 1)))
    province = make_program(area="51", funder="province", villages=(BATUBULAN,))
    jembrana = make_program(area="51.01", villages=(MENDOYO_VILLAGE,))
    people = SimpleNamespace(
        p1=make_person(BATUBULAN, sex="L", occupation="petani"),
        p2=make_person(BATUBULAN, sex="P", category="kader_desa", occupation="kader_posyandu"),
        p3=make_person(KETEWEL, sex="P", occupation="pedagang"),
        p4=make_person(KETEWEL, sex="L", category="petugas_parkir", occupation="petugas_parkir"),
        p5=make_person(CELUK, sex="L", segment="PU"),
        p6=make_person(BATUBULAN, sex="L", occupation="nelayan"),
        p7=make_person(MENDOYO_VILLAGE, sex="P"),
    )
    enroll(
        people.p1,
        regency,
        sponsored_path(
            D(2024, 1, 2),
            D(2024, 1, 15),
            ("ended", D(2024, 7, 1)),
            ("continued", D(2024, 7, 3)),
            ("lapsed", D(2024, 11, 5)),
        ),
    )
    enroll(
        people.p2,
        regency,
        sponsored_path(
            D(2024, 1, 2), D(2024, 1, 15), ("ended", D(2024, 7, 1)), ("lapsed", D(2024, 7, 10))
        ),
    )
    enroll(people.p3, regency, sponsored_path(D(2024, 6, 20), D(2024, 7, 20)), round_number=2)
    enroll(people.p4, regency, [("proposed", D(2024, 6, 1)), ("rejected", D(2024, 6, 10))])
    enroll(
        people.p5,
        regency,
        [("proposed", D(2024, 11, 1)), ("verified", D(2024, 11, 4)), ("submitted", D(2024, 11, 6))],
        round_number=2,
    )
    enroll(
        people.p6, province, sponsored_path(D(2024, 2, 10), D(2024, 3, 1), ("ended", D(2024, 9, 1)))
    )
    enroll(people.p7, jembrana, sponsored_path(D(2024, 1, 10), D(2024, 2, 1)))
    WorkforceFigure.objects.create(
        region_id="51.04",
        year=2024,
        segment="total",
        definition="penduduk_bekerja",
        count=1000,
        source="BPS Sakernas (uji)",
    )
    WorkforceFigure.objects.create(
        region_id="51.04",
        year=2024,
        segment="total",
        definition="total_tenaga_kerja",
        count=500,
        source="Disnaker (uji)",
    )
    ReportedCoverage.objects.create(
        region_id="51.04", segment="formal", as_of=D(2024, 6, 30), count=100, source="BPJS (uji)"
    )
    Target.objects.create(
        region_id="51.04", year=2024, segment="total", metric="sponsored", value=12
    )
    Target.objects.create(region_id="51", year=2024, segment="total", metric="rate", value=4000)
    summary.refresh()
    return SimpleNamespace(regency=regency, province=province, jembrana=jembrana, **vars(people))
