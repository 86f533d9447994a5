"""Files nobody can read, as people really upload them: each through every upload path.

Every one must get a clear message with a stable code (page, API, command line), never
a 500 or a traceback.
"""

import functools
import io
import random
import zipfile


def _xlsx_with_sheet(sheet_xml: bytes) -> bytes:
    """A minimal workbook whose only sheet is ``sheet_xml`` (compressed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buffer.getvalue()


@functools.cache
def zip_bomb() -> bytes:
    """A 60 KB .xlsx that unpacks to 64 MB of sheet (a real one would be gigabytes)."""
    head = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>'
    )
    return _xlsx_with_sheet(head + b" " * (64 << 20) + b"</sheetData></worksheet>")


def garbage(size: int = 4096) -> bytes:
    return random.Random(14).randbytes(size)


# kind: (file name, content). The content of the bomb is made on demand (64 MB in memory).
CORPUS = {
    "binary_named_csv": ("daftar.csv", garbage()),
    "one_column_body": ("daftar.csv", b"kolom_a,kolom_b\r\n1\r\n2\r\n3\r\n"),
    "broken_xlsx": ("daftar.xlsx", b"PK\x03\x04" + garbage(2000)),
    "zip_bomb_xlsx": ("daftar.xlsx", None),
    "empty": ("daftar.csv", b""),
    "utf16": ("daftar.csv", "nik;nama\r\n5104011902850001;Ñyoman\r\n".encode("utf-16")),
    "old_xls": ("daftar.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + garbage(1000)),
    "pdf_named_xlsx": ("daftar.xlsx", b"%PDF-1.4\n" + garbage(500)),
}


def corpus_file(kind: str) -> tuple[str, bytes]:
    name, content = CORPUS[kind]
    return name, zip_bomb() if content is None else content


# The code every reader gives; None where each reader names its own (its columns, .xls).
EXPECTED = {
    "binary_named_csv": "file_binary",
    "one_column_body": None,
    "broken_xlsx": "file_xlsx_broken",
    "zip_bomb_xlsx": "file_zip_bomb",
    "empty": "file_empty",
    "utf16": "file_encoding",
    "old_xls": None,
    "pdf_named_xlsx": "file_xlsx_broken",
}
