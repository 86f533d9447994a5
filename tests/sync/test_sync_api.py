"""``POST /api/v1/sync``: every kind of answer, idempotence, scope, a revoked device, the
batch limit and the conflicts, each applied by the online services."""

import datetime as dt
import time
import uuid

import pytest

from lindung.people.models import Person
from lindung.people.services import update_worker
from lindung.privacy.history import Via, changes_through
from lindung.selfpay.models import Collection
from lindung.sync import services
from lindung.sync.models import Conflict, Device, SyncRecord
from tests.factories import nik_for, worker_data
from tests.programs.conftest import NEGARA_JEMBRANA, make_person
from tests.sync.conftest import DEVICE, client_for, record, send

pytestmark = pytest.mark.django_db


def register(nik_serial=1, **overrides):
    nik = nik_for("51.04.01", dt.date(1985, 2, 19), "L", nik_serial)
    return record("worker.create", worker_data(nik=nik, **overrides))


def test_a_worker_registered_offline_is_accepted_once_and_the_replay_gets_the_same_answer(
    operator,
):
    client = client_for(operator)
    one = register()
    first = send(client, [one])
    assert first.status_code == 200, first.content
    answer = first.json()["answers"][0]
    assert answer["status"] == "accepted" and answer["object_id"]
    person = Person.objects.get()
    assert answer["version"] == services.worker_version(person)
    again = send(client, [one]).json()["answers"][0]
    assert again == {**answer, "replayed": True}
    assert Person.objects.count() == 1 and SyncRecord.objects.count() == 1
    history = person.history.get()
    assert history.history_via == "api" and history.history_via_detail.startswith("sync ")
    assert history.history_user == operator


def test_accepted_with_warnings_keeps_the_record_and_says_why(operator):
    answer = send(client_for(operator), [register(occupation="Penjinak Ular")]).json()
    (only,) = answer["answers"]
    assert only["status"] == "warned"
    assert [w["code"] for w in only["warnings"]] == ["occupation_unknown"]
    assert Person.objects.count() == 1


def test_refused_with_the_same_codes_and_messages_as_online_and_not_kept(operator):
    client = client_for(operator)
    bad = worker_data(nik="51040119028", phone="abc")
    online = client.post("/api/v1/workers", bad, content_type="application/json").json()
    answer = send(client, [record("worker.create", bad)]).json()["answers"][0]
    assert answer["status"] == "refused"
    assert answer["errors"] == online["errors"]
    assert answer["code"] == online["errors"][0]["code"]
    assert not Person.objects.exists() and not SyncRecord.objects.exists()


def test_broken_records_are_refused_one_by_one_and_the_rest_applied(operator):
    records = [
        "not an object",
        {"client_id": "not-a-uuid", "kind": "worker.create", "payload": {}},
        {"client_id": str(uuid.uuid4()), "kind": "worker.delete", "payload": {}},
        {"client_id": str(uuid.uuid4()), "kind": "worker.create", "payload": [1, 2]},
        record(
            "contact.create", {"enrollment_id": 1, "outcome": "called", "contacted_on": "kemarin"}
        ),
        record("worker.create", {"nik": {"digits": 1}, "full_name": ["x"]}),
        register(),
    ]
    answers = send(client_for(operator), records).json()["answers"]
    assert [a["status"] for a in answers] == ["refused"] * 6 + ["accepted"]
    codes = [a["code"] for a in answers]
    assert codes[:6] == ["record_invalid", "record_invalid", "kind_unknown", "record_invalid",
                         "invalid", "invalid"]  # fmt: skip
    # Read by the online operation's own schema: the same fields, code and message.
    assert [e["field"] for e in answers[4]["errors"]] == ["contacted_on"]
    assert {e["field"] for e in answers[5]["errors"]} >= {"nik", "full_name"}
    assert answers[5]["message"] == "Isian tidak sah: periksa jenis dan format nilai ini."
    assert "worker.create" in answers[2]["message"]
    assert Person.objects.count() == 1


def test_a_village_outside_the_scope_and_a_worker_outside_it_are_refused(operator):
    stranger = make_person(NEGARA_JEMBRANA)
    outside = record(
        "worker.create",
        worker_data(
            nik=nik_for("51.01.01", dt.date(1985, 2, 19), "L", 77), village_code=NEGARA_JEMBRANA
        ),
    )
    change = record(
        "worker.update",
        {"worker_id": stranger.pk, "changes": {"phone": "081299990000"}},
        base_version=services.worker_version(stranger),
    )
    answers = send(client_for(operator), [outside, change]).json()["answers"]
    assert answers[0]["status"] == "refused"
    assert "village_out_of_scope" in [e["code"] for e in answers[0]["errors"]]
    assert answers[1]["status"] == "refused" and answers[1]["code"] == "not_found"
    stranger.refresh_from_db()
    assert stranger.phone != "081299990000"
    assert Person.objects.count() == 1


