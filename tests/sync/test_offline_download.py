"""The offline download in pages (a scope larger than a page comes down whole) and offline
edits over every field of the online worker edit form, with the conflict detection."""

import datetime as dt

import pytest

from lindung.agents.models import Agent, AgentVillage
from lindung.people.models import Person
from lindung.people.services import update_worker
from lindung.privacy.history import Via, changes_through
from lindung.programs.lifecycle import State
from lindung.sync import services
from lindung.sync.models import Conflict
from tests.agents.conftest import make_enrollment, sponsored_program
from tests.programs.conftest import BATUBULAN, make_person
from tests.sync.conftest import client_for, record, send

pytestmark = pytest.mark.django_db

SUKAWATI = "51.04.01.2004"  # another village of the agent's district


def download(client, *, after_path="/api/v1/sync/offline-data"):
    """The phone's download: the first answer, then every page the cursors name."""
    first = client.get(after_path)
    assert first.status_code == 200, first.content
    data = first.json()
    requests = 1
    for name, path in (("workers", "workers"), ("work_items", "work-items")):
        after = data[f"{name}_next"]
        while after is not None:
            page = client.get(f"/api/v1/sync/offline-data/{path}", {"after": after})
            assert page.status_code == 200, page.content
            body = page.json()
            data[name] += body["items"]
            after = body["next"]
            requests += 1
    return data, requests


def test_a_village_larger_than_a_page_downloads_whole(operator, settings):
    settings.LINDUNG_OFFLINE_PAGE_SIZE = 3
    people = [make_person(BATUBULAN, name=f"Pekerja {n}") for n in range(8)]
    program = sponsored_program()
    for person in people[:5]:
        make_enrollment(program, person, state=State.ENDED, coverage_end=dt.date(2026, 10, 31))
    make_person("51.04.02.2001", name="Di luar wilayah")  # another district: not downloaded
    client = client_for(operator)
    first = client.get("/api/v1/sync/offline-data").json()
    assert len(first["workers"]) == 3 and first["workers_truncated"]
    assert first["workers_total"] == 8 and first["work_items_total"] == 5
    data, requests = download(client)
    assert requests == 1 + 2 + 1  # 3 + 3 + 2 workers, 3 + 2 work-list rows
    ids = [w["id"] for w in data["workers"]]
    assert sorted(ids) == sorted(p.pk for p in people) and len(set(ids)) == len(ids)
    items = [i["enrollment_id"] for i in data["work_items"]]
    assert len(items) == len(set(items)) == 5


def test_a_cursor_is_read_safely(operator, settings):
    settings.LINDUNG_OFFLINE_PAGE_SIZE = 2
    people = [make_person(BATUBULAN, name=f"Pekerja {n}") for n in range(3)]
    client = client_for(operator)
    page = client.get("/api/v1/sync/offline-data/workers", {"after": -5}).json()
    assert [w["id"] for w in page["items"]] == [p.pk for p in people[:2]]
    assert page["next"] == people[1].pk
    assert client.get("/api/v1/sync/offline-data/workers", {"after": 10**30}).status_code in (
        200,
        422,
    )
    last = client.get("/api/v1/sync/offline-data/workers", {"after": people[1].pk}).json()
    assert [w["id"] for w in last["items"]] == [people[2].pk] and last["next"] is None
    bad = client.get("/api/v1/sync/offline-data/work-items", {"after": "abc"})
    assert bad.status_code == 422


def test_an_agent_portfolio_larger_than_a_page_downloads_whole_and_nothing_else(agent, settings):
    settings.LINDUNG_OFFLINE_PAGE_SIZE = 2
    perisai = Agent.objects.create(regency_id="51.04", full_name="Ni Wayan Sari", user=agent)
    served = AgentVillage(agent=perisai, village_id=BATUBULAN)
    served.set_region_codes()
    served.save()
    mine = [make_person(BATUBULAN, name=f"Milik {n}") for n in range(5)]
    make_person(SUKAWATI, name="Desa lain")  # the agent's district, not its village
    data, requests = download(client_for(agent))
    assert sorted(w["id"] for w in data["workers"]) == sorted(p.pk for p in mine)
    assert data["workers_total"] == 5 and requests >= 3
    # A masked role: no NIK, birth date or sex to edit or to read.
    assert data["edit_fields"] == [
        f for f in data["edit_fields"] if f not in ("nik", "birth_date", "sex")
    ]
    assert not {"nik", "birth_date", "sex"} & set(data["workers"][0]["values"])


def test_the_operator_copy_holds_every_field_of_the_edit_form(operator):
    person = make_person(BATUBULAN, name="I Made Lengkap")
    data = client_for(operator).get("/api/v1/sync/offline-data").json()
    (copy,) = data["workers"]
    assert data["edit_fields"] == list(services_edit_fields())
    assert copy["values"]["nik"] == person.nik
    assert copy["values"]["birth_date"] == person.birth_date.isoformat()
    assert copy["values"]["declared_income"] == str(person.declared_income)
    assert "mother_maiden_name" not in copy["values"]  # written, never read back
    page = client_for(operator).get("/sinkron/luring/").content.decode()
    for name in services_edit_fields():
        assert (
            f'name="{name}" data-edit' in page
            or f'name="{name}" inputmode' in page
            or (f'name="{name}"' in page)
        )


