"""Shared fixtures. The same suite runs on SQLite and on PostgreSQL (``DATABASE_URL``).

Tests that need committed data (browser tests against a live server, concurrency tests)
use ``transactional_db``; they are marked ``live`` automatically and run in a pytest
pass of their own, because flushing their database would empty the region table the
other tests share.
"""

import pytest
from django.conf import settings as settings_module
from django.utils import translation

from lindung.accounts.models import Role
from lindung.accounts.services import create_user
from lindung.contributions.defaults import ensure_default_rates
from lindung.people.occupations import ensure_occupations
from lindung.regions.models import Region
from lindung.regions.services import load_official_regions
from tests import dbtemplate
from tests.factories import PASSWORD


def pytest_configure(config):
    """Passwords are hashed cheaply in the test processes (``tests/hashers.py``); the
    drills' own ``lindung`` processes keep production's settings."""
    settings_module.PASSWORD_HASHERS = [
        "tests.hashers.QuickArgon2PasswordHasher",
        *(h for h in settings_module.PASSWORD_HASHERS if not h.endswith(".Argon2PasswordHasher")),
    ]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if {"live_server", "transactional_db"} & set(item.fixturenames):
            item.add_marker(pytest.mark.live)


@pytest.fixture(autouse=True)
def indonesian_first():
    """Every test starts in Indonesian: a request in English earlier in the same process
    leaves its language on the thread, and messages made outside a request follow it."""
    translation.activate(settings_module.LANGUAGE_CODE)
    yield
    translation.activate(settings_module.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def figures_not_kept(settings):
    """Figures are computed afresh in every test: a test's rows are rolled back, and a
    figure kept by one test under the same version would be wrong in the next. The cache
    has its own tests (``tests/coverage/test_cache.py``)."""
    settings.LINDUNG_FIGURES_CACHE_SECONDS = 0


@pytest.fixture(scope="session")
def db_template(request, django_db_modify_db_settings_parallel_suffix):
    """This process's test database and the run's template (``tests/dbtemplate.py``)."""
    return dbtemplate.prepare(getattr(request.config, "workerinput", {}).get("workerid"))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, db_template):
    """The test database's name is settled (and its copy made) before it is set up."""


@pytest.fixture(scope="session")
def django_db_keepdb(request, db_template):
    """A copy of the run's template is used as it is: the migrations have run in it."""
    return db_template.copied or request.config.getvalue("reuse_db")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, db_template):
    """Every test database starts with the whole official region list."""
    with django_db_blocker.unblock():
        if not db_template.copied:
            load_official_regions()
            dbtemplate.keep(db_template)
    yield
    with django_db_blocker.unblock():
        dbtemplate.drop_copy(db_template)


@pytest.fixture
def bali_regions(transactional_db):
    """For tests on a flushed (transactional) database: what migrations seed (occupations,
    rate tables) and Bali's regions, loaded if missing."""
    ensure_occupations()
    ensure_default_rates()
    if not Region.objects.filter(code="51.04.01.2001").exists():
        load_official_regions(prefixes=("51",))


@pytest.fixture
def make_user(db):
    def make(username, role, region=None, password=PASSWORD):
        return create_user(username=username, role=role, region_code=region, password=password)

    return make


@pytest.fixture
def operator(make_user):
    """The operator of Desa Batubulan, Sukawati, Gianyar."""
    return make_user("op.batubulan", Role.VILLAGE_OPERATOR, "51.04.01.2001")


@pytest.fixture
def regency_admin(make_user):
    return make_user("disnaker.gianyar", Role.REGENCY_ADMIN, "51.04")


@pytest.fixture
def system_admin(make_user):
    return make_user("admin", Role.SYSTEM_ADMIN, None)


@pytest.fixture
def agent(make_user):
    return make_user("agen.sukawati", Role.AGENT, "51.04.01")


@pytest.fixture
def viewer(make_user):
    return make_user("bupati", Role.VIEWER, "51.04")
