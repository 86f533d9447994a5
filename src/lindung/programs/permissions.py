"""Who may do what with programs and enrollments. Region limits come from ``accounts.scope``.

``user=None`` is the command line without ``--user``: the whole country, every action.
"""

from lindung.accounts.models import Role
from lindung.accounts.scope import in_scope, scope_code
from lindung.regions.codes import ancestors

MANAGERS = frozenset({Role.SYSTEM_ADMIN, Role.REGENCY_ADMIN})
PROPOSERS = frozenset({Role.SYSTEM_ADMIN, Role.REGENCY_ADMIN, Role.VILLAGE_OPERATOR})
# Who records self-paid contributions; the first one continues an ended enrollment.
COLLECTORS = PROPOSERS | {Role.AGENT}


def is_manager(user) -> bool:
    return user is None or user.role in MANAGERS


def is_proposer(user) -> bool:
    """Operators and admins; and a Perisai agent's user, once linked to its agent, since
    agents sign workers up too (the proposal then remembers the agent)."""
    if user is None or user.role in PROPOSERS:
        return True
    return user.role == Role.AGENT and getattr(user, "agent", None) is not None


def can_manage(user, region_code: str) -> bool:
    """Verify, submit, import answers, change settings: a regency admin in their region."""
    return is_manager(user) and in_scope(user, region_code)


def can_propose(user, village_code: str) -> bool:
    """Propose workers: village operators in their village, admins and agents in their region."""
    return is_proposer(user) and in_scope(user, village_code)


def sees_area(user, area_code: str) -> bool:
    """A program is visible to users inside its area and to those whose region contains it."""
    scope = scope_code(user)
    if scope is None:
        return True
    if scope == "-":
        return False
    return in_scope(user, area_code) or area_code in ancestors(scope)
