"""An operator uploads a file with errors, watches the progress bar, downloads the report."""

import threading

import fastexcel
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect

from lindung.accounts.models import Role
from lindung.people.models import Person
from tests.imports.files import clean_frame, row, to_csv


def _worker_until_done(stop: threading.Event) -> None:
    """What ``lindung db_worker`` does, in a thread, until the test says stop."""
    from django.db import connection

    worker = Worker(
        queue_names=["default"],
        interval=0.1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=1,
        worker_id="e2e",
        excluded_queue_names=[],
    )
    try:
        while not stop.is_set() and worker.running:
            worker.run()
            if worker._run_tasks:
                break
    finally:
        connection.close()


def test_upload_with_errors_progress_report_and_counts(login, make_user, settings, tmp_path):
    settings.LINDUNG_IMPORT_INLINE_BYTES = 0  # every upload goes to the background worker
    settings.LINDUNG_IMPORT_BATCH_ROWS = 300
    operator = make_user("op.batubulan", Role.VILLAGE_OPERATOR, "51.04.01.2001")
    good = clean_frame(2400, seed=41, villages=("51.04.01.2001",)).to_dicts()
    bad = [row(1, nama=""), row(2, kode_desa="51.04.01.2002"), row(3, penghasilan="banyak")]
    path = tmp_path / "daftar-desa.csv"
    path.write_bytes(to_csv(good + bad))

    page = login(operator)
    page.get_by_role("link", name="Impor").click()
    page.get_by_label("Berkas (.xlsx atau .csv)").set_input_files(str(path))
    page.get_by_role("button", name="Unggah dan periksa").click()
    expect(page.locator("#job-status")).to_have_text("Menunggu giliran")

    stop = threading.Event()
    worker = threading.Thread(target=_worker_until_done, args=(stop,), daemon=True)
    worker.start()
    try:
        bar = page.locator("#job-bar")
        expect(page.locator("#job-status")).to_have_text("Selesai", timeout=60_000)
        expect(bar).to_have_attribute("value", "100")
    finally:
        stop.set()
        worker.join(timeout=30)

    page.reload()  # the state lives in the database, not in the page
    expect(page.locator("#count-accepted")).to_have_text("2.400")
    expect(page.locator("#count-created")).to_have_text("2.400")
    expect(page.locator("#count-rejected")).to_have_text("3")
    expect(page.locator("#errors-by-code")).to_contain_text("village_out_of_scope")
    expect(page.locator("#rejected-rows")).to_contain_text("Nama lengkap wajib diisi")

    with page.expect_download() as download:
        page.locator("#report-xlsx").click()
    report = tmp_path / "laporan.xlsx"
    download.value.save_as(report)
    rejected = fastexcel.read_excel(report.read_bytes()).load_sheet("Ditolak", dtypes="string")
    assert rejected.to_polars().get_column("kesalahan").to_list() == [
        "name_missing",
        "village_out_of_scope",
        "income_invalid",
    ]
    assert Person.objects.count() == 2400
