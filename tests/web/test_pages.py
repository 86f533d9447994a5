import gzip

import pytest
from django.utils import translation

from lindung.formatting import number, rupiah, tanggal
from lindung.people.models import Person
from lindung.people.services import register_worker
from tests.factories import PASSWORD, nik_for, worker_data

pytestmark = pytest.mark.django_db


def test_formats():
    import datetime as dt

    assert rupiah(16800) == "Rp 16.800"
    assert rupiah(1_290_240_000) == "Rp 1.290.240.000"
    assert rupiah(-8400) == "-Rp 8.400"
    assert number(12800) == "12.800"
    assert tanggal(dt.date(2024, 2, 19)) == "19/02/2024"


def test_pages_need_login(client):
    response = client.get("/pekerja/")
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")


def test_login_page_and_wrong_password_message(client, operator):
    response = client.post("/masuk/", {"username": operator.username, "password": "salah"})
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    response = client.post("/masuk/", {"username": operator.username, "password": PASSWORD})
    assert response.status_code == 302


def test_register_edit_delete_through_pages(client, operator):
    client.force_login(operator)
    response = client.post("/pekerja/baru/", worker_data())
    person = Person.objects.get()
    assert response["Location"] == f"/pekerja/{person.pk}/"
    page = client.get(f"/pekerja/{person.pk}/").content.decode()
    assert "Rp 1.000.000" in page and "19/02/1985" in page and "5104011902850001" in page
    client.post(f"/pekerja/{person.pk}/ubah/", worker_data(full_name="I Made Sudarsana Putra"))
    assert Person.objects.get().full_name == "I Made Sudarsana Putra"
    client.post(f"/pekerja/{person.pk}/hapus/")
    assert not Person.objects.exists()


def test_form_errors_are_indonesian_and_on_their_fields(client, operator):
    client.force_login(operator)
    html = client.post("/pekerja/baru/", worker_data(nik="123", declared_income="x")).content
    html = html.decode()
    assert "NIK harus 16 angka" in html
    assert "Penghasilan harus rupiah bulat" in html
    assert not Person.objects.exists()


def test_nik_errors_name_the_fact_under_the_nik_field(client, operator):
    client.force_login(operator)
    html = client.post("/pekerja/baru/", worker_data(nik="510401190285001")).content.decode()
    assert '<p class="error" data-field="nik">NIK harus 16 angka; yang diisi 15 angka.' in html
    html = client.post("/pekerja/baru/", worker_data(birth_date="20/02/1985")).content.decode()
    assert (
        '<p class="error" data-field="nik">NIK ini memuat tanggal lahir 19/02/1985, tidak cocok'
    ) in html
    assert not Person.objects.exists()


def test_list_paginates_and_masks_nik_for_viewers(client, viewer):
    for serial in range(1, 31):
        register_worker(user=None, data=worker_data(nik=nik_for("51.04.01", _born(), "L", serial)))
    client.force_login(viewer)
    first = client.get("/pekerja/").content.decode()
    assert "30 pekerja ditemukan" in first
    assert "Halaman 1 dari 2" in first
    assert "510401******0001" in first and "5104011902850001" not in first
    assert "Halaman 2 dari 2" in client.get("/pekerja/?page=2").content.decode()


def test_viewer_cannot_open_the_forms(client, viewer):
    person = register_worker(user=None, data=worker_data())
    client.force_login(viewer)
    assert client.get("/pekerja/baru/").status_code == 403
    assert client.get(f"/pekerja/{person.pk}/ubah/").status_code == 403


def test_agent_edits_without_seeing_the_nik(client, agent):
    person = register_worker(user=None, data=worker_data())
    client.force_login(agent)
    page = client.get(f"/pekerja/{person.pk}/ubah/").content.decode()
    assert person.nik not in page
    client.post(f"/pekerja/{person.pk}/ubah/", {**worker_data(phone="081311112222"), "nik": ""})
    person.refresh_from_db()
    assert person.phone == "081311112222" and person.nik == "5104011902850001"


def test_english_is_the_second_language(client, operator):
    client.force_login(operator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    with translation.override("en"):
        html = client.get("/pekerja/").content.decode()
    assert "Worker registry" in html
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert "Registri pekerja" in client.get("/pekerja/").content.decode()


def test_home_names_the_users_region_and_its_waiting_work(client, operator):
    register_worker(user=None, data=worker_data())
    client.force_login(operator)
    html = client.get("/").content.decode()
    # The work waiting per role is tested in tests/web/test_home.py; no registry count here.
    assert "Desa Batubulan" in html and "Pekerjaan menunggu" in html
    assert "Pekerja per kategori" not in html


def _born():
    import datetime as dt

    return dt.date(1985, 2, 19)


def test_a_browser_set_to_english_still_gets_indonesian(client, operator):
    """The browser's language is not a choice: only the ID/EN switch makes pages English."""
    client.force_login(operator)
    html = client.get("/pekerja/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Registri pekerja" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/pekerja/", HTTP_ACCEPT_LANGUAGE="id-ID").content.decode()
    assert "Worker registry" in html


def test_pages_are_compressed_for_weak_connections(client, operator):
    client.force_login(operator)
    page = client.get("/pekerja/", HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert page["Content-Encoding"] == "gzip"
    assert "Registri pekerja" in gzip.decompress(page.content).decode()
    assert "Content-Encoding" not in client.get("/pekerja/")
