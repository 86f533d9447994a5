"""Keyset pages of the work list: the cursor's order with equal coverage ends, no row skipped
or repeated, back and forth, the last page, filters and date kept, tampered cursors refused
(API 422 field by field, the page 400 with its message above the first page)."""

import datetime as dt

import pytest
from django.core import signing

from lindung.accounts.services import issue_token
from lindung.agents import selectors
from lindung.programs import clock
from lindung.programs.lifecycle import State
from tests.agents.conftest import make_enrollment
from tests.programs.conftest import BATUBULAN, KETEWEL, make_person

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 12, 15)
ENDING = [dt.date(2026, 12, 31), dt.date(2027, 1, 14)]  # within 30 days of AS_OF
ENDED = [dt.date(2026, 11, 30), dt.date(2026, 9, 30), dt.date(2026, 6, 30)]


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: AS_OF)


@pytest.fixture
def many(gianyar, program):
    """23 in Batubulan and 4 in Ketewel, most of them sharing a coverage end with others:
    ending on two days (3 and 2), ended on three days (8, 6 and 4); the enrollments are
    made in an order unrelated to the list's, so that ids do not follow it."""
    made = []
    plan = [(ENDING[1], 2), (ENDED[2], 4), (ENDING[0], 3), (ENDED[0], 8), (ENDED[1], 6)]
    serial = 0
    for end, n in plan:
        for _ in range(n):
            serial += 1
            state = State.ACTIVE if end >= AS_OF else State.ENDED
            person = make_person(BATUBULAN, name=f"Pekerja {serial:02d}")
            made.append(make_enrollment(program, person, state=state, coverage_end=end))
    for i in range(4):
        person = make_person(KETEWEL, name=f"Ketewel {i}")
        made.append(make_enrollment(program, person, state=State.ENDED, coverage_end=ENDED[0]))
    return made


def expected(rows) -> list[int]:
    """The list's order written out by hand: ending by day ascending, id descending within a
    day; then ended by day descending, id ascending within a day."""
    ending = sorted(
        (e for e in rows if e.coverage_end >= AS_OF), key=lambda e: (e.coverage_end, -e.pk)
    )
    ended = sorted(
        (e for e in rows if e.coverage_end < AS_OF),
        key=lambda e: (-e.coverage_end.toordinal(), e.pk),
    )
    return [e.pk for e in ending + ended]


def page(cursor: str | None = None, per_page: int = 5, village: str = BATUBULAN, **kwargs):
    decoded = selectors.Cursor.decode(cursor) if cursor else None
    return selectors.work_page(
        None, as_of=AS_OF, village=village, cursor=decoded, per_page=per_page, **kwargs
    )


def batubulan(many):
    return [e for e in many if e.village_id == BATUBULAN]


@pytest.mark.parametrize("per_page", [1, 2, 3, 5, 7, 23, 50])
def test_next_reads_every_row_once_in_the_list_order(many, per_page):
    seen, numbers, current = [], [], page(per_page=per_page)
    while True:
        seen += [e.pk for e in current]
        numbers.append(current.number)
        if not current.next:
            break
        current = page(current.next, per_page)
    assert seen == expected(batubulan(many))
    assert seen == [e.pk for e in selectors.work_list(None, as_of=AS_OF, village=BATUBULAN)]
    assert numbers == list(range(1, current.num_pages + 1))
    assert current.count == 23 and not current.has_next()


@pytest.mark.parametrize("per_page", [1, 3, 5, 23])
def test_previous_reads_the_same_pages_backwards(many, per_page):
    forward, current = [], page(per_page=per_page)
    forward.append([e.pk for e in current])
    while current.next:
        current = page(current.next, per_page)
        forward.append([e.pk for e in current])
    backward = [[e.pk for e in current]]
    while current.previous:
        current = page(current.previous, per_page)
        backward.append([e.pk for e in current])
    assert backward[::-1] == forward
    assert current.number == 1 and not current.has_previous()


def test_the_last_page_holds_the_rest(many):
    first = page(per_page=5)
    last = page(first.last, 5)
    order = expected(batubulan(many))
    assert (last.number, last.num_pages) == (5, 5)
    assert [e.pk for e in last] == order[20:]
    assert not last.has_next() and last.previous
    assert [e.pk for e in page(last.previous, 5)] == order[15:20]


