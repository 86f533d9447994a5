"""The verification funnel on a hand-built program: every step's count and every reason a
name drops out, from the village's agreed list to an active membership; the API, the page,
and the XLSX and PDF exports."""

import datetime as dt
import io

import pytest

from lindung.accounts.models import Role
from lindung.people.models import Membership
from lindung.programs import clock
from lindung.programs.agreedlist import read_typed
from lindung.programs.lifecycle import State
from lindung.programs.models import Enrollment
from lindung.programs.services import (
    activate_many,
    end_early,
    propose,
    propose_agreed_list,
    save_agreed_list,
    set_village_quota,
    transition,
    update_program,
)
from tests.programs.conftest import BATUBULAN, GIANYAR_KELURAHAN, KETEWEL, make_person

pytestmark = pytest.mark.django_db

LISTED = dt.date(2026, 12, 10)
TODAY = dt.date(2027, 2, 1)
PDF = b"%PDF-1.4\n%%EOF\n"


def _list(user, program, village, lines):
    return save_agreed_list(
        user=user,
        program=program,
        round=program.rounds.get(number=1),
        village_code=village,
        meeting_date=dt.date(2026, 12, 1),
        minutes_number="BA/01",
        minutes=PDF,
        rows=read_typed("\n".join(lines)),
        source="typed",
        today=LISTED,
    ).version.agreed_list


def _move(person, to_state, reason=""):
    enrollment = Enrollment.objects.get(person=person)
    return transition(user=None, enrollment=enrollment, to_state=to_state, reason=reason)


@pytest.fixture
def built(program, regency_admin):
    """Batubulan's list of 13 names and Ketewel's of one, taken through every step."""
    names = "ABDEFGC"
    ok = {n: make_person(BATUBULAN, name=f"Pekerja {n}") for n in names}
    old = make_person(BATUBULAN, born=dt.date(1950, 5, 5), name="Tua")
    covered = make_person(BATUBULAN, name="Sudah Peserta")
    Membership.objects.create(
        person=covered,
        kpj="12345678",
        status="active",
        as_of=dt.date(2026, 11, 1),
        source="member_list",
        source_label="daftar peserta BPJS Gianyar",
    )
    town = make_person(GIANYAR_KELURAHAN, name="Warga Kelurahan")
    lines = [f"{ok[n].nik}; Pekerja {n}; pekerja rentan" for n in names]
    lines += [
        "5104011902850999; Belum Terdaftar; pekerja rentan",
        f"{old.nik}; Tua; pekerja rentan",
        f"{covered.nik}; Sudah Peserta; pekerja rentan",
        f"{ok['A'].nik}; Pekerja A lagi; pekerja rentan",
        f"{town.nik}; Warga Kelurahan; pekerja rentan",
        "123; Salah Ketik; pekerja rentan",
    ]
    set_village_quota(user=None, program=program, village_code=BATUBULAN, quota=6)
    batubulan = _list(regency_admin, program, BATUBULAN, lines)
    results = propose_agreed_list(user=regency_admin, agreed_list=batubulan, today=LISTED)
    assert [r.code for r in results] == ["", "", "", "", "", "", "quota_full"]
    outside = make_person(KETEWEL, name="Tanpa Daftar")
    propose(user=None, program=program, person=outside, today=LISTED)  # on no agreed list
    k = make_person(KETEWEL, name="Pekerja K")
    ketewel = _list(regency_admin, program, KETEWEL, [f"{k.nik}; Pekerja K; pekerja rentan"])
    program.refresh_from_db()
    update_program(user=None, program=program, changes={"budget": program.committed})
    results = propose_agreed_list(user=regency_admin, agreed_list=ketewel, today=LISTED)
    assert [r.code for r in results] == ["budget_exceeded"]

    _move(ok["B"], State.REJECTED, "Bukan rumah tangga miskin")
    _move(ok["F"], State.WITHDRAWN, "Pindah kerja ke kota")
    for n in "ADE":
        _move(ok[n], State.VERIFIED)
        _move(ok[n], State.SUBMITTED)
    _move(ok["D"], State.REJECTED, "Ditolak BPJS: sudah terdaftar di perusahaan")
    answers = {
        Enrollment.objects.get(person=ok[n]).pk: (f"9900000{i}", dt.date(2027, 1, 15))
        for i, n in enumerate("AE")
    }
    activate_many(user=None, answers=answers)
    end_early(
        user=None,
        enrollment=Enrollment.objects.get(person=ok["E"]),
        cause="death",
        on=dt.date(2027, 1, 20),
        today=TODAY,
    )
    return program


def shape(funnel: dict) -> dict:
    return {
        s["step"]: (s["count"], {d["code"]: d["count"] for d in s["dropped"]})
        for s in funnel["steps"]
    }


EXPECTED = {
    "agreed": (14, {}),
    "registered": (11, {"not_registered": 1, "duplicate_in_list": 1, "nik_invalid": 1}),
    "eligible": (8, {"age_out_of_range": 1, "already_covered": 1, "outside_program_area": 1}),
    "proposed": (7, {"quota_full": 1, "budget_exceeded": 1}),
    "verified": (
        3,
        {"rejected_by_regency": 1, "withdrawn": 1, "awaiting_verification": 2},
    ),
    "accepted": (2, {"refused_by_insurer": 1}),
    "active": (1, {"death": 1}),
}


