"""Pages of the claims app: thin, the work is in ``benefits``, ``services`` and ``selectors``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lindung.claims import benefits, selectors, services
from lindung.claims.models import DOCUMENT_LABELS, DOCUMENTS, Kind, Relation, Status
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


CLAIMS_PER_PAGE = 50


@login_required
@require_GET
def claim_list(request):
    claims = selectors.claims_for(request.user)
    status = request.GET.get("status", "")
    if status in Status.values:
        claims = claims.filter(status=status)
    page = Paginator(claims.order_by("-event_date", "-id"), CLAIMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    if page.object_list:
        access.listed(request, [c.person_id for c in page], {"status": status},
                      page.paginator.count)  # fmt: skip
    context = {
        "page": page,
        "status": status,
        "statuses": Status.choices,
        "may_report": request.user.role in services.REPORTERS,
    }
    return render(request, "claims/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def claim_create(request):
    if request.user.role not in services.REPORTERS:
        raise PermissionDenied
    data, problem = {}, None
    if request.method == "POST":
        data = request.POST
        try:
            claim = services.report(user=request.user, data=data, today=clock.today())
        except services.ClaimRefused as refusal:
            problem = refusal
        else:
            messages.success(request, _("Klaim %(number)s dicatat.") % {"number": claim.number})
            return redirect("claims:detail", pk=claim.pk)
    context = {
        "data": data,
        "problem": problem,
        "kinds": Kind.choices,
        "relations": Relation.choices,
    }
    return render(request, "claims/create.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def claim_detail(request, pk: int):
    claim = selectors.get_claim(request.user, pk)
    if request.method == "POST":
        if not services.may_report(request.user, claim.village_id):
            raise PermissionDenied
        action = request.POST.get("action", "")
        today = clock.today()
        try:
            if action == "documents":
                services.set_documents(user=request.user, claim=claim,
                                       documents=request.POST.getlist("documents"))  # fmt: skip
            elif action == "move":
                services.move(
                    user=request.user, claim=claim, to_status=request.POST.get("to_status", ""),
                    today=today, note=request.POST.get("note", ""),
                    amount=request.POST.get("amount_paid"), paid_on=request.POST.get("paid_on"),
                )  # fmt: skip
            elif action == "handover":
                services.record_handover(
                    user=request.user, claim=claim, on=request.POST.get("handover_on"),
                    by_name=request.POST.get("handover_by", ""),
                    testimony=request.POST.get("testimony", ""),
                    photo=request.FILES.get("handover_photo"), today=today,
                )  # fmt: skip
            else:
                raise PermissionDenied
        except services.ClaimRefused as refusal:
            if refusal.code == "forbidden":
                raise PermissionDenied from refusal
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Klaim diperbarui."))
        return redirect("claims:detail", pk=pk)
    access.viewed(request, claim.person)
    user = request.user
    may_decide = services.may_decide(user, claim.village_id)
    may_report = services.may_report(user, claim.village_id)
    moves = [
        (code, Status(code).label)
        for code in sorted(services.ALLOWED[claim.status])
        if may_decide or code not in (Status.SUBMITTED, Status.PAID, Status.REFUSED)
    ]
    context = {
        "claim": claim,
        "checklist": [
            (code, DOCUMENT_LABELS[code], code in claim.documents) for code in DOCUMENTS[claim.kind]
        ],
        "moves": moves if may_report else [],
        "may_report": may_report,
        "billed": selectors.billed_after_death(claim),
        "history": selectors.moves_of(claim),
    }
    return render(request, "claims/detail.html", context)


@login_required
@require_GET
def claim_photo(request, pk: int):
    claim = selectors.get_claim(request.user, pk)
    if not claim.handover_photo:
        raise Http404
    access.viewed(request, claim.person)
    return FileResponse(claim.handover_photo.open("rb"), as_attachment=False)
