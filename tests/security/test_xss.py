"""A script in every free-text field: escaped on every page, inert in exports and PDFs.

The payloads are written straight into the database, past the input checks (a name may not
hold ``<`` today, but an import, the admin or tomorrow's rule may let one through): what is
tested here is the rendering. Each field gets its own numbered payload, so the test also
proves that the field was shown somewhere, escaped, and not silently dropped.
"""

import xml.etree.ElementTree as ElementTree
import zipfile
from io import BytesIO

import pytest
from django.test import Client

from lindung.accounts.models import Role
from lindung.people.models import Occupation
from tests.security.routes import fill, url_patterns
from tests.security.scan import body_of, text_of
from tests.security.test_authorization import arguments, frozen_today  # noqa: F401

pytestmark = pytest.mark.django_db


def payload(number: int) -> str:
    return f'"><script>alert({number})</script><img src=x onerror=alert({number})>'


def escaped(number: int) -> str:
    return f"&lt;script&gt;alert({number})&lt;/script&gt;"


# (object of the inside side, field): the payload's number is the position here.
FIELDS = [
    ("worker", "full_name"),
    ("worker", "address"),
    ("worker", "birth_place"),
    ("worker", "occupation_text"),
    ("worker", "data_source"),
    ("program", "name"),
    ("program", "funder_name"),
    ("payment", "reference"),
    ("document", "number"),
    ("document", "title"),
    ("enrollment", "reason"),
    ("job", "source_name"),
    ("target", "note"),
    ("workforce", "source"),
    ("user", "first_name"),
    ("occupation", "name"),
    ("agent", "full_name"),
    ("organisation", "name"),
    ("agreement", "number"),
    ("agreement", "branch"),
    ("contact", "note"),
    ("contact", "reason"),
    ("deposit", "reference"),
    ("subject_request", "reason"),
]


@pytest.fixture(scope="module")
def hostile(world, django_db_blocker):
    """The inside side's records with a payload in each free-text field."""
    with django_db_blocker.unblock():
        objects = dict(world.inside.objects)
        objects["occupation"] = Occupation.objects.create(code="uji-xss", name="x")
        woman = world.inside.people[1]  # her occupation from the list, his as written
        woman.occupation = objects["occupation"]
        woman.save()
        for number, (key, field) in enumerate(FIELDS):
            setattr(objects[key], field, payload(number))
        for key in {key for key, _field in FIELDS}:
            objects[key].save()
    return world


def _pages(world, role) -> dict[str, bytes]:
    client = Client()
    client.force_login(world.users[role])
    bodies = {}
    for route, name in url_patterns():
        if name in ("logout", "set_language"):
            continue
        url = fill(route, arguments(name, world.inside))
        response = client.get(url)
        if response.status_code == 200:
            bodies[url] = body_of(response)
    return bodies


@pytest.fixture(scope="module")
def admin_bodies(hostile, django_db_blocker):
    """Every page the system admin can open, read once for the module."""
    with django_db_blocker.unblock():
        return _pages(hostile, Role.SYSTEM_ADMIN)


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.AGENT], ids=str)
def test_every_page_escapes_every_field(hostile, admin_bodies, role):
    bodies = admin_bodies if role == Role.SYSTEM_ADMIN else _pages(hostile, role)
    html = {url: body.decode() for url, body in bodies.items() if body.lstrip()[:1] == b"<"}
    assert html, "no page was rendered"
    for url, body in html.items():
        assert "<script>alert(" not in body, url
        assert "<img src=x onerror" not in body, url
    if role == Role.SYSTEM_ADMIN:
        shown = "".join(html.values())
        missing = [FIELDS[n] for n in range(len(FIELDS)) if escaped(n) not in shown]
        assert missing == [], missing


def test_exports_and_pdfs_keep_the_text_inert(hostile, admin_bodies):
    bodies = dict(admin_bodies)
    client = Client()
    client.force_login(hostile.users[Role.SYSTEM_ADMIN])
    for fmt in ("xlsx", "csv"):
        response = client.get("/ekspor/pekerja/", {"format": fmt})
        bodies[f"/ekspor/pekerja/?format={fmt}"] = body_of(response)
        assert response["Content-Type"] != "text/html"
        assert response["X-Content-Type-Options"] == "nosniff"
    files = {url: body for url, body in bodies.items() if body[:4] in (b"%PDF", b"PK\x03\x04")}
    assert any(body.startswith(b"%PDF") for body in files.values())
    assert any(body.startswith(b"PK") for body in files.values())
    seen = ""
    for url, body in files.items():
        if body.startswith(b"PK"):
            with zipfile.ZipFile(BytesIO(body)) as book:
                for name in book.namelist():
                    if name.endswith(".xml"):
                        ElementTree.fromstring(book.read(name))  # well-formed: text escaped
        else:
            assert b"/JavaScript" not in body and b"/JS " not in body, url
        seen += text_of(body)
    csv_text = bodies["/ekspor/pekerja/?format=csv"].decode("utf-8-sig")
    assert payload(0) in csv_text.replace('""', '"')  # the name as written, in a quoted cell
    bill = hostile.inside.objects["bill"]
    bill_pdf = text_of(files[f"/tagihan/{bill.pk}/pdf/"])
    # The program's name and the payment's reference, printed as text in the bill's PDF.
    assert payload(5) in bill_pdf and payload(7) in bill_pdf
    assert "alert(7)" in seen
