"""Pages of the possible duplicates: the regency's review list and one pair side by side.

Thin like the registry's pages: the pairs come from ``selectors.duplicates_for`` (scoped by
region; a pair outside it is 404), the decisions from ``services.merge_duplicate`` and
``services.dismiss_duplicate``. Both records are shown in full, so each page view goes to
the access log with the workers it showed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lindung.people import selectors, services
from lindung.people.models import PossibleDuplicate
from lindung.privacy import access


def _require_reviewer(user) -> None:
    if not selectors.can_review_duplicates(user):
        raise PermissionDenied


def _shown(pairs) -> list[int]:
    return sorted({pid for p in pairs for pid in (p.person_id, p.other_id) if pid})


@require_http_methods(["GET"])
@login_required
def duplicate_list(request):
    _require_reviewer(request.user)
    status = request.GET.get("status", PossibleDuplicate.Status.OPEN)
    if status not in PossibleDuplicate.Status.values:
        status = PossibleDuplicate.Status.OPEN
    pairs = selectors.duplicates_for(request.user, status=status)
    page = Paginator(pairs, 25).get_page(request.GET.get("page"))
    access.listed(request, _shown(page.object_list), {"status": status}, page.paginator.count)
    context = {"page": page, "status": status, "statuses": PossibleDuplicate.Status.choices}
    return render(request, "people/duplicates.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def duplicate_detail(request, pk: int):
    pair = selectors.get_duplicate(request.user, pk)
    _require_reviewer(request.user)
    if request.method == "POST":
        note = request.POST.get("note", "")[:300]
        try:
            if request.POST.get("decision") == "dismiss":
                services.dismiss_duplicate(user=request.user, pair=pair, note=note)
                messages.success(request, _("Ditandai bukan orang yang sama."))
            else:
                keep = request.POST.get("keep", "")
                keep = int(keep) if keep.isdecimal() else 0
                services.merge_duplicate(user=request.user, pair=pair, keep=keep, note=note)
                messages.success(request, _("Kedua data digabung."))
        except services.DuplicateRefused as refusal:
            messages.error(request, refusal.message)
            return redirect("people:duplicate", pk=pair.pk)
        return redirect("people:duplicates")
    access.listed(request, _shown([pair]), {"duplicate": pair.pk}, 1)
    return render(request, "people/duplicate.html", {"pair": pair})