def test_a_row_leaving_the_list_skips_nothing_else(many):
    """A row of the next page continued meanwhile: the page after the cursor is the rest."""
    first = page(per_page=5)
    order = expected(batubulan(many))
    gone = next(e for e in batubulan(many) if e.pk == order[6])
    gone.state = State.CONTINUED
    gone.save(update_fields=["state"])
    second = page(first.next, 5)
    assert [e.pk for e in second] == order[5:6] + order[7:11]
    assert second.count == 23  # counted with the first page, carried by the cursor


def test_filters_and_date_are_kept_and_checked(many, program):
    first = page(per_page=2, village="", program=program)
    assert first.count == 27
    with pytest.raises(selectors.CursorRefused) as refused:
        page(first.next, 2, village=BATUBULAN, program=program)
    assert refused.value.code == "cursor_mismatch"
    with pytest.raises(selectors.CursorRefused):
        selectors.work_page(
            None,
            as_of=AS_OF + dt.timedelta(days=1),
            program=program,
            cursor=selectors.Cursor.decode(first.next),
            per_page=2,
        )
    second = page(first.next, 2, village="", program=program)
    assert second.number == 2


# Signed tokens carry the second they were made: numbered test ids, or two test processes
# collecting in different seconds disagree on the test names.
FOREIGN_TOKENS = [
    "x",
    "not a cursor",
    "eyJ2IjoxfQ:1v2:abc",
    signing.dumps([1, 1, ["", None, None], 1, None, 2, 5, 0], salt="other"),
    signing.dumps([9, 1, ["", None, None], 1, None, 2, 5, 0], salt=selectors.CURSOR_SALT),
    signing.dumps([1, 1, ["", None, None], 1, [0, 1, -5], 2, 5, 0], salt=selectors.CURSOR_SALT),
    signing.dumps([1, 1, ["", None, None], 7, None, 2, 5, 0], salt=selectors.CURSOR_SALT),
    signing.dumps({"as_of": 1}, salt=selectors.CURSOR_SALT),
    signing.dumps([1, 10**12, [], 1, None, 2, 5, 0], salt=selectors.CURSOR_SALT),
]


@pytest.mark.parametrize("token", FOREIGN_TOKENS, ids=map(str, range(len(FOREIGN_TOKENS))))
def test_a_cursor_not_made_here_is_refused(token):
    with pytest.raises(selectors.CursorRefused) as refused:
        selectors.Cursor.decode(token)
    assert refused.value.code == "cursor_invalid"
    assert "cursor" in refused.value.message


def test_a_tampered_cursor_is_refused(many):
    token = page(per_page=5).next
    body, signature = token.rsplit(":", 1)
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    with pytest.raises(selectors.CursorRefused):
        selectors.Cursor.decode(f"{body}:{flipped}")


@pytest.fixture
def api(client):
    def call(user, path):
        headers = {"Authorization": f"Bearer {issue_token(user)}"}
        return client.get(f"/api/v1{path}", headers=headers)

    return call


def test_api_pages_by_cursor(api, many, regency_admin):
    path = f"/continuation?village={BATUBULAN}&page_size=10"
    body = api(regency_admin, path).json()
    assert (body["count"], body["page"], body["pages"], body["previous"]) == (23, 1, 3, None)
    seen = [r["enrollment_id"] for r in body["results"]]
    while body["next"]:
        body = api(regency_admin, f"{path}&cursor={body['next']}").json()
        seen += [r["enrollment_id"] for r in body["results"]]
    assert seen == expected(batubulan(many)) and body["page"] == 3
    assert body["as_of"] == "2026-12-15" and body["counted_at"]
    last = api(regency_admin, f"{path}&cursor={api(regency_admin, path).json()['last']}").json()
    assert [r["enrollment_id"] for r in last["results"]] == seen[20:]