def test_a_revoked_device_has_its_new_records_refused(operator, regency_admin):
    client = client_for(operator)
    first = register(1)
    accepted = send(client, [first]).json()["answers"][0]
    device = Device.objects.get(uuid=DEVICE, user=operator)
    services.revoke_device(user=regency_admin, device=device)
    answers = send(client, [register(2), first]).json()["answers"]
    assert answers[0]["status"] == "refused" and answers[0]["code"] == "device_revoked"
    assert "dicabut" in answers[0]["message"]
    assert answers[1] == {**accepted, "replayed": True}  # what it sent before stays answered
    assert Person.objects.count() == 1


def test_a_client_id_of_another_user_is_refused(operator, agent):
    mine = register(1)
    send(client_for(operator), [mine])
    theirs = send(client_for(agent), [{**register(2), "client_id": mine["client_id"]}])
    answer = theirs.json()["answers"][0]
    assert answer["status"] == "refused" and answer["code"] == "client_id_taken"
    assert Person.objects.count() == 1


def test_a_viewer_may_not_sync_and_a_bad_device_id_is_a_422(viewer, operator):
    assert send(client_for(viewer), [register()]).status_code == 403
    bad = send(client_for(operator), [register()], device="telepon-saya")
    assert bad.status_code == 422 and bad.json()["errors"][0]["code"] == "device_invalid"
    assert not Person.objects.exists()


def test_a_worker_changed_on_the_server_since_the_phone_copy_is_a_conflict(operator, regency_admin):
    client = client_for(operator)
    created = send(client, [register()]).json()["answers"][0]
    person = Person.objects.get()
    with changes_through(Via.PAGE, user=regency_admin):  # as the edit page does
        update_worker(user=regency_admin, person=person, changes={"address": "Banjar Kelod"})
    stale = record(
        "worker.update",
        {"worker_id": person.pk, "changes": {"phone": "081211112222", "address": "Banjar Tengah"}},
        base_version=created["version"],
    )
    answer = send(client, [stale]).json()["answers"][0]
    assert answer["status"] == "conflict" and answer["code"] == "worker_changed"
    person.refresh_from_db()
    assert person.address == "Banjar Kelod" and person.phone == "081234567890"  # nothing applied
    conflict = Conflict.objects.get(pk=answer["conflict_id"])
    assert conflict.server_version["address"] == "Banjar Kelod"
    assert conflict.phone_version == {"phone": "081211112222", "address": "Banjar Tengah"}
    assert conflict.server_changed_by == regency_admin.username
    # The same record again: the same conflict, not a second one.
    assert send(client, [stale]).json()["answers"][0]["conflict_id"] == conflict.pk
    assert Conflict.objects.count() == 1

    with changes_through(Via.PAGE, user=operator):
        services.resolve_conflict(user=operator, conflict=conflict, action="apply_phone")
    person.refresh_from_db()
    assert person.phone == "081211112222" and person.address == "Banjar Tengah"
    assert person.history.latest().history_user == operator
    resolved = conflict.history.latest()
    assert resolved.resolution == "applied_phone" and resolved.history_user == operator
    with pytest.raises(services.SyncRefused) as closed:
        services.resolve_conflict(user=operator, conflict=conflict, action="keep_server")
    assert closed.value.code == "conflict_closed"


def test_an_update_on_the_current_version_is_applied(operator):
    client = client_for(operator)
    created = send(client, [register()]).json()["answers"][0]
    change = record(
        "worker.update",
        {"worker_id": created["object_id"], "changes": {"phone": "081277778888"}},
        base_version=created["version"],
    )
    answer = send(client, [change]).json()["answers"][0]
    assert answer["status"] == "accepted" and answer["version"] != created["version"]
    assert Person.objects.get().phone == "081277778888"
    missing = record("worker.update", {"worker_id": created["object_id"], "changes": {}})
    assert send(client, [missing]).json()["answers"][0]["code"] == "base_version_required"


def test_the_same_nik_registered_by_two_people_offline_is_a_conflict(operator, agent):
    send(client_for(operator), [register(1)])
    second = register(1, full_name="I Made Sudarsana Putra", phone="081255556666")
    answer = send(client_for(agent), [second]).json()["answers"][0]
    assert answer["status"] == "conflict" and answer["code"] == "nik_twice"
    conflict = Conflict.objects.get()
    assert conflict.server_version["full_name"] == "I Made Sudarsana"
    assert conflict.phone_version["full_name"] == "I Made Sudarsana Putra"
    assert Person.objects.count() == 1
    # A NIK registered online (not from a phone) is refused as online.
    make_person(serial=50)
    online_nik = Person.objects.get(full_name="I Made Sudarsana", nik__endswith="0050").nik
    refused = send(client_for(operator), [record("worker.create", worker_data(nik=online_nik))])
    assert refused.json()["answers"][0]["code"] == "exists"


