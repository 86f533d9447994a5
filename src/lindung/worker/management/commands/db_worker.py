"""``lindung db_worker``: django-tasks-db's worker, made safe to run several at once.

On start it queues the periodic jobs (the daily job, and on PostgreSQL the partitions
made ahead) when none is waiting, so a fresh
installation needs no cron. While it runs, a thread beats for it and hands back the jobs of
workers that died (``lindung.worker.lifecycle``); on a clean stop its heartbeat is removed.
"""

import logging
import threading

from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from lindung.worker import lifecycle

logger = logging.getLogger("lindung.worker")


class Heartbeat(threading.Thread):
    def __init__(self, worker_id: str):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self):
        # The worker beat once before starting this thread: the first beat here is one
        # interval later (and a worker that stops at once never touches the database here).
        while not self.stopped.wait(lifecycle.beat_seconds()):
            try:
                close_old_connections()
                lifecycle.beat(self.worker_id)
                reaped = lifecycle.reap_lost_jobs()
                if reaped["retried"] or reaped["failed"]:
                    logger.warning("Pekerjaan dari pekerja yang mati: %s", reaped)
            except Exception:  # the worker goes on; the next beat tries again
                logger.exception("Tanda hidup pekerja gagal ditulis")
        connection.close()


class Command(DatabaseWorker):
    def handle(self, *args, **options):
        from lindung.selfpay.tasks import ensure_scheduled
        from lindung.worker.tasks import ensure_partitions_scheduled

        worker_id = options["worker_id"]
        lifecycle.beat(worker_id)
        lifecycle.reap_lost_jobs()
        ensure_scheduled()
        ensure_partitions_scheduled()
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        try:
            return super().handle(*args, **options)
        finally:
            heartbeat.stopped.set()
            heartbeat.join(timeout=5)
            lifecycle.stop(worker_id)
