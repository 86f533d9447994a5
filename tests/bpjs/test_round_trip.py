"""Submission file out, the insurer's answer in: states and KPJ numbers as answered, and
importing the same answer again changes nothing."""

import datetime as dt
import io

import polars as pl
import pytest
from django.core.exceptions import PermissionDenied

from lindung.bpjs import selectors, services
from lindung.bpjs.files import (
    REGISTRATION_COLUMNS,
    AnswerFileInvalid,
    answer_template,
    registration_workbook,
    write_answer,
)
from lindung.bpjs.models import BatchEntry
from lindung.programs import services as programs
from lindung.programs.models import Enrollment, Transition, VillageQuota
from tests.factories import TODAY, nik_for
from tests.programs.conftest import BATUBULAN, KETEWEL, make_person

EFFECTIVE = dt.date(2027, 1, 1)


@pytest.fixture
def submitted(program, regency_admin):
    """Six verified workers of Batubulan and Ketewel, put in batch 1."""
    people = [
        make_person(BATUBULAN if i % 2 else KETEWEL, name=f"I Made Uji {i}") for i in range(6)
    ]
    people[0].mother_maiden_name = '=HYPERLINK("http://x")'
    people[0].save()
    enrollments = [
        programs.propose(user=None, program=program, person=p, today=TODAY) for p in people
    ]
    programs.move_many(
        user=regency_admin,
        enrollments=Enrollment.objects.filter(pk__in=[e.pk for e in enrollments]),
        to_state="verified",
    )
    batch = services.create_batch(user=regency_admin, program=program)
    return batch, people


def _answer(people, *, unknown_nik: str) -> bytes:
    rows = [
        {
            "nik": p.nik,
            "name": p.full_name,
            "kpj": f"2400000000{i}",
            "status": "DITERIMA",
            "effective_date": EFFECTIVE,
        }
        for i, p in enumerate(people[:4])
    ]
    rows.append({"nik": people[4].nik, "status": "DITOLAK", "reason": "NIK sudah aktif"})
    rows.append({"nik": people[5].nik, "status": "Ditolak", "reason": "Usia lebih dari 65"})
    rows.append(
        {
            "nik": unknown_nik,
            "kpj": "24000000099",
            "status": "DITERIMA",
            "effective_date": EFFECTIVE,
        }
    )
    rows.append(
        {
            "nik": people[0].nik,
            "kpj": "24000000000",
            "status": "DITERIMA",
            "effective_date": EFFECTIVE,
        }
    )  # the same NIK twice in one file
    rows.append({"nik": "5104011", "status": "DITERIMA"})  # a broken row
    return write_answer(rows)


def test_batch_holds_the_verified_workers(submitted, program, regency_admin):
    batch, people = submitted
    assert batch.number == 1 and batch.region_code == "51.04"
    assert set(Enrollment.objects.values_list("state", flat=True)) == {"submitted"}
    assert batch.entries.count() == 6
    with pytest.raises(services.NothingToSubmit):
        services.create_batch(user=regency_admin, program=program)


def test_export_layout(submitted, program, regency_admin):
    batch, people = submitted
    entries = list(selectors.batch_entries(regency_admin, batch))
    content = registration_workbook(batch, entries, program=program, generated_at=dt.datetime.now())
    sheet = pl.read_excel(io.BytesIO(content), sheet_name="PESERTA", infer_schema_length=0)
    assert sheet.columns == [name for name, _ in REGISTRATION_COLUMNS]
    assert sheet.height == 6
    assert set(sheet["NIK"]) == {p.nik for p in people}  # 16 digits, text, not 5.1E+15
    row = sheet.filter(pl.col("NIK") == people[0].nik).row(0, named=True)
    assert row["NAMA_IBU_KANDUNG"] == '=HYPERLINK("http://x")'  # written as text, inert
    assert row["PROGRAM"] == "JKK+JKM" and row["KODE_PENDANAAN"] == "SG"
    assert (row["PERIODE_MULAI"], row["PERIODE_SELESAI"], row["JUMLAH_BULAN"]) == (
        "01/2027",
        "06/2027",
        "6",
    )
    assert row["PENGHASILAN"] == "1000000"
    summary = pl.read_excel(io.BytesIO(content), sheet_name="BERITA_ACARA", has_header=False)
    text = " ".join(str(v) for v in summary.to_series(1).to_list())
    assert "Rp 604.800" in text  # 6 workers × Rp 100.800


