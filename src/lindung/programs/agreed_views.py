"""Pages of the villages' agreed lists (*daftar hasil musyawarah desa*): upload or type a
list, see its versions and the verdict of every name, propose from it. Thin: parse the
request, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lindung.privacy import access
from lindung.programs import agreedlist, clock, permissions, selectors, services
from lindung.programs.agreedlist import AgreedListRefused

CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}


def _own_village(user) -> str:
    """A village operator's village (its lists are the only ones it writes)."""
    code = getattr(user, "region_id", "") or ""
    return code if code.count(".") == 3 else ""


def _rows(request):
    upload = request.FILES.get("entries_file")
    if upload is not None:
        return agreedlist.read_list_file(upload.read(), upload.name), upload.name, "upload"
    return agreedlist.read_typed(request.POST.get("entries", "")), "", "typed"


def _save(request, program, rounds):
    number = request.POST.get("round", "")
    round_ = next((r for r in rounds if str(r.number) == number), None)
    minutes = request.FILES.get("minutes")
    try:
        if round_ is None:
            raise AgreedListRefused("round_unknown")
        rows, file_name, source = _rows(request)
        saved = services.save_agreed_list(
            user=request.user,
            program=program,
            round=round_,
            village_code=_own_village(request.user) or request.POST.get("village", ""),
            meeting_date=request.POST.get("meeting_date", ""),
            minutes_number=request.POST.get("minutes_number", ""),
            minutes=minutes.read() if minutes is not None else None,
            rows=rows,
            source=source,
            file_name=file_name,
            today=clock.today(),
        )
    except AgreedListRefused as refusal:
        messages.error(request, f"{refusal.message} ({refusal.code})")
        return None
    version = saved.version
    if saved.created:
        messages.success(
            request,
            _("Versi %(number)s disimpan: %(passed)s dari %(count)s nama lolos pemeriksaan.")
            % {
                "number": version.number,
                "passed": version.passed_count,
                "count": version.entries_count,
            },
        )
    else:
        refusal = saved.unchanged
        messages.info(request, f"{refusal.message} ({refusal.code})")
    return version


@login_required
@require_http_methods(["GET", "POST"])
def agreed_lists(request, pk: int):
    """The program's agreed lists in the user's region, and the form for a new version."""
    program = selectors.get_program(request.user, pk)
    rounds = selectors.rounds_of(program)
    writer = permissions.is_proposer(request.user)
    if request.method == "POST":
        if not writer:
            raise PermissionDenied
        version = _save(request, program, rounds)
        if version is not None:
            return redirect("programs:agreed-list", pk=pk, list_id=version.agreed_list_id)
    context = {
        "program": program,
        "rounds": rounds,
        "lists": selectors.agreed_lists_for(request.user, program),
        "writer": writer,
        "own_village": _own_village(request.user),
        "villages": selectors.participating_villages(request.user, program) if writer else [],
        "posted": request.POST if request.method == "POST" else {},
    }
    return render(request, "programs/agreed_lists.html", context)


@login_required
@require_GET
def agreed_list(request, pk: int, list_id: int):
    """One village's list: its versions, and the names of one version with their verdicts."""
    program = selectors.get_program(request.user, pk)
    agreed = selectors.get_agreed_list(request.user, program, list_id)
    version = selectors.agreed_version(agreed, request.GET.get("versi"))
    entries = list(selectors.agreed_entries(version))
    people = [e.person_id for e in entries if e.person_id]
    access.listed(
        request, people[:1000], {"agreed_list": agreed.pk, "version": version.number}, len(people)
    )
    context = {
        "program": program,
        "agreed": agreed,
        "version": version,
        "versions": selectors.agreed_versions(agreed),
        "entries": entries,
        "latest": version.number == max(v.number for v in selectors.agreed_versions(agreed)),
        "proposer": permissions.can_propose(request.user, agreed.village_id),
        "refused": sum(1 for e in entries if e.code),
    }
    return render(request, "programs/agreed_list.html", context)


@login_required
@require_GET
def agreed_minutes(request, pk: int, list_id: int, version_id: int):
    """The signed minutes of one version, as uploaded."""
    program = selectors.get_program(request.user, pk)
    agreed = selectors.get_agreed_list(request.user, program, list_id)
    version = selectors.agreed_version_by_id(agreed, version_id)
    if not version.minutes:
        raise Http404
    return FileResponse(
        version.minutes.open("rb"),
        content_type=CONTENT_TYPES.get(version.minutes_kind, "application/octet-stream"),
        filename=version.minutes.name.rsplit("/", 1)[-1],
    )


@login_required
@require_POST
def agreed_propose(request, pk: int, list_id: int):
    """Propose the names of the latest version that passed and are not proposed yet."""
    program = selectors.get_program(request.user, pk)
    agreed = selectors.get_agreed_list(request.user, program, list_id)
    if not permissions.can_propose(request.user, agreed.village_id):
        raise PermissionDenied
    results = services.propose_agreed_list(
        user=request.user, agreed_list=agreed, today=clock.today()
    )
    done = sum(1 for r in results if r.ok)
    refused = len(results) - done
    if not results:
        messages.info(request, _("Tidak ada nama yang lolos pemeriksaan dan belum diusulkan."))
    if done:
        messages.success(
            request,
            ngettext("%(n)s pekerja diusulkan.", "%(n)s pekerja diusulkan.", done) % {"n": done},
        )
    if refused:
        messages.warning(
            request,
            ngettext(
                "%(n)s tidak dapat diusulkan: lihat kolom usulan.",
                "%(n)s tidak dapat diusulkan: lihat kolom usulan.",
                refused,
            )
            % {"n": refused},
        )
    return redirect("programs:agreed-list", pk=pk, list_id=list_id)


@login_required
@require_POST
def agreed_recheck(request, pk: int, list_id: int):
    """Check the latest version's names again (the registry or the program changed)."""
    program = selectors.get_program(request.user, pk)
    agreed = selectors.get_agreed_list(request.user, program, list_id)
    if not permissions.can_propose(request.user, agreed.village_id):
        raise PermissionDenied
    version = services.recheck_agreed_list(
        user=request.user, agreed_list=agreed, today=clock.today()
    )
    if version is not None:
        messages.success(
            request,
            _("Diperiksa ulang: %(passed)s dari %(count)s nama lolos.")
            % {"passed": version.passed_count, "count": version.entries_count},
        )
    return redirect("programs:agreed-list", pk=pk, list_id=list_id)
