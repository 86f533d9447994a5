"""Files of the privacy app: the access log as XLSX."""

from django.utils import timezone

from lindung.spreadsheets import XlsxBook

HEADER = ["waktu", "pengguna", "jenis", "halaman/operasi", "alamat IP", "wilayah", "pekerja",
          "pekerja dalam daftar", "kueri", "jumlah"]  # fmt: skip
WIDTHS = [18, 20, 18, 40, 16, 14, 10, 30, 40, 10]


def write_access_xlsx(entries, target) -> int:
    """The entries (already scoped and filtered) to one sheet; formulas neutralised."""
    book = XlsxBook(target)
    sheet = book.sheet("Log akses", HEADER, WIDTHS)
    count = 0
    for e in entries.iterator(chunk_size=2000):
        sheet.append(
            [
                timezone.localtime(e.at).strftime("%d/%m/%Y %H:%M:%S"),
                e.username,
                e.get_kind_display(),
                e.operation,
                e.address or "",
                e.region_code,
                e.person_id or "",
                e.record_ids.strip(","),
                "" if e.query is None else ", ".join(f"{k}={v}" for k, v in e.query.items()),
                e.count if e.count is not None else "",
            ]
        )
        count += 1
    book.close()
    return count
