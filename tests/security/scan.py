"""What an answer body says, as text: HTML, JSON and CSV as they are, XLSX unzipped, PDF
through its text layer; and the personal data a user must not find in it."""

import datetime as dt
import io
import zipfile

from pypdf import PdfReader

from lindung.people import visibility
from lindung.people.nik import mask_nik


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def text_of(content: bytes) -> str:
    if content.startswith(b"%PDF"):
        reader = PdfReader(io.BytesIO(content))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            return "\n".join(
                book.read(name).decode("utf-8", "replace")
                for name in book.namelist()
                if name.endswith(".xml")
            )
    return content.decode("utf-8", "replace")


def _excel_serial(day: dt.date) -> str:
    return str((day - dt.date(1899, 12, 30)).days)


def birth_date_forms(day: dt.date) -> list[str]:
    """Every way a page, a JSON answer, a CSV or a workbook writes a date."""
    return [
        day.strftime("%d/%m/%Y"),
        day.isoformat(),
        day.strftime("%d-%m-%Y"),
        f"<v>{_excel_serial(day)}</v>",
    ]


def leaks(text: str, user, world) -> list[str]:
    """What ``text`` shows that ``user`` may not see."""
    found = []
    if not user.sees_everything:
        secrets = [x for person in world.outside.people for x in (person.nik, person.full_name)]
        for secret in secrets + world.outside.names:
            if secret in text:
                found.append(f"out of scope: {secret}")
    if not visibility.sees_full(user, "nik"):
        for person in world.inside.people:
            if person.nik in text:
                found.append(f"whole NIK for a masked role: {person.nik}")
            masked = mask_nik(person.nik)
            dates = [form for form in birth_date_forms(person.birth_date) if form in text]
            if masked in text and dates:
                found.append(f"rebuildable: {masked} with {dates[0]}")
            elif dates:  # the policy gives these roles the year only, anywhere
                found.append(f"birth date for a masked role: {dates[0]}")
    return found
