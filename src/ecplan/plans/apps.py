from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "ecplan.plans"
    label = "plans"
    verbose_name = "行动计划"
