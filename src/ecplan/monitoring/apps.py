from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "ecplan.monitoring"
    label = "monitoring"
    verbose_name = "监测评价"

    def ready(self) -> None:
        from ecplan.audit.actions import register_action
        from ecplan.monitoring.computed import register_all

        register_action("evaluate", "评价")
        # the data-collection pages show these computed values beside the reported ones
        register_all()
