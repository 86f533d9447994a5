"""What several background workers need to share one queue safely.

django-tasks-db already hands each job to one worker (``SELECT … FOR UPDATE SKIP LOCKED``).
What it does not know is when a worker dies mid-job (kill -9, a lost machine): the job stays
"running" for ever. Each worker therefore writes a heartbeat, and the others give the jobs of
a worker whose heartbeat stopped back to the queue, or fail them with the reason after too
many tries (``lindung.worker.lifecycle``). Periodic jobs claim their period, so a night's
run happens once whichever worker picks it up, and however many copies were queued.
"""

from django.db import models


class WorkerBeat(models.Model):
    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class PeriodRun(models.Model):
    """One row per periodic job and period (``daily``, ``2026-12-07``): taken by one run."""

    job = models.CharField(max_length=100)
    period = models.CharField(max_length=20)
    worker_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="worker_period_run_once")
        ]

    def __str__(self):
        return f"{self.job} {self.period}"
