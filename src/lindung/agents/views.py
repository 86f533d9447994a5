"""Agent pages. Thin: parse the request, call a selector or a service, render."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lindung.accounts.models import Role
from lindung.accounts.scope import in_scope
from lindung.accounts.selectors import users_for
from lindung.agents import selectors, services
from lindung.agents.forms import (
    AgentForm,
    AgreementForm,
    AssignForm,
    ContactForm,
    OrganisationForm,
    StatusForm,
    VillagesForm,
)
from lindung.agents.models import Agent, Contact, Organisation, Status
from lindung.privacy import access
from lindung.programs import clock
from lindung.programs.selectors import get_program, programs_for
from lindung.regions.codes import REGENCY, VILLAGE
from lindung.regions.models import Region

PAGE_SIZE = 50


def _regencies(user):
    regencies = Region.objects.filter(level=REGENCY).order_by("code")
    if user.sees_everything:
        return list(regencies)
    if not user.region_id:
        return []
    return [
        r for r in regencies.filter(code__startswith=user.region_id[:2]) if in_scope(user, r.code)
    ]


def _villages_of_regency(regency_code: str):
    return Region.objects.filter(level=VILLAGE, code__startswith=f"{regency_code}.").order_by(
        "code"
    )


def _refused(request, refusal) -> None:
    messages.error(request, refusal.message)


def _manager(user, regency_code: str) -> bool:
    return services.can_manage(user, regency_code)


@login_required
def index(request):
    user = request.user
    return render(
        request,
        "agents/index.html",
        {
            "organisations": selectors.organisations_for(user),
            "agents": selectors.agents_for(user, status=request.GET.get("status", "")),
            "statuses": Status.choices,
            "status": request.GET.get("status", ""),
            "can_create": user.role in (Role.SYSTEM_ADMIN, Role.REGENCY_ADMIN),
            "own": selectors.agent_of(user),
        },
    )


# --- organisations ------------------------------------------------------------------------


def _organisation_form(request, *, organisation=None):
    user = request.user
    holdings = selectors.organisations_for(user).filter(kind=Organisation.Kind.HOLDING)
    if organisation is not None:
        holdings = holdings.exclude(pk=organisation.pk)
    initial = {}
    if organisation is not None:
        initial = {
            "kind": organisation.kind,
            "name": organisation.name,
            "regency_code": organisation.regency_id,
            "parent": organisation.parent_id,
            **{f: getattr(organisation, f) for f in services.BANK_FIELDS},
        }
    return OrganisationForm(
        request.POST or None, initial=initial, regencies=_regencies(user), holdings=holdings
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    if request.user.role not in (Role.SYSTEM_ADMIN, Role.REGENCY_ADMIN):
        raise PermissionDenied
    form = _organisation_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.create_organisation(
                user=request.user, data=form.cleaned_data, today=clock.today()
            )
        except services.AgentRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Wadah %(name)s dibuat.") % {"name": organisation.name})
            return redirect("agents:organisation", pk=organisation.pk)
    return render(request, "agents/organisation_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk: int):
    organisation = selectors.get_organisation(request.user, pk)
    if not _manager(request.user, organisation.regency_id):
        raise PermissionDenied
    form = _organisation_form(request, organisation=organisation)
    form.fields["regency_code"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(
                user=request.user, organisation=organisation, changes=form.cleaned_data
            )
        except services.AgentRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Wadah disimpan."))
            return redirect("agents:organisation", pk=organisation.pk)
    return render(
        request, "agents/organisation_form.html", {"form": form, "organisation": organisation}
    )


@login_required
def organisation_detail(request, pk: int):
    organisation = selectors.get_organisation(request.user, pk)
    manager = _manager(request.user, organisation.regency_id)
    served = selectors.organisation_villages(organisation)
    own = [s.village_id for s in served if s.organisation_id == organisation.pk]
    context = {
        "organisation": organisation,
        "manager": manager,
        "served": served,
        "members": selectors.organisations_for(request.user).filter(parent=organisation),
        "agreements": organisation.agreements.all(),
        "people": selectors.agents_for(request.user).filter(
            organisation__in=[organisation.pk, *organisation.members.values_list("pk", flat=True)]
        ),
        "today": clock.today(),
    }
    if manager:
        context["agreement_form"] = AgreementForm()
        context["villages_form"] = VillagesForm(
            initial={"villages": own}, villages=_villages_of_regency(organisation.regency_id)
        )
        context["status_form"] = StatusForm(initial={"status": organisation.status})
    return render(request, "agents/organisation.html", context)


def _managed_organisation(request, pk: int) -> Organisation:
    organisation = selectors.get_organisation(request.user, pk)
    if not _manager(request.user, organisation.regency_id):
        raise PermissionDenied
    return organisation


@login_required
@require_POST
def organisation_agreement(request, pk: int):
    organisation = _managed_organisation(request, pk)
    form = AgreementForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("agents:organisation", pk=pk)
    try:
        services.add_agreement(user=request.user, organisation=organisation, **form.cleaned_data)
    except services.AgentRefused as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("Perjanjian kerja sama dicatat."))
    return redirect("agents:organisation", pk=pk)


@login_required
def agreement_document(request, pk: int, agreement: int):
    organisation = selectors.get_organisation(request.user, pk)
    found = organisation.agreements.filter(pk=agreement).exclude(document="").first()
    if found is None:
        raise Http404
    return FileResponse(found.document.open("rb"), as_attachment=True)


@login_required
@require_POST
def organisation_villages(request, pk: int):
    organisation = _managed_organisation(request, pk)
    form = VillagesForm(request.POST, villages=_villages_of_regency(organisation.regency_id))
    if not form.is_valid():
        messages.error(request, _("Pilih desa dari daftar."))
        return redirect("agents:organisation", pk=pk)
    try:
        services.set_organisation_villages(
            user=request.user,
            organisation=organisation,
            village_codes=form.cleaned_data["villages"],
            since=clock.today(),
        )
    except services.AgentRefused as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("Desa layanan disimpan."))
    return redirect("agents:organisation", pk=pk)


@login_required
@require_POST
def organisation_status(request, pk: int):
    organisation = _managed_organisation(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        services.set_organisation_status(
            user=request.user,
            organisation=organisation,
            status=form.cleaned_data["status"],
            today=clock.today(),
        )
        messages.success(request, _("Status disimpan."))
    return redirect("agents:organisation", pk=pk)


# --- agents -------------------------------------------------------------------------------


def _agent_form(request, *, agent=None):
    user = request.user
    initial = {"organisation": request.GET.get("wadah") or None}
    if agent is not None:
        initial = {
            "full_name": agent.full_name,
            "regency_code": agent.regency_id,
            "organisation": agent.organisation_id,
            "code": agent.code,
            "phone": agent.phone,
            "user": agent.user_id,
            "is_coordinator": agent.is_coordinator,
            "villages": list(agent.served.values_list("village_id", flat=True)),
            **{f: getattr(agent, f) for f in services.BANK_FIELDS},
        }
    regencies = _regencies(user)
    regency = agent.regency_id if agent is not None else None
    if regency is None and len(regencies) == 1:
        regency = regencies[0].code
    return AgentForm(
        request.POST or None,
        initial=initial,
        regencies=regencies,
        organisations=selectors.organisations_for(user),
        users=users_for(user).filter(role=Role.AGENT),
        villages=_villages_of_regency(regency) if regency else None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agent_create(request):
    if request.user.role not in (Role.SYSTEM_ADMIN, Role.REGENCY_ADMIN):
        raise PermissionDenied
    form = _agent_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            agent = services.create_agent(
                user=request.user, data=form.cleaned_data, today=clock.today()
            )
        except services.AgentRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Agen %(name)s dibuat.") % {"name": agent.full_name})
            return redirect("agents:agent", pk=agent.pk)
    return render(request, "agents/agent_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def agent_edit(request, pk: int):
    agent = selectors.get_agent(request.user, pk)
    if not _manager(request.user, agent.regency_id):
        raise PermissionDenied
    form = _agent_form(request, agent=agent)
    form.fields["regency_code"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.update_agent(user=request.user, agent=agent, changes=form.cleaned_data)
        except services.AgentRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Agen disimpan."))
            return redirect("agents:agent", pk=agent.pk)
    return render(request, "agents/agent_form.html", {"form": form, "agent": agent})


def _assign_form(request, agent: Agent, data=None) -> AssignForm:
    villages = Region.objects.filter(code__in=selectors.villages_of(agent)).order_by("code")
    if not villages:
        villages = _villages_of_regency(agent.regency_id)
    return AssignForm(data, villages=villages, programs=programs_for(request.user))


@login_required
def agent_detail(request, pk: int):
    agent = selectors.get_agent(request.user, pk)
    manager = _manager(request.user, agent.regency_id)
    villages = Region.objects.filter(code__in=selectors.villages_of(agent)).order_by("code")
    context = {
        "agent": agent,
        "manager": manager,
        "villages": villages,
        "contacts": selectors.contacts_by(request.user, agent)[:20],
        "work_count": selectors.work_list(request.user, as_of=clock.today(), agent=agent).count(),
    }
    if manager:
        context["status_form"] = StatusForm(initial={"status": agent.status})
        context["assign_form"] = _assign_form(request, agent)
    return render(request, "agents/agent.html", context)


@login_required
@require_POST
def agent_status(request, pk: int):
    agent = selectors.get_agent(request.user, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_agent_status(
                user=request.user,
                agent=agent,
                status=form.cleaned_data["status"],
                today=clock.today(),
            )
        except services.AgentRefused as refusal:
            _refused(request, refusal)
        else:
            messages.success(request, _("Status disimpan."))
    return redirect("agents:agent", pk=pk)


@login_required
@require_POST
def agent_assign(request, pk: int):
    """Attribute a village's workers, or one program's ended enrollments, to the agent."""
    agent = selectors.get_agent(request.user, pk)
    form = _assign_form(request, agent, request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih desa atau program dari daftar."))
        return redirect("agents:agent", pk=pk)
    village, program = form.cleaned_data["village_code"], form.cleaned_data["program"]
    try:
        if program is not None:
            count = services.assign_ended_enrollments(
                user=request.user, agent=agent, program=program, village_code=village
            )
            text = _("%(count)s kepesertaan yang sudah selesai kini dikelola %(name)s.")
        elif village:
            count = services.assign_village_workers(
                user=request.user, agent=agent, village_code=village
            )
            text = _("%(count)s pekerja kini dikelola %(name)s.")
        else:
            messages.error(request, _("Pilih desa atau program dari daftar."))
            return redirect("agents:agent", pk=pk)
    except services.AgentRefused as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, text % {"count": count, "name": agent.full_name})
    return redirect("agents:agent", pk=pk)


# --- the continuation work list -----------------------------------------------------------


def _work_filters(request):
    """The work list's filters from the query string; an unknown id is 404."""
    user, params = request.user, request.GET
    agent = program = None
    if params.get("agent"):
        agent = selectors.get_agent(user, params["agent"])
    if params.get("program"):
        program = get_program(user, params["program"])
    village = params.get("village", "").strip()
    return {"agent": agent, "program": program, "village": village}


