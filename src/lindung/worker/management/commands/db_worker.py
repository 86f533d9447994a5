"""``lindung db_worker``: django-tasks-db's worker, which first queues the periodic jobs
(the daily job) when none is waiting, so a fresh installation needs no cron."""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker


class Command(DatabaseWorker):
    def handle(self, *args, **options):
        from lindung.selfpay.tasks import ensure_scheduled

        ensure_scheduled()
        return super().handle(*args, **options)
