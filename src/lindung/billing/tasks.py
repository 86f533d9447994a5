"""Background billing runs (django-tasks, database backend; run by ``lindung db_worker``).

A run of a large program (a province's) takes seconds to minutes: the page hands it to the
worker instead of holding the request. Small programs run at once (see ``views.run``).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django_tasks import task

from lindung.billing import services
from lindung.billing.run import BillingRefused


@task()
def run_billing_task(program_id: int, month: str, today: str, user_id: int | None) -> dict:
    from lindung.accounts.models import User
    from lindung.programs.models import Program

    user = User.objects.filter(pk=user_id).first() if user_id is not None else None
    program = Program.objects.get(pk=program_id)
    try:
        result = services.run_billing(
            user=user,
            program=program,
            month=dt.date.fromisoformat(month),
            today=dt.date.fromisoformat(today),
            via="web",
        )
    except BillingRefused as refusal:
        return {"status": "refused", **refusal.as_dict()}
    return {"status": "done", **result.as_dict()}


def enqueue_billing(*, user, program, month: dt.date, today: dt.date) -> str:
    """Hand a run to the background worker once the current transaction commits."""
    if not services.can_run(user, program):
        raise PermissionDenied
    result = run_billing_task.enqueue(
        program.pk, month.isoformat(), today.isoformat(), user.pk if user else None
    )
    return str(result.id)
