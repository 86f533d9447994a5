"""Reads of the worker registry, always through the region scope of the user."""

from django.db.models import Q, QuerySet
from django.http import Http404

from lindung.accounts.models import Role
from lindung.accounts.scope import get_scoped_or_404, scoped, within
from lindung.people import visibility
from lindung.people.models import Membership, Person


def workers_for(
    user,
    *,
    nik: str = "",
    village: str = "",
    q: str = "",
    category: str = "",
    segment: str = "",
) -> QuerySet[Person]:
    """Workers the user may see, filtered. ``village`` may be a region code of any level."""
    people = scoped(user, Person.objects.select_related("village", "occupation", "agent"))
    if nik := visibility.nik_search(user, "".join(nik.split())):
        people = people.filter(nik_prefix(nik))
    if village and village.count(".") <= 3:
        people = people.filter(within(village, model=Person))
    if q := " ".join(q.split()):
        people = people.filter(Q(full_name__icontains=q) | Q(nik=q))
    if category:
        people = people.filter(category=category)
    if segment:
        people = people.filter(segment=segment)
    return people


def nik_prefix(prefix: str) -> Q:
    """NIKs starting with ``prefix``, as a range on the unique index (all NIKs are 16 digits)."""
    if len(prefix) >= 16 or not (prefix.isascii() and prefix.isdigit()):
        return Q(nik=prefix)
    return Q(nik__range=(prefix.ljust(16, "0"), prefix.ljust(16, "9")))


def get_worker(user, pk) -> Person:
    """One worker, or 404 when it does not exist or lies outside the user's region."""
    people = Person.objects.select_related("village", "occupation", "agent__organisation")
    return get_scoped_or_404(user, people, pk=pk)


def kpj_holders(kpjs) -> dict[str, int]:
    """The person each of these KPJs already belongs to (not scoped: a KPJ is unique
    nationally, and the answer names no one beyond a masked NIK)."""
    wanted = {k for k in kpjs if k}
    return (
        dict(Membership.objects.filter(kpj__in=wanted).values_list("kpj", "person_id"))
        if wanted
        else {}
    )


# ---- the same person twice --------------------------------------------------------------

REVIEWERS = (Role.SYSTEM_ADMIN, Role.REGENCY_ADMIN)


def can_review_duplicates(user) -> bool:
    """Who decides on possible duplicates: the regency (and the system's administrator).
    A village sees only its own villages, and a pair may span two."""
    return user is None or getattr(user, "role", None) in REVIEWERS


def duplicates_for(user, *, status: str = "open") -> QuerySet:
    """The possible duplicates in the user's region, newest first."""
    from lindung.people.models import PossibleDuplicate

    pairs = PossibleDuplicate.objects.select_related(
        "person__village", "other__village", "decided_by"
    )
    if status:
        pairs = pairs.filter(status=status)
    return scoped(user, pairs, prefix="person__").order_by("-id")


def get_duplicate(user, pk):
    """One pair, or 404 when it does not exist or its record lies outside the region."""
    from lindung.people.models import PossibleDuplicate

    pairs = PossibleDuplicate.objects.select_related("person__village", "other__village")
    try:
        return scoped(user, pairs, prefix="person__").get(pk=pk)
    except PossibleDuplicate.DoesNotExist as exc:
        raise Http404 from exc
