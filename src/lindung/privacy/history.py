"""Change history of the records that hold money, coverage or personal data.

Every tracked model declares ``history = tracked_history()``: a django-simple-history
table beside the model's, whose rows also say *through what* the change came (a page, the
API, an import job, an insurer's file, a command). That comes from the change source of
the moment: :class:`ChangeSourceMiddleware` sets it for every request, and
:func:`changes_through` for a command, a background job or an import. Who made the change
is the source's user (for a request, the user the request was authenticated as, read when
the change is saved, so an API token counts too).

Set-based writers (the worker import) write the historical rows themselves, in bulk, with
:func:`current_source` for the same columns: see ``lindung.imports.loading``.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


class Via(models.TextChoices):
    PAGE = "page", _("halaman")
    API = "api", _("API")
    IMPORT = "import", _("impor")
    INSURER_FILE = "insurer_file", _("berkas BPJS")
    COMMAND = "command", _("perintah")
    ADMIN = "admin", _("admin")
    SYSTEM = "system", _("sistem")


@dataclass(frozen=True)
class ChangeSource:
    """Through what the changes of the moment come, and on whose behalf."""

    via: str
    detail: str = ""
    user: object = None
    request: object = None

    @property
    def actor(self):
        """The user: the request's when there is one (read now, after authentication)."""
        if self.request is not None:
            user = getattr(self.request, "user", None)
            if user is not None and user.is_authenticated:
                return user
            return None
        if self.user is not None and getattr(self.user, "pk", None):
            return self.user
        return None


_SYSTEM = ChangeSource(Via.SYSTEM)
_current: ContextVar[ChangeSource] = ContextVar("lindung_change_source", default=_SYSTEM)


def current_source() -> ChangeSource:
    return _current.get()


@contextmanager
def changes_through(via: str, detail: str = "", *, user=None):
    """Record the changes made inside the block as coming through ``via`` (a :class:`Via`),
    e.g. ``with changes_through(Via.IMPORT, f"job {job.pk}", user=job.created_by):``."""
    token = _current.set(ChangeSource(via, detail[:200], user=user))
    try:
        yield
    finally:
        _current.reset(token)


def request_via(path: str) -> str:
    if path.startswith("/api/"):
        return Via.API
    if path.startswith("/admin/"):
        return Via.ADMIN
    return Via.PAGE


class ChangeSourceMiddleware:
    """Every change made while answering a request comes through its page or operation."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = ChangeSource(
            request_via(request.path), f"{request.method} {request.path}"[:200], request=request
        )
        token = _current.set(source)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


class ChangeSourceFields(models.Model):
    """The columns every historical table adds to django-simple-history's own."""

    history_via = models.CharField(
        _("melalui"), max_length=20, choices=Via.choices, default=Via.SYSTEM
    )
    history_via_detail = models.CharField(_("rincian sumber"), max_length=200, default="")

    class Meta:
        abstract = True


def _source_user(instance=None, request=None, **kwargs):
    return current_source().actor


class TrackedRecords(HistoricalRecords):
    """A save that writes only excluded fields (a user's ``last_login`` at each sign-in)
    changes nothing the history keeps: no row for it."""

    def post_save(self, instance, created, using=None, **kwargs):
        fields = kwargs.get("update_fields")
        if not created and fields and set(fields) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)


def tracked_history(**kwargs) -> HistoricalRecords:
    """The history of a model: ``history = tracked_history()`` in its class body.

    Keyword arguments go to :class:`~simple_history.models.HistoricalRecords` (e.g.
    ``excluded_fields``, ``no_db_index``). Foreign keys of the historical table keep no
    database constraint, and the history outlives the record it describes.
    """
    kwargs.setdefault("bases", [ChangeSourceFields])
    kwargs.setdefault("get_user", _source_user)
    kwargs.setdefault("user_db_constraint", False)
    return TrackedRecords(**kwargs)


def bulk_history(model, objs, *, update: bool = False) -> None:
    """The historical rows of records written without ``save()`` (``bulk_create``, a
    guarded ``QuerySet.update``): give the objects as they now are. Who and through what
    come from the current source, as for a save."""
    if not history_enabled():
        return
    source = current_source()
    model.history.bulk_history_create(
        list(objs),
        update=update,
        default_user=source.actor,
        custom_historical_attrs={
            "history_via": str(source.via),
            "history_via_detail": source.detail,
        },
    )


def history_enabled() -> bool:
    """django-simple-history's own switch; the bulk writers honour it too."""
    return getattr(settings, "SIMPLE_HISTORY_ENABLED", True)


def _fill_source(sender, history_instance, **kwargs) -> None:
    if isinstance(history_instance, ChangeSourceFields):
        source = current_source()
        history_instance.history_via = source.via
        history_instance.history_via_detail = source.detail


def connect() -> None:
    pre_create_historical_record.connect(_fill_source, dispatch_uid="lindung_change_source")


class TrackedCommand(BaseCommand):
    """A ``lindung`` command whose changes are recorded as coming through it."""

    def execute(self, *args, **options):
        name = self.__module__.rsplit(".", 1)[-1]
        action = options.get("action") or options.get("kind") or ""
        with changes_through(Via.COMMAND, f"lindung {name} {action}".strip()):
            return super().execute(*args, **options)
