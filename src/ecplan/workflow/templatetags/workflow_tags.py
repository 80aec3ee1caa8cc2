"""Template tags for the data-collection pages: what editing a report does now, and a link to
its review state and history.

    {% load workflow_tags %}
    {% edit_notice report %}            above an edit form or an import confirmation
    {% edit_notice report revision %}   a form bound to one revision: says if it is locked
    {% workflow_link report %}          state badge + link to 审核与修订历史
"""

from __future__ import annotations

from typing import Any

from django import template

from ecplan.workflow import services

register = template.Library()


@register.inclusion_tag("workflow/_edit_notice.html")
def edit_notice(report: Any, revision: Any = None) -> dict[str, Any]:
    return {"status": services.edit_status(report, revision), "report": report}


@register.inclusion_tag("workflow/_report_link.html")
def workflow_link(report: Any) -> dict[str, Any]:
    newest = report.revisions.order_by("-number").first() if report is not None else None
    return {"report": report, "newest": newest}
