"""The phone's NIK check accepts the prefix a NIK was issued with: a worker of Merauke
registered before Papua Selatan was made carries ``910101…`` although the district is
``93.01.01`` today (``docs/regions.md``); any other district's prefix is still caught."""

import datetime as dt

from playwright.sync_api import expect

from lindung.accounts.services import create_user
from lindung.regions.models import Region
from lindung.regions.services import load_official_regions
from tests.factories import PASSWORD, nik_for


def test_an_old_prefix_passes_the_phone_check_and_another_district_does_not(
    login, page, context, live_server
):
    if not Region.objects.filter(code__startswith="93.01.01.").exists():
        load_official_regions(prefixes=("93",))
    village = Region.objects.filter(code__startswith="93.01.01.", level=4).order_by("code")[0]
    operator = create_user(
        username="op.merauke", role="village_operator", region_code=village.code, password=PASSWORD
    )
    login(operator)
    page.goto(f"{live_server.url}/sinkron/luring/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    expect(page.locator("#offline-data-status")).to_contain_text("desa")
    page.reload()
    context.set_offline(True)

    form = page.locator("#offline-worker")
    born = dt.date(1985, 2, 19)

    def register(nik: str, name: str):
        form.get_by_label("NIK").fill(nik)
        form.get_by_label("Nama lengkap").fill(name)
        form.get_by_label("Jenis kelamin").select_option("L")
        form.get_by_label("Tanggal lahir").fill(born.isoformat())
        form.get_by_label("Desa/kelurahan").select_option(village.code)
        form.get_by_label("Penghasilan sebulan (Rp)").fill("1000000")
        form.get_by_role("button", name="Simpan di ponsel").click()

    register(nik_for("51.04.01", born), "Yohanes Salah")  # a district of Bali: caught
    expect(form.locator("[data-errors]")).to_contain_text("Kode wilayah NIK (510401)")
    register(nik_for("91.01.01", born), "Yohanes Gebze")  # Merauke's former code: kept
    expect(page.locator("[data-net-pending]")).to_have_text("1")
