"""Row-level policies of data collection (and of ``organisations.Installation``).

Who sees which reports:

============================ ==================================================================
report type                  visible to
============================ ==================================================================
企业能源月报 (energy)          whoever sees the enterprise (EnterprisePolicy): administrators and
                             leaders all, area users their area and its zones, enterprise
                             reporters their enterprise; department users none
统计数据 (statistics)          administrators, leaders and department users all; area users the
                             city's and their own county-level area's; enterprises none
部门指标 (indicator)           administrators and leaders all; department users their own
                             department's; area and enterprise users none
============================ ==================================================================

Actions beyond the read actions (``view``, ``export``, ``download``):

- ``Report``: ``change`` — save data (a new draft or revision): the ``report`` permission on the
  owner (an enterprise's reporters, a department's reporters, plan administrators; statistics:
  the statistics bureau's reporters); ``backfill`` — store already reviewed history directly
  as approved (plan and system administrators). ``submit``, ``approve`` and ``return`` belong
  to the review workflow and are refused here until it defines them.
- ``Installation``: ``change``, ``delete`` — plan and system administrators.
- ``IndicatorAssignment``: ``change`` — plan and system administrators.
- ``Restatement``: list and view — plan and system administrators; creating one is the
  ``restate`` permission (same people).
- Lines, revisions, results and evidence follow their report; import records their importer
  (administrators all).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from ecplan.accounts import roles
from ecplan.accounts.models import Role
from ecplan.accounts.policies import READ_ACTIONS, Policy, can, register, scope_through
from ecplan.organisations.models import Enterprise, Installation
from ecplan.reporting.models import (
    Attachment,
    CoefficientSnapshot,
    ElectricityFacts,
    EnergyLine,
    EnergyResult,
    ImportBatch,
    IndicatorAssignment,
    IndicatorValue,
    InstallationLine,
    OutputLine,
    Report,
    ReportType,
    Restatement,
    Revision,
    StatisticLine,
)

_NOTHING = Q(pk__in=[])


def _admin(user: Any) -> bool:
    return roles.has_any_role(user, Role.PLAN_ADMIN, Role.SYSTEM_ADMIN)


@register
class InstallationPolicy(Policy[Installation]):
    model = Installation

    def scope(self, user: Any) -> Q:
        return scope_through(user, Enterprise, "enterprise")

    def can(self, user: Any, action: str, obj: Installation) -> bool:
        if action in READ_ACTIONS:
            return self.in_scope(user, obj)
        if action in ("change", "delete"):
            return _admin(user)
        return False

    def can_create(self, user: Any, **context: Any) -> bool:
        return _admin(user)


def statistics_scope(user: Any) -> Q:
    """Statistics reports ``user`` may see (a ``Q`` on Report, type already restricted)."""
    if roles.sees_everything(user) or roles.organisation_ids_for(user):
        return Q()
    area_ids = roles.area_ids_for(user)
    if area_ids:
        return Q(area_id__in=area_ids) | Q(area__kind="city")
    return _NOTHING


def indicator_scope(user: Any) -> Q:
    if roles.sees_everything(user):
        return Q()
    org_ids = roles.organisation_ids_for(user)
    return Q(organisation_id__in=org_ids) if org_ids else _NOTHING


@register
class ReportPolicy(Policy[Report]):
    model = Report

    def scope(self, user: Any) -> Q:
        return (
            (Q(report_type=ReportType.ENERGY) & scope_through(user, Enterprise, "enterprise"))
            | (Q(report_type=ReportType.STATISTICS) & statistics_scope(user))
            | (Q(report_type=ReportType.INDICATOR) & indicator_scope(user))
        )

    def can(self, user: Any, action: str, obj: Report) -> bool:
        if action in READ_ACTIONS:
            return self.in_scope(user, obj)
        if action == "change":
            return self.may_report(user, obj.report_type, obj.enterprise or obj.organisation)
        if action == "backfill":
            return _admin(user)
        if action in ("submit", "approve", "return"):
            from ecplan.workflow.policies import can_report_action

            return can_report_action(user, action, obj)
        return False

    def can_create(self, user: Any, **context: Any) -> bool:
        owner = context.get("enterprise") or context.get("organisation")
        report_type = context.get("report_type", "")
        if owner is None:
            return _admin(user) or bool(
                roles.enterprise_ids_for(user)
                or roles.organisation_ids_for(user, frozenset({Role.DEPT_REPORTER}))
            )
        return self.may_report(user, report_type, owner)

    @staticmethod
    def may_report(user: Any, report_type: str, owner: Any) -> bool:
        if owner is None or roles.is_read_only(user):
            return False
        return can(user, "report", owner)


@register
class RevisionPolicy(Policy[Revision]):
    model = Revision

    def scope(self, user: Any) -> Q:
        return scope_through(user, Report, "report")


class _LinePolicy(Policy[Any]):
    """Lines follow their revision's report."""

    def scope(self, user: Any) -> Q:
        return scope_through(user, Report, "revision__report")


@register
class EnergyLinePolicy(_LinePolicy):
    model = EnergyLine


@register
class OutputLinePolicy(_LinePolicy):
    model = OutputLine


@register
class InstallationLinePolicy(_LinePolicy):
    model = InstallationLine


@register
class ElectricityFactsPolicy(_LinePolicy):
    model = ElectricityFacts


@register
class StatisticLinePolicy(_LinePolicy):
    model = StatisticLine


@register
class IndicatorValuePolicy(_LinePolicy):
    model = IndicatorValue


@register
class EnergyResultPolicy(_LinePolicy):
    model = EnergyResult


@register
class AttachmentPolicy(Policy[Attachment]):
    """Evidence follows the department's indicator reports (``indicator_scope``)."""

    model = Attachment

    def scope(self, user: Any) -> Q:
        return indicator_scope(user)


@register
class ImportBatchPolicy(Policy[ImportBatch]):
    model = ImportBatch

    def scope(self, user: Any) -> Q:
        if _admin(user):
            return Q()
        if not roles.roles_of(user):
            return _NOTHING
        return Q(created_by=user)


@register
class RestatementPolicy(Policy[Restatement]):
    model = Restatement

    def scope(self, user: Any) -> Q:
        return Q() if _admin(user) else _NOTHING

    def can_list(self, user: Any) -> bool:
        return _admin(user)

    def can_create(self, user: Any, **context: Any) -> bool:
        return _admin(user)


@register
class IndicatorAssignmentPolicy(Policy[IndicatorAssignment]):
    model = IndicatorAssignment

    def scope(self, user: Any) -> Q:
        if roles.sees_everything(user):
            return Q()
        org_ids = roles.organisation_ids_for(user)
        return Q(organisation_id__in=org_ids) if org_ids else _NOTHING

    def can(self, user: Any, action: str, obj: IndicatorAssignment) -> bool:
        if action in READ_ACTIONS:
            return self.in_scope(user, obj)
        if action == "change":
            return _admin(user)
        return False

    def can_create(self, user: Any, **context: Any) -> bool:
        return _admin(user)


@register
class CoefficientSnapshotPolicy(Policy[CoefficientSnapshot]):
    """Coefficients are reference data: every user holding a role may read them."""

    model = CoefficientSnapshot

    def scope(self, user: Any) -> Q:
        return Q() if roles.roles_of(user) else _NOTHING
