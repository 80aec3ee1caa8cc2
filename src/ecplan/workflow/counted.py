"""Which reported data count — the one entry point for evaluations, reports and exports.

Only approved data count. A switch lets a page or report preview submitted data, which must
then be marked as such; drafts and returned revisions never count, not even in preview. For
reproducibility, ``as_of`` gives the data that counted at a past moment (what a report sent
to the leaders on that day was built from).

::

    from ecplan.workflow.counted import counted, counted_lines, counted_results, preview_used

    revisions = counted(include_submitted=False, user=request.user, report_type="energy")
    lines = counted_lines(EnergyLine, include_submitted=True, user=request.user)
    if preview_used(revisions):
        ...  # mark every figure with PREVIEW_MARK

Each row carries the annotation ``is_preview`` (true where only submitted). With ``user``
the rows are limited to that user's scope (``ReportPolicy``); without it, all rows (for
batch jobs that act for the city). :func:`approval_of` says who approved a revision, when,
at which step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.db import models
from django.db.models import Exists, OuterRef

from ecplan.accounts import policies
from ecplan.reporting.models import (
    EnergyResult,
    EnergyResultQuerySet,
    Revision,
    RevisionQuerySet,
    State,
)

#: the marker every figure built from preview data carries
PREVIEW_MARK = "预览：含未审核数据"
#: label of the switch on pages
PREVIEW_SWITCH_LABEL = "含未审核数据（预览）"

L = TypeVar("L", bound=models.Model)


class CountedError(ValueError):
    """A request for counted data that cannot be answered as asked."""


def _as_of(value: dt.datetime | dt.date) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    from django.utils import timezone

    # a date means "at the end of that day" in the platform's time zone
    end = dt.datetime.combine(value, dt.time.max)
    return timezone.make_aware(end)


def counted(
    include_submitted: bool = False,
    *,
    user: Any = None,
    report_type: str | None = None,
    as_of: dt.datetime | dt.date | None = None,
) -> RevisionQuerySet:
    """The revision of each report that counts.

    ``include_submitted=False``: the latest approved revision (official data).
    ``include_submitted=True``: the latest submitted-or-approved revision, ``is_preview``
    true where it is only submitted (preview; mark it with :data:`PREVIEW_MARK`).
    ``as_of``: the latest revision approved at or before that moment (a date: the end of
    that day) — only for official data, since nothing records what was pending then.
    """
    base: RevisionQuerySet
    if user is not None:
        base = cast(RevisionQuerySet, policies.viewable(user, Revision))
    else:
        base = Revision.objects.all()  # policy-exempt: no user: the whole city (batch jobs)
    if report_type is not None:
        base = base.filter(report__report_type=report_type)
    if as_of is None:
        return base.effective(preview=include_submitted)
    if include_submitted:
        raise CountedError("“截至某日”的数据只能是已审核数据，不能同时预览未审核数据。")
    moment = _as_of(as_of)
    later = Revision.objects.filter(  # policy-exempt: correlated with the scoped rows
        report=OuterRef("report"),
        state=State.APPROVED,
        state_changed_at__lte=moment,
        number__gt=OuterRef("number"),
    )
    return (
        base.filter(state=State.APPROVED, state_changed_at__lte=moment)
        .filter(~Exists(later))
        .annotate(is_preview=models.Value(False))
    )


def counted_lines(
    model: type[L],
    include_submitted: bool = False,
    *,
    user: Any = None,
    report_type: str | None = None,
    as_of: dt.datetime | dt.date | None = None,
) -> models.QuerySet[L]:
    """Lines (any line model with a ``revision`` foreign key: ``EnergyLine``,
    ``StatisticLine``, ``IndicatorValue`` …) of the counted revisions. ``revision__state ==
    "submitted"`` marks a preview line."""
    revisions = counted(include_submitted, user=user, report_type=report_type, as_of=as_of)
    keep = revisions.values("pk")
    if user is not None:
        return policies.viewable(user, model).filter(revision__in=keep)
    return model._default_manager.filter(revision__in=keep)  # policy-exempt: no user: whole city


def counted_results(
    include_submitted: bool = False,
    *,
    user: Any = None,
    as_of: dt.datetime | dt.date | None = None,
) -> EnergyResultQuerySet:
    """Accounting results of the counted energy revisions: the newest result version (a
    restatement with new factors makes a new version); with ``as_of`` the newest version
    computed by then."""
    revisions = counted(include_submitted, user=user, report_type="energy", as_of=as_of)
    if user is not None:
        qs = cast(EnergyResultQuerySet, policies.viewable(user, EnergyResult))
    else:
        qs = EnergyResult.objects.all()  # policy-exempt: no user: the whole city (batch jobs)
    if as_of is None:
        return qs.current().filter(revision__in=revisions.values("pk"))
    moment = _as_of(as_of)
    later = EnergyResult.objects.filter(  # policy-exempt: correlated with the scoped rows
        revision=OuterRef("revision"), version__gt=OuterRef("version"), computed_at__lte=moment
    )
    return qs.filter(computed_at__lte=moment, revision__in=revisions.values("pk")).filter(
        ~Exists(later)
    )


def preview_used(revisions: RevisionQuerySet) -> bool:
    """True if any revision of a :func:`counted` query set is only submitted (the figures
    built from it must carry :data:`PREVIEW_MARK`)."""
    return revisions.filter(state=State.SUBMITTED).exists()


@dataclass(frozen=True)
class StepDecision:
    position: int
    label: str
    decided_by: str
    decided_at: dt.datetime | None
    comment: str


@dataclass(frozen=True)
class Approval:
    """Who approved a revision, when, and each step of its review."""

    revision_number: int
    approved_at: dt.datetime | None
    approved_by: str
    steps: tuple[StepDecision, ...]

    @property
    def text(self) -> str:
        from django.utils import timezone

        approved_at = self.approved_at
        when = f"{timezone.localtime(approved_at):%Y-%m-%d %H:%M}" if approved_at else "时间不详"
        chain = "；".join(f"第{s.position}步 {s.label}：{s.decided_by}" for s in self.steps)
        tail = f"（{chain}）" if chain else "（补录的已审核数据，无审核环节记录）"
        return f"第 {self.revision_number} 版由 {self.approved_by} 于 {when} 审核通过{tail}"


def _name(user: Any) -> str:
    if user is None:
        return "（未记录）"
    return str(getattr(user, "full_name", "") or user.get_username())


def approval_of(revision: Revision) -> Approval | None:
    """The approval of ``revision`` (None unless it is approved)."""
    from ecplan.workflow.models import ReviewStep, SubmissionStatus

    if revision.state != State.APPROVED:
        return None
    steps = (
        ReviewStep.objects.filter(  # policy-exempt: steps of a revision the caller holds
            submission__revision=revision, submission__status=SubmissionStatus.APPROVED
        )
        .select_related("decided_by")
        .order_by("position")
    )
    return Approval(
        revision_number=revision.number,
        approved_at=revision.state_changed_at,
        approved_by=_name(revision.state_changed_by),
        steps=tuple(
            StepDecision(s.position, s.label, _name(s.decided_by), s.decided_at, s.comment)
            for s in steps
        ),
    )
