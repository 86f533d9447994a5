"""The cascading region picker (province → regency → district → village) of every form.

It lives with the accounts, above the regions, because the levels it offers depend on the
user's region (``accounts.scope``). The picker is server-rendered: each choice asks the
server for the next level (htmx), so it works on slow connections and needs no region
list in the browser. Levels at and above the user's own region are fixed.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from lindung.accounts.scope import in_scope, scope_code
from lindung.regions.codes import VILLAGE, ancestors, level_of
from lindung.regions.selectors import children_of

LEVEL_LABELS = {
    1: _("Provinsi"),
    2: _("Kabupaten/Kota"),
    3: _("Kecamatan"),
    4: _("Desa/Kelurahan"),
}


@dataclass
class PickerLevel:
    level: int
    label: str
    options: list[tuple[str, str]]
    value: str
    locked: bool
    parent: str


def picker_levels(user, selected: str = "") -> list[PickerLevel]:
    """The selects to show for ``selected``, within what the user may pick."""
    scope = scope_code(user)
    if scope == "-":
        return []
    if scope and not (selected and in_scope(user, selected)):
        selected = scope
    path = ancestors(selected) if selected else []
    locked_depth = level_of(scope) if scope else 0
    levels, parent = [], ""
    for level in range(1, VILLAGE + 1):
        value = path[level - 1] if len(path) >= level else ""
        levels.append(
            PickerLevel(
                level=level,
                label=str(LEVEL_LABELS[level]),
                options=[(r.code, r.display_name) for r in children_of(parent)],
                value=value,
                locked=level <= locked_depth,
                parent=parent,
            )
        )
        if not value:
            break
        parent = value
    return levels


def picked_code(levels: list[PickerLevel], *, village_only: bool) -> str:
    """The code the picker stands for: the village, or the deepest region chosen."""
    chosen = [lv.value for lv in levels if lv.value]
    if not chosen:
        return ""
    if village_only:
        return chosen[-1] if level_of(chosen[-1]) == VILLAGE else ""
    return chosen[-1]


# ---- the picker's view, and its context in other forms ------------------------------------


@require_GET
@login_required
def region_picker(request):
    """The picker re-rendered after a choice (htmx), or for the given ``selected`` code."""
    selected = request.GET.get("selected") or request.GET.get("parent") or ""
    return render(
        request, "accounts/region_picker.html", {"picker": picker_context(request, selected)}
    )


def picker_context(request, selected: str, *, name: str = "", village_only: bool | None = None):
    name = name or request.GET.get("name", "village_code")[:40]
    if village_only is None:
        village_only = request.GET.get("village_only", "1") == "1"
    levels = picker_levels(request.user, selected[:13])
    return {
        "levels": levels,
        "name": name,
        "village_only": village_only,
        "value": picked_code(levels, village_only=village_only),
    }
