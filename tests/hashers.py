"""The password hasher of the test processes.

Production hashes with Django's Argon2 (100 MiB, two passes, eight lanes): about 0.35 CPU
seconds a hash on the CI machine, paid for every user a test creates and every sign-in it
makes, thousands of times a run. The tests hash with the same algorithm (the hashes still
start with ``argon2``, and checking, rehashing and sign-in take the same code path) at its
smallest cost; ``tests/accounts/test_hashing.py`` keeps production's own setting tested.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 8  # KiB: argon2's least for one lane
    parallelism = 1
