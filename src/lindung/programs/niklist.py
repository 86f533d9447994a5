"""NIKs from an uploaded list (XLSX, CSV or plain text): the column titled NIK, else the first.

Only the NIKs are read: everything else about the worker is already in the registry.
"""

import csv
import io
import re

from django.utils.translation import gettext_lazy as _

from lindung.refusals import Refusal
from lindung.uploads import UPLOAD_MESSAGES, inspect

MAX_LIST_BYTES = 5 * 1024 * 1024


class ListUnreadable(Refusal):
    messages = {
        **UPLOAD_MESSAGES,
        "list_unreadable": _(
            "Daftar NIK tidak dapat dibaca: unggah XLSX, CSV atau teks dengan satu NIK per baris."
        ),
    }

    def __init__(self, code: str = "list_unreadable", **params):
        super().__init__(code, **params)


def _rows(content: bytes, file_name: str) -> list[list[str]]:
    if file_name.lower().endswith(".xlsx") or content[:2] == b"PK":
        try:
            import polars as pl

            frame = pl.read_excel(
                content, engine="calamine", infer_schema_length=0, has_header=False
            )
        except Exception as exc:
            raise ListUnreadable from exc
        return [["" if v is None else str(v) for v in row] for row in frame.iter_rows()]
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ListUnreadable
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text.replace("\x00", "")), delimiter=delimiter))
    except csv.Error as exc:
        raise ListUnreadable from exc


def read_nik_list(content: bytes, file_name: str) -> list[str]:
    """The NIK cells, as written (checked later, one by one, with a reason for each)."""
    inspect(content, file_name, limit=MAX_LIST_BYTES, refuse=ListUnreadable)
    rows = [row for row in _rows(content, file_name) if any(str(c).strip() for c in row)]
    if not rows:
        return []
    column = 0
    header = [re.sub(r"[\s_.]+", "", str(c).lower()) for c in rows[0]]
    if "nik" in header:
        column = header.index("nik")
        rows = rows[1:]
    elif rows[0] and not re.search(r"\d", str(rows[0][0])):
        rows = rows[1:]  # a header of another name over the first column
    return [
        str(row[column]).strip() for row in rows if column < len(row) and str(row[column]).strip()
    ]
