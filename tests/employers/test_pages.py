"""The employer pages: create, edit, record an action, the work list, an event, history."""

import pytest
from django.test import Client

from lindung.employers.models import Action, Employer
from tests.employers.conftest import BATUBULAN, employer_data, make_employer

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(regency_admin, clock_today):
    client = Client()
    client.force_login(regency_admin)
    return client


def form_data(**overrides):
    data = employer_data(**overrides)
    data["programs"] = data["programs"].split(",")
    return data


def test_create_through_the_page(client):
    response = client.post("/pemberi-kerja/baru/", form_data())
    employer = Employer.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/pemberi-kerja/{employer.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "PT Ikan Segar Bali" in page and "Terdaftar" in page
    assert "Industri Pembekuan Ikan" in page


def test_the_form_shows_indonesian_problems_beside_the_fields(client):
    response = client.post("/pemberi-kerja/baru/", form_data(nib="12", registered_workers="99"))
    page = response.content.decode()
    assert response.status_code == 200 and not Employer.objects.exists()
    assert "NIB harus 13 angka" in page and "melebihi jumlah pekerja" in page


def test_edit_keeps_the_history_and_shows_it(client):
    employer = make_employer(registered_workers="10")
    values = form_data(registered_workers="30")
    response = client.post(f"/pemberi-kerja/{employer.pk}/ubah/", values)
    assert response.status_code == 302
    employer.refresh_from_db()
    assert employer.registered_workers == 30 and employer.compliance == "partly"
    history = client.get(f"/privasi/riwayat/pemberi-kerja/{employer.pk}/")
    assert history.status_code == 200


def test_record_a_visit_and_the_follow_up_shows_on_page_and_work_list(client):
    employer = make_employer(registered_workers="0", npp="", programs="")
    response = client.post(
        f"/pemberi-kerja/{employer.pk}/tindakan/",
        {
            "kind": "visit",
            "done_on": "25/11/2026",
            "outcome": "promised",
            "follow_up_on": "09/12/2026",
            "notes": "Pemilik berjanji mendaftar",
        },
    )
    assert response.status_code == 302
    assert Action.objects.get().officer.username == "disnaker.gianyar"
    detail = client.get(f"/pemberi-kerja/{employer.pk}/").content.decode()
    assert "09/12/2026" in detail and "Kunjungan" in detail
    work = client.get("/pemberi-kerja/daftar-kerja/").content.decode()
    assert "PT Ikan Segar Bali" in work and "09/12/2026" in work


def test_an_event_through_the_page(client):
    one = make_employer(registered_workers="0", npp="", programs="")
    two = make_employer(
        nib="5555555555555", name="UD Dua", registered_workers="0", npp="", programs=""
    )
    response = client.post(
        "/pemberi-kerja/sosialisasi/baru/",
        {
            "title": "Sosialisasi Sukawati",
            "held_on": "20/11/2026",
            "village_code": BATUBULAN,
            "invited": [one.pk, two.pk],
            "attended": [one.pk],
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Hadir" in page and "Tidak hadir" in page and "UD Dua" in page


def test_the_pages_in_english(client):
    make_employer()
    client.cookies["django_language"] = "en"
    page = client.get("/pemberi-kerja/", headers={"accept-language": "en"}).content.decode()
    assert "Employer registry" in page
