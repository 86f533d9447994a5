"""Export of the registry: filters, region scope, NIK masking by role, formula neutralising."""

import fastexcel
import pytest
from django.core.management import call_command
from django.urls import reverse

from lindung.people.nik import mask_nik
from lindung.people.services import register_worker
from lindung.spreadsheets import neutralise
from tests.factories import worker_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def workers():
    made = [
        register_worker(user=None, data=worker_data()),
        register_worker(
            user=None,
            data=worker_data(
                nik="5104015902850002",
                full_name="Ni Made Ayu",
                sex="P",
                village_code="51.04.01.2002",
                category="petugas_parkir",
                address='=HYPERLINK("http://x")',
            ),
        ),
        register_worker(
            user=None,
            data=worker_data(nik="5101011902850003", village_code="51.01.01.2001", segment="PU"),
        ),
    ]
    return made


def xlsx(response):
    data = b"".join(response.streaming_content)
    return fastexcel.read_excel(data).load_sheet(0, dtypes="string").to_polars()


def test_regency_admin_gets_own_regency_with_full_nik(client, regency_admin, workers):
    client.force_login(regency_admin)
    frame = xlsx(client.get(reverse("exports:workers"), {"format": "xlsx"}))
    assert sorted(frame.get_column("nik").to_list()) == ["5104011902850001", "5104015902850002"]
    assert frame.columns[:10] == [
        "nik", "nama", "jenis_kelamin", "tanggal_lahir", "kode_desa", "alamat", "no_hp",
        "pekerjaan", "kategori", "penghasilan",
    ]  # fmt: skip


def test_filters_region_category_segment(client, system_admin, workers):
    client.force_login(system_admin)
    url = reverse("exports:workers")
    by_region = xlsx(client.get(url, {"format": "xlsx", "region": "51.04.01.2002"}))
    assert by_region.get_column("nama").to_list() == ["Ni Made Ayu"]
    by_category = xlsx(client.get(url, {"format": "xlsx", "category": "petugas_parkir"}))
    assert by_category.height == 1
    by_segment = xlsx(client.get(url, {"format": "xlsx", "segment": "PU"}))
    assert by_segment.get_column("kode_desa").to_list() == ["51.01.01.2001"]
    assert xlsx(client.get(url, {"format": "xlsx", "category": "nonsense"})).height == 3


def test_agent_sees_masked_niks_and_csv_neutralises_formulas(client, agent, workers):
    client.force_login(agent)
    response = client.get(reverse("exports:workers"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8")
    assert mask_nik("5104011902850001") in text and "5104011902850001" not in text
    assert "'=HYPERLINK" in text
    assert text.startswith("\ufeffnik,nama,")


def test_operator_export_is_limited_to_the_village(client, operator, workers):
    client.force_login(operator)
    frame = xlsx(client.get(reverse("exports:workers"), {"format": "xlsx"}))
    assert frame.get_column("kode_desa").to_list() == ["51.04.01.2001"]
    page = client.get(reverse("exports:workers"))
    assert page.status_code == 200 and "Unduh Excel" in page.content.decode()


def test_export_command_and_reimport(tmp_path, workers):
    out = tmp_path / "semua.xlsx"
    call_command("export", "workers", str(out), "--region", "51.04")
    frame = fastexcel.read_excel(out.read_bytes()).load_sheet(0, dtypes="string").to_polars()
    assert frame.height == 2
    # The export has the template's columns: it imports back as "unchanged".
    from lindung.imports import services

    job, _ = services.job_for_path(path=out)
    assert services.run_job(job.pk).summary()["unchanged"] == 2


@pytest.mark.parametrize(
    "value,expected",
    [("=1+1", "'=1+1"), ("+62812", "'+62812"), ("-3", "'-3"), ("@SUM(A1)", "'@SUM(A1)"),
     ("I Made", "I Made"), (5, 5)],
)  # fmt: skip
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_coverage_status_filter(client, system_admin, workers):
    from django.utils import timezone

    from lindung.programs.models import Enrollment
    from lindung.programs.services import create_program
    from tests.programs.conftest import program_data

    program = create_program(user=None, data=program_data())
    first_round = program.rounds.order_by("id").first()
    now = timezone.now()
    for person, state in ((workers[0], "active"), (workers[1], "proposed")):
        enrollment = Enrollment(
            program=program,
            round=first_round,
            person=person,
            state=state,
            state_changed_at=now,
            committed_premium=100_800,
            proposed_at=now,
            village_id=person.village_id,
        )
        enrollment.set_region_codes()
        enrollment.save()
    client.force_login(system_admin)
    url = reverse("exports:workers")
    names = {
        value: xlsx(client.get(url, {"format": "xlsx", "coverage": value})).get_column("nik")
        for value in ("covered", "pending", "none")
    }
    assert names["covered"].to_list() == [workers[0].nik]
    assert names["pending"].to_list() == [workers[1].nik]
    assert names["none"].to_list() == [workers[2].nik]
    assert "Status kepesertaan" in client.get(url).content.decode()


def test_xlsx_export_keeps_every_typed_field_as_text(client, regency_admin, workers):
    from lindung.people.models import Person
    from tests.spreadsheet_checks import PAYLOADS, assert_text_not_formula

    Person.objects.filter(pk=workers[0].pk).update(
        full_name=PAYLOADS[0], address=PAYLOADS[1], phone=PAYLOADS[2], birth_place=PAYLOADS[3]
    )
    client.force_login(regency_admin)
    response = client.get(reverse("exports:workers"), {"format": "xlsx"})
    assert_text_not_formula(b"".join(response.streaming_content), PAYLOADS[:3])
