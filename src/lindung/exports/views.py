"""The export page: pick filters and a format, get the file. Thin view."""

import io

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from lindung.accounts.picker import picker_context
from lindung.exports import services
from lindung.exports.workers import FILTERS, clean_filters, export_filename, workers_to_export
from lindung.people import visibility
from lindung.privacy import access


@login_required
@require_GET
def workers_export(request):
    filters = clean_filters(request.GET)
    fmt = request.GET.get("format", "")
    today = timezone.localdate()
    if fmt == "csv":
        # Logged before the first byte leaves, with the count of the rows to come.
        access.exported(request, filters, workers_to_export(request.user, filters).count())
        response = StreamingHttpResponse(
            services.stream_workers_csv(request.user, filters),
            content_type="text/csv; charset=utf-8",
        )
        name = export_filename(filters, ".csv", today)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    if fmt == "xlsx":
        buffer = io.BytesIO()
        count = services.write_workers_xlsx(request.user, filters, buffer)
        access.exported(request, filters, count)
        buffer.seek(0)
        return FileResponse(
            buffer, as_attachment=True, filename=export_filename(filters, ".xlsx", today)
        )
    context = {
        "filters": filters,
        "choices": [
            (f.name, f.label, f.choices(), filters.get(f.name, ""))
            for f in FILTERS.values()
            if f.choices is not None
        ],
        "picker": picker_context(
            request, filters.get("region", ""), name="region", village_only=False
        ),
        "full_nik": visibility.sees_full(request.user, "nik"),
    }
    return render(request, "exports/workers.html", context)
