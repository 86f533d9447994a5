from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lindung.regions.picker import picked_code, picker_levels


@require_GET
@login_required
def region_picker(request):
    """The picker re-rendered after a choice (htmx), or for the given ``selected`` code."""
    selected = request.GET.get("selected") or request.GET.get("parent") or ""
    return render(request, "regions/picker.html", {"picker": picker_context(request, selected)})


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
