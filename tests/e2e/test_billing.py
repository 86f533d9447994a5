"""The regency runs a month's billing, opens the bill, records a payment with its proof,
and sees the budget realisation move."""

import datetime as dt

from playwright.sync_api import expect

from lindung.accounts.models import Role
from lindung.contributions.defaults import ensure_default_rates
from tests.billing.conftest import BATUBULAN, KETEWEL, activate, make_person, program_data, sponsor


def test_run_billing_open_the_bill_pay_it_and_see_the_realisation(login, make_user, live_server):
    from lindung.programs.services import create_program

    ensure_default_rates()  # the flushed database has lost the migrations' rows
    admin = make_user("disnaker.gianyar", Role.REGENCY_ADMIN, "51.04")
    program = create_program(
        user=None,
        data=program_data(
            name="Perlindungan Pekerja Rentan Gianyar 2024", year=2024, rounds="01/2024",
            budget=6 * 100_800,
        ),
    )  # fmt: skip
    people = [make_person(BATUBULAN) for _ in range(3)] + [make_person(KETEWEL) for _ in range(2)]
    activate(sponsor(program, people), dt.date(2024, 1, 19))

    page = login(admin)
    page.goto(f"{live_server.url}/program/{program.pk}/")
    page.get_by_role("link", name="Tagihan dan realisasi").click()
    expect(page.get_by_test_id("committed")).to_have_text("Rp 504.000")
    expect(page.get_by_test_id("billed")).to_have_text("Rp 0")
    expect(page.get_by_test_id("paid")).to_have_text("Rp 0")
    expect(page.get_by_test_id("budget-warning")).to_contain_text("83% dari pagu anggaran")

    page.get_by_label("Bulan tagihan").select_option("01/2024")
    page.get_by_role("button", name="Lihat pratinjau tagihan").click()
    expect(page.get_by_test_id("preview-lines")).to_have_text("5")
    page.get_by_role("button", name="Jalankan tagihan").click()
    expect(page.locator(".messages").first).to_contain_text("5 baris baru (Rp 84.000)")
    expect(page.get_by_test_id("bill-amount")).to_have_text("Rp 84.000")
    expect(page.get_by_test_id("bill-status")).to_contain_text("Lewat jatuh tempo")
    expect(page.locator("#village-totals tbody tr")).to_have_count(2)

    # More than the bill: refused, explained, nothing recorded.
    page.get_by_label("Tanggal bayar").fill("15/02/2024")
    page.get_by_label("Jumlah (Rp)").fill("90.000")
    page.get_by_label("Referensi").fill("SP2D-0042")
    page.get_by_role("button", name="Catat pembayaran").click()
    expect(page.locator(".messages").first).to_contain_text("melebihi sisa tagihan Rp 84.000")

    page.get_by_label("Tanggal bayar").fill("15/02/2024")
    page.get_by_label("Jumlah (Rp)").fill("84.000")
    page.get_by_label("Referensi").fill("SP2D-0042")
    page.get_by_label("Bukti bayar (PDF/JPG/PNG)").set_input_files(
        {"name": "sp2d.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 SP2D"}
    )
    page.get_by_role("button", name="Catat pembayaran").click()
    expect(page.locator(".messages").first).to_contain_text(
        "Pembayaran Rp 84.000 (SP2D-0042) dicatat"
    )
    expect(page.get_by_test_id("bill-status")).to_contain_text("Lunas")
    expect(page.locator("#payments")).to_contain_text("unduh")

    page.get_by_role("link", name="Realisasi anggaran").first.click()
    expect(page.get_by_test_id("billed")).to_have_text("Rp 84.000")
    expect(page.get_by_test_id("paid")).to_have_text("Rp 84.000")
    expect(page.get_by_test_id("remaining")).to_have_text("Rp 100.800")
    expect(page.locator("#by-village")).to_contain_text("Batubulan")


def test_preview_names_the_catch_up_months_and_asks_for_confirmation(
    login, make_user, live_server, monkeypatch
):
    from lindung.programs import clock
    from lindung.programs.services import create_program

    monkeypatch.setattr(clock, "today", lambda: dt.date(2024, 3, 15))
    ensure_default_rates()
    admin = make_user("disnaker.gianyar", Role.REGENCY_ADMIN, "51.04")
    program = create_program(
        user=None, data=program_data(name="PPR Gianyar 2024", year=2024, rounds="01/2024")
    )
    activate(sponsor(program, [make_person(BATUBULAN), make_person(KETEWEL)]), dt.date(2024, 1, 5))

    page = login(admin)
    page.goto(f"{live_server.url}/tagihan/program/{program.pk}/")
    expect(page.get_by_test_id("months-due")).to_contain_text("3 bulan belum ditagih")
    expect(page.get_by_label("Bulan tagihan")).to_have_value("01/2024")  # the next one due
    page.get_by_label("Bulan tagihan").select_option("03/2024")
    page.get_by_role("button", name="Lihat pratinjau tagihan").click()
    expect(page.get_by_test_id("preview-lines")).to_have_text("6")
    expect(page.get_by_test_id("preview-amount")).to_have_text("Rp 100.800")
    expect(page.get_by_test_id("preview-catch-up")).to_contain_text("01/2024, 02/2024")
    expect(page.locator("#preview tbody tr")).to_have_count(3)

    # Not confirmed: the browser keeps the form; nothing is billed.
    page.get_by_role("button", name="Jalankan tagihan").click()
    assert "/pratinjau/" in page.url
    page.get_by_label("Saya mengerti").check()
    page.get_by_role("button", name="Jalankan tagihan").click()
    expect(page.locator(".messages").first).to_contain_text("6 baris baru (Rp 100.800)")