def _work_page(request, as_of, filters):
    """The page a ``cursor`` in the query names, or the first one. A cursor made here on
    an earlier day starts the list again (its places belong to that day's list); one that
    is damaged or edited is refused with a message above the first page (status 400)."""
    token = request.GET.get("cursor", "")
    cursor, notice, status = None, "", 200
    if token.strip():
        try:
            cursor = selectors.Cursor.decode(token)
        except selectors.CursorRefused as refusal:
            notice, status = refusal.message, 400
        else:
            if cursor.as_of != as_of:
                cursor = None
                notice = _(
                    "Tanggal sudah berganti: daftar disusun ulang per hari ini, mulai dari "
                    "halaman pertama."
                )
    try:
        page = selectors.work_page(
            request.user, as_of=as_of, cursor=cursor, per_page=PAGE_SIZE, **filters
        )
    except selectors.CursorRefused as refusal:
        notice, status = refusal.message, 400
        page = selectors.work_page(request.user, as_of=as_of, per_page=PAGE_SIZE, **filters)
    return page, notice, status


@login_required
def work_list(request):
    """The continuation work list, 50 rows a page, paged by cursor (links, no script)."""
    as_of = clock.today()
    filters = _work_filters(request)
    page, notice, status = _work_page(request, as_of, filters)
    for enrollment in page.object_list:
        enrollment.window = selectors.window(enrollment, as_of)
    # Names and phone numbers of workers: who saw which, for the access log (UU PDP).
    access.listed(request, [e.person_id for e in page.object_list], filters, page.count)
    return render(
        request,
        "agents/work_list.html",
        {
            "page": page,
            "as_of": as_of,
            "counted_at": dt.datetime.fromtimestamp(page.counted_at, tz=dt.UTC),
            "notice": notice,
            "filters": filters,
            "agents": selectors.agents_for(request.user),
            "programs": programs_for(request.user),
            "villages": selectors.villages_on_list(
                request.user, as_of=as_of, agent=filters["agent"]
            ),
            "outcomes": dict(Contact.Outcome.choices),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact(request, pk: int):
    """Record a contact with a worker of the work list (a phone-sized form)."""
    enrollment = selectors.get_work_item(request.user, pk)
    today = clock.today()
    form = ContactForm(request.POST or None, initial={"contacted_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_contact(
                user=request.user, enrollment=enrollment, today=today, **form.cleaned_data
            )
        except services.ContactRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                _("Kontak dengan %(name)s dicatat.") % {"name": enrollment.person.full_name},
            )
            return redirect("agents:work-list")
    return render(
        request,
        "agents/contact.html",
        {
            "enrollment": enrollment,
            "window": selectors.window(enrollment, today) if enrollment.coverage_end else None,
            "form": form,
            "contacts": selectors.contacts_of(enrollment),
        },
    )
