"""Demo self-payment: the Sukawati BumDes agents collect from the workers whose sponsored
round ended last month (one, two or three months each, paid this month), hand part of it
to the insurer, and the month's fee statements are computed (lindung.agents.demo builds
the agents, the workers and the program first).

Everything goes through the services, as a user would. Loaded once: nothing is done when
the demo agents already collected something.
"""

import datetime as dt

from lindung.agents.models import Agent
from lindung.programs.lifecycle import State
from lindung.programs.models import Enrollment, add_months
from lindung.selfpay import fees, services
from lindung.selfpay.models import Collection, Method

SUKAWATI = "51.04.01"
METHODS = [Method.CASH, Method.QRIS, Method.CASH, Method.TRANSFER]


def load_demo_selfpay(*, today: dt.date) -> int:
    """Returns how many collections were recorded (0 on a second load)."""
    if Collection.objects.filter(district_code=SUKAWATI).exists():
        return 0
    this_month = today.replace(day=1)
    ended = (
        Enrollment.objects.filter(
            district_code=SUKAWATI, state=State.ENDED, coverage_end__gte=add_months(this_month, -1)
        )  # fmt: skip
        .exclude(agent=None)
        .select_related("person", "agent__user")
        .order_by("id")
    )
    recorded = 0
    paid_on = max(this_month, today - dt.timedelta(days=2))
    for i, enrollment in enumerate(ended):
        if i % 5 in (3, 4):  # two in five have not paid yet: the work list still shows them
            continue
        count = 1 + i % 3
        months = [f"{add_months(this_month, k):%Y-%m}" for k in range(count)]
        agent = enrollment.agent
        services.record_collection(
            user=agent.user if agent.user_id else None,
            nik=enrollment.person.nik,
            months=months,
            paid_on=paid_on,
            method=METHODS[i % len(METHODS)],
            today=today,
        )
        recorded += 1
    for agent in Agent.objects.filter(collections__isnull=False).distinct():
        pending = Collection.objects.filter(agent=agent, deposit__isnull=True)
        if agent.user_id and pending.count() > 1:
            chosen = list(pending.order_by("id").values_list("pk", "total"))[:-1]
            services.record_deposit(
                user=agent.user,
                reference=f"SETOR-{agent.pk:04d}-{today:%Y%m%d}",
                deposited_on=paid_on,
                amount=sum(total for _pk, total in chosen),
                collection_ids=[pk for pk, _total in chosen],
                today=today,
            )
    fees.run_fees(month=this_month)
    return recorded
