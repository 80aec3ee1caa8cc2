from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "ecplan.reporting"
    label = "reporting"
    verbose_name = "数据填报"

    def ready(self) -> None:
        from ecplan.audit.actions import register_action

        register_action("restate", "重新核算")
