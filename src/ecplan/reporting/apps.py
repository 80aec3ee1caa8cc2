from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "ecplan.reporting"
    label = "reporting"
    verbose_name = "数据填报"
