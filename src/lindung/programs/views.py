"""Program pages. Thin: parse the request, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lindung.accounts.picker import picker_context
from lindung.accounts.scope import in_scope
from lindung.people.categories import Category
from lindung.people.selectors import workers_for
from lindung.privacy import access
from lindung.programs import clock, funnel_export, permissions, selectors, services
from lindung.programs.forms import LegalDocumentForm, ProgramForm, QuotaForm
from lindung.programs.lifecycle import ALLOWED, State
from lindung.programs.models import EndCause, Funder
from lindung.programs.niklist import ListUnreadable, read_nik_list

PAGE_SIZE = 100
# The proposal page's registry: a page that a phone scrolls in a few flicks.
PROPOSAL_PAGE_SIZE = 50
MAX_ID = 2**63 - 1


def _small_number(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) < 4


def _ids(values, limit: int = 10_000) -> list[int]:
    """Row ids from a form's checkboxes; anything that is not one is dropped."""
    ids = [int(v) for v in values[:limit] if v.isascii() and v.isdigit() and len(v) <= 19]
    return [i for i in ids if 0 < i <= MAX_ID]


def _manager_here(user, program) -> bool:
    return permissions.is_manager(user) and permissions.can_manage(user, program.area_id)


@login_required
def program_list(request):
    programs = list(selectors.programs_for(request.user))
    rows = [(p, selectors.program_totals(request.user, p)) for p in programs]
    parts = [selectors.part_of_program(request.user, p) for p in programs]
    return render(
        request,
        "programs/list.html",
        {
            "rows": rows,
            "can_create": permissions.is_manager(request.user),
            "part": next((part for part in parts if part is not None), None),
        },
    )


def _program_form_page(request, form, *, program=None):
    context = {"form": form, "program": program}
    if "area_code" in form.fields:
        area = form["area_code"].value() or ""
        context["picker"] = picker_context(request, area, name="area_code", village_only=False)
    return render(request, "programs/form.html", context)


def _form_data(form) -> dict:
    data = dict(form.cleaned_data)
    data["eligible_categories"] = data.get("eligible_categories") or []
    return data


@login_required
@require_http_methods(["GET", "POST"])
def program_create(request):
    if not permissions.is_manager(request.user):
        raise PermissionDenied
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.create_program(user=request.user, data=_form_data(form))
        except services.ProgramInvalid as error:
            form.add_problems(error)
        else:
            messages.success(request, _("Program %(name)s dibuat.") % {"name": program.name})
            if warning := services.budget_warning(program):
                messages.warning(request, warning)
            return redirect("programs:detail", pk=program.pk)
    return _program_form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def program_edit(request, pk: int):
    program = selectors.get_program(request.user, pk)
    if not _manager_here(request.user, program):
        raise PermissionDenied
    initial = {name: getattr(program, name) for name in services.EDITABLE_ALWAYS}
    form = ProgramForm(request.POST or None, initial=initial, editable=services.EDITABLE_ALWAYS)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.update_program(
                user=request.user, program=program, changes=_form_data(form)
            )
        except services.ProgramInvalid as error:
            form.add_problems(error)
        else:
            messages.success(request, _("Program disimpan."))
            if warning := services.budget_warning(program):
                messages.warning(request, warning)
            return redirect("programs:detail", pk=program.pk)
    return _program_form_page(request, form, program=program)


@login_required
def program_detail(request, pk: int):
    program = selectors.get_program(request.user, pk)
    rounds = selectors.rounds_of(program)
    manager = _manager_here(request.user, program)
    context = {
        "program": program,
        "rounds": rounds,
        "totals": selectors.program_totals(None, program),
        "part": selectors.part_of_program(request.user, program),
        "budget_check": selectors.budget_check(program),
        "budget_warning": services.budget_warning(program),
        "mine": selectors.program_totals(request.user, program),
        "table": selectors.quota_table(request.user, program, rounds),
        "manager": manager,
        "verifier": permissions.is_manager(request.user),
        "proposer": permissions.is_proposer(request.user)
        and selectors.accepts_proposals(program, clock.today()),
        "villages": selectors.participating_villages(request.user, program) if manager else [],
        "legal_form": LegalDocumentForm() if manager else None,
        "quota_form": QuotaForm() if manager else None,
        "is_apbdes": program.funder == Funder.APBDES,
        "funnel_chart": funnel_export.chart(
            selectors.funnel(request.user, program, today=clock.today()).total,
            _("Corong verifikasi"),
        ),
    }
    return render(request, "programs/detail.html", context)


