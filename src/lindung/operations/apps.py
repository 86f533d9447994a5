from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "lindung.operations"
    verbose_name = "Operasional (cadangan, metrik, log)"
