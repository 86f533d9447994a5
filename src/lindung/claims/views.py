"""Pages of the claims app: thin, the work is in ``benefits``, ``services`` and ``selectors``."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lindung.claims import benefits, selectors
from lindung.contributions.models import Segment
from lindung.privacy import access
from lindung.programs import clock


@login_required
@require_GET
def estimate(request):
    """The benefit estimator: a worker by NIK, or a hypothetical member."""
    data = request.GET
    context = {
        "events": benefits.Event.choices,
        "segments": Segment.choices,
        "data": data,
        "today": clock.today(),
    }
    if data.get("event"):
        person, problems = None, []
        if data.get("nik", "").strip():
            person = selectors.worker_by_nik(request.user, data["nik"])
            if person is None:
                message = _("Pekerja dengan NIK ini tidak ditemukan di wilayah Anda.")
                problems.append(("nik", "worker_not_found", message))
            else:
                access.viewed(request, person)
        if not problems:
            asked = benefits.read_request(data, person=person)
            problems = [(f, r.code, r.message) for f, r in asked.problems]
            if not problems:
                try:
                    context["result"] = benefits.estimate(
                        asked.membership, asked.event, asked.event_date, today=clock.today()
                    )
                except benefits.EstimateRefused as refusal:
                    problems.append(("date", refusal.code, refusal.message))
        context["person"] = person
        context["problems"] = problems
    return render(request, "claims/estimate.html", context)