def test_round_trip_and_reimport(submitted, program, regency_admin):
    batch, people = submitted
    unknown = nik_for("51.04.01", dt.date(1970, 1, 1), "L", 9999)
    content = _answer(people, unknown_nik=unknown)

    record = services.import_answer(
        user=regency_admin, program=program, content=content, file_name="jawaban.xlsx"
    )

    assert (record.rows, record.activated, record.rejected) == (9, 4, 2)
    assert (record.unchanged, record.unknown, record.invalid) == (0, 1, 2)
    codes = {(r["row"], r["code"]) for r in record.report}
    assert codes == {(8, "unknown_nik"), (9, "duplicate_in_file"), (10, "nik_invalid")}
    by_nik = {e.person.nik: e for e in Enrollment.objects.select_related("person")}
    for i, person in enumerate(people[:4]):
        enrollment = by_nik[person.nik]
        assert enrollment.state == "active"
        assert enrollment.kpj == f"2400000000{i}"
        assert enrollment.effective_date == EFFECTIVE
        assert enrollment.coverage_end == dt.date(2027, 6, 30)
    rejected = by_nik[people[4].nik]
    assert rejected.state == "rejected" and rejected.reason == "Ditolak BPJS: NIK sudah aktif"
    assert rejected.transitions.order_by("-id").first().via == "bpjs"
    # Two places given back: Ketewel (people 4) and Batubulan (people 5).
    assert sum(VillageQuota.objects.filter(round__number=1).values_list("used", flat=True)) == 4
    entry = BatchEntry.objects.get(nik=people[0].nik)
    assert (entry.answer, entry.kpj, entry.answer_import) == ("accepted", "24000000000", record)

    snapshot = list(Enrollment.objects.order_by("id").values())
    transitions = Transition.objects.count()
    again = services.import_answer(
        user=regency_admin, program=program, content=content, file_name="jawaban.xlsx"
    )
    assert (again.activated, again.rejected, again.unchanged, again.unknown) == (0, 0, 6, 1)
    assert list(Enrollment.objects.order_by("id").values()) == snapshot
    assert Transition.objects.count() == transitions


def test_a_contradicting_answer_is_reported_not_applied(submitted, program, regency_admin):
    batch, people = submitted
    first = write_answer(
        [
            {
                "nik": people[0].nik,
                "kpj": "24000000001",
                "status": "diterima",
                "effective_date": EFFECTIVE,
            }
        ]
    )
    services.import_answer(user=regency_admin, program=program, content=first, file_name="a.xlsx")
    other = write_answer(
        [
            {
                "nik": people[0].nik,
                "kpj": "24000000777",
                "status": "diterima",
                "effective_date": EFFECTIVE,
            },
        ]
    )
    rejection = write_answer([{"nik": people[0].nik, "status": "ditolak", "reason": "x"}])
    late = services.import_answer(
        user=regency_admin, program=program, content=rejection, file_name="c.xlsx"
    )
    assert [r["code"] for r in late.report] == ["answer_conflict"]
    record = services.import_answer(
        user=regency_admin, program=program, content=other, file_name="b.xlsx"
    )
    assert record.report[0]["code"] == "answer_conflict"
    assert "Aktif" in record.report[0]["message"]
    assert Enrollment.objects.get(person=people[0]).kpj == "24000000001"


def test_csv_answer_with_semicolons_and_excel_dates(submitted, program, regency_admin):
    batch, people = submitted
    csv_text = "Nik;No KPJ;Status;Tgl Efektif;Keterangan\n" + "\n".join(
        f"{p.nik};2400000100{i};Diterima;46388;" for i, p in enumerate(people)
    )
    record = services.import_answer(
        user=regency_admin,
        program=program,
        content=csv_text.encode("cp1252"),
        file_name="jawaban.csv",
    )
    assert record.activated == 6
    assert set(Enrollment.objects.values_list("effective_date", flat=True)) == {dt.date(2027, 1, 1)}


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"NAMA,KPJ\nBudi,1\n", "column_missing"),
        (b"PK\x03\x04 not really a workbook", "file_xlsx_broken"),
        (b"NIK,STATUS\n", "file_empty"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(program, regency_admin, content, code):
    with pytest.raises(AnswerFileInvalid) as refused:
        services.import_answer(
            user=regency_admin, program=program, content=content, file_name="x.csv"
        )
    assert refused.value.code == code and refused.value.message


def test_only_regency_admins_of_the_program_area(submitted, program, operator, viewer, make_user):
    batch, people = submitted
    content = write_answer([{"nik": people[0].nik, "status": "ditolak"}])
    jembrana = make_user("disnaker.jembrana", "regency_admin", "51.01")
    for user in (operator, viewer, jembrana):
        with pytest.raises(PermissionDenied):
            services.import_answer(user=user, program=program, content=content, file_name="a.xlsx")
        with pytest.raises(PermissionDenied):
            services.create_batch(user=user, program=program)


def test_answer_template_lists_the_batch(submitted, regency_admin):
    batch, people = submitted
    content = answer_template(list(selectors.batch_entries(regency_admin, batch)))
    sheet = pl.read_excel(io.BytesIO(content), infer_schema_length=0)
    assert sheet.columns[:4] == ["NIK", "NAMA_LENGKAP", "NO_KPJ", "STATUS"]
    assert sorted(sheet["NIK"]) == sorted(p.nik for p in people)
