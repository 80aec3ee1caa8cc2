from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "ecplan.plans"
    label = "plans"
    verbose_name = "行动计划"

    def ready(self) -> None:
        # Register the row-level policies of plan data and of the organisations registry
        # (whose pages this app's organisation views serve) when Django starts.
        from ecplan.organisations import policies as organisation_policies  # noqa: F401 - registers policies
        from ecplan.plans import policies  # noqa: F401 - registers policies
