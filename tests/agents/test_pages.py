"""The agent pages: management by the regency, the work list and contacts, scope as 404."""

import datetime as dt

import pytest

from lindung.agents.models import Agent, Contact, Organisation
from lindung.people.models import Person
from lindung.programs import clock
from lindung.programs.lifecycle import State
from tests.agents.conftest import CELUK, make_enrollment
from tests.factories import worker_data
from tests.programs.conftest import BATUBULAN, make_person

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 12, 15)


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: AS_OF)


@pytest.fixture
def ended(gianyar, program):
    here = make_enrollment(
        program,
        make_person(BATUBULAN, name="Ni Luh Sari"),
        state=State.ENDED,
        coverage_end=dt.date(2026, 11, 30),
    )
    there = make_enrollment(
        program,
        make_person(CELUK, name="I Wayan Celuk"),
        state=State.ENDED,
        coverage_end=dt.date(2026, 11, 30),
    )
    return here, there


def test_regency_admin_creates_a_holding_and_an_agent(client, regency_admin, make_user):
    client.force_login(regency_admin)
    response = client.post(
        "/agen/wadah/baru/",
        {"kind": "holding", "name": "PT Mitra Gianyar Aman", "regency_code": "51.04"},
    )
    holding = Organisation.objects.get(name="PT Mitra Gianyar Aman")
    assert response.status_code == 302
    response = client.post(
        f"/agen/wadah/{holding.pk}/perjanjian/",
        {"number": "PKS/1", "start_date": "28/05/2024", "end_date": "27/05/2025"},
    )
    assert holding.agreements.get().end_date == dt.date(2025, 5, 27)
    response = client.post(
        f"/agen/wadah/{holding.pk}/perjanjian/",
        {"number": "PKS/2", "start_date": "28/05/2024", "end_date": "28/06/2025"},
        follow=True,
    )
    assert "paling lama 1 tahun" in response.content.decode()
    client.post(f"/agen/wadah/{holding.pk}/desa/", {"villages": [BATUBULAN, CELUK]})
    assert holding.served.count() == 2
    account = make_user("agen.baru", "agent", "51.04.01")
    response = client.post(
        "/agen/baru/",
        {
            "full_name": "Made Agen",
            "regency_code": "51.04",
            "organisation": holding.pk,
            "user": account.pk,
            "is_coordinator": "on",
        },
    )
    agent = Agent.objects.get(full_name="Made Agen")
    assert (agent.user, agent.is_coordinator) == (account, True)
    page = client.get(f"/agen/wadah/{holding.pk}/").content.decode()
    assert "Made Agen" in page and "PKS/1" in page and "Batubulan" in page


def test_the_agent_works_its_list_and_records_a_contact(client, gianyar, ended):
    here, there = ended
    client.force_login(gianyar[1]["batubulan"].user)
    page = client.get("/agen/daftar-kerja/").content.decode()
    assert "Ni Luh Sari" in page and "I Wayan Celuk" not in page
    assert "30/11/2026" in page
    response = client.post(
        f"/agen/daftar-kerja/{here.pk}/kontak/",
        {"outcome": "declined", "contacted_on": "15/12/2026", "reason": ""},
    )
    assert response.status_code == 200
    assert "Alasan menolak wajib diisi" in response.content.decode()
    response = client.post(
        f"/agen/daftar-kerja/{here.pk}/kontak/",
        {"outcome": "visited", "contacted_on": "14/12/2026", "note": "Ditemui di banjar"},
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.outcome, contact.contacted_on) == ("visited", dt.date(2026, 12, 14))


def test_another_organisation_is_404_for_an_agent(client, gianyar, ended):
    orgs, agents = gianyar
    here, there = ended
    client.force_login(agents["batubulan"].user)
    for url in (
        f"/agen/daftar-kerja/{there.pk}/kontak/",
        f"/agen/wadah/{orgs['celuk'].pk}/",
        f"/agen/{agents['celuk'].pk}/",
        f"/agen/{agents['ketewel'].pk}/",
        f"/agen/daftar-kerja/?agent={agents['celuk'].pk}",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/agen/daftar-kerja/{there.pk}/kontak/", {}).status_code == 404


def test_an_agent_cannot_manage(client, gianyar):
    orgs, agents = gianyar
    client.force_login(agents["batubulan_coordinator"].user)
    assert client.get("/agen/wadah/baru/").status_code == 403
    assert client.post(f"/agen/wadah/{orgs['batubulan'].pk}/status/", {}).status_code == 403


def test_bulk_assignment_page(client, gianyar, regency_admin):
    agent = gianyar[1]["batubulan"]
    make_person(BATUBULAN)
    client.force_login(regency_admin)
    response = client.post(f"/agen/{agent.pk}/tugaskan/", {"village_code": BATUBULAN}, follow=True)
    assert "1 pekerja kini dikelola Agen Batubulan" in response.content.decode()
    assert Person.objects.get().agent_id == agent.pk


def test_worker_page_shows_the_agent(client, gianyar):
    agent = gianyar[1]["batubulan"]
    client.force_login(agent.user)
    response = client.post("/pekerja/baru/", worker_data())
    person = Person.objects.get()
    assert response.status_code == 302 and person.agent == agent
    assert "Agen Batubulan" in client.get(f"/pekerja/{person.pk}/").content.decode()


def test_worker_export_names_the_agent(client, gianyar, regency_admin):
    agent = gianyar[1]["batubulan"]
    person = make_person(BATUBULAN)
    Person.objects.filter(pk=person.pk).update(agent=agent)
    client.force_login(regency_admin)
    response = client.get("/ekspor/pekerja/", {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.split(",")[-1] == "agen_perisai"
    assert row.split(",")[-1] == "Agen Batubulan"


def test_lists_follow_the_scope(client, gianyar, viewer, make_user):
    orgs, agents = gianyar
    client.force_login(viewer)
    page = client.get("/agen/").content.decode()
    assert "PT Mitra Gianyar Aman" in page and "BumDes Celuk" in page
    assert client.get(f"/agen/wadah/{orgs['holding'].pk}/").status_code == 200
    assert client.get(f"/agen/{agents['celuk'].pk}/").status_code == 200
    client.force_login(agents["ketewel"].user)
    page = client.get("/agen/").content.decode()
    assert "BumDes Ketewel" in page and "BumDes Celuk" not in page
    assert "PT Mitra Gianyar Aman</a>" not in page
    client.force_login(make_user("disnaker.jembrana", "regency_admin", "51.01"))
    assert "BumDes" not in client.get("/agen/").content.decode()
    assert client.get(f"/agen/wadah/{orgs['holding'].pk}/").status_code == 404


def test_an_agent_is_given_some_of_its_wadahs_villages(client, gianyar, regency_admin):
    orgs, agents = gianyar
    agent = agents["batubulan"]
    client.force_login(regency_admin)
    form = {"full_name": agent.full_name, "organisation": orgs["batubulan"].pk}
    response = client.post(f"/agen/{agent.pk}/ubah/", {**form, "villages": [CELUK]})
    assert "Desa 51.04.01.2005 tidak dilayani" in response.content.decode()
    response = client.post(f"/agen/{agent.pk}/ubah/", {**form, "villages": [BATUBULAN]})
    assert response.status_code == 302
    assert list(agent.served.values_list("village_id", flat=True)) == [BATUBULAN]
