from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lindung import __version__
from lindung.operations import replica
from lindung.programs import clock
from lindung.web import selectors


@require_GET
def healthz(request):
    """For load balancers and operators: the app answers and its database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    database = "postgresql" if connection.vendor == "postgresql" else connection.vendor
    answer = {"status": "ok", "database": database, "version": __version__}
    if replica.configured():
        # The app stays up without its replica (reads fall back to the primary): reported,
        # not a failure.
        state = replica.replica_status(force=True)
        answer["replica"] = {
            "status": "ok" if state["healthy"] else "fallback",
            "lag_seconds": state["lag"],
            "reason": state["error"],
        }
    return JsonResponse(answer)


@login_required
def home(request):
    summary = selectors.home_summary(request.user, clock.today())
    return render(request, "web/home.html", {"summary": summary})


def not_found(request, exception=None):
    return render(request, "web/404.html", status=404)


def server_error(request):
    return render(request, "web/500.html", status=500)


def permission_denied(request, exception=None):
    return render(request, "web/403.html", status=403)


def bad_request(request, exception=None):
    return render(request, "web/400.html", status=400)
