from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "ecplan.monitoring"
    label = "monitoring"
    verbose_name = "监测评价"