@login_required
@require_POST
def set_quota(request, pk: int):
    program = selectors.get_program(request.user, pk)
    form = QuotaForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih desa dan isi kuota."))
        return redirect("programs:detail", pk=pk)
    try:
        place = services.set_village_quota(
            user=request.user,
            program=program,
            village_code=form.cleaned_data["village_code"],
            quota=form.cleaned_data["quota"],
            budget=form.cleaned_data.get("budget"),
        )
    except services.ProgramInvalid as error:
        messages.error(request, "; ".join(p.message for p in error.problems))
    else:
        messages.success(
            request,
            _("Kuota %(village)s menjadi %(quota)s per putaran.")
            % {"village": place.village.display_name, "quota": place.quota},
        )
    return redirect("programs:detail", pk=pk)


@login_required
@require_POST
def add_legal(request, pk: int):
    program = selectors.get_program(request.user, pk)
    form = LegalDocumentForm(request.POST, request.FILES)
    form.is_valid()
    data = form.cleaned_data
    try:
        services.add_legal_document(
            user=request.user,
            program=program,
            number=data.get("number", ""),
            title=data.get("title", ""),
            issued_on=data.get("issued_on", ""),
            pdf=request.FILES.get("pdf"),
        )
    except services.ProgramInvalid as error:
        messages.error(request, "; ".join(p.message for p in error.problems))
    else:
        messages.success(request, _("Dasar hukum ditambahkan."))
    return redirect(reverse("programs:detail", args=[pk]) + "#dasar-hukum")


@login_required
@require_GET
def legal_pdf(request, pk: int, doc: int):
    program = selectors.get_program(request.user, pk)
    document = program.legal_basis.filter(pk=doc).first()
    if document is None or not document.pdf:
        raise Http404
    return FileResponse(
        document.pdf.open("rb"),
        content_type="application/pdf",
        filename=document.pdf.name.rsplit("/", 1)[-1],
    )


# --- proposals ----------------------------------------------------------------------------


def _proposal_village(request, program) -> str:
    """The village the proposal screen works on: the operator's own, or one picked."""
    user = request.user
    if user.region_id and user.region_id.count(".") == 3:
        return user.region_id
    code = (request.POST.get("village") or request.GET.get("village") or "")[:13]
    if code and selectors.participating_villages(user, program).filter(village_id=code).exists():
        return code
    return ""


def _proposal_round(request, program, rounds):
    number = request.POST.get("round") or request.GET.get("round")
    for round_ in rounds:
        if str(round_.number) == number:
            return round_
    return services.default_round(program, clock.today())


def _counter_context(program, round_, village: str, selected: int = 0) -> dict:
    quota = selectors.village_quota(program, round_, village) if village else None
    remaining = (quota.quota - quota.used) if quota else 0
    return {
        "quota": quota,
        "remaining": remaining,
        "selected": selected,
        "over": selected > remaining,
        "percent": round(100 * quota.used / quota.quota) if quota and quota.quota else 0,
        "round": round_,
    }


