"""The insurer's member list and the social office's welfare file: only their fields change,
by NIK, in the user's region, with a row report; the same file again changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from lindung.imports import updates
from lindung.imports.models import UpdateImport
from lindung.people.models import Membership, Person
from lindung.programs import services as programs
from tests.factories import TODAY, nik_for
from tests.imports.files import to_csv, to_xlsx
from tests.programs.conftest import NEGARA_JEMBRANA, make_person, program_data

pytestmark = pytest.mark.django_db
LIST_DAY = dt.date(2026, 11, 20)


def members(user, rows, *, as_of=LIST_DAY, name="peserta.csv", xlsx=False, **kwargs):
    content = to_xlsx(rows, **kwargs) if xlsx else to_csv(rows)
    return updates.import_member_list(
        user=user, content=content, file_name=name, as_of=as_of, today=TODAY
    )


def welfare(user, rows, *, as_of=LIST_DAY, name="dtsen.csv"):
    return updates.import_welfare(
        user=user, content=to_csv(rows), file_name=name, as_of=as_of, today=TODAY
    )


def codes(record):
    return [(p["row"], p["code"]) for p in record.report]


def test_member_list_keeps_kpj_status_and_date_and_is_idempotent(regency_admin):
    a, b = make_person(), make_person()
    rows = [
        {"NIK": a.nik, "NO_KPJ": "24100001", "STATUS": "AKTIF"},
        {"NIK": b.nik, "NO_KPJ": "", "STATUS": "Non Aktif", "TANGGAL": "15/11/2026"},
    ]
    rows[0]["TANGGAL"] = ""
    record = members(regency_admin, rows)
    assert (record.kind, record.rows, record.updated, record.refused) == ("members", 2, 2, 0)
    first = Membership.objects.get(person=a)
    assert (first.kpj, first.status, first.as_of) == ("24100001", "active", LIST_DAY)
    assert first.source == "member_list" and first.source_label == "peserta.csv"
    second = Membership.objects.get(person=b)
    assert (second.kpj, second.status, second.as_of) == ("", "inactive", dt.date(2026, 11, 15))
    assert first.history.get().history_via == "import"

    again = members(regency_admin, rows)
    assert (again.updated, again.unchanged, again.refused) == (0, 2, 0)
    assert first.history.count() == 1


def test_member_list_row_errors(regency_admin):
    a, b, c = make_person(), make_person(), make_person()
    outside = make_person(NEGARA_JEMBRANA)
    unknown = nik_for("51.04.01", dt.date(1990, 1, 1), "L", 999)
    rows = [
        {"NIK": a.nik, "NO_KPJ": "24100001", "STATUS": "AKTIF"},
        {"NIK": b.nik, "NO_KPJ": "24100001", "STATUS": "AKTIF"},  # a's KPJ
        {"NIK": a.nik, "NO_KPJ": "24100001", "STATUS": "AKTIF"},  # twice
        {"NIK": c.nik, "NO_KPJ": "12AB", "STATUS": "AKTIF"},
        {"NIK": c.nik[:10], "NO_KPJ": "", "STATUS": "AKTIF"},
        {"NIK": unknown, "NO_KPJ": "", "STATUS": "AKTIF"},
        {"NIK": outside.nik, "NO_KPJ": "", "STATUS": "AKTIF"},  # outside Gianyar
        {"NIK": "", "NO_KPJ": "", "STATUS": "BARU"},
    ]
    record = members(regency_admin, rows)
    assert codes(record) == [
        (3, "kpj_taken"),
        (4, "duplicate_in_file"),
        (5, "kpj_invalid"),
        (6, "nik_format"),
        (7, "not_registered"),
        (8, "not_registered"),
        (9, "nik_missing"),
    ]
    assert not Membership.objects.filter(person=outside).exists()
    assert "24100001" in record.report[0]["message"]


def test_member_list_refuses_a_kpj_held_by_a_program_member(regency_admin):
    holder, other = make_person(), make_person()
    Membership.objects.create(
        person=holder,
        kpj="24100009",
        status="active",
        as_of=LIST_DAY,
        source="program",
        source_label="Program 2026",
    )
    record = members(regency_admin, [{"NIK": other.nik, "NO_KPJ": "24100009", "STATUS": "AKTIF"}])
    assert codes(record) == [(2, "kpj_taken")]


def test_member_list_nik_in_a_number_cell_that_lost_a_digit(regency_admin):
    person = make_person(serial=20)  # the NIK ends in ...0020
    record = members(
        regency_admin,
        [{"NIK": person.nik, "NO_KPJ": "24100001", "STATUS": "AKTIF"}],
        xlsx=True,
        cell_types={"NIK": "number"},
        name="peserta.xlsx",
    )
    assert codes(record) == [(2, "nik_precision_lost")]


def test_an_active_member_from_the_list_is_refused_with_the_list_named(regency_admin):
    program = programs.create_program(user=None, data=program_data())
    person = make_person()
    members(regency_admin, [{"NIK": person.nik, "NO_KPJ": "24100001", "STATUS": "AKTIF"}])
    with pytest.raises(programs.Ineligible) as refused:
        programs.propose(user=None, program=program, person=person, today=TODAY)
    assert refused.value.code == "already_covered" and "peserta.csv" in refused.value.message


def test_a_list_date_after_today_or_missing_refuses_the_file(regency_admin):
    person = make_person()
    rows = [{"NIK": person.nik, "STATUS": "AKTIF"}]
    with pytest.raises(updates.UpdateRefused) as refused:
        members(regency_admin, rows, as_of=TODAY + dt.timedelta(days=1))
    assert refused.value.code == "as_of_future"
    with pytest.raises(updates.UpdateRefused) as refused:
        members(regency_admin, rows, as_of=None)
    assert refused.value.code == "as_of_missing" and "TANGGAL" in refused.value.message
    with pytest.raises(updates.UpdateRefused) as refused:
        members(regency_admin, [{"NIK": person.nik, "KPJ": "1"}])
    assert refused.value.code == "column_missing" and "STATUS" in refused.value.message
    assert not UpdateImport.objects.exists()


def test_only_the_regencys_staff_import_lists(operator):
    with pytest.raises(PermissionDenied):
        members(operator, [{"NIK": make_person().nik, "STATUS": "AKTIF"}])


def test_welfare_file_updates_only_its_fields_and_is_idempotent(regency_admin):
    a, b = make_person(), make_person()
    before = Person.objects.get(pk=a.pk)
    rows = [
        {"NIK": a.nik, "DESIL": "2", "SUMBER": "DTSEN", "DISABILITAS": "ya", "TANGGAL": ""},
        {"NIK": b.nik, "DESIL": "7", "SUMBER": "", "DISABILITAS": "", "TANGGAL": "01/10/2026"},
    ]
    record = welfare(regency_admin, rows)
    assert (record.kind, record.updated, record.unchanged, record.refused) == ("welfare", 2, 0, 0)
    a.refresh_from_db()
    assert (a.welfare_decile, a.welfare_decile_as_of, a.data_source, a.has_disability) == (
        2,
        LIST_DAY,
        "DTSEN",
        True,
    )
    assert (a.full_name, a.category, a.declared_income, a.village_id) == (
        before.full_name,
        before.category,
        before.declared_income,
        before.village_id,
    )
    b.refresh_from_db()
    assert (b.welfare_decile, b.welfare_decile_as_of, b.has_disability) == (
        7,
        dt.date(2026, 10, 1),
        False,
    )
    assert a.history.latest().history_via == "import"
    again = welfare(regency_admin, rows)
    assert (again.updated, again.unchanged) == (0, 2)


def test_welfare_row_errors(regency_admin):
    a = make_person()
    rows = [
        {"NIK": a.nik, "DESIL": "11", "DISABILITAS": "", "TANGGAL": ""},
        {"NIK": make_person().nik, "DESIL": "", "DISABILITAS": "", "TANGGAL": ""},
        {"NIK": make_person().nik, "DESIL": "3", "DISABILITAS": "mungkin", "TANGGAL": ""},
        {"NIK": make_person().nik, "DESIL": "3", "DISABILITAS": "", "TANGGAL": "31/02/2026"},
        {"NIK": make_person().nik, "DESIL": "0", "DISABILITAS": "", "TANGGAL": ""},
    ]
    record = welfare(regency_admin, rows)
    assert codes(record) == [
        (2, "decile_invalid"),
        (3, "decile_missing"),
        (4, "disability_invalid"),
        (5, "date_invalid"),
        (6, "decile_invalid"),
    ]
    a.refresh_from_db()
    assert a.welfare_decile is None
    assert "1 sampai 10" in record.report[0]["message"]


def test_the_page_applies_a_member_list_and_shows_its_report(client, regency_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from lindung.privacy.models import AccessEntry

    a = make_person()
    content = to_csv(
        [
            {"NIK": a.nik, "NO_KPJ": "24100001", "STATUS": "AKTIF"},
            {"NIK": a.nik[:15] + "X", "NO_KPJ": "", "STATUS": "AKTIF"},
        ]
    )
    client.force_login(regency_admin)
    assert client.get(reverse("imports:updates")).status_code == 200
    response = client.post(
        reverse("imports:updates"),
        {
            "kind": "members",
            "file": SimpleUploadedFile("peserta.csv", content),
            "as_of": "20/11/2026",
        },
    )
    record = UpdateImport.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "imports:update", args=[record.pk]
    )
    page = client.get(response.url).content.decode()
    assert "nik_format" in page and "Daftar peserta BPJS" in page
    assert AccessEntry.objects.filter(query__update_import=record.pk).exists()
    assert Membership.objects.get(person=a).kpj == "24100001"

    # A file without the STATUS column: the form says so, nothing is recorded.
    bad = to_csv([{"NIK": a.nik, "NO_KPJ": "24100001"}])
    response = client.post(
        reverse("imports:updates"),
        {"kind": "members", "file": SimpleUploadedFile("x.csv", bad), "as_of": "20/11/2026"},
    )
    assert response.status_code == 200 and "STATUS" in response.content.decode()
    assert UpdateImport.objects.count() == 1


def test_the_command_applies_a_welfare_file(tmp_path, capsys, regency_admin):
    import json

    from django.core.management import CommandError, call_command

    a = make_person()
    path = tmp_path / "dtsen.csv"
    path.write_bytes(to_csv([{"NIK": a.nik, "DESIL": "3"}]))
    call_command(
        "import", "welfare", str(path), "--user", regency_admin.username,
        "--as-of", "01/11/2026", "--json",
    )  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert (out["kind"], out["rows"], out["updated"], out["refused"]) == ("welfare", 1, 1, 0)
    a.refresh_from_db()
    assert (a.welfare_decile, a.welfare_decile_as_of) == (3, dt.date(2026, 11, 1))
    with pytest.raises(CommandError, match="Tanggal data wajib"):
        call_command("import", "welfare", str(path))
    with pytest.raises(CommandError, match="--as-of"):
        call_command("import", "members", str(path), "--as-of", "kemarin")
