"""Pages under ``/privasi/``: the access log, and the Riwayat tab of the records."""

import io
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lindung.accounts.scope import scope_code, scoped
from lindung.billing.selectors import get_bill
from lindung.employers.selectors import get_employer
from lindung.people.models import Person
from lindung.people.selectors import get_worker
from lindung.people.services import WorkerInvalid
from lindung.people.validation import parse_date
from lindung.privacy import access, reports, selectors, subject
from lindung.privacy.models import SubjectRequest
from lindung.programs.selectors import get_enrollment, get_program


@login_required
@require_GET
def index(request):
    if not selectors.can_read_access_log(request.user):
        raise PermissionDenied
    recent = SubjectRequest.objects.select_related("made_by")
    scope = scope_code(request.user)
    if scope is not None:
        recent = recent.filter(Q(region_code=scope) | Q(region_code__startswith=scope + "."))
    return render(request, "privacy/index.html", {"requests": recent[:50]})


def log_filters(data) -> tuple[dict, dict]:
    """The access log's filters from a query string: (as typed, as parsed)."""
    typed = {
        "worker": data.get("worker", "")[:20].strip(),
        "user": data.get("user", "")[:150].strip(),
        "from": data.get("from", "")[:10].strip(),
        "to": data.get("to", "")[:10].strip(),
    }
    parsed = {
        "worker": int(typed["worker"]) if typed["worker"].isdigit() else None,
        "username": typed["user"],
        "since": parse_date(typed["from"]) if typed["from"] else None,
        "until": parse_date(typed["to"]) if typed["to"] else None,
    }
    return typed, parsed


@login_required
@require_GET
def access_log(request):
    if not selectors.can_read_access_log(request.user):
        raise PermissionDenied
    typed, parsed = log_filters(request.GET)
    entries = selectors.access_entries(request.user, **parsed)
    if request.GET.get("format") == "xlsx":
        buffer = io.BytesIO()
        reports.write_access_xlsx(entries, buffer)
        buffer.seek(0)
        name = f"log-akses-{timezone.localdate():%Y-%m-%d}.xlsx"
        return FileResponse(buffer, as_attachment=True, filename=name)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "privacy/access_log.html", {"page": page, "filters": typed})


# The records with a Riwayat tab: how to find one in the user's scope, and its page.
RECORDS = {
    "pekerja": (get_worker, "people:detail"),
    "program": (get_program, "programs:detail"),
    "kepesertaan": (get_enrollment, "programs:enrollment"),
    "tagihan": (get_bill, "billing:bill"),
    "pemberi-kerja": (get_employer, "employers:detail"),
}


@login_required
@require_GET
def record_history(request, kind: str, pk: int):
    if kind not in RECORDS:
        raise Http404
    get, back = RECORDS[kind]
    record = get(request.user, pk)
    if kind == "pekerja":  # old values of personal data are personal data too
        access.viewed(request, record)
    context = {
        "record": record,
        "kind": kind,
        "back": back,
        "rows": selectors.history_of(record, request.user),
        "title": _("Riwayat perubahan"),
    }
    return render(request, "privacy/history.html", context)


# ---- data-subject requests ---------------------------------------------------------------


def _subject(request, pk: int):
    if not selectors.can_read_access_log(request.user):
        raise PermissionDenied
    return get_worker(request.user, pk)


@login_required
@require_GET
def subject_search(request):
    if not selectors.can_read_access_log(request.user):
        raise PermissionDenied
    nik = "".join(request.GET.get("nik", "").split())[:16]
    context = {"nik": nik, "person": None, "correctable": subject.CORRECTABLE}
    if nik:
        found = scoped(request.user, Person.objects.filter(nik=nik))
        access.searched_nik(request, nik, found)
        person = found.select_related("village", "occupation").first()
        context.update(
            person=person,
            plan=subject.erasure_plan(person) if person else None,
            requests=SubjectRequest.objects.filter(nik=nik).select_related("made_by"),
        )
    return render(request, "privacy/subject.html", context)


@login_required
@require_POST
def subject_copy(request, pk: int):
    person = _subject(request, pk)
    fmt = "pdf" if request.POST.get("format") == "pdf" else "json"
    try:
        content, content_type = subject.produce(
            request, person, reason=request.POST.get("reason", ""), fmt=fmt
        )
    except subject.SubjectRefused as refusal:
        messages.error(request, refusal.message)
        return _back_to(person.nik)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="data-pribadi-{person.pk}.{fmt}"'
    return response


def _back_to(nik: str):
    return redirect(f"{reverse('privacy:subject')}?{urlencode({'nik': nik})}")


@login_required
@require_POST
def subject_correct(request, pk: int):
    person = _subject(request, pk)
    try:
        subject.correct(
            request.user,
            person,
            field=request.POST.get("field", ""),
            value=request.POST.get("value", ""),
            reason=request.POST.get("reason", ""),
        )
    except subject.SubjectRefused as refusal:
        messages.error(request, refusal.message)
    except WorkerInvalid as error:
        for problem in error.problems:
            messages.error(request, problem.message)
    else:
        messages.success(request, _("Data diperbaiki; permintaan dicatat."))
    person.refresh_from_db()
    return _back_to(person.nik)


@login_required
@require_POST
def subject_erase(request, pk: int):
    person = _subject(request, pk)
    nik = person.nik
    if request.POST.get("confirm") != nik:
        messages.error(request, _("Ketik NIK orang ini untuk memastikan penghapusan."))
        return _back_to(nik)
    try:
        record = subject.erase(request.user, person, reason=request.POST.get("reason", ""))
    except subject.SubjectRefused as refusal:
        messages.error(request, refusal.message)
        return _back_to(nik)
    if record.details.get("done") == "deleted":
        messages.success(request, _("Data orang ini dihapus dari registri; permintaan dicatat."))
    else:
        messages.success(
            request,
            _(
                "Data kontak dan latar dihapus; NIK, nama dan kepesertaan disimpan untuk "
                "tagihan dan audit. Permintaan dicatat."
            ),
        )
    return _back_to(nik)
