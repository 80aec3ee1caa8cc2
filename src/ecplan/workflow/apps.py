from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "ecplan.workflow"
    label = "workflow"
    verbose_name = "审核流程与报送日历"

    def ready(self) -> None:
        from ecplan.audit.actions import register_action
        from ecplan.workflow import signals  # noqa: F401 — connects the calendar cache reset

        register_action("withdraw", "撤回提交")
        register_action("remind", "催报提醒")
        register_action("configure", "修改配置")
