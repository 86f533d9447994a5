"""Employer pages. Thin: parse the request, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lindung.accounts.picker import picker_context
from lindung.employers import importing, kbli, selectors, services
from lindung.employers.forms import ActionForm, EmployerForm, EventForm, ImportForm
from lindung.employers.models import Compliance, SizeClass
from lindung.privacy import access
from lindung.programs import clock

PAGE_SIZE = 50


def _filter_context(request, filters: dict) -> dict:
    return {
        "filters": filters,
        "sectors": kbli.filter_choices(filters.get("sector", "")),
        "sizes": SizeClass.choices,
        "compliances": Compliance.choices,
        "districts": [(d.code, d.display_name) for d in selectors.districts_for(request.user)],
        "can_edit": services.can_edit(request.user),
    }


@login_required
def index(request):
    filters = selectors.read_filters(request.GET)
    page = Paginator(selectors.employers_for(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "employers/index.html", {"page": page, **_filter_context(request, filters)}
    )


@login_required
def work_list(request):
    """Whom to push next: overdue follow-ups first, then the most uncovered workers."""
    today = clock.today()
    filters = selectors.read_filters(request.GET)
    page = Paginator(selectors.work_list(request.user, filters, today=today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "employers/work_list.html",
        {"page": page, "today": today, **_filter_context(request, filters)},
    )


def _show_problems(form, error) -> None:
    for problem in error.problems:
        field = problem.field if problem.field in form.fields else None
        form.add_error(field, problem.message)


def _form_page(request, *, employer=None):
    if not services.can_edit(request.user):
        raise PermissionDenied
    today = clock.today()
    if request.method == "POST":
        form = EmployerForm(request.POST)
        village = request.POST.get("village_code", "")
    else:
        initial = (
            services.employer_values(employer)
            if employer
            else {"workers_as_of": today, "registration_as_of": today}
        )
        for key in ("workers_as_of", "registration_as_of", "closed_on"):
            if initial.get(key):
                initial[key] = initial[key].strftime("%d/%m/%Y")
        if employer:
            initial["programs"] = employer.program_list
            initial["wage_underreported"] = employer.wage_underreported
        form = EmployerForm(initial=initial)
        village = employer.village_id if employer else ""
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data, village_code=village)
        data["wage_underreported"] = "1" if data["wage_underreported"] else ""
        try:
            if employer is None:
                employer = services.create_employer(user=request.user, data=data, today=today)
            else:
                services.update_employer(
                    user=request.user, employer=employer, changes=data, today=today
                )
        except services.EmployerInvalid as error:
            _show_problems(form, error)
        except services.EmployerRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request, _("Pemberi kerja %(name)s disimpan.") % {"name": employer.name}
            )
            return redirect("employers:detail", pk=employer.pk)
    return render(
        request,
        "employers/form.html",
        {
            "form": form,
            "employer": employer,
            "picker": picker_context(request, village, name="village_code", village_only=True),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    return _form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    return _form_page(request, employer=selectors.get_employer(request.user, pk))


@login_required
def detail(request, pk: int):
    employer = selectors.get_employer(request.user, pk)
    workers = Paginator(selectors.workers_of(request.user, employer), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # Names of workers: who saw which (UU PDP).
    access.listed(
        request,
        [w.pk for w in workers.object_list],
        {"employer": employer.pk},
        workers.paginator.count,
    )
    return render(
        request,
        "employers/detail.html",
        {
            "employer": employer,
            "workers": workers,
            "actions": selectors.actions_of(employer),
            "missing_programs": services.missing_programs(employer),
            "can_edit": services.can_edit(request.user),
            "today": clock.today(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def action(request, pk: int):
    """Record one outreach step (a visit, a letter with its PDF, a warning) and its
    follow-up."""
    employer = selectors.get_employer(request.user, pk)
    if not services.can_edit(request.user):
        raise PermissionDenied
    today = clock.today()
    form = ActionForm(
        request.POST or None,
        request.FILES or None,
        initial={"done_on": today.strftime("%d/%m/%Y")},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        document = data.pop("document", None)
        try:
            services.record_action(
                user=request.user, employer=employer, data=data, today=today, document=document
            )
        except services.EmployerInvalid as error:
            _show_problems(form, error)
        except services.EmployerRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Tindakan dicatat."))
            return redirect("employers:detail", pk=employer.pk)
    return render(request, "employers/action.html", {"employer": employer, "form": form})


@login_required
def action_document(request, pk: int, action: int):
    employer = selectors.get_employer(request.user, pk)
    found = employer.actions.filter(pk=action).exclude(document="").first()
    if found is None:
        raise Http404
    return FileResponse(found.document.open("rb"), as_attachment=True)


@login_required
def events(request):
    return render(
        request,
        "employers/events.html",
        {
            "events": selectors.events_for(request.user)[:200],
            "can_edit": services.can_edit(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    """A socialisation event: many employers invited at once, the attendance ticked."""
    if not services.can_edit(request.user):
        raise PermissionDenied
    today = clock.today()
    village = request.POST.get("village_code", "") if request.method == "POST" else ""
    candidates = selectors.employers_for(request.user).exclude(compliance=Compliance.CLOSED)
    district = request.GET.get("district", "")
    if district:
        candidates = candidates.filter(district_code=district)
    candidates = list(candidates.order_by("district_code", "name")[:500])
    form = EventForm(
        request.POST or None,
        employers=candidates,
        initial={"held_on": today.strftime("%d/%m/%Y")},
    )
    if request.method == "POST" and form.is_valid():
        chosen = {int(pk) for pk in form.cleaned_data["invited"]}
        attended = {int(pk) for pk in form.cleaned_data["attended"]} & chosen
        invited = [e for e in candidates if e.pk in chosen]
        try:
            event = services.hold_event(
                user=request.user,
                data=dict(form.cleaned_data, village_code=village),
                employers=invited,
                attended=attended,
                today=today,
            )
        except services.EmployerInvalid as error:
            _show_problems(form, error)
        except services.EmployerRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Sosialisasi dicatat."))
            return redirect("employers:event", pk=event.pk)
    return render(
        request,
        "employers/event_form.html",
        {
            "form": form,
            "picker": picker_context(request, village, name="village_code", village_only=True),
        },
    )


@login_required
def event(request, pk: int):
    found = selectors.get_event(request.user, pk)
    return render(
        request,
        "employers/event.html",
        {"event": found, "actions": selectors.event_actions(found, request.user)},
    )


@login_required
@require_POST
def link_worker(request, pk: int):
    """Name this employer on a formal worker of the registry, found by NIK."""
    employer = selectors.get_employer(request.user, pk)
    if not services.can_edit(request.user):
        raise PermissionDenied
    try:
        person = services.link_worker(
            user=request.user, employer=employer, nik=request.POST.get("nik", "")
        )
    except services.EmployerRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("%(name)s ditautkan.") % {"name": person.full_name})
    return redirect("employers:detail", pk=employer.pk)


@login_required
@require_POST
def unlink_worker(request, pk: int, worker: int):
    employer = selectors.get_employer(request.user, pk)
    if not services.can_edit(request.user):
        raise PermissionDenied
    try:
        services.unlink_worker(user=request.user, employer=employer, person_id=worker)
    except services.EmployerRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Tautan pekerja dilepas."))
    return redirect("employers:detail", pk=employer.pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_file(request):
    """Upload an employer list; the report lists every wrong row, or what was saved."""
    if not services.can_edit(request.user):
        raise PermissionDenied
    today = clock.today()
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        initial={"as_of": today.strftime("%d/%m/%Y")},
    )
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = importing.import_employers(
                user=request.user,
                data=upload.read(),
                name=upload.name,
                source=form.cleaned_data["source"],
                as_of=form.cleaned_data["as_of"],
                today=today,
            )
        except (importing.FileRefused, services.EmployerRefused) as refusal:
            form.add_error(None, refusal.message)
    return render(request, "employers/import.html", {"form": form, "report": report})


@login_required
@require_GET
def import_template(request):
    response = HttpResponse(
        importing.template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="contoh-pemberi-kerja.xlsx"'
    return response
