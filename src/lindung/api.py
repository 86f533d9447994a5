"""The HTTP API under ``/api/v1/``: one NinjaAPI, one router per app.

Errors keep one shape everywhere: ``{"errors": [{"field", "code", "message"}]}``
(422), or ``{"code", "message"}`` for a refusal of the whole request.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from lindung import __version__
from lindung.accounts.api_auth import BearerToken
from lindung.coverage.api import retention_router
from lindung.coverage.api import router as indicators_router
from lindung.people.api import router as workers_router
from lindung.programs.api import enrollments_router, programs_router
from lindung.schemas import document_errors


class LindungApi(NinjaAPI):
    """The API whose OpenAPI document also declares the error answers every operation shares
    (:func:`lindung.schemas.document_errors`), so a generated client expects them."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_errors(schema)


api = LindungApi(
    title="Lindung API",
    version="1",
    description="API Lindung: registri pekerja rentan dan kepesertaan jaminan sosial "
    "ketenagakerjaan. Autentikasi: `Authorization: Bearer <token>` (lindung users token U).",
    auth=[BearerToken(), django_auth],
    urls_namespace="api-v1",
)
api.add_router("/workers", workers_router, tags=["pekerja"])
api.add_router("/programs", programs_router, tags=["program"])
api.add_router("/enrollments", enrollments_router, tags=["kepesertaan"])
api.add_router("/billing", "lindung.billing.api.router", tags=["tagihan"])
api.add_router("/rates", "lindung.billing.api.rates_router", tags=["tarif"])
api.add_router("/indicators", indicators_router, tags=["indikator"])
api.add_router("/retention", retention_router, tags=["indikator"])
api.add_router("/agents", "lindung.agents.api.agents_router", tags=["agen"])
api.add_router("/continuation", "lindung.agents.api.continuation_router", tags=["agen"])
api.add_router("", "lindung.privacy.api.router", tags=["privasi"])
api.add_router("/collections", "lindung.selfpay.api.collections_router", tags=["iuran mandiri"])
api.add_router("/employers", "lindung.employers.api.router", tags=["pemberi kerja"])
# Beside the agents' own router: only the ``/{id}/fees`` path is here.
api.add_router("/agents", "lindung.selfpay.api.fees_router", tags=["imbal jasa agen"])
# Beside the programs' own router: only the ``/{id}/batches`` path is here.
api.add_router("/programs", "lindung.bpjs.api.router", tags=["BPJS"])
api.add_router("/sync", "lindung.sync.api.router", tags=["sinkron luring"])
api.add_router("/benefits", "lindung.claims.api.benefits_router", tags=["klaim"])
api.add_router("/claims", "lindung.claims.api.claims_router", tags=["klaim"])
api.add_router("/reports", "lindung.reports.api.router", tags=["laporan"])
api.add_router("/imports", "lindung.imports.update_api.router", tags=["impor"])


def _field_of(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload")]
    return ".".join(parts) or "request"


@api.exception_handler(NinjaValidationError)
def invalid_request(request, exc):
    errors = [
        {
            "field": _field_of(error.get("loc", ())),
            "code": "invalid",
            "message": "Isian tidak sah: periksa jenis dan format nilai ini.",
        }
        for error in exc.errors
    ]
    return api.create_response(request, {"errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(
        request,
        {"code": "unauthorized", "message": "Token tidak sah atau tidak ada: kirim Bearer token."},
        status=401,
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(
        request, {"code": "not_found", "message": "Data tidak ditemukan."}, status=404
    )


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(
        request,
        {"code": "forbidden", "message": "Peran Anda tidak boleh melakukan ini."},
        status=403,
    )


# django-ninja raises these itself, with English texts: the only one today is a body that
# is not JSON (400). Our own code returns its refusals instead of raising.
HTTP_ERRORS = {
    400: ("body_unreadable", "Isi permintaan bukan JSON yang dapat dibaca."),
}


@api.exception_handler(HttpError)
def http_error(request, exc):
    code, message = HTTP_ERRORS.get(exc.status_code, ("error", "Permintaan tidak dapat diproses."))
    return api.create_response(request, {"code": code, "message": message}, status=exc.status_code)


__all__ = ["api", "__version__"]