@login_required
@require_http_methods(["GET", "POST"])
def propose(request, pk: int):
    program = selectors.get_program(request.user, pk)
    if not permissions.is_proposer(request.user):
        raise PermissionDenied
    rounds = selectors.rounds_of(program)
    village = _proposal_village(request, program)
    round_ = _proposal_round(request, program, rounds)
    results = None
    if request.method == "POST" and village:
        results = _handle_proposals(request, program, round_, village)
    filters = selectors.CandidateFilters.from_query(request.GET)
    candidates = (
        selectors.proposal_candidates(
            request.user, program, village, filters=filters, round=round_, today=clock.today()
        )
        if village
        else None
    )
    q = filters.q
    if candidates is not None and "".join(q.split()).isdigit():  # a search by NIK
        access.searched_nik(request, "".join(q.split()), candidates)
    page = (
        Paginator(candidates, PROPOSAL_PAGE_SIZE).get_page(request.GET.get("page"))
        if village
        else None
    )
    proposed = (
        selectors.enrollments_for(request.user, program=program, village=village)
        .filter(round=round_)
        .exclude(state__in=[State.REJECTED, State.WITHDRAWN])
        if village
        else None
    )
    context = {
        "program": program,
        "rounds": rounds,
        "round": round_,
        "village": village,
        "villages": selectors.participating_villages(request.user, program),
        "fixed_village": bool(request.user.region_id and request.user.region_id.count(".") == 3),
        "page": page,
        "q": q,
        "filters": filters,
        "categories": Category.choices,
        "age_bands": list(selectors.AGE_BANDS),
        "deciles": range(1, 11),
        "closed": not selectors.accepts_proposals(program, clock.today()),
        "show_deciles": bool(village) and selectors.village_has_deciles(request.user, village),
        "results": results,
        "proposed": proposed,
        "in_program": village
        and selectors.participating_villages(request.user, program)
        .filter(village_id=village)
        .exists(),
        "bought": selectors.months_bought(program, round_, clock.today()),
        "agreed_list": selectors.agreed_list_of(program, round_, village) if village else None,
        **_counter_context(program, round_, village),
    }
    return render(request, "programs/propose.html", context)


def _handle_proposals(request, program, round_, village):
    today = clock.today()
    if request.POST.get("action") == "niks":
        raw = services.split_niks(request.POST.get("niks", ""))
        upload = request.FILES.get("nik_file")
        if upload is not None:
            try:
                raw += read_nik_list(upload.read(), upload.name)
            except ListUnreadable as error:
                messages.error(request, error.message)
                return None
        if not raw:
            messages.error(request, _("Tempel NIK atau unggah daftar NIK dulu."))
            return None
        results = services.propose_niks(
            user=request.user, program=program, niks=raw, today=today, round=round_
        )
    else:
        ids = _ids(request.POST.getlist("person"), limit=1000)
        if not ids:
            messages.error(request, _("Centang dulu pekerja yang akan diusulkan."))
            return None
        people = workers_for(request.user, village=village).filter(pk__in=ids)
        results = services.propose_people(
            user=request.user, program=program, people=people, today=today, round=round_
        )
    done = sum(1 for r in results if r.ok)
    refused = len(results) - done
    if done:
        messages.success(
            request,
            ngettext("%(n)s pekerja diusulkan.", "%(n)s pekerja diusulkan.", done) % {"n": done},
        )
    if refused:
        messages.warning(
            request,
            ngettext(
                "%(n)s tidak dapat diusulkan: lihat alasannya di tabel hasil.",
                "%(n)s tidak dapat diusulkan: lihat alasannya di tabel hasil.",
                refused,
            )
            % {"n": refused},
        )
    return results


@login_required
@require_GET
def quota_counter(request, pk: int):
    """The live counter of the proposal screen (htmx): places used, left, and ticked."""
    program = selectors.get_program(request.user, pk)
    if not permissions.is_proposer(request.user):
        raise PermissionDenied
    rounds = selectors.rounds_of(program)
    village = _proposal_village(request, program)
    round_ = _proposal_round(request, program, rounds)
    selected = len(request.GET.getlist("person"))
    context = {
        "program": program,
        "village": village,
        **_counter_context(program, round_, village, selected),
    }
    return render(request, "programs/_counter.html", context)


# --- verification and enrollments ---------------------------------------------------------


def _enrollment_filters(request) -> dict:
    state = request.GET.get("state", "")
    round_number = request.GET.get("round", "")
    return {
        "state": state if state in State.values else "",
        "village": request.GET.get("village", "")[:13],
        "round_number": int(round_number) if _small_number(round_number) else None,
        "q": request.GET.get("q", "")[:100],
    }


