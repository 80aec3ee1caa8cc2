from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "ecplan.accounts"
    label = "accounts"
    verbose_name = "账户与权限"

    def ready(self) -> None:
        from ecplan.accounts import account_policies, signals  # noqa: F401 - registers policies and signal handlers
        from ecplan.accounts.policies import autodiscover

        autodiscover()


class EcplanAdminConfig(admin_apps.AdminConfig):
    """Django's admin, restricted to system administrators (see ecplan.accounts.admin_site)."""

    default = False
    default_site = "ecplan.accounts.admin_site.EcplanAdminSite"
