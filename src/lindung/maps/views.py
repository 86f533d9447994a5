"""The page where a regency admin loads the boundary file its dashboards' maps are drawn
from (the same check as ``lindung boundaries load``: all features or none)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lindung.maps import selectors, services
from lindung.programs import permissions
from lindung.uploads import UploadRefused, check_size


@login_required
@require_http_methods(["GET", "POST"])
def boundaries(request):
    if not permissions.is_manager(request.user):
        raise PermissionDenied
    report, problem = None, ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problem = _("Pilih berkas batas wilayah (GeoJSON atau TopoJSON).")
        else:
            try:
                check_size(upload.size)
                report = services.load_boundaries(
                    user=request.user,
                    data=upload.read(),
                    source=upload.name[:200],
                    code_field=request.POST.get("code_field", "").strip()[:40],
                )
            except (services.BoundaryFileRefused, UploadRefused) as refused:
                problem = f"{refused.message} [{refused.code}]"
    failed = bool(problem) or (report is not None and not report.ok)
    context = {
        "report": report,
        "problem": problem,
        "loaded": selectors.loaded_by_level(request.user),
    }
    return render(request, "maps/boundaries.html", context, status=422 if failed else 200)
