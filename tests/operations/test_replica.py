"""The read replica's router: which reads go to the standby, and when they fall back."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from lindung.operations import replica
from lindung.operations.models import RecentWrite
from lindung.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def standby(monkeypatch):
    """A configured replica whose health the test sets."""
    health = {"healthy": True, "lag": 0.2, "error": ""}
    monkeypatch.setattr(replica, "configured", lambda: True)
    monkeypatch.setattr(replica, "replica_status", lambda force=False: health)
    return health


def read_alias(request) -> str:
    """The alias the router gives a read made while the middleware handles ``request``."""
    seen = []

    def view(request):
        seen.append(replica.ReplicaRouter().db_for_read(Person))
        return HttpResponse("ok")

    replica.ReadFromReplica(view)(request)
    return seen[0]


def get(path, user):
    request = RequestFactory().get(path)
    request.user = user
    return request


def test_dashboards_exports_and_lists_read_from_the_replica(standby, regency_admin):
    for path in ("/dasbor/", "/ekspor/pekerja/", "/laporan/inpres/", "/api/v1/indicators",
                 "/api/v1/workers"):  # fmt: skip
        assert read_alias(get(path, regency_admin)) == "replica", path
    for path in ("/pekerja/", "/program/1/", "/api/v1/workers/5"):
        assert read_alias(get(path, regency_admin)) == "default", path
    assert replica.ReplicaRouter().db_for_read(Person) == "default"  # outside a request
    assert replica.ReplicaRouter().db_for_write(Person) == "default"


def test_a_user_reads_their_own_writes_from_the_primary(standby, regency_admin, settings):
    post = RequestFactory().post("/pekerja/baru/")
    post.user = regency_admin
    replica.ReadFromReplica(lambda request: HttpResponse("ok"))(post)
    assert RecentWrite.objects.filter(user=regency_admin).exists()
    assert read_alias(get("/dasbor/", regency_admin)) == "default"
    settings.LINDUNG_REPLICA_STICKY_SECONDS = 0
    assert read_alias(get("/dasbor/", regency_admin)) == "replica"


def test_reads_fall_back_when_the_replica_is_down_or_behind(standby, regency_admin):
    standby.update(healthy=False, error="tertinggal 45 detik (batas 30)")
    assert read_alias(get("/dasbor/", regency_admin)) == "default"


def test_without_a_replica_nothing_changes(regency_admin):
    assert not replica.configured()
    assert read_alias(get("/dasbor/", regency_admin)) == "default"
