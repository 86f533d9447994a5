import pytest
from django.db import transaction

from tests.security import world as security_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The security world, built once per module inside a transaction rolled back at the end
    (each test still runs in its own savepoint through ``db``)."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = security_world.build()
        yield built
        transaction.set_rollback(True)
