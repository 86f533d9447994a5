"""Reads of self-paid continuation, always through the region scope (and, for an agent's
user, its portfolio)."""

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404

from lindung.accounts.scope import scoped
from lindung.agents.selectors import get_agent, portfolio
from lindung.selfpay.models import Collection, FeeLine, FeeStatement


def collections_for(user) -> QuerySet[Collection]:
    collections = scoped(user, Collection.objects.all())
    own = portfolio(user)
    if own is not None:
        collections = collections.filter(own)
    return collections.select_related("person", "enrollment", "agent", "collected_by")


def get_collection(user, pk) -> Collection:
    try:
        return collections_for(user).prefetch_related("lines").get(pk=int(pk))
    except (Collection.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


def agent_statement(user, agent_id, month: dt.date) -> FeeStatement | None:
    """An agent's statement of a month (the agent must be visible to the user: else 404)."""
    agent = get_agent(user, agent_id)
    return (
        FeeStatement.objects.filter(agent=agent, month=month)
        .select_related("rule", "agent", "approved_by")
        .first()
    )


def organisation_statement(organisation, month: dt.date) -> FeeStatement | None:
    return (
        FeeStatement.objects.filter(organisation=organisation, month=month)
        .select_related("rule", "organisation")
        .first()
    )


def statement_lines(statement: FeeStatement) -> QuerySet[FeeLine]:
    return statement.lines.select_related(
        "person", "collection_line", "source_statement__agent"
    ).order_by("kind", "person__full_name", "contribution_month", "id")


def statements_for(user) -> QuerySet[FeeStatement]:
    """The fee statements of the agents and Wadah the user may see."""
    from django.db.models import Q

    from lindung.agents.selectors import agents_for, organisations_for

    visible = Q(agent__in=agents_for(user).values("pk")) | Q(
        organisation__in=organisations_for(user).values("pk")
    )
    return FeeStatement.objects.filter(visible).select_related("agent", "organisation", "rule")


def get_statement(user, pk) -> FeeStatement:
    try:
        return statements_for(user).get(pk=int(pk))
    except (FeeStatement.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


def deposits_for(user):
    from lindung.accounts.scope import scope_code
    from lindung.selfpay.models import Deposit

    scope = scope_code(user)
    deposits = Deposit.objects.all()
    if scope == "-":
        return deposits.none()
    if scope is not None:
        # A deposit belongs to one regency; users below it see those of their regency.
        deposits = deposits.filter(regency_code=scope[:5]) if len(scope) >= 5 else (
            deposits.filter(regency_code__startswith=f"{scope}.")
        )  # fmt: skip
    return deposits.select_related("created_by")
