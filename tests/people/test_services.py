import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from lindung.people import selectors, services
from lindung.people.models import Person
from tests.factories import TODAY, nik_for, worker_data

pytestmark = pytest.mark.django_db


def test_register_stores_region_codes_of_every_level(operator):
    person = services.register_worker(user=operator, data=worker_data(), today=TODAY)
    person.refresh_from_db()
    assert (person.village_id, person.district_code, person.regency_code, person.province_code) == (
        "51.04.01.2001",
        "51.04.01",
        "51.04",
        "51",
    )
    assert person.created_by == operator


def test_a_nik_is_registered_once(operator):
    services.register_worker(user=operator, data=worker_data(), today=TODAY)
    with pytest.raises(services.WorkerInvalid) as refused:
        services.register_worker(user=operator, data=worker_data(full_name="Orang Lain"))
    assert [p.code for p in refused.value.problems] == ["exists"]
    assert Person.objects.count() == 1


def test_invalid_data_writes_nothing(operator):
    with pytest.raises(services.WorkerInvalid):
        services.register_worker(user=operator, data=worker_data(sex="P"), today=TODAY)
    assert not Person.objects.exists()


def test_update_checks_the_whole_record_again(operator):
    person = services.register_worker(user=operator, data=worker_data(), today=TODAY)
    services.update_worker(user=operator, person=person, changes={"full_name": "I Made Baru"})
    assert Person.objects.get().full_name == "I Made Baru"
    with pytest.raises(services.WorkerInvalid) as refused:
        services.update_worker(user=operator, person=person, changes={"sex": "P"})
    assert [p.code for p in refused.value.problems] == ["sex_mismatch"]
    with pytest.raises(services.WorkerInvalid) as moved:
        services.update_worker(
            user=operator, person=person, changes={"village_code": "51.04.01.2002"}
        )
    assert [p.code for p in moved.value.problems] == ["village_out_of_scope"]


def test_update_to_a_nik_that_exists_is_refused(operator):
    first = services.register_worker(user=operator, data=worker_data(), today=TODAY)
    other_nik = nik_for("51.04.01", first.birth_date, "L", 2)
    second = services.register_worker(user=operator, data=worker_data(nik=other_nik))
    with pytest.raises(services.WorkerInvalid) as refused:
        services.update_worker(user=operator, person=second, changes={"nik": first.nik})
    assert [p.code for p in refused.value.problems] == ["exists"]


def test_viewers_cannot_write(viewer):
    with pytest.raises(PermissionDenied):
        services.register_worker(user=viewer, data=worker_data(), today=TODAY)


def test_scope_hides_other_villages_at_every_level(operator, regency_admin, make_user):
    mine = services.register_worker(user=None, data=worker_data())
    ketewel = services.register_worker(
        user=None,
        data=worker_data(
            nik=nik_for("51.04.01", mine.birth_date, "L", 2), village_code="51.04.01.2002"
        ),
    )
    jembrana = services.register_worker(
        user=None,
        data=worker_data(
            nik=nik_for("51.01.01", mine.birth_date, "L", 3), village_code="51.01.01.2001"
        ),
    )
    province = make_user("prov", "viewer", "51")
    district = make_user("kec", "agent", "51.04.01")
    assert list(selectors.workers_for(operator)) == [mine]
    assert set(selectors.workers_for(district)) == {mine, ketewel}
    assert set(selectors.workers_for(regency_admin)) == {mine, ketewel}
    assert set(selectors.workers_for(province)) == {mine, ketewel, jembrana}
    assert selectors.get_worker(operator, mine.pk) == mine
    with pytest.raises(Http404):
        selectors.get_worker(operator, ketewel.pk)


def test_search_by_nik_name_village_and_category(regency_admin):
    person = services.register_worker(user=None, data=worker_data())
    assert list(selectors.workers_for(regency_admin, nik=person.nik)) == [person]
    assert list(selectors.workers_for(regency_admin, nik=person.nik[:8])) == [person]
    assert list(selectors.workers_for(regency_admin, q="sudarsana")) == [person]
    assert list(selectors.workers_for(regency_admin, village="51.04.01")) == [person]
    assert list(selectors.workers_for(regency_admin, village="51.04.02")) == []
    assert list(selectors.workers_for(regency_admin, category="kader_desa")) == []


def test_a_user_without_region_sees_nothing(make_user):
    services.register_worker(user=None, data=worker_data())
    user = make_user("tanpa.wilayah", "system_admin", None)
    user.role = "viewer"
    assert not selectors.workers_for(user).exists()