def test_keeping_the_server_version_drops_the_phone_record(operator, regency_admin):
    send(client_for(operator), [register(1)])
    send(client_for(regency_admin), [register(1, phone="081200001111")])
    conflict = Conflict.objects.get()
    services.resolve_conflict(user=regency_admin, conflict=conflict, action="keep_server")
    assert Person.objects.get().phone == "081234567890"
    assert conflict.history.latest().resolution == "kept_server"


@pytest.fixture
def ended_worker(db):
    from lindung.programs.services import create_program
    from tests.programs.conftest import program_data
    from tests.selfpay.conftest import ended_enrollment

    program = create_program(
        user=None,
        data=program_data(name="Pekerja Rentan Gianyar 2026", year=2026, rounds="04/2026"),
    )
    return ended_enrollment(program)


def collect(enrollment, months, **extra):
    body = {"nik": enrollment.person.nik, "months": months, "paid_on": "2026-11-25",
            "method": "cash", **extra}  # fmt: skip
    return record("collection.create", body)


def test_a_collection_priced_by_the_server_is_accepted_with_a_warning(operator, ended_worker):
    answer = send(client_for(operator), [collect(ended_worker, ["2026-11"])]).json()
    (only,) = answer["answers"]
    assert only["status"] == "warned" and only["warnings"][0]["code"] == "priced_by_server"
    assert "Rp 8.400" in only["warnings"][0]["message"]
    priced = send(client_for(operator), [collect(ended_worker, ["2026-12"], amount=8400)])
    assert priced.json()["answers"][0]["status"] == "accepted"
    wrong = send(client_for(operator), [collect(ended_worker, ["2027-01"], amount=1000)])
    assert wrong.json()["answers"][0]["code"] == "amount_mismatch"
    assert Collection.objects.count() == 2


def test_a_month_collected_twice_offline_is_a_conflict(operator, agent, ended_worker):
    from lindung.agents.models import Agent, AgentVillage

    perisai = Agent.objects.create(regency_id="51.04", full_name="Ni Wayan Sari", user=agent)
    served = AgentVillage(agent=perisai, village_id=ended_worker.village_id)
    served.set_region_codes()
    served.save()
    send(client_for(operator), [collect(ended_worker, ["2026-11"], amount=8400)])
    answer = send(client_for(agent), [collect(ended_worker, ["2026-11"], amount=8400)]).json()
    assert answer["answers"][0]["status"] == "conflict"
    assert answer["answers"][0]["code"] == "month_twice"
    conflict = Conflict.objects.get()
    assert conflict.server_version["months"] == ["2026-11"]
    assert conflict.server_changed_by == operator.username
    assert Collection.objects.count() == 1
    with pytest.raises(services.SyncRefused) as refused:
        services.resolve_conflict(user=agent, conflict=conflict, action="apply_phone")
    assert refused.value.code == "resolution_not_possible"


def test_a_contact_recorded_offline(agent, ended_worker):
    from lindung.agents.models import Agent, AgentVillage, Contact

    perisai = Agent.objects.create(regency_id="51.04", full_name="Ni Wayan Sari", user=agent)
    served = AgentVillage(agent=perisai, village_id=ended_worker.village_id)
    served.set_region_codes()
    served.save()
    good = record("contact.create", {"enrollment_id": ended_worker.pk, "outcome": "visited",
                                     "contacted_on": "2026-11-24"})  # fmt: skip
    future = record("contact.create", {"enrollment_id": ended_worker.pk, "outcome": "visited",
                                       "contacted_on": "2026-12-24"})  # fmt: skip
    answers = send(client_for(agent), [good, future]).json()["answers"]
    assert answers[0]["status"] == "accepted"
    assert answers[1]["code"] == "date_in_future" and "24/12/2026" in answers[1]["message"]
    assert Contact.objects.get().contacted_on == dt.date(2026, 11, 24)


def test_a_batch_of_ten_thousand_records_is_answered_per_record(operator, settings):
    settings.LINDUNG_SYNC_BATCH_LIMIT = 100
    # Full registrations first, then small records (the body limit is 2.5 MB, see the guide).
    records = [register(serial) for serial in range(1, 101)]
    records += [record("contact.create", {"enrollment_id": 0}) for _ in range(9_900)]
    started = time.perf_counter()
    response = send(client_for(operator), records)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    answers = response.json()["answers"]
    assert len(answers) == 10_000
    assert [a["client_id"] for a in answers] == [r["client_id"] for r in records]
    assert {a["status"] for a in answers[:100]} == {"accepted"}
    assert {a["status"] for a in answers[100:]} == {"deferred"}
    assert answers[100]["code"] == "batch_limit" and "100" in answers[100]["message"]
    assert Person.objects.count() == 100
    # Sent again: the applied ones are not applied twice, the deferred ones are looked at.
    again = send(client_for(operator), records[:100]).json()["answers"]
    assert all(a["replayed"] for a in again)
    later = send(client_for(operator), records[100:200]).json()["answers"]
    assert {a["code"] for a in later} == {"invalid"}  # a contact needs its outcome
    assert Person.objects.count() == 100
    print(f"10,000-record batch answered in {elapsed:.1f} s")
