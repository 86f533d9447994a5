"""The proposal page that fits a screen: filters, the eligibility the page can tell, paging,
a closed program, and the program's figures in one scope (the village's, said so)."""

import datetime as dt
import re

import pytest

from lindung.people.categories import Category
from lindung.people.models import Person
from lindung.programs import clock, selectors
from lindung.programs.services import propose, set_village_quota
from tests.factories import TODAY
from tests.programs.conftest import BATUBULAN, KETEWEL, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def names(page) -> list[str]:
    return re.findall(r'name="person" value="\d+" aria-label="([^"]+)"', page)


def test_filters_narrow_the_registry(client, operator, make_program):
    program = make_program(eligible_categories=[Category.PEKERJA_RENTAN])
    make_person(name="Rentan Muda", born=dt.date(2000, 5, 1))
    make_person(name="Rentan Tua", born=dt.date(1970, 5, 1))
    make_person(name="Kader Muda", born=dt.date(2001, 5, 1), category=Category.KADER_DESA)
    client.force_login(operator)
    url = f"/program/{program.pk}/usulan/"

    everybody = client.get(url).content.decode()
    assert sorted(names(everybody)) == ["Kader Muda", "Rentan Muda", "Rentan Tua"]
    assert "kategori bukan sasaran" in everybody  # the Kader is not a target of the program

    young = client.get(url, {"age": "18-29"}).content.decode()
    assert sorted(names(young)) == ["Kader Muda", "Rentan Muda"]
    kader = client.get(url, {"category": Category.KADER_DESA}).content.decode()
    assert names(kader) == ["Kader Muda"]
    eligible = client.get(url, {"eligible": "yes"}).content.decode()
    assert sorted(names(eligible)) == ["Rentan Muda", "Rentan Tua"]
    assert eligible.count(" data-eligible ") == 2
    refused = client.get(url, {"eligible": "no"}).content.decode()
    assert names(refused) == ["Kader Muda"]
    # Unknown values are dropped, never an error.
    assert client.get(url, {"age": "x", "decile": "99", "category": "?"}).status_code == 200


def test_the_page_tells_the_same_rules_as_the_proposal(operator, make_program):
    """Every worker the page calls eligible is accepted, and every other one refused."""
    program = make_program(eligible_categories=[Category.PEKERJA_RENTAN], min_age=18, max_age=60)
    people = [
        make_person(name="Sasaran"),
        make_person(name="Terlalu tua", born=dt.date(1950, 1, 1)),
        make_person(name="Terlalu muda", born=dt.date(2012, 1, 1)),
        make_person(name="Kader", category=Category.KADER_DESA),
        make_person(name="Formal", segment=Person.Segment.PU),
    ]
    round_ = program.rounds.get(number=1)
    rows = selectors.proposal_candidates(operator, program, BATUBULAN, round=round_, today=TODAY)
    verdicts = {p.full_name: p.ineligible for p in rows}
    assert verdicts == {
        "Sasaran": "",
        "Terlalu tua": "age",
        "Terlalu muda": "age",
        "Kader": "category",
        "Formal": "formal",
    }
    from lindung.programs.eligibility import static_problem

    for person in people:
        problem = static_problem(program, round_, person, TODAY)
        assert (problem is None) == (verdicts[person.full_name] == ""), person.full_name


def test_deciles_filter_only_when_known(client, operator, program):
    make_person(name="Tanpa desil")
    client.force_login(operator)
    page = client.get(f"/program/{program.pk}/usulan/").content.decode()
    assert 'name="decile"' not in page
    Person.objects.filter(full_name="Tanpa desil").update(welfare_decile=2)
    make_person(name="Belum")
    page = client.get(f"/program/{program.pk}/usulan/", {"decile": "2"}).content.decode()
    assert 'name="decile"' in page and names(page) == ["Tanpa desil"]
    page = client.get(f"/program/{program.pk}/usulan/", {"decile": "none"}).content.decode()
    assert names(page) == ["Belum"]


def test_the_registry_is_paged_and_the_bar_holds_counter_and_submit(client, operator, program):
    for i in range(55):
        make_person(name=f"Pekerja {i:02}")
    client.force_login(operator)
    page = client.get(f"/program/{program.pk}/usulan/").content.decode()
    assert len(names(page)) == 50 and "Halaman 1 dari 2" in page
    bar = page[page.index('id="proposal-bar"') :]
    assert 'id="quota-counter"' in bar and 'id="submit-proposals"' in bar
    assert 'data-remaining="100"' in bar and "data-select-eligible" in bar
    second = client.get(f"/program/{program.pk}/usulan/", {"page": "2"}).content.decode()
    assert len(names(second)) == 5


def test_a_closed_program_offers_no_proposal(client, operator, make_program):
    program = make_program(name="Program lama", year=2023, rounds="01/2023")
    client.force_login(operator)
    detail = client.get(f"/program/{program.pk}/").content.decode()
    assert f"/program/{program.pk}/usulan/" not in detail
    page = client.get(f"/program/{program.pk}/usulan/").content.decode()
    assert 'id="program-closed"' in page and 'id="candidates"' not in page
    assert selectors.accepts_proposals(program, TODAY) is False


def test_one_scope_per_page_and_the_same_number_everywhere(
    client, operator, regency_admin, program
):
    """The operator's list and program page both count its village (and say so); the
    regency admin's both count the whole program; no regency budget for the operator."""
    set_village_quota(user=None, program=program, village_code=KETEWEL, quota=100)
    for village, n in ((BATUBULAN, 2), (KETEWEL, 3)):
        for _ in range(n):
            propose(user=None, program=program, person=make_person(village), today=TODAY)

    def figures(user):
        client.force_login(user)
        listing = client.get("/program/").content.decode()
        row = listing[listing.index(program.name) :]
        cells = re.findall(r'<td class="num">([^<]*)</td>', row)[:3]
        detail = client.get(f"/program/{program.pk}/").content.decode()
        sponsored = re.search(r'data-testid="sponsored">([^<]+)<', detail).group(1)
        return cells[2], sponsored, listing, detail

    listed, shown, listing, detail = figures(operator)
    assert listed == shown == "2"
    assert "wilayah Anda" in listing and "wilayah Anda" in detail
    assert 'data-testid="committed"' not in detail and "Pagu" not in listing
    assert "/bpjs/program/" not in detail

    listed, shown, listing, detail = figures(regency_admin)
    assert listed == shown == "5"
    assert "seluruh program" in detail and 'data-testid="committed"' in detail
