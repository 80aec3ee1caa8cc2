from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ecplan.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from ecplan.audit import signals  # noqa: F401 - connects the admin change log
