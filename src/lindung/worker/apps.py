from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkerConfig(AppConfig):
    """Listed before ``django_tasks_db`` so that its ``db_worker`` command is this one."""

    name = "lindung.worker"
    verbose_name = _("Pekerja latar belakang")