@login_required
@require_http_methods(["GET", "POST"])
def verification_queue(request, pk: int):
    program = selectors.get_program(request.user, pk)
    if not permissions.is_manager(request.user):
        raise PermissionDenied
    filters = _enrollment_filters(request)
    filters["state"] = State.PROPOSED
    queue = selectors.enrollments_for(request.user, program=program, **filters)
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("verify", "verify_all", "reject"):
            raise PermissionDenied
        target = State.REJECTED if action == "reject" else State.VERIFIED
        if action == "verify_all":
            chosen = queue
        else:
            ids = _ids(request.POST.getlist("enrollment"))
            chosen = queue.filter(pk__in=ids)
        if not chosen.exists():
            messages.error(request, _("Centang dulu usulan yang akan diproses."))
        else:
            result = services.move_many(
                user=request.user,
                enrollments=chosen,
                to_state=target,
                reason=request.POST.get("reason", ""),
            )
            _report_moves(request, result, target)
        return redirect(request.get_full_path())
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "program": program,
        "page": page,
        "filters": filters,
        "rounds": selectors.rounds_of(program),
        "villages": selectors.participating_villages(request.user, program),
        "today": clock.today(),
    }
    return render(request, "programs/verify.html", context)


def _report_moves(request, result, target) -> None:
    if result.moved:
        label = State(target).label
        messages.success(
            request,
            _("%(n)s kepesertaan menjadi '%(state)s'.") % {"n": len(result.moved), "state": label},
        )
    if result.refused:
        reasons = sorted({refusal.message for _, refusal in result.refused})
        messages.error(
            request,
            _("%(n)s tidak diubah: %(reasons)s")
            % {"n": len(result.refused), "reasons": " ".join(reasons)},
        )


@login_required
def enrollment_list(request, pk: int):
    program = selectors.get_program(request.user, pk)
    filters = _enrollment_filters(request)
    expiring = request.GET.get("expiring") == "1"
    if expiring:
        enrollments = selectors.expiring(request.user, today=clock.today(), program=program)
    else:
        enrollments = selectors.enrollments_for(request.user, program=program, **filters)
    page = Paginator(enrollments, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "program": program,
        "page": page,
        "filters": filters,
        "expiring": expiring,
        "states": State.choices,
        "rounds": selectors.rounds_of(program),
        "villages": selectors.participating_villages(request.user, program),
    }
    return render(request, "programs/enrollments.html", context)


# Moves offered as buttons on an enrollment's page (the insurer's moves come from its files).
PAGE_MOVES = [
    State.VERIFIED,
    State.REJECTED,
    State.WITHDRAWN,
    State.ENDED,
    State.CONTINUED,
    State.LAPSED,
]


@login_required
@require_http_methods(["GET", "POST"])
def enrollment_detail(request, pk: int):
    enrollment = selectors.get_enrollment(request.user, pk)
    if request.method == "POST" and request.POST.get("action") == "end_early":
        try:
            services.end_early(
                user=request.user,
                enrollment=enrollment,
                cause=request.POST.get("cause", ""),
                on=request.POST.get("on", ""),
                reason=request.POST.get("reason", ""),
                today=clock.today(),
            )
        except services.EarlyEndRefused as refusal:
            if refusal.code == "forbidden":
                raise PermissionDenied from refusal
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Kepesertaan diakhiri lebih awal."))
        return redirect("programs:enrollment", pk=pk)
    if request.method == "POST":
        to_state = request.POST.get("to_state", "")
        if to_state not in PAGE_MOVES:
            raise PermissionDenied
        try:
            services.transition(
                user=request.user,
                enrollment=enrollment,
                to_state=to_state,
                reason=request.POST.get("reason", ""),
            )
        except services.TransitionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request, _("Status menjadi '%(state)s'.") % {"state": State(to_state).label}
            )
        return redirect("programs:enrollment", pk=pk)
    user = request.user
    moves = [
        (s.value, s.label)
        for s in PAGE_MOVES
        if s in ALLOWED[enrollment.state] and services.may_move(user, enrollment, s)
    ]
    context = {
        "enrollment": enrollment,
        "transitions": selectors.transitions_of(enrollment),
        "moves": moves,
        "needs_reason": [State.REJECTED.value, State.WITHDRAWN.value],
        "in_scope": in_scope(user, enrollment.village_id),
        "may_end_early": enrollment.state == State.ACTIVE
        and permissions.is_manager(user)
        and in_scope(user, enrollment.village_id),
        "end_causes": EndCause.choices,
    }
    return render(request, "programs/enrollment.html", context)
