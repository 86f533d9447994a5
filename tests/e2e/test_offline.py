"""A BumDes agent on a phone (390 px) without signal: registers three workers and records a
collection offline, reloads the page (the records survive), comes back online and syncs;
the records are on the server, a batch sent twice is stored once, and a worker registered
by two people offline shows up in the conflict report."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from lindung.accounts.services import create_user
from lindung.people.models import Person
from lindung.people.services import update_worker
from lindung.privacy.history import Via, changes_through
from lindung.programs import clock
from lindung.programs.lifecycle import State
from lindung.selfpay.models import Collection
from lindung.sync import services as sync
from lindung.sync.models import Conflict, SyncRecord
from tests.agents.conftest import build_gianyar, make_enrollment, sponsored_program
from tests.factories import PASSWORD, nik_for, worker_data
from tests.programs.conftest import BATUBULAN, make_person

AS_OF = dt.date(2026, 12, 15)
PHONE = {"width": 390, "height": 844}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
OTHER_PHONE = "0c4e3d2b-1a09-4f8e-b7d6-c5b4a3928170"

READ_OUTBOX = """() => new Promise((resolve) => {
  const open = indexedDB.open("lindung-offline", 1);
  open.onsuccess = () => {
    const all = open.result.transaction("outbox").objectStore("outbox").getAll();
    all.onsuccess = () => { resolve(all.result); open.result.close(); };
  };
})"""

SEND_AGAIN = """(records) => fetch("/api/v1/sync", {
  method: "POST", credentials: "same-origin",
  headers: {"Content-Type": "application/json",
            "X-CSRFToken": document.cookie.match(/csrftoken=([^;]+)/)[1]},
  body: JSON.stringify({device: localStorage.getItem("lindung-device"), records: records.map(
    (r) => ({client_id: r.client_id, kind: r.kind, payload: r.payload, base_version: null}))})
}).then((response) => response.json())"""


@pytest.fixture
def violations(page):
    """What the strict Content-Security-Policy blocked, and script errors."""
    found = []
    page.on("console", lambda m: "Content Security Policy" in m.text and found.append(m.text))
    page.on("pageerror", lambda e: found.append(str(e)))
    return found


@pytest.fixture
def gianyar(bali_regions):
    return build_gianyar()


def register_offline(page, nik: str, name: str, born: str, sex: str = "L"):
    form = page.locator("#offline-worker")
    form.get_by_label("NIK").fill(nik)
    form.get_by_label("Nama lengkap").fill(name)
    form.get_by_label("Jenis kelamin").select_option(sex)
    form.get_by_label("Tanggal lahir").fill(born)
    form.get_by_label("Desa/kelurahan").select_option(BATUBULAN)
    form.get_by_label("Penghasilan sebulan (Rp)").fill("1000000")
    form.get_by_role("button", name="Simpan di ponsel").click()


def test_offline_registrations_and_a_collection_sync_when_the_signal_returns(
    login, page, context, live_server, gianyar, monkeypatch, violations
):
    monkeypatch.setattr(clock, "today", lambda: AS_OF)
    agent = gianyar[1]["batubulan"]
    agent.user.set_password(PASSWORD)
    agent.user.save()
    program = sponsored_program()
    payer = make_person(BATUBULAN, name="Ni Luh Sari")
    make_enrollment(program, payer, state=State.ENDED, coverage_end=dt.date(2026, 11, 30))
    page.set_viewport_size(PHONE)
    login(agent.user)

    page.goto(f"{live_server.url}/sinkron/luring/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    expect(page.locator("#offline-data-status")).to_contain_text("desa")
    page.reload()  # now under the service worker, which keeps the page
    expect(page.locator("#net-status")).to_contain_text("Daring")

    context.set_offline(True)
    expect(page.locator("#net-status")).to_contain_text("Luring")
    born = dt.date(1990, 5, 17)
    niks = [nik_for("51.04.01", born, "L", serial) for serial in (71, 72, 73)]
    # A NIK whose date is not the birth date is caught on the phone, before any server.
    register_offline(page, niks[0], "I Wayan Salah", "1990-05-18")
    expect(page.locator("#offline-worker [data-errors]")).to_contain_text("Tanggal lahir")
    for nik, name in zip(niks, ("I Wayan Darma", "I Made Karya", "I Nyoman Putra"), strict=True):
        register_offline(page, nik, name, born.isoformat())
    page.locator("#collection-section summary").click()
    money = page.locator("#offline-collection")
    money.get_by_label("NIK").fill(payer.nik)
    money.get_by_label("Bulan (YYYY-MM, pisahkan dengan koma)").fill("2026-12")
    money.get_by_label("Tanggal bayar").fill("2026-12-15")
    money.get_by_role("button", name="Simpan di ponsel").click()
    expect(page.locator("[data-net-pending]")).to_have_text("4", timeout=15_000)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    page.reload()  # still offline: the page comes from the service worker, the records stay
    expect(page.locator("#outbox > li")).to_have_count(4)
    expect(page.locator("[data-net-pending]")).to_have_text("4", timeout=15_000)
    kept = page.evaluate(READ_OUTBOX)
    assert Person.objects.filter(nik__in=niks).count() == 0

    context.set_offline(False)  # the 'online' event sends them
    expect(page.locator("[data-net-pending]")).to_have_text("0", timeout=15_000)
    expect(page.locator("#sync-message")).to_contain_text("4 diterima")
    assert Person.objects.filter(nik__in=niks).count() == 3
    collection = Collection.objects.get(person=payer)
    assert collection.total > 0  # priced by the server from its rate tables

    # The same batch again (a phone that lost the answers): each record stored once.
    again = page.evaluate(SEND_AGAIN, kept)
    assert all(answer["replayed"] for answer in again["answers"])
    assert Person.objects.filter(nik__in=niks).count() == 3
    assert Collection.objects.filter(person=payer).count() == 1
    assert SyncRecord.objects.count() == 4

    # Made on purpose (1): the phone's copy of a worker is stale, the server changed it.
    with page.expect_response("**/api/v1/sync/offline-data"):
        page.get_by_role("button", name="Unduh data wilayah").click()
    darma = Person.objects.get(nik=niks[0])
    page.locator("#edit-section summary").click()
    edit = page.locator("#offline-edit")
    expect(edit.get_by_label("Pekerja", exact=True)).to_contain_text("I Wayan Darma")
    edit.get_by_label("Pekerja", exact=True).select_option(str(darma.pk))
    with changes_through(Via.PAGE, user=agent.user):  # meanwhile, at the village office
        update_worker(user=None, person=darma, changes={"phone": "081233334444"})
    context.set_offline(True)
    edit.get_by_label("Telepon").fill("081255556666")
    edit.get_by_role("button", name="Simpan di ponsel").click()
    expect(page.locator("[data-net-pending]")).to_have_text("1")
    context.set_offline(False)
    expect(page.locator("#sync-message")).to_contain_text("1 konflik", timeout=15_000)
    darma.refresh_from_db()
    assert darma.phone == "081233334444"  # nothing applied silently
    assert Conflict.objects.get().type == "worker_changed"

    # Made on purpose (2): an operator registered the same worker on another phone.
    twin = nik_for("51.04.01", born, "P", 80)
    operator = create_user(
        username="op.batubulan", role="village_operator", region_code=BATUBULAN,
        password=PASSWORD,
    )  # fmt: skip
    first = {"client_id": "5f0e4d3c-2b1a-4098-8f7e-6d5c4b3a2910", "kind": "worker.create",
             "payload": worker_data(nik=twin, sex="P", birth_date="17/05/1990",
                                    full_name="Ni Kadek Ayu")}  # fmt: skip
    sync.sync_batch(user=operator, device_id=OTHER_PHONE, label="", records=[first], today=AS_OF)
    context.set_offline(True)
    register_offline(page, twin, "Ni Kadek Ayu Lestari", born.isoformat(), sex="P")
    # Kept on the phone first: the count and the message still say the last sync's "0" and
    # "1 konflik", so only a count that went to 1 and back says this record was answered.
    expect(page.locator("[data-net-pending]")).to_have_text("1")
    context.set_offline(False)
    expect(page.locator("[data-net-pending]")).to_have_text("0", timeout=15_000)
    expect(page.locator("#sync-message")).to_contain_text("1 konflik")
    conflict = Conflict.objects.get(type="nik_twice")
    page.get_by_role("link", name="Laporan konflik").click()
    expect(page.locator("#conflicts")).to_contain_text("NIK sama didaftarkan dua kali")
    expect(page.locator("#conflicts")).to_contain_text("Data pekerja berubah di server")
    page.get_by_role("link", name="NIK sama didaftarkan dua kali").click()
    expect(page.locator("#conflict-fields")).to_contain_text("Ni Kadek Ayu Lestari")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert conflict.person.full_name == "Ni Kadek Ayu"
    assert violations == []


def test_refused_records_stay_for_correction_and_the_store_is_cleared(
    login, page, context, live_server, gianyar, monkeypatch, violations
):
    monkeypatch.setattr(clock, "today", lambda: AS_OF)
    agent = gianyar[1]["batubulan"]
    agent.user.set_password(PASSWORD)
    agent.user.save()
    page.set_viewport_size(PHONE)
    login(agent.user)
    page.goto(f"{live_server.url}/sinkron/luring/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    expect(page.locator("#offline-data-status")).to_contain_text("desa")
    page.reload()

    context.set_offline(True)
    # Passes the phone's checks; the server refuses the phone number, as online.
    nik = nik_for("51.04.01", dt.date(1990, 5, 17), "L", 90)
    page.locator("#offline-worker").get_by_label("Telepon").fill("bukan nomor")
    register_offline(page, nik, "I Ketut Salah", "1990-05-17")
    expect(page.locator("[data-net-pending]")).to_have_text("1")
    context.set_offline(False)
    expect(page.locator("#sync-message")).to_contain_text("1 ditolak", timeout=15_000)
    refused = page.locator("#outbox > li.outbox-refused")
    expect(refused).to_contain_text("phone_invalid")
    expect(page.locator("[data-net-pending]")).to_have_text("1")
    # Corrected under the same id, it is accepted.
    refused.get_by_role("button", name="Perbaiki").click()
    form = page.locator("#offline-worker")
    expect(form.get_by_label("Nama lengkap")).to_have_value("I Ketut Salah")
    form.get_by_label("Telepon").fill("081234567890")
    form.get_by_role("button", name="Simpan di ponsel").click()
    expect(page.locator("[data-net-pending]")).to_have_text("0", timeout=15_000)
    assert Person.objects.filter(nik=nik).count() == 1

    # Another record refused, then sign-out: the phone's store is emptied.
    page.locator("#offline-worker").get_by_label("Telepon").fill("bukan nomor")
    register_offline(
        page, nik_for("51.04.01", dt.date(1990, 5, 17), "L", 91), "I Ketut", "1990-05-17"
    )
    expect(page.locator("#outbox > li.outbox-refused")).to_have_count(1, timeout=15_000)
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/")
    # The signed-out page counts from the emptied store (made again, empty, by its script).
    expect(page.locator("[data-net-pending]")).to_have_text("0")
    assert page.evaluate(READ_OUTBOX) == []
    assert violations == []


def open_offline_page(page, live_server):
    """The offline page, its data downloaded and then under the service worker."""
    page.goto(f"{live_server.url}/sinkron/luring/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    expect(page.locator("#offline-data-status")).to_contain_text("pekerja", timeout=15_000)
    page.reload()
    expect(page.locator("#offline-data-status")).to_contain_text("pekerja", timeout=15_000)


def collect_offline(page, nik: str, months: str, paid_on: str = "2026-12-15"):
    money = page.locator("#offline-collection")
    money.get_by_label("NIK").fill(nik)
    money.get_by_label("Bulan (YYYY-MM, pisahkan dengan koma)").fill(months)
    money.get_by_label("Tanggal bayar").fill(paid_on)


def test_a_collection_is_priced_on_the_phone_and_one_past_its_tables_waits_for_the_server(
    login, page, context, live_server, gianyar, monkeypatch, violations, settings
):
    """The phone holds the rate tables to December 2026: December is priced on the phone
    (Rp 8.400 under PP 50/2025), January 2027 waits and the server prices it at sync."""
    monkeypatch.setattr(clock, "today", lambda: AS_OF)
    settings.LINDUNG_OFFLINE_RATE_MONTHS = 0
    agent = gianyar[1]["batubulan"]
    agent.user.set_password(PASSWORD)
    agent.user.save()
    payer = make_person(BATUBULAN, name="Ni Luh Sari")
    make_enrollment(
        sponsored_program(), payer, state=State.ENDED, coverage_end=dt.date(2026, 11, 30)
    )
    page.set_viewport_size(PHONE)
    login(agent.user)
    open_offline_page(page, live_server)
    expect(page.locator("#offline-data-status")).to_contain_text("31/12/2026")

    context.set_offline(True)
    page.locator("#collection-section summary").click()
    collect_offline(page, payer.nik, "2026-12")
    expect(page.locator("#p-price")).to_contain_text("Ni Luh Sari")
    expect(page.locator("#p-price")).to_contain_text("Rp 8.400")
    page.locator("#offline-collection").get_by_role("button", name="Simpan di ponsel").click()
    collect_offline(page, payer.nik, "2027-01")
    expect(page.locator("#p-price")).to_contain_text("menunggu harga dari server")
    page.locator("#offline-collection").get_by_role("button", name="Simpan di ponsel").click()
    expect(page.locator("[data-net-pending]")).to_have_text("2")
    expect(page.locator("#outbox")).to_contain_text("2026-12 — Rp 8.400")
    expect(page.locator("#outbox")).to_contain_text("2027-01 — menunggu harga dari server")
    kept = sorted(page.evaluate(READ_OUTBOX), key=lambda row: row["payload"]["months"])
    assert kept[0]["payload"]["amount"] == 8400 and "amount" not in kept[1]["payload"]
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    context.set_offline(False)
    expect(page.locator("[data-net-pending]")).to_have_text("0", timeout=15_000)
    expect(page.locator("#sync-message")).to_contain_text("2 diterima")
    expect(page.locator("#sync-warnings")).to_contain_text("dihitung server, Rp 16.800")
    totals = sorted(Collection.objects.filter(person=payer).values_list("total", flat=True))
    assert totals == [8400, 16800]
    assert violations == []


def test_a_portfolio_larger_than_a_page_downloads_whole_and_an_edit_covers_the_form(
    login, page, context, live_server, gianyar, monkeypatch, violations, settings
):
    """Five workers in pages of two: all five are on the phone, the last page's worker is
    edited offline in fields beyond the four of old, and the change reaches the server."""
    monkeypatch.setattr(clock, "today", lambda: AS_OF)
    settings.LINDUNG_OFFLINE_PAGE_SIZE = 2
    agent = gianyar[1]["batubulan"]
    agent.user.set_password(PASSWORD)
    agent.user.save()
    names = ("Satu", "Dua", "Tiga", "Empat", "Lima")
    people = [make_person(BATUBULAN, name=f"Pekerja {n}") for n in names]
    page.set_viewport_size(PHONE)
    login(agent.user)
    open_offline_page(page, live_server)
    expect(page.locator("#offline-data-status")).to_contain_text("5 pekerja")
    last = people[-1]

    context.set_offline(True)
    page.locator("#edit-section summary").click()
    edit = page.locator("#offline-edit")
    expect(edit.get_by_label("Pekerja", exact=True).locator("option")).to_have_count(5)
    edit.get_by_label("Pekerja", exact=True).select_option(str(last.pk))
    expect(edit.get_by_label("Nama lengkap")).to_have_value("Pekerja Lima")
    assert edit.get_by_label("Tanggal lahir").count() == 0  # an agent's masked fields
    edit.get_by_label("Tempat lahir").fill("Gianyar")
    edit.get_by_label("Desil DTSEN").fill("2")
    edit.get_by_label("Penyandang disabilitas").check()
    edit.get_by_label("Sumber data").fill("musyawarah desa")
    edit.get_by_role("button", name="Simpan di ponsel").click()
    expect(page.locator("[data-net-pending]")).to_have_text("1")
    (row,) = page.evaluate(READ_OUTBOX)
    assert row["payload"]["changes"] == {
        "birth_place": "Gianyar", "welfare_decile": "2", "has_disability": True,
        "data_source": "musyawarah desa",
    }  # fmt: skip
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    context.set_offline(False)
    expect(page.locator("[data-net-pending]")).to_have_text("0", timeout=15_000)
    expect(page.locator("#sync-message")).to_contain_text("1 diterima")
    last.refresh_from_db()
    assert (last.birth_place, last.welfare_decile, last.has_disability) == ("Gianyar", 2, True)
    assert last.data_source == "musyawarah desa"
    assert violations == []
