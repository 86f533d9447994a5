"""The hand-built Gianyar of the coverage tests, for the dashboards tests too."""

from tests.coverage.conftest import gianyar  # noqa: F401
