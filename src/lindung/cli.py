"""The ``lindung`` command: Django's management with the project's own commands."""

import os
import shutil
import sys
from pathlib import Path


def _metrics_across_processes() -> None:
    """``lindung serve`` runs several processes: their request counters for ``/metrics``
    are kept in files that every process adds to (prometheus_client's multiprocess mode).
    It must be chosen before anything imports prometheus_client, so here, and the folder
    is emptied at each start so the counters begin at zero with the server."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        return
    folder = Path(os.environ.get("LINDUNG_VAR_DIR", Path.cwd() / "var")).resolve() / "prometheus"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
    if sys.argv[1:2] == ["serve"]:
        _metrics_across_processes()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lindung", *sys.argv[1:]])


if __name__ == "__main__":
    main()
