"""What every uploaded file goes through before a reader parses it.

A file people send (a worker list, the insurer's payment or answer file, a statistics
table, a list of NIKs, a proof of payment) is checked here first: its size against
``LINDUNG_UPLOAD_MAX_BYTES`` (enforced for the request body by
:class:`UploadSizeLimit` before anything is stored, and for each file by
:func:`check_size`), and by :func:`inspect` its shape: empty, binary garbage, text in
UTF-16, an archive that is not a workbook or that unpacks to far more than it weighs
(a zip bomb, which would exhaust the server's memory in the spreadsheet reader).

Each reader raises its own app's refusal with these codes (its catalogue includes
:data:`UPLOAD_MESSAGES`), so pages, the API and commands say the same thing.
"""

import csv
import io
import json
import zipfile
from collections.abc import Callable

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lindung.refusals import Refusal

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Form fields besides the file (CSRF token, options) in a multipart body.
_FORM_OVERHEAD = 64 * 1024
# An XLSX unpacks to a few times its size; a zip bomb to thousands of times.
_MAX_UNPACK_RATIO = 100
_UNPACK_FLOOR = 50 * 1024 * 1024

UPLOAD_MESSAGES = {
    "file_too_large": _(
        "Berkas terlalu besar (batas %(limit)s MB): pecah menjadi beberapa berkas."
    ),
    "file_empty": _("Berkas kosong: tidak ada isinya."),
    "file_binary": _(
        "Berkas ini bukan teks CSV maupun buku kerja Excel (isinya data biner): simpan ulang "
        "dari Excel sebagai 'Buku Kerja Excel (.xlsx)' atau 'CSV (dipisah koma)'."
    ),
    "file_encoding": _(
        "Berkas tersimpan sebagai teks Unicode (UTF-16): simpan ulang dari Excel sebagai "
        "'CSV UTF-8 (dipisah koma)' atau .xlsx."
    ),
    "file_xlsx_broken": _(
        "Berkas .xlsx rusak atau bukan buku kerja Excel: buka di Excel lalu simpan ulang "
        "sebagai .xlsx."
    ),
    "file_zip_bomb": _(
        "Berkas .xlsx ini terbuka menjadi %(unpacked)s MB, jauh lebih besar dari ukurannya: "
        "ditolak demi keamanan. Simpan ulang dari Excel atau pecah menjadi beberapa berkas."
    ),
}


class UploadRefused(Refusal):
    messages = UPLOAD_MESSAGES


def max_bytes() -> int:
    return int(getattr(settings, "LINDUNG_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def check_size(size: int, *, limit: int | None = None, refuse=UploadRefused) -> None:
    limit = max_bytes() if limit is None else limit
    if size > limit:
        raise refuse("file_too_large", limit=_mb(limit))


def inspect(content: bytes, name: str = "", *, limit: int | None = None, refuse=UploadRefused):
    """Refuse ``content`` (with ``refuse(code, **params)``) unless a reader can try it."""
    check_size(len(content), limit=limit, refuse=refuse)
    if not content.strip():
        raise refuse("file_empty")
    if content[:4] == b"PK\x03\x04" or name.lower().endswith((".xlsx", ".xlsm")):
        _inspect_archive(content, refuse)
        return
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return  # an old .xls: each reader says how to save it again
    if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise refuse("file_encoding")
    head = content[:65536]
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13))
    if head.count(0) * 4 >= len(head):  # every other byte NUL: UTF-16 without its mark
        raise refuse("file_encoding")
    if controls * 100 > len(head):
        raise refuse("file_binary")


def _inspect_archive(content: bytes, refuse) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise refuse("file_xlsx_broken") from exc
    if not any(n.startswith("xl/") for n in names):
        raise refuse("file_xlsx_broken")
    unpacked = sum(m.file_size for m in members)
    if unpacked > max(_UNPACK_FLOOR, _MAX_UNPACK_RATIO * len(content)):
        raise refuse("file_zip_bomb", unpacked=_mb(unpacked))


class UploadField(forms.FileField):
    """A file field that refuses an empty file or one over the upload limit with the
    messages every reader gives."""

    default_error_messages = {"empty": UPLOAD_MESSAGES["file_empty"]}

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            try:
                check_size(upload.size)
            except UploadRefused as refusal:
                raise forms.ValidationError(refusal.message, code=refusal.code) from refusal
        return upload


class UploadSizeLimit:
    """Answer 413 to a request whose body is over the upload limit, before Django reads
    (and stores) any of it: JSON with a code under ``/api/``, a short page elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > max_bytes() + _FORM_OVERHEAD:
            return self.refuse(request)
        return self.get_response(request)

    def refuse(self, request) -> HttpResponse:
        refusal = UploadRefused("file_too_large", limit=_mb(max_bytes()))
        # The body is not read: the connection cannot be reused for another request.
        if request.path.startswith("/api/"):
            response = HttpResponse(
                json.dumps(refusal.as_dict(), ensure_ascii=False),
                status=413,
                content_type="application/json",
            )
        else:
            response = render(
                request,
                "web/upload_refused.html",
                {"message": refusal.message, "title": gettext("Berkas ditolak")},
                status=413,
            )
        response["Connection"] = "close"
        return response


def read_table(
    content: bytes, name: str, *, refuse, score: Callable[[list[str]], int]
) -> list[list[str]]:
    """The cells, as text, of a small CSV or XLSX that an importer reads whole (statistics,
    an employer list): the first row is its header. A CSV's encoding (UTF-8, with or
    without a byte-order mark, else Windows-1252) and separator (``;``, ``,`` or a tab,
    whichever the first line has most) are found; of a workbook's sheets, the one whose
    first row ``score`` rates highest (the importer counts the headers it knows). Refusals
    with the importer's ``refuse``: ``file_xls`` for the old binary format,
    ``file_unreadable`` for what neither reader can read, ``file_empty``."""
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise refuse("file_xls")
    if content[:4] == b"PK\x03\x04":
        table = _read_xlsx(content, refuse, score)
    elif name.lower().endswith((".xlsx", ".xls")):
        raise refuse("file_unreadable")
    else:
        table = _read_csv(content, refuse)
    if not table:
        raise refuse("file_empty")
    return table


def _read_csv(content: bytes, refuse) -> list[list[str]]:
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise refuse("file_unreadable") from exc


def _read_xlsx(content: bytes, refuse, score) -> list[list[str]]:
    import fastexcel

    try:
        reader = fastexcel.read_excel(content)
        best, rows = -1, []
        for index in range(len(reader.sheet_names)):
            sheet = reader.load_sheet(index, header_row=None, dtypes="string").to_polars()
            table = [["" if v is None else str(v) for v in row] for row in sheet.rows()]
            rated = score(table[0]) if table else 0
            if rated > best:
                best, rows = rated, table
        return rows
    except (fastexcel.FastExcelError, zipfile.BadZipFile, ValueError) as exc:
        raise refuse("file_unreadable") from exc
