"""The claims path in a browser: the village operator estimates the benefits of a worker who
died, reports the claim, ticks the documents; the regency submits it to the insurer and
records the payment; the village records the hand-over to the heirs."""

import datetime as dt
import struct
import zlib

import pytest
from playwright.sync_api import expect

from lindung.accounts.models import Role
from tests.factories import PASSWORD

TODAY = dt.date(2026, 11, 20)


def tiny_png() -> bytes:
    """A real 1×1 PNG (the photo of the hand-over)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))  # fmt: skip


@pytest.fixture
def worker(monkeypatch):
    from lindung.claims.defaults import ensure_default_benefit_rules
    from lindung.contributions.defaults import ensure_default_rates
    from lindung.programs import clock
    from lindung.programs.models import Program
    from lindung.programs.services import create_program
    from tests.claims.conftest import covered
    from tests.programs.conftest import program_data

    monkeypatch.setattr(clock, "today", lambda: TODAY)
    ensure_default_rates()  # the flushed database has lost the migrations' rows
    ensure_default_benefit_rules()
    program = create_program(user=None, data=program_data(
        name="Pekerja Rentan Gianyar 2026", year=2026, rounds="04/2026"))  # fmt: skip
    Program.objects.filter(pk=program.pk).update(committed=6 * 16_800)
    return covered(program).person


def sign_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill(user.username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/")


def test_estimate_report_documents_submit_pay_and_hand_over(
    login, make_user, live_server, worker, browser
):
    operator = make_user("op.batubulan", Role.VILLAGE_OPERATOR, "51.04.01.2001")
    admin = make_user("disnaker.gianyar", Role.REGENCY_ADMIN, "51.04")
    page = login(operator)

    # The benefits first: what the heirs can expect, and why.
    page.goto(f"{live_server.url}/klaim/perkiraan-manfaat/")
    page.locator("#estimate-form select[name=event]").select_option("death")
    page.get_by_label("Tanggal peristiwa").fill("15/07/2026")
    page.get_by_label("NIK", exact=True).fill(worker.nik)
    page.get_by_role("button", name="Hitung perkiraan").click()
    expect(page.locator("#estimate")).to_contain_text("Ini perkiraan")
    expect(page.locator("#total")).to_have_text("Rp 42.000.000")
    expect(page.locator("#components")).to_contain_text("Permenaker 1/2025")

    # The claim, reported by the village.
    page.goto(f"{live_server.url}/klaim/baru/")
    form = page.locator("#claim-form")
    form.get_by_label("NIK", exact=True).fill(worker.nik)
    form.get_by_label("Jenis").select_option("death")
    form.get_by_label("Tanggal peristiwa").fill("15/07/2026")
    form.get_by_label("Tempat").fill("Batubulan")
    form.get_by_label("Nama", exact=True).fill("Ni Luh Sari")
    form.get_by_label("Hubungan").select_option("spouse")
    form.get_by_label("Nomor HP").fill("081234567890")
    page.get_by_role("button", name="Catat klaim").click()
    expect(page.locator("#status")).to_have_text("Dilaporkan")
    expect(page.locator("#estimate")).to_contain_text("Rp 42.000.000")
    detail = page.url

    # Documents ticked, then "complete": the village cannot submit or pay.
    boxes = page.locator("#documents input[type=checkbox]")
    for index in range(boxes.count()):
        boxes.nth(index).check()
    page.get_by_role("button", name="Simpan berkas").click()
    expect(page.locator(".messages").first).to_contain_text("Klaim diperbarui")
    page.get_by_role("button", name="Berkas lengkap").click()
    expect(page.locator("#status")).to_have_text("Berkas lengkap")
    expect(page.get_by_role("button", name="Dibayar")).to_have_count(0)

    # The regency submits it to the insurer and records the payment.
    office = browser.new_context(locale="en-US").new_page()
    sign_in(office, live_server, admin)
    office.goto(detail)
    office.get_by_role("button", name="Diajukan ke BPJS").click()
    expect(office.locator("#status")).to_have_text("Diajukan ke BPJS")
    office.get_by_label("Jumlah dibayar (Rp)").fill("42000000")
    office.get_by_label("Tanggal dibayar").fill("01/11/2026")
    office.get_by_role("button", name="Dibayar").click()
    expect(office.locator("#status")).to_have_text("Dibayar")
    expect(office.locator("#paid")).to_contain_text("Rp 42.000.000, 01/11/2026")
    expect(office.locator("#history tbody tr")).to_have_count(4)
    office.context.close()

    # The village hands the benefit over to the heirs, with a photo and their words.
    page.goto(detail)
    hand_over = page.locator("#handover-form")
    hand_over.get_by_label("Tanggal", exact=True).fill("05/11/2026")
    hand_over.get_by_label("Diserahkan oleh").fill("Perbekel Batubulan")
    hand_over.get_by_label("Kesaksian singkat (boleh dikutip)").fill("Sangat membantu keluarga")
    hand_over.get_by_label("Foto (JPG/PNG, maks. 5 MB)").set_input_files(
        {"name": "serah-terima.png", "mimeType": "image/png", "buffer": tiny_png()}
    )
    page.get_by_role("button", name="Simpan serah terima").click()
    expect(page.locator("#handover")).to_contain_text("05/11/2026, Perbekel Batubulan")
    expect(page.locator("#handover")).to_contain_text("Sangat membantu keluarga")
    photo = page.locator("#handover a", has_text="foto")
    expect(photo).to_be_visible()
    shown = page.request.get(live_server.url + photo.get_attribute("href"))
    assert shown.ok and shown.headers["content-type"] == "image/png"
