"""Users, their roles and the scope of each role.

A user holds any number of :class:`RoleAssignment` rows; each names one :class:`Role` and, where
the role requires it, the organisation, area or enterprise it applies to. A user without any
assignment sees nothing. Helper functions that answer "what may this user see" live in
:mod:`ecplan.accounts.roles`; row-level decisions in :mod:`ecplan.accounts.policies`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    """The roles of the platform (codes are stable identifiers; labels are shown to users)."""

    SYSTEM_ADMIN = "system_admin", "系统管理员"
    PLAN_ADMIN = "plan_admin", "计划管理员"
    DEPT_REPORTER = "dept_reporter", "部门填报员"
    DEPT_REVIEWER = "dept_reviewer", "部门审核员"
    AREA_USER = "area_user", "区县用户"
    ENTERPRISE_REPORTER = "enterprise_reporter", "企业填报员"
    LEADER = "leader", "领导"


class ScopeKind(models.TextChoices):
    NONE = "none", "全部（无需范围）"
    ORGANISATION = "organisation", "部门与单位"
    AREA = "area", "地区"
    ENTERPRISE = "enterprise", "企业"


#: Which kind of scope each role takes. Exactly this field of a RoleAssignment is set.
ROLE_SCOPE: dict[str, str] = {
    Role.SYSTEM_ADMIN: ScopeKind.NONE,
    Role.PLAN_ADMIN: ScopeKind.ORGANISATION,
    Role.DEPT_REPORTER: ScopeKind.ORGANISATION,
    Role.DEPT_REVIEWER: ScopeKind.ORGANISATION,
    Role.AREA_USER: ScopeKind.AREA,
    Role.ENTERPRISE_REPORTER: ScopeKind.ENTERPRISE,
    Role.LEADER: ScopeKind.NONE,
}


def _roles_with(kind: str) -> list[str]:
    return sorted(str(r) for r, k in ROLE_SCOPE.items() if k == kind)


class User(AbstractUser):
    """A person who logs in. ``full_name`` is the name shown (张三); Chinese names are not split."""

    full_name = models.CharField("姓名", max_length=60, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    position = models.CharField("单位与职务", max_length=120, blank=True)
    is_demo = models.BooleanField(
        "演示账户", default=False, help_text="演示账户只在演示实例中可以登录。"
    )
    invited_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="邀请人",
    )
    invited_at = models.DateTimeField("邀请时间", null=True, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self) -> str:
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username


class RoleAssignment(models.Model):
    """One role of one user, on the scope the role requires (see :data:`ROLE_SCOPE`).

    - ``system_admin``, ``leader``: no scope (the whole platform).
    - ``plan_admin``: ``organisation`` — the plan office (``Organisation.is_plan_office``).
    - ``dept_reporter``, ``dept_reviewer``: ``organisation`` — their department or body.
    - ``area_user``: ``area`` — a county-level area (its functional zones included) or a zone.
    - ``enterprise_reporter``: ``enterprise``.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name="用户"
    )
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name="部门与单位",
    )
    area = models.ForeignKey(
        "organisations.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name="地区",
    )
    enterprise = models.ForeignKey(
        "organisations.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name="企业",
    )
    granted_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="授予人",
    )
    granted_at = models.DateTimeField("授予时间", auto_now_add=True)

    class Meta:
        verbose_name = "角色分配"
        verbose_name_plural = "角色分配"
        ordering = ["user", "role", "id"]
        constraints = [
            models.CheckConstraint(
                name="roleassignment_scope_matches_role",
                condition=(
                    Q(
                        role__in=_roles_with(ScopeKind.NONE),
                        organisation__isnull=True,
                        area__isnull=True,
                        enterprise__isnull=True,
                    )
                    | Q(
                        role__in=_roles_with(ScopeKind.ORGANISATION),
                        organisation__isnull=False,
                        area__isnull=True,
                        enterprise__isnull=True,
                    )
                    | Q(
                        role__in=_roles_with(ScopeKind.AREA),
                        organisation__isnull=True,
                        area__isnull=False,
                        enterprise__isnull=True,
                    )
                    | Q(
                        role__in=_roles_with(ScopeKind.ENTERPRISE),
                        organisation__isnull=True,
                        area__isnull=True,
                        enterprise__isnull=False,
                    )
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(organisation__isnull=True, area__isnull=True, enterprise__isnull=True),
                name="roleassignment_unique_unscoped",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=Q(organisation__isnull=False),
                name="roleassignment_unique_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "area"],
                condition=Q(area__isnull=False),
                name="roleassignment_unique_area",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "enterprise"],
                condition=Q(enterprise__isnull=False),
                name="roleassignment_unique_enterprise",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}：{self.label}"

    @property
    def scope_kind(self) -> str:
        return ROLE_SCOPE[self.role]

    @property
    def scope_object(self) -> Any:
        return self.organisation or self.area or self.enterprise

    @property
    def scope_label(self) -> str:
        obj = self.scope_object
        return str(obj) if obj is not None else "全部"

    @property
    def label(self) -> str:
        """e.g. ``部门填报员（市工信局）`` or ``领导（全部）``."""
        return f"{self.get_role_display()}（{self.scope_label}）"

    def clean(self) -> None:
        """Check that the scope fits the role, with messages that say which field to fix."""
        if self.role not in ROLE_SCOPE:
            raise ValidationError({"role": f"未知角色：{self.role!r}"})
        kind = ROLE_SCOPE[self.role]
        label = Role(self.role).label
        given: dict[str, int | None] = {
            ScopeKind.ORGANISATION: self.organisation_id,
            ScopeKind.AREA: self.area_id,
            ScopeKind.ENTERPRISE: self.enterprise_id,
        }
        errors: dict[str, str] = {}
        for field_kind, value in given.items():
            if field_kind != kind and value is not None:
                errors[str(field_kind)] = (
                    f"角色“{label}”不需要{ScopeKind(field_kind).label}，请留空。"
                )
        if kind != ScopeKind.NONE and given[kind] is None:
            errors[str(kind)] = f"角色“{label}”必须指定{ScopeKind(kind).label}。"
        if errors:
            raise ValidationError(errors)
        if (
            self.role == Role.PLAN_ADMIN
            and self.organisation is not None
            and not self.organisation.is_plan_office
        ):
            raise ValidationError(
                {
                    "organisation": f"计划管理员只能属于计划管理部门；“{self.organisation}”不是计划管理部门。"
                }
            )
        if self.role == Role.AREA_USER and self.area is not None:
            from ecplan.organisations.models import Area

            if self.area.kind == Area.Kind.CITY:
                raise ValidationError(
                    {
                        "area": "区县用户的范围应为县（市、区）或功能区；全市范围请使用计划管理员或领导角色。"
                    }
                )


class DemoAccount(models.Model):
    """Credentials of a demo account, kept so ``ecplan demo-accounts`` can list them.

    Rows exist only in demo instances (``ecplan serve --demo``); production settings refuse to
    create them, to list them, and to let their users log in.
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="demo_account", verbose_name="用户"
    )
    password = models.CharField("演示密码", max_length=60)
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    scope = models.CharField("范围", max_length=200)
    position = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "演示账户"
        verbose_name_plural = "演示账户"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.user.username