def test_every_step_and_every_reason(built, regency_admin):
    from lindung.programs.selectors import funnel

    report = funnel(regency_admin, built, by="village", today=TODAY)
    total = report.total.as_dict()
    assert shape(total) == EXPECTED
    assert total["not_on_list"] == 1
    verified = next(s for s in total["steps"] if s["step"] == "verified")
    rejected = next(d for d in verified["dropped"] if d["code"] == "rejected_by_regency")
    assert rejected["reasons"] == [{"reason": "Bukan rumah tangga miskin", "count": 1}]
    accepted = next(s for s in total["steps"] if s["step"] == "accepted")
    assert accepted["dropped"][0]["reasons"] == [
        {"reason": "Ditolak BPJS: sudah terdaftar di perusahaan", "count": 1}
    ]
    groups = {g.code: shape(g.as_dict()) for g in report.groups}
    assert set(groups) == {BATUBULAN, KETEWEL}
    assert groups[KETEWEL]["agreed"] == (1, {})
    assert groups[KETEWEL]["proposed"] == (1, {"budget_exceeded": 1})
    assert groups[BATUBULAN]["proposed"] == (6, {"quota_full": 1})
    assert [g.name for g in report.groups] == ["Batubulan", "Ketewel"]


def test_by_district_and_by_round(built, regency_admin):
    from lindung.programs.selectors import funnel

    district = funnel(regency_admin, built, by="district", today=TODAY)
    assert [g.code for g in district.groups] == ["51.04.01"]
    assert shape(district.groups[0].as_dict()) == EXPECTED
    second = funnel(regency_admin, built, round=built.rounds.get(number=2), today=TODAY)
    assert shape(second.total.as_dict())["agreed"] == (0, {})


def test_an_operator_sees_the_funnel_of_its_village(built, operator):
    from lindung.programs.selectors import funnel

    mine = shape(funnel(operator, built, today=TODAY).total.as_dict())
    assert mine["agreed"] == (13, {})
    assert mine["proposed"] == (6, {"quota_full": 1})


def test_the_api_page_and_exports(built, client, regency_admin, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    client.force_login(regency_admin)
    answer = client.get(f"/api/v1/programs/{built.pk}/funnel?by=village")
    assert answer.status_code == 200
    body = answer.json()
    assert shape(body["total"]) == EXPECTED and len(body["groups"]) == 2
    assert client.get(f"/api/v1/programs/{built.pk}/funnel?by=desa").status_code == 422
    page = client.get(f"/program/{built.pk}/corong/?by=district").content.decode()
    assert "<svg" in page and "ditolak kabupaten" in page and "Bukan rumah tangga miskin" in page
    assert "<svg" in client.get(f"/program/{built.pk}/").content.decode()
    xlsx = client.get(f"/program/{built.pk}/corong/xlsx/")
    import polars as pl

    sheet = pl.read_excel(io.BytesIO(xlsx.content), sheet_id=1, has_header=False)
    assert "Corong verifikasi" in str(sheet.row(0))
    pdf = client.get(f"/program/{built.pk}/corong/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_an_empty_program_has_an_empty_funnel(program, regency_admin):
    from lindung.programs.selectors import funnel

    report = funnel(regency_admin, program, today=TODAY)
    assert all(count == 0 for count, _drops in shape(report.total.as_dict()).values())


def test_a_dashboards_region_counts_its_own_villages(built):
    from lindung.programs.selectors import region_funnels

    [(name, area, regency)] = region_funnels("51.04", 2027, today=TODAY)
    assert name == built.name and area.endswith("Gianyar")
    assert shape(regency.as_dict()) == EXPECTED
    [(_name, _area, village)] = region_funnels(KETEWEL, 2027, today=TODAY)
    counts = shape(village.as_dict())
    assert counts["agreed"] == (1, {}) and counts["proposed"] == (1, {"budget_exceeded": 1})
    assert village.not_on_list == 1
    assert region_funnels("51.03", 2027, today=TODAY) == []  # Badung: not the program's area
    assert region_funnels("51.04", 2026, today=TODAY) == []  # another year
    [(_name, _area, country)] = region_funnels("", 2027, today=TODAY)
    assert shape(country.as_dict()) == EXPECTED


def test_the_sum_of_several_programs_funnels(built):
    from lindung.programs.funnel import combined
    from lindung.programs.selectors import region_funnels

    [(_name, _area, one)] = region_funnels("51.04", 2027, today=TODAY)
    two = shape(combined([one, one], "51.04", "Gianyar").as_dict())
    assert two["agreed"] == (28, {})
    assert two["verified"] == (
        6,
        {"rejected_by_regency": 2, "withdrawn": 2, "awaiting_verification": 4},
    )


def test_the_dashboard_shows_the_funnel_and_exports_it(built, client, regency_admin, make_user):
    client.force_login(regency_admin)
    page = client.get("/dasbor/51.04/?tanggal=2027-02-01").content.decode()
    assert 'id="panel-corong"' in page and "/dasbor/51.04/corong/" in page
    fragment = client.get("/dasbor/51.04/corong/?tanggal=2027-02-01", HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert fragment.status_code == 200 and "<svg" in text and built.name in text
    assert "Corong verifikasi program tahun 2027" in text
    xlsx = client.get("/dasbor/51.04/xlsx/?tanggal=2027-02-01&tabel=corong_verifikasi")
    import polars as pl

    sheet = pl.read_excel(io.BytesIO(xlsx.content), sheet_id=1, has_header=False)
    assert any(built.name in str(row) for row in sheet.rows())
    pdf = client.get("/dasbor/51.04/laporan.pdf?tanggal=2027-02-01")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    outsider = make_user("disnaker.badung", Role.REGENCY_ADMIN, "51.03")
    client.force_login(outsider)
    assert client.get("/dasbor/51.04/corong/?tanggal=2027-02-01").status_code == 404
