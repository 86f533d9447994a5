"""The conflict report and the device registry (pages); thin: parse, call, render."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lindung.formatting import rupiah, tanggal
from lindung.people import visibility
from lindung.people.services import WorkerInvalid
from lindung.privacy import access
from lindung.sync import selectors, services
from lindung.sync.models import Conflict

# The fields of a conflict in the order the report shows them, with their labels.
FIELD_LABELS = {
    "nik": "NIK",
    "full_name": gettext_lazy("nama lengkap"),
    "sex": gettext_lazy("jenis kelamin"),
    "birth_date": gettext_lazy("tanggal lahir"),
    "birth_place": gettext_lazy("tempat lahir"),
    "mother_maiden_name": gettext_lazy("nama ibu kandung"),
    "village_code": gettext_lazy("kode desa"),
    "address": gettext_lazy("alamat"),
    "phone": gettext_lazy("telepon"),
    "occupation": gettext_lazy("pekerjaan"),
    "category": gettext_lazy("kategori"),
    "declared_income": gettext_lazy("penghasilan"),
    "segment": gettext_lazy("segmen"),
    "number": gettext_lazy("nomor kuitansi"),
    "months": gettext_lazy("bulan"),
    "paid_on": gettext_lazy("tanggal bayar"),
    "method": gettext_lazy("cara bayar"),
    "total": gettext_lazy("jumlah"),
    "amount": gettext_lazy("jumlah"),
}


def _shown(user, name: str, value) -> str:
    """A value as the report shows it, masked as the registry masks it for the role."""
    if value in (None, ""):
        return "—"
    if name == "nik":
        return visibility.nik(user, str(value))
    if name in ("birth_date", "sex") and not visibility.sees_full(user, name):
        return "••••"
    if name in ("birth_date", "paid_on"):
        try:
            return tanggal(dt.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if name in ("total", "amount", "declared_income") and str(value).isdecimal():
        return rupiah(int(value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _rows(user, conflict: Conflict) -> list[dict]:
    """Field by field: the server's value, the phone's, and whether they differ."""
    server, phone = conflict.server_version, conflict.phone_version
    names = [n for n in FIELD_LABELS if n in server or n in phone]
    names += sorted((set(server) | set(phone)) - set(names))
    return [
        {
            "label": FIELD_LABELS.get(name, name),
            "server": _shown(user, name, server.get(name)) if name in server else "—",
            "phone": _shown(user, name, phone.get(name)) if name in phone else "—",
            "differs": name in phone and str(server.get(name, "")) != str(phone.get(name)),
        }
        for name in names
    ]


@login_required
def conflicts(request):
    show = request.GET.get("tampil", "")
    rows = selectors.conflicts_for(request.user, open_only=show != "semua")
    return render(
        request,
        "sync/conflicts.html",
        {"conflicts": rows.select_related("person")[:500], "show_all": show == "semua"},
    )


@login_required
def conflict(request, pk: int):
    item = selectors.get_conflict(request.user, pk)
    if request.method == "POST":
        try:
            services.resolve_conflict(
                user=request.user,
                conflict=item,
                action=request.POST.get("action", ""),
                note=request.POST.get("note", ""),
            )
        except services.SyncRefused as refusal:
            messages.error(request, refusal.message)
        except WorkerInvalid as error:
            messages.error(request, " ".join(p.message for p in error.problems))
        else:
            messages.success(request, _("Konflik diputuskan."))
        return redirect("sync:conflict", pk=item.pk)
    if item.person is not None:
        access.viewed(request, item.person)
    return render(
        request,
        "sync/conflict.html",
        {
            "conflict": item,
            "rows": _rows(request.user, item),
            "can_apply": item.is_open and item.type != Conflict.Type.MONTH_TWICE,
        },
    )


@login_required
def devices(request):
    return render(
        request, "sync/devices.html", {"devices": selectors.devices_for(request.user)[:500]}
    )


@login_required
def device_revoke(request, pk: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    device = selectors.get_device(request.user, pk)
    services.revoke_device(user=request.user, device=device)
    messages.success(request, _("Perangkat dicabut: catatannya akan ditolak."))
    return redirect("sync:devices")
