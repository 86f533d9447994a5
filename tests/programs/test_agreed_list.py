"""The village's agreed list (daftar hasil musyawarah desa): a record of its own per round
and village, versions kept, each name checked at once with the existing refusal codes, the
bad input of the issue refused with stable codes, and proposals made from it."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lindung.programs import clock
from lindung.programs.agreedlist import AgreedListRefused, read_list_file, read_typed
from lindung.programs.models import AgreedEntry, AgreedList, AgreedListVersion, Enrollment
from lindung.programs.services import propose_agreed_list, save_agreed_list, set_village_quota
from tests.programs.conftest import BATUBULAN, KETEWEL, make_person

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 10)
MEETING = dt.date(2026, 12, 5)
PDF = b"%PDF-1.4\n% berita acara musdes\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def save(user, program, rows, *, round_number=1, village=BATUBULAN, **overrides):
    values = {
        "user": user,
        "program": program,
        "round": program.rounds.get(number=round_number),
        "village_code": village,
        "meeting_date": "05/12/2026",
        "minutes_number": "BA/001/XII/2026",
        "minutes": PDF,
        "rows": rows,
        "source": "typed",
        "today": TODAY,
    }
    values.update(overrides)
    return save_agreed_list(**values)


def codes(version) -> dict[int, str]:
    return dict(version.entries.values_list("row", "code"))


def test_each_name_is_checked_at_once_with_the_refusal_codes(program, operator):
    ok = make_person(BATUBULAN, name="I Made Sudarsana")
    old = make_person(BATUBULAN, born=dt.date(1955, 3, 1), name="I Wayan Tua")
    elsewhere = make_person(KETEWEL, name="Ni Luh Ketewel")
    other_area = make_person("51.01.01.2001", name="I Ketut Jembrana")
    text = "\n".join(
        [
            f"{ok.nik}; I Made Sudarsana; pekerja rentan",
            f"{old.nik}; I Wayan Tua; pekerja rentan",
            f"{ok.nik}; I Made Sudarsana; pekerja rentan",
            "5104011902850999; Belum Terdaftar; pekerja rentan",
            "12345; Salah Ketik; pekerja rentan",
            f"{elsewhere.nik}; Ni Luh Ketewel; pekerja rentan",
            f"{other_area.nik}; I Ketut Jembrana; kategori aneh",
        ]
    )
    saved = save(operator, program, read_typed(text))
    assert saved.created
    version = saved.version
    assert codes(version) == {
        1: "",
        2: "age_out_of_range",
        3: "duplicate_in_list",
        4: "not_registered",
        5: "nik_format",
        6: "not_registered",  # Ketewel is outside the operator's village: not visible
        7: "category_unknown",
    }
    assert (version.entries_count, version.passed_count, version.number) == (7, 1, 1)
    assert "65" in version.entries.get(row=2).message
    assert version.entries.get(row=1).person == ok
    assert version.minutes.read() == PDF and version.minutes_kind == "pdf"


def test_a_regency_admin_sees_a_worker_of_another_village(program, regency_admin):
    elsewhere = make_person(KETEWEL)
    version = save(
        regency_admin, program, read_typed(f"{elsewhere.nik}; Ni Luh; pekerja rentan")
    ).version
    entry = version.entries.get()
    assert entry.code == "entry_other_village" and "Ketewel" in entry.message


def test_already_covered_names_where(program, make_program, operator):
    person = make_person(BATUBULAN)
    other = make_program(name="Program Provinsi", funder="province")
    from lindung.programs.services import propose

    propose(user=None, program=other, person=person, today=TODAY)
    version = save(operator, program, read_typed(f"{person.nik}; I Made; pekerja rentan")).version
    entry = version.entries.get()
    assert entry.code == "already_covered" and "Program Provinsi" in entry.message


def test_versions_are_kept_and_the_same_list_again_is_idempotent(program, operator):
    person = make_person(BATUBULAN)
    first = save(operator, program, read_typed(f"{person.nik}; I Made; pekerja rentan"))
    again = save(operator, program, read_typed(f"{person.nik}; I Made; pekerja rentan"))
    assert not again.created and again.version == first.version
    assert again.unchanged.code == "agreed_list_unchanged"
    assert "versi 1" in again.unchanged.message
    second = save(
        operator,
        program,
        read_typed(
            f"{person.nik}; I Made; pekerja rentan\n"
            f"{make_person(BATUBULAN).nik}; Ni Made; pekerja rentan"
        ),
    )
    assert second.created and second.version.number == 2
    assert AgreedList.objects.count() == 1
    assert AgreedListVersion.objects.count() == 2
    assert AgreedEntry.objects.filter(version=first.version).count() == 1
    photo = save(
        operator, program, read_typed(f"{person.nik}; I Made; pekerja rentan"), minutes=JPEG
    )
    assert photo.created and photo.version.minutes_kind == "jpeg"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"meeting_date": "02/01/2027"}, "meeting_after_round_start"),
        ({"meeting_date": "11/12/2026", "round_number": 2}, "meeting_date_in_future"),
        ({"meeting_date": "31/02/2026"}, "meeting_date_invalid"),
        ({"minutes_number": "  "}, "minutes_number_missing"),
        ({"minutes": None}, "minutes_missing"),
        ({"minutes": b"MZ\x90\x00 not a pdf"}, "minutes_invalid"),
        ({"rows": []}, "agreed_list_empty"),
        ({"village": KETEWEL}, "village_not_yours"),
    ],
)
def test_bad_input_is_refused_with_a_stable_code(program, operator, overrides, code):
    rows = overrides.pop(
        "rows", read_typed(f"{make_person(BATUBULAN).nik}; I Made; pekerja rentan")
    )
    with pytest.raises(AgreedListRefused) as refused:
        save(operator, program, rows, **overrides)
    assert refused.value.code == code
    assert refused.value.message and "%(" not in refused.value.message
    assert AgreedListVersion.objects.count() == 0


def test_a_meeting_on_the_rounds_first_day_is_accepted(program, operator):
    rows = read_typed(f"{make_person(BATUBULAN).nik}; I Made; pekerja rentan")
    assert save(operator, program, rows, meeting_date="01/01/2027", today=dt.date(2027, 1, 2))


def test_the_file_reader_finds_the_columns_by_their_titles(program, operator):
    person = make_person(BATUBULAN)
    content = (
        f"No;Nama Lengkap;NIK;Kategori;Kode Desa\n1;I Made;{person.nik};pekerja rentan;{KETEWEL}\n"
    )
    rows = read_list_file(content.encode(), "daftar.csv")
    assert [(r.row, r.nik, r.full_name, r.category, r.village) for r in rows] == [
        (2, person.nik, "I Made", "pekerja rentan", KETEWEL)
    ]
    version = save(operator, program, rows).version
    assert version.entries.get().code == "entry_other_village"
    with pytest.raises(AgreedListRefused) as refused:
        read_list_file(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "lama.xls")
    assert refused.value.code == "file_xls"


def test_proposing_from_the_list_keeps_each_refusal_for_the_funnel(program, operator):
    set_village_quota(user=None, program=program, village_code=BATUBULAN, quota=1)
    first, second = make_person(BATUBULAN), make_person(BATUBULAN)
    saved = save(
        operator,
        program,
        read_typed(f"{first.nik}; A; pekerja rentan\n{second.nik}; B; pekerja rentan"),
    )
    agreed = saved.version.agreed_list
    results = propose_agreed_list(user=operator, agreed_list=agreed, today=TODAY)
    assert [(r.ok, r.code) for r in results] == [(True, ""), (False, "quota_full")]
    assert dict(saved.version.entries.values_list("row", "proposal_code")) == {
        1: "",
        2: "quota_full",
    }
    assert propose_agreed_list(user=operator, agreed_list=agreed, today=TODAY)[0].code == (
        "quota_full"
    )
    assert Enrollment.objects.filter(person=first, program=program).count() == 1


def upload(client, program, **fields):
    data = {
        "village_code": BATUBULAN,
        "round": 1,
        "meeting_date": "05/12/2026",
        "minutes_number": "BA/001/XII/2026",
        "minutes": SimpleUploadedFile("ba.pdf", PDF, "application/pdf"),
    }
    data.update(fields)
    return client.post(f"/api/v1/programs/{program.pk}/agreed-lists", data)


def test_the_api_keeps_versions_and_proposes(client, program, operator):
    person = make_person(BATUBULAN)
    client.force_login(operator)
    entries = f'[{{"nik": "{person.nik}", "name": "I Made", "category": "pekerja rentan"}}]'
    created = upload(client, program, entries=entries)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["created"] and body["agreed_list"]["latest"]["number"] == 1
    assert body["agreed_list"]["rows"][0]["passed"]
    again = upload(client, program, entries=entries)
    assert again.status_code == 200 and again.json()["code"] == "agreed_list_unchanged"
    list_id = body["agreed_list"]["id"]
    listed = client.get(f"/api/v1/programs/{program.pk}/agreed-lists").json()
    assert [item["id"] for item in listed] == [list_id]
    version_id = body["agreed_list"]["latest"]["id"]
    version = client.get(
        f"/api/v1/programs/{program.pk}/agreed-lists/{list_id}/versions/{version_id}"
    )
    assert version.status_code == 200 and len(version.json()["rows"]) == 1
    proposed = client.post(f"/api/v1/programs/{program.pk}/agreed-lists/{list_id}/proposals")
    assert proposed.status_code == 200 and proposed.json()[0]["enrolled"]
    late = upload(client, program, entries=entries, meeting_date="03/01/2027")
    assert late.status_code == 422
    assert late.json()["errors"][0] | {"message": ""} == {
        "field": "meeting_date",
        "code": "meeting_after_round_start",
        "message": "",
    }
    empty = upload(client, program, entries="")
    assert empty.json()["errors"][0]["code"] == "agreed_list_empty"
    other = upload(client, program, entries=entries, village_code=KETEWEL)
    assert other.status_code == 403 and other.json()["code"] == "village_not_yours"


def test_the_pages_upload_show_versions_and_propose(client, program, operator):
    person = make_person(BATUBULAN)
    client.force_login(operator)
    page = client.get(f"/program/{program.pk}/musdes/")
    assert page.status_code == 200 and "Daftar hasil musyawarah desa" in page.content.decode()
    answer = client.post(
        f"/program/{program.pk}/musdes/",
        {
            "round": "1",
            "meeting_date": "05/12/2026",
            "minutes_number": "BA/001",
            "minutes": SimpleUploadedFile("ba.jpg", JPEG, "image/jpeg"),
            "entries_file": SimpleUploadedFile(
                "daftar.csv", f"NIK,Nama,Kategori\n{person.nik},I Made,pekerja rentan\n".encode()
            ),
        },
    )
    agreed = AgreedList.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/program/{program.pk}/musdes/{agreed.pk}/"
    detail = client.get(answer["Location"]).content.decode()
    assert "1 dari 1 lolos pemeriksaan" in detail and "daftar.csv" not in detail
    version = agreed.versions.get()
    minutes = client.get(f"/program/{program.pk}/musdes/{agreed.pk}/berita-acara/{version.pk}/")
    assert minutes["Content-Type"] == "image/jpeg"
    client.post(f"/program/{program.pk}/musdes/{agreed.pk}/usulkan/")
    assert Enrollment.objects.filter(person=person).exists()
    refused = client.post(
        f"/program/{program.pk}/musdes/",
        {"round": "1", "meeting_date": "05/01/2027", "minutes_number": "BA/002"},
        follow=True,
    )
    assert "meeting_after_round_start" in refused.content.decode()
    propose_page = client.get(f"/program/{program.pk}/usulan/").content.decode()
    assert f"/program/{program.pk}/musdes/{agreed.pk}/" in propose_page