def services_edit_fields():
    from lindung.people.forms import WorkerForm
    from lindung.sync.selectors import EDIT_FIELDS

    assert set(EDIT_FIELDS) == set(WorkerForm.base_fields)  # the online form's fields
    return EDIT_FIELDS


CHANGES = {
    "full_name": "I Made Lengkap Sekali",
    "birth_place": "Gianyar",
    "address": "Jl. Raya Batubulan 7",
    "phone": "081299998888",
    "occupation": "Petani",
    "category": "pekerja_rentan",
    "declared_income": "1500000",
    "data_source": "musyawarah desa",
    "welfare_decile": "3",
    "has_disability": True,
    "mother_maiden_name": "Ni Ketut Rahasia",
}


def test_an_offline_edit_covers_the_edit_form_fields(operator):
    person = make_person(BATUBULAN, name="I Made Lengkap")
    (copy,) = client_for(operator).get("/api/v1/sync/offline-data").json()["workers"]
    change = record(
        "worker.update",
        {"worker_id": person.pk, "changes": CHANGES},
        base_version=copy["version"],
    )
    (answer,) = send(client_for(operator), [change]).json()["answers"]
    assert answer["status"] in ("accepted", "warned"), answer
    person.refresh_from_db()
    assert person.birth_place == "Gianyar" and person.declared_income == 1_500_000
    assert person.welfare_decile == 3 and person.has_disability is True
    assert person.data_source == "musyawarah desa"
    assert person.mother_maiden_name == "Ni Ketut Rahasia"
    assert answer["version"] == services.worker_version(person)


def test_an_agent_may_not_change_the_hidden_fields_offline(agent):
    perisai = Agent.objects.create(regency_id="51.04", full_name="Ni Wayan Sari", user=agent)
    served = AgentVillage(agent=perisai, village_id=BATUBULAN)
    served.set_region_codes()
    served.save()
    person = make_person(BATUBULAN)
    (copy,) = client_for(agent).get("/api/v1/sync/offline-data").json()["workers"]
    change = record(
        "worker.update",
        {"worker_id": person.pk, "changes": {"birth_date": "1985-02-20"}},
        base_version=copy["version"],
    )
    (answer,) = send(client_for(agent), [change]).json()["answers"]
    assert answer["status"] == "refused" and answer["code"] == "field_hidden"


def test_an_edit_of_many_fields_on_a_stale_copy_is_a_conflict_field_by_field(agent, regency_admin):
    perisai = Agent.objects.create(regency_id="51.04", full_name="Ni Wayan Sari", user=agent)
    served = AgentVillage(agent=perisai, village_id=BATUBULAN)
    served.set_region_codes()
    served.save()
    person = make_person(BATUBULAN, name="I Made Lengkap")
    (copy,) = client_for(agent).get("/api/v1/sync/offline-data").json()["workers"]
    with changes_through(Via.PAGE, user=regency_admin):
        update_worker(user=None, person=person, changes={"data_source": "DTSEN"})
    # The phone also tries the NIK's birth date (its user may not): never applied.
    changes = {**CHANGES, "birth_date": "1985-02-20"}
    stale = record(
        "worker.update", {"worker_id": person.pk, "changes": changes},
        base_version=copy["version"],
    )  # fmt: skip
    (answer,) = send(client_for(agent), [stale]).json()["answers"]
    assert answer["status"] == "conflict" and answer["code"] == "worker_changed"
    person.refresh_from_db()
    assert person.data_source == "DTSEN" and person.birth_place == ""  # nothing applied
    conflict = Conflict.objects.get()
    assert conflict.phone_version["welfare_decile"] == "3"
    assert conflict.phone_version["has_disability"] is True
    assert conflict.server_version["data_source"] == "DTSEN"
    report = client_for(regency_admin).get(f"/sinkron/konflik/{conflict.pk}/").content.decode()
    assert "desil DTSEN" in report and "penyandang disabilitas" in report
    assert "musyawarah desa" in report and "DTSEN" in report
    services.resolve_conflict(user=regency_admin, conflict=conflict, action="apply_phone")
    person.refresh_from_db()
    assert person.data_source == "musyawarah desa" and person.welfare_decile == 3
    assert person.birth_date == dt.date(1985, 2, 19)  # the agent's hidden change is left out


def test_the_person_count_matches_the_download(operator):
    for n in range(4):
        make_person(BATUBULAN, name=f"Pekerja {n}")
    data = client_for(operator).get("/api/v1/sync/offline-data").json()
    assert data["workers_total"] == Person.objects.count() == len(data["workers"])
    assert data["workers_next"] is None and data["page_size"] == 500
