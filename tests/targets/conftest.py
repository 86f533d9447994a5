"""The hand-built Gianyar of the coverage tests, for the targets tests too."""

from tests.coverage.conftest import gianyar  # noqa: F401
