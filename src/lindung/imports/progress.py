"""A progress bar for the terminal, drawn on stderr: no dependency, one line, redrawn."""

import sys
import time

from lindung.formatting import number
from lindung.imports.models import ImportJob

PHASES = {
    ImportJob.Phase.READING: "membaca",
    ImportJob.Phase.VALIDATING: "memeriksa",
    ImportJob.Phase.LOADING: "menyimpan",
    ImportJob.Phase.FINISHED: "selesai",
}


class Bar:
    def __init__(self, stream=None, width: int = 30, every: float = 0.2):
        self.stream = stream or sys.stderr
        self.width = width
        self.every = every
        self.started = time.monotonic()
        self.last = 0.0

    def __call__(self, job: ImportJob) -> None:
        now = time.monotonic()
        final = job.phase == ImportJob.Phase.FINISHED
        if not final and now - self.last < self.every:
            return
        self.last = now
        done = job.percent
        filled = self.width * done // 100
        elapsed = now - self.started
        rate = job.rows_loaded / elapsed if elapsed and job.rows_loaded else 0
        line = (
            f"\r[{'#' * filled}{'-' * (self.width - filled)}] {done:3d}% "
            f"{PHASES.get(job.phase, job.phase)}: {number(job.rows_loaded)}/"
            f"{number(job.rows_total)} baris"
            + (f" · {number(int(rate))} baris/detik" if rate else "")
        )
        self.stream.write(line.ljust(100))
        if final:
            self.stream.write("\n")
        self.stream.flush()
