"""The conflict report and the device registry (pages); thin: parse, call, render."""

import datetime as dt
import hashlib
import json
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

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
    "data_source": gettext_lazy("sumber data"),
    "welfare_decile": gettext_lazy("desil DTSEN"),
    "has_disability": gettext_lazy("penyandang disabilitas"),
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
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
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


# --- the installable app (PWA) ------------------------------------------------------------

# Files the service worker keeps for offline use: the shell and the phone forms' code.
SHELL_STATIC = [
    "lindung/lindung.css",
    "lindung/lindung.js",
    "lindung/sync/offline.js",
    "lindung/sync/pricing.js",
    "lindung/sync/icon-192.png",
    "lindung/sync/icon-512.png",
    "django_htmx/htmx-2.min.js",
]


@require_GET
def manifest(request):
    """The web app manifest: "Add to home screen" opens the offline forms full-screen."""
    body = {
        "name": "Lindung",
        "short_name": "Lindung",
        "description": str(
            gettext_lazy("Pendaftaran dan iuran pekerja rentan desa, juga tanpa sinyal.")
        ),
        "lang": "id",
        "start_url": reverse("sync:offline"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0f766e",
        "icons": [
            {"src": static(f"lindung/sync/icon-{n}.png"), "sizes": f"{n}x{n}", "type": "image/png"}
            for n in (192, 512)
        ],
    }
    response = JsonResponse(body, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def service_worker(request):
    """The service worker, from the site's root so that its scope is the whole site; its
    code is a static file, with the list of what to keep offline written before it."""
    path = finders.find("lindung/sync/sw.js")
    code = Path(path).read_text(encoding="utf-8")
    shell = [reverse("sync:offline"), *(static(name) for name in SHELL_STATIC)]
    version = hashlib.sha256((code + json.dumps(shell)).encode()).hexdigest()[:12]
    head = (
        f"var LINDUNG_SHELL = {json.dumps(shell)};\nvar LINDUNG_VERSION = {json.dumps(version)};\n"
    )
    response = HttpResponse(head + code, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@login_required
def offline(request):
    """The phone forms that work without a connection (their behaviour: ``offline.js``)."""
    if request.user.role not in selectors.WORKERS:
        raise PermissionDenied
    from lindung.agents.models import Contact
    from lindung.people.models import Person

    return render(
        request,
        "sync/offline.html",
        {
            "outcomes": Contact.Outcome.choices,
            "segments": Person.Segment.choices,
            "edit_fields": selectors.edit_fields(request.user),
            "texts": {k: str(v) for k, v in TEXTS.items()},
        },
    )


# What offline.js says, translated here (the script itself holds no text).
TEXTS = {
    "online": gettext_lazy("Daring"),
    "offline": gettext_lazy("Luring"),
    "saved": gettext_lazy("Tersimpan di ponsel; dikirim saat sinkron."),
    "store_failed": gettext_lazy(
        "Catatan tidak dapat disimpan di ponsel (penyimpanan penuh atau diblokir): isian "
        "dikembalikan; kosongkan ruang lalu simpan lagi."
    ),
    "sending": gettext_lazy("Mengirim…"),
    "sent": gettext_lazy(
        "Sinkron selesai: %(accepted)s diterima, %(conflict)s konflik, %(refused)s ditolak."
    ),
    "no_connection": gettext_lazy("Tidak ada sambungan: catatan tetap di ponsel."),
    "failed": gettext_lazy("Server tidak dapat dihubungi; coba lagi nanti."),
    "signed_out": gettext_lazy("Sesi berakhir: masuk lagi, lalu sinkronkan."),
    "nik_digits": gettext_lazy("NIK harus 16 angka."),
    "nik_date": gettext_lazy("Tanggal lahir tidak sama dengan NIK (%(date)s)."),
    "nik_sex": gettext_lazy("Jenis kelamin tidak sama dengan NIK."),
    "nik_region": gettext_lazy("Kode wilayah NIK (%(prefix)s) bukan kecamatan desa yang dipilih."),
    "village_unknown": gettext_lazy("Pilih desa dari wilayah kerja Anda (unduh data wilayah)."),
    "required": gettext_lazy("Isian wajib: %(field)s."),
    "months_invalid": gettext_lazy("Bulan ditulis YYYY-MM, mis. 2026-11."),
    "status_pending": gettext_lazy("menunggu"),
    "status_refused": gettext_lazy("ditolak — perbaiki"),
    "status_deferred": gettext_lazy("ditunda"),
    "fix": gettext_lazy("Perbaiki"),
    "drop": gettext_lazy("Hapus"),
    "data_none": gettext_lazy("Data wilayah belum diunduh: buka halaman ini sekali saat daring."),
    "data_as_of": gettext_lazy(
        "Di ponsel: %(villages)s desa, %(workers)s pekerja, %(items)s daftar kerja "
        "(diunduh %(when)s)."
    ),
    "rates_until": gettext_lazy("Tarif iuran di ponsel berlaku sampai %(until)s."),
    "downloading": gettext_lazy("Mengunduh data wilayah: %(done)s dari %(total)s…"),
    "download_failed": gettext_lazy(
        "Unduhan data wilayah terputus: data lama tetap dipakai; coba lagi saat sinyal baik."
    ),
    "waits_price": gettext_lazy("menunggu harga dari server"),
    "price_on_phone": gettext_lazy("%(total)s (%(lines)s), dihitung di ponsel."),
    "kind_worker.create": gettext_lazy("Pendaftaran"),
    "kind_worker.update": gettext_lazy("Perubahan pekerja"),
    "kind_contact.create": gettext_lazy("Kontak"),
    "kind_collection.create": gettext_lazy("Iuran"),
}
