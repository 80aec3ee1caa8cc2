"""Seed the default review routes and reporting calendar (the plan office edits them later).

Review routes: 企业能源月报 — the enterprise's county-level area, then 市工信局 (code
``industry-it``); 部门指标 and 统计数据 — the plan office. Calendar: ``DEFAULT_RULES`` of
``ecplan.workflow.reporting_calendar`` (monthly energy reports due on the 10th of the next
month; reminders 3 days before, on the day, 1 and 5 days after the deadline).
"""

from django.db import migrations

ROUTES = {
    "energy": [("area", ""), ("organisation", "industry-it")],
    "indicator": [("plan_office", "")],
    "statistics": [("plan_office", "")],
}


def seed(apps, schema_editor):
    from ecplan.workflow.reporting_calendar import DEFAULT_RULES

    stage = apps.get_model("workflow", "ReviewStage")
    schedule = apps.get_model("workflow", "ReportingSchedule")
    for report_type, steps in ROUTES.items():
        for position, (reviewer, code) in enumerate(steps, start=1):
            stage.objects.get_or_create(
                report_type=report_type,
                position=position,
                defaults={"reviewer": reviewer, "organisation_code": code},
            )
    for (report_type, kind), rule in DEFAULT_RULES.items():
        schedule.objects.get_or_create(
            report_type=report_type,
            period_kind=kind,
            defaults={
                "window_days": rule.window_days,
                "opens_after_days": rule.opens_after_days,
                "deadline_month_offset": rule.deadline_month_offset,
                "deadline_day": rule.deadline_day,
                "reminder_offsets": list(rule.reminder_offsets),
                "expected": rule.expected,
                "remind_reviewers": rule.remind_reviewers,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
