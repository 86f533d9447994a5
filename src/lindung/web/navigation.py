"""Which tools each role is shown: one place for the links of the top bar and sub-menus.

A link the user may not use is a dead end (a refusal, a 404, or a page of regency-wide
figures an operator cannot act on), so the navigation only offers what the role may use.
The views still check every permission themselves: hiding a link is not the guard.
"""

from lindung.accounts.models import Role

REGENCY = frozenset({Role.SYSTEM_ADMIN, Role.REGENCY_ADMIN})


def tools(user) -> dict[str, bool]:
    """The tools of ``user``'s role, by name (every one ``False`` for an anonymous user)."""
    if user is None or not user.is_authenticated:
        return {}
    role = user.role
    regency = role in REGENCY
    return {
        # Workers, their import and the offline forms: the roles that register workers.
        "edit_workers": user.can_edit_workers,
        # Every role has the dashboard of its own region (a village's, for an operator).
        "dashboards": True,
        # The regency's printable report: the leaders' and the regency staff's.
        "reports": role in REGENCY | {Role.VIEWER},
        "agent_worklist": role == Role.AGENT,
        "privacy": regency,
        "offline": role != Role.VIEWER,
        "users": user.can_manage_users,
        "admin": user.is_staff,
        # The regency's money and the insurer: payment confirmations, the budget planner,
        # the batches sent to BPJS and the regency-wide budget figures.
        "payment_import": regency,
        "planner": regency,
        "insurer_batches": regency or role == Role.VIEWER,
        "budget": regency or role == Role.VIEWER,
    }


def context(request) -> dict:
    """Template context processor: ``tools`` on every page."""
    return {"tools": tools(getattr(request, "user", None))}
