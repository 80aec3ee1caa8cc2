"""Who sees which evaluation results, and who enters binding targets.

============================== =================================================================
rows                           visible to
============================== =================================================================
目标进展 (``TargetResult``)     plan/system administrators and leaders: all; department users:
                               the targets, milestones and rules their department is named for
                               (牵头、共同负责或配合, in the plan text or the breakdown table);
                               area users: the binding targets of their area and of the city;
                               enterprise users: none
晴雨表 (``AreaResult``)         administrators, leaders and department users: every area; area
                               users: their own county-level area (its zones have no separate
                               statistics) and the city; enterprise users: none
约束性指标 (``BindingTarget``)  as 晴雨表 (by the target's area)
目标值录入 (``TargetValue``)     every user holding a role except enterprise users
评价记录 (``EvaluationRun``)    every user holding a role except enterprise users (a run's rows
                               stay scoped as above)
============================== =================================================================

Enterprises see nothing of the evaluation: their data enter the city's figures only through
the statistics and the per-installation indicators, whose results are the city's.

Actions beyond the read actions: ``enter`` (enter or change a binding target or a target value)
and ``rerun`` (evaluate again and keep the run) — plan and system administrators.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from ecplan.accounts import roles
from ecplan.accounts.models import Role
from ecplan.accounts.policies import READ_ACTIONS, Policy, register, scope_through, viewable
from ecplan.monitoring.models import (
    AreaResult,
    BindingTarget,
    BindingTargetRevision,
    EvaluationRun,
    ResultBlob,
    TargetResult,
    TargetValue,
    TargetValueRevision,
)

_NOTHING = Q(pk__in=[])


def is_plan_office(user: Any) -> bool:
    """Plan and system administrators: enter binding targets, re-run evaluations."""
    return roles.has_any_role(user, Role.PLAN_ADMIN, Role.SYSTEM_ADMIN)


def reads_evaluations(user: Any) -> bool:
    """Holds a role that sees some evaluation (everyone but enterprise-only users)."""
    return bool(
        roles.sees_everything(user) or roles.organisation_ids_for(user) or roles.area_ids_for(user)
    )


def area_scope(user: Any, path: str = "area") -> Q:
    """Rows of areas ``user`` may follow in the 晴雨表: all for global and department users,
    their own areas (and zones) and the city for area users."""
    if roles.sees_everything(user) or roles.organisation_ids_for(user):
        return Q()
    ids = roles.area_ids_for(user)
    if ids:
        return Q(**{f"{path}__in": ids}) | Q(**{f"{path}__kind": "city"})
    return _NOTHING


def follows_area(user: Any, area: Any) -> bool:
    """May ``user`` follow ``area`` in the 晴雨表 (the same rule as :func:`area_scope`)?"""
    if roles.sees_everything(user) or roles.organisation_ids_for(user):
        return True
    ids = roles.area_ids_for(user)
    if area.kind == "city":
        return bool(ids)
    return area.pk in ids


class _EnteredPolicy(Policy[Any]):
    def can(self, user: Any, action: str, obj: Any) -> bool:
        if action in READ_ACTIONS:
            return self.in_scope(user, obj)
        if action == "enter":
            return is_plan_office(user) and self.in_scope(user, obj)
        return False

    def can_create(self, user: Any, **context: Any) -> bool:
        return is_plan_office(user)


@register
class BindingTargetPolicy(_EnteredPolicy):
    model = BindingTarget

    def scope(self, user: Any) -> Q:
        return area_scope(user)


@register
class BindingTargetRevisionPolicy(Policy[BindingTargetRevision]):
    model = BindingTargetRevision

    def scope(self, user: Any) -> Q:
        return scope_through(user, BindingTarget, "binding")


@register
class TargetValuePolicy(_EnteredPolicy):
    model = TargetValue

    def scope(self, user: Any) -> Q:
        return Q() if reads_evaluations(user) else _NOTHING


@register
class TargetValueRevisionPolicy(Policy[TargetValueRevision]):
    model = TargetValueRevision

    def scope(self, user: Any) -> Q:
        return scope_through(user, TargetValue, "entry")


@register
class EvaluationRunPolicy(Policy[EvaluationRun]):
    model = EvaluationRun

    def scope(self, user: Any) -> Q:
        return Q() if reads_evaluations(user) else _NOTHING

    def can(self, user: Any, action: str, obj: EvaluationRun) -> bool:
        if action in READ_ACTIONS:
            return self.in_scope(user, obj)
        if action == "rerun":
            return is_plan_office(user)
        return False

    def can_create(self, user: Any, **context: Any) -> bool:
        return is_plan_office(user)

    def can_list(self, user: Any) -> bool:
        return reads_evaluations(user)


@register
class TargetResultPolicy(Policy[TargetResult]):
    model = TargetResult

    def scope(self, user: Any) -> Q:
        if roles.sees_everything(user):
            return Q()
        q = _NOTHING
        org_ids = roles.organisation_ids_for(user)
        if org_ids:
            through = TargetResult.organisations.through
            q |= Q(
                pk__in=through.objects.filter(organisation_id__in=org_ids).values("targetresult_id")
            )
        area_ids = roles.area_ids_for(user)
        if area_ids:
            q |= Q(object_kind=TargetResult.Kind.BINDING) & (
                Q(area_id__in=area_ids) | Q(area__kind="city")
            )
        return q


@register
class AreaResultPolicy(Policy[AreaResult]):
    model = AreaResult

    def scope(self, user: Any) -> Q:
        return area_scope(user)


@register
class ResultBlobPolicy(Policy[ResultBlob]):
    """A result's content is visible with the result that refers to it."""

    model = ResultBlob

    def scope(self, user: Any) -> Q:
        if roles.sees_everything(user):
            return Q()
        return Q(pk__in=viewable(user, TargetResult).values("blob_id")) | Q(
            pk__in=viewable(user, AreaResult).values("blob_id")
        )
