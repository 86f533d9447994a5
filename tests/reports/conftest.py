"""The claims tests' builders serve the reports too (a Gianyar program of 2026)."""

from tests.claims.conftest import frozen_today, sponsor_program

__all__ = ["frozen_today", "sponsor_program"]
