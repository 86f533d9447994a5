"""Reads of users, limited like everything else to the reader's region."""

from django.db.models import Q, QuerySet
from django.http import Http404

from lindung.accounts.models import ApiToken, User
from lindung.accounts.scope import scope_code


def users_for(actor: User) -> QuerySet[User]:
    """The users whose region lies inside the actor's region (everybody for a system admin)."""
    users = User.objects.select_related("region").order_by("region_id", "username")
    if not actor.can_manage_users:
        return users.none()
    scope = scope_code(actor)
    if scope is None:
        return users
    return users.filter(Q(region_id=scope) | Q(region__code__startswith=f"{scope}."))


def get_user_for(actor: User, pk) -> User:
    try:
        return users_for(actor).get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc


def tokens_for(actor: User) -> QuerySet[ApiToken]:
    """The actor's own API tokens, and those of the users the actor manages."""
    managed = users_for(actor).values("pk")
    return (
        ApiToken.objects.select_related("user", "revoked_by")
        .filter(Q(user=actor) | Q(user__in=managed))
        .order_by("revoked_at", "-created_at", "-id")
    )


def get_token_for(actor: User, pk) -> ApiToken:
    try:
        return tokens_for(actor).get(pk=pk)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
