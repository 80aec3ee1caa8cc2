from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ecplan.web"
    label = "web"
    verbose_name = "平台"
