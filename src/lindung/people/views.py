"""Pages of the worker registry. Thin: parse the request, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lindung.accounts.picker import picker_context
from lindung.people import selectors, services
from lindung.people.categories import Category
from lindung.people.forms import WorkerForm
from lindung.privacy import access


@login_required
def worker_list(request):
    filters = {
        "nik": request.GET.get("nik", "")[:20],
        "q": request.GET.get("q", "")[:100],
        "village": request.GET.get("village", "")[:13],
        "category": request.GET.get("category", ""),
    }
    if filters["category"] not in Category.values:
        filters["category"] = ""
    workers = selectors.workers_for(request.user, **filters)
    page = Paginator(workers, 25).get_page(request.GET.get("page"))
    if filters["nik"]:
        access.searched_nik(request, filters["nik"], workers, count=page.paginator.count)
    context = {
        "page": page,
        "filters": filters,
        "categories": Category.choices,
        "picker": picker_context(request, filters["village"], name="village", village_only=False),
    }
    return render(request, "people/list.html", context)


@login_required
def worker_detail(request, pk: int):
    worker = selectors.get_worker(request.user, pk)
    access.viewed(request, worker)
    return render(request, "people/detail.html", {"worker": worker})


def _form_page(request, form, *, worker=None):
    village = form["village_code"].value() or (worker.village_id if worker else "")
    context = {
        "form": form,
        "worker": worker,
        "picker": picker_context(request, village or "", name="village_code", village_only=True),
    }
    return render(request, "people/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def worker_create(request):
    if not request.user.can_edit_workers:
        raise PermissionDenied
    form = WorkerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            worker = services.register_worker(user=request.user, data=form.cleaned_data)
        except services.WorkerInvalid as error:
            form.add_problems(error)
        else:
            messages.success(request, _("Pekerja %(name)s terdaftar.") % {"name": worker.full_name})
            for other in worker.possible_duplicates:  # flagged, not refused
                messages.warning(
                    request,
                    _("Mungkin orang yang sama dengan %(other)s: admin kabupaten akan memeriksa.")
                    % {"other": other["label"]},
                )
            return redirect("people:detail", pk=worker.pk)
    return _form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def worker_edit(request, pk: int):
    worker = selectors.get_worker(request.user, pk)
    if not request.user.can_edit_workers:
        raise PermissionDenied
    form = WorkerForm(
        request.POST or None,
        initial=services.worker_data(worker),
        user=request.user,
        editing=True,
    )
    if request.method == "GET":  # the form shows the whole record
        access.viewed(request, worker)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_worker(user=request.user, person=worker, changes=form.cleaned_data)
        except services.WorkerInvalid as error:
            form.add_problems(error)
        else:
            messages.success(request, _("Data %(name)s disimpan.") % {"name": worker.full_name})
            return redirect("people:detail", pk=worker.pk)
    return _form_page(request, form, worker=worker)


@login_required
@require_http_methods(["GET", "POST"])
def worker_delete(request, pk: int):
    worker = selectors.get_worker(request.user, pk)
    if not request.user.can_edit_workers:
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.delete_worker(user=request.user, person=worker)
        except services.WorkerKept as refusal:
            messages.error(request, refusal.message)
            return redirect("people:detail", pk=worker.pk)
        messages.success(request, _("Data %(name)s dihapus.") % {"name": worker.full_name})
        return redirect("people:list")
    return render(request, "people/delete.html", {"worker": worker})
