"""The daily job: what changes with the date alone, run once a day by the background worker
(:mod:`lindung.selfpay.tasks`) or by hand (``lindung daily [--today D]``).

Every step is idempotent: a second run the same day changes nothing, and a day missed is
caught up by the next run (each step looks at the state, not at what happened yesterday).
"""

import datetime as dt
import logging

from lindung.agents.services import mark_inactive_agents
from lindung.privacy import access
from lindung.programs import services as programs
from lindung.programs.models import add_months
from lindung.selfpay import fees, services
from lindung.signals import records_changed

logger = logging.getLogger(__name__)


def run_daily(*, today: dt.date) -> dict:
    """End sponsored periods that are over, lapse self-payers past the arrears window,
    warn or retire idle agents, recompute the draft fee statements of last month and this
    month, and archive old access-log entries."""
    report = {"today": today.isoformat()}
    report["ended"] = programs.end_finished(user=None, today=today)
    report["lapsed"] = services.lapse_unpaid(today=today)
    report["agents"] = mark_inactive_agents(today)
    statements = {}
    for month in (add_months(today.replace(day=1), -1), today.replace(day=1)):
        try:
            statements[f"{month:%Y-%m}"] = fees.run_fees(month=month).agent_statements
        except fees.FeeRefused as refusal:  # no fee rule yet: nothing to pay, said in the log
            logger.warning("fee run %s: %s", month, refusal.message)
    report["fee_statements"] = statements
    # Access-log entries past the retention period go to the archive (UU PDP).
    report["access_archived"] = access.archive()
    # The dashboards' summary follows the moves of the day (in the background).
    records_changed.send(sender=__name__)
    return report
