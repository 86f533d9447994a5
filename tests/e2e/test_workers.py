"""A village operator registers, finds and is limited to the workers of their own village."""

import datetime as dt

from playwright.sync_api import expect

from lindung.accounts.models import Role
from lindung.people.services import register_worker
from tests.factories import nik_for, worker_data


def test_operator_registers_finds_and_sees_only_own_village(login, make_user, live_server):
    operator = make_user("op.batubulan", Role.VILLAGE_OPERATOR, "51.04.01.2001")
    # A worker of another village (Ketewel) that the operator must not see.
    other = register_worker(
        user=None,
        data=worker_data(
            nik=nik_for("51.04.01", dt.date(1990, 5, 1), "P", 7),
            full_name="Ni Luh Ketewel",
            sex="P",
            birth_date="01/05/1990",
            village_code="51.04.01.2002",
        ),
    )
    page = login(operator)

    page.get_by_role("link", name="Pekerja", exact=True).click()
    page.get_by_role("link", name="Daftarkan pekerja").click()
    # The village picker is fixed to the operator's own village.
    expect(page.locator("input[type=hidden][name=village_code]")).to_have_value("51.04.01.2001")

    # A NIK whose date says a man born on 19/02/1985, entered as a woman: refused, explained.
    page.get_by_label("NIK").fill(nik_for("51.04.01", dt.date(1985, 2, 19), "L", 1))
    page.get_by_label("Nama lengkap").fill("I Made Sudarsana")
    page.get_by_label("Jenis kelamin").select_option("P")
    page.get_by_label("Tanggal lahir").fill("19/02/1985")
    page.get_by_label("Kategori peserta").select_option("pekerja_rentan")
    page.get_by_label("Penghasilan sebulan (Rp)").fill("1000000")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("[data-field=sex]")).to_contain_text("Jenis kelamin tidak cocok dengan NIK")

    # An impossible date in the NIK (32 February).
    page.get_by_label("Jenis kelamin").select_option("L")
    page.get_by_label("NIK").fill("5104013202850001")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("[data-field=nik]")).to_contain_text("bukan tanggal lahir yang ada")

    # Corrected: saved.
    page.get_by_label("NIK").fill(nik_for("51.04.01", dt.date(1985, 2, 19), "L", 1))
    page.get_by_label("Pekerjaan").fill("Petani")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".messages")).to_contain_text("Pekerja I Made Sudarsana terdaftar")
    expect(page.locator("#nik")).to_have_text("5104011902850001")

    # Found by NIK.
    page.get_by_role("link", name="Pekerja", exact=True).click()
    page.get_by_label("NIK").fill("5104011902850001")
    page.get_by_role("button", name="Cari").click()
    expect(page.locator("#workers tbody")).to_contain_text("I Made Sudarsana")

    # The worker of Ketewel is invisible: not in the list, not by NIK, 404 by address.
    page.goto(f"{live_server.url}/pekerja/")
    expect(page.locator("#workers tbody")).not_to_contain_text("Ni Luh Ketewel")
    page.goto(f"{live_server.url}/pekerja/?nik={other.nik}")
    expect(page.locator("#workers tbody")).to_contain_text("Belum ada pekerja")
    response = page.goto(f"{live_server.url}/pekerja/{other.pk}/")
    assert response.status == 404
