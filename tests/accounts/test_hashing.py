"""Production hashes passwords with Argon2 at Django's cost; the tests hash cheaper
(``tests/hashers.py``), so production's own setting is checked here."""

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password

from lindung import settings as production


def test_production_hashes_with_django_argon2_first():
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_the_tests_hash_with_argon2_too_and_still_read_production_hashes():
    assert settings.PASSWORD_HASHERS[0] == "tests.hashers.QuickArgon2PasswordHasher"
    assert make_password("Rahasia-Sekali-123").startswith("argon2$argon2id$")
    # A hash made at production's cost (as in a database a drill's process wrote) is read.
    production_hash = Argon2PasswordHasher().encode("Rahasia-Sekali-123", "garamgaramgaram1")
    assert "m=102400" in production_hash
    assert check_password("Rahasia-Sekali-123", production_hash)