def test_api_refuses_a_bad_cursor_field_by_field(api, many, regency_admin):
    path = f"/continuation?village={BATUBULAN}&page_size=10"
    token = api(regency_admin, path).json()["next"]
    for bad, code in (
        (token[:-2] + "zz", "cursor_invalid"),
        ("garbage", "cursor_invalid"),
    ):
        response = api(regency_admin, f"{path}&cursor={bad}")
        assert response.status_code == 422
        error = response.json()["errors"][0]
        assert (error["field"], error["code"]) == ("cursor", code)
        assert "halaman pertama" in error["message"]
    response = api(regency_admin, f"/continuation?village={KETEWEL}&cursor={token}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "cursor_mismatch"
    response = api(regency_admin, f"{path}&as_of=2026-12-16&cursor={token}")
    assert response.json()["errors"][0]["code"] == "cursor_mismatch"
    response = api(regency_admin, f"{path}&page=2")
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "page",
        "code": "page_by_cursor",
        "message": response.json()["errors"][0]["message"],
    }


def test_api_cursor_keeps_its_date(api, many, regency_admin, monkeypatch):
    """Paging on after midnight without ``as_of``: the list of the cursor's day."""
    path = f"/continuation?village={BATUBULAN}&page_size=10"
    token = api(regency_admin, path).json()["next"]
    monkeypatch.setattr(clock, "today", lambda: AS_OF + dt.timedelta(days=1))
    body = api(regency_admin, f"{path}&cursor={token}").json()
    assert (body["as_of"], body["page"]) == ("2026-12-15", 2)


def test_page_links_carry_the_cursor_and_the_filters(client, many, regency_admin, program):
    client.force_login(regency_admin)
    url = f"/agen/daftar-kerja/?village={BATUBULAN}&program={program.pk}"
    html = client.get(url).content.decode()
    assert "23 pekerja" in html and 'class="pagination"' not in html  # 50 a page
    for i in range(60):
        person = make_person(BATUBULAN, name=f"Tambahan {i:02d}")
        make_enrollment(program, person, state=State.ENDED, coverage_end=ENDED[1])
    response = client.get(url)
    links = response.context["page"]
    assert links.count == 83 and links.next
    html = response.content.decode()
    assert "Halaman 1 dari 2" in html and 'rel="next"' in html and 'rel="prev"' not in html
    second = client.get(f"{url}&cursor={links.next}")
    assert second.status_code == 200
    html = second.content.decode()
    assert "Halaman 2 dari 2" in html and "dihitung pukul" in html
    assert len(second.context["page"].object_list) == 33
    assert f"village={BATUBULAN}" in html.split('rel="prev"')[0].rsplit("href=", 1)[1]
    assert f"program={program.pk}" in html.split('rel="prev"')[0].rsplit("href=", 1)[1]
    shown = {e.pk for e in response.context["page"]} | {e.pk for e in second.context["page"]}
    assert len(shown) == 83


def test_page_with_a_tampered_cursor_says_so_above_the_first_page(client, many, regency_admin):
    client.force_login(regency_admin)
    response = client.get(f"/agen/daftar-kerja/?village={BATUBULAN}&cursor=rusak")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Penanda halaman (cursor) tidak sah" in html and 'role="alert"' in html
    assert "23 pekerja" in html
    assert response.context["page"].number == 1 and len(response.context["page"]) == 23


def test_page_cursor_of_yesterday_starts_again(client, many, regency_admin, monkeypatch):
    client.force_login(regency_admin)
    token = selectors.work_page(regency_admin, as_of=AS_OF, village=BATUBULAN, per_page=5).next
    monkeypatch.setattr(clock, "today", lambda: AS_OF + dt.timedelta(days=1))
    response = client.get(f"/agen/daftar-kerja/?village={BATUBULAN}&cursor={token}")
    assert response.status_code == 200
    assert "Tanggal sudah berganti" in response.content.decode()
    assert response.context["page"].number == 1


def test_the_openapi_document_declares_the_cursor(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/continuation"]["get"]
    names = {p["name"]: p for p in operation["parameters"]}
    assert "next" in names["cursor"]["description"] and "422" in names["cursor"]["description"]
    problems = operation["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
    assert problems.endswith("/Problems")
    page = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert page.endswith("/WorkPage")
