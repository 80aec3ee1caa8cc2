"""Reminders before and after the deadline: in-app and by e-mail, once each, audited."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core import mail

from ecplan.audit.models import AuditEvent
from ecplan.cli import main
from ecplan.workflow import services
from ecplan.workflow.models import Notification, ReminderDispatch

from .conftest import TODAY, Cast

DEADLINE = dt.date(2025, 4, 10)


def _march(outcome: services.ReminderOutcome) -> list[services.ReminderItem]:
    return [i for i in outcome.sent if i.period == "2025-03" and i.report_type == "energy"]


def test_three_days_before_the_deadline_those_who_have_not_submitted_are_reminded(
    cast: Cast, draft: Any
) -> None:
    world = cast.world
    services.submit(draft, acting_user=cast.reporter, today=TODAY)  # e_yizheng is done
    reporter_gy = world.persona("plan_admin").user  # noqa: F841 — plan office reports for all, not reminded
    from ecplan.accounts.testing import make_user

    gy = make_user("t-gy-rep", ("enterprise_reporter", world.e_gaoyou), email="gy@example.cn")
    outcome = services.send_reminders(today=DEADLINE - dt.timedelta(days=3))
    items = _march(outcome)
    assert {(i.target_label, i.offset_days) for i in items} == {
        ("测试高邮电子有限公司", -3),
        ("测试经开区机械有限公司", -3),
    }
    note = Notification.objects.get(recipient=gy, kind="reminder")
    assert "将于 04月10日 截止" in note.title
    assert "还有 3 天" in note.body
    assert "审核单位：高邮市（区县用户）" in note.body
    gy_mail = [m for m in mail.outbox if m.to == ["gy@example.cn"]]
    assert len(gy_mail) == 1
    assert "催报提醒" in gy_mail[0].subject
    note.refresh_from_db()
    assert note.email_status == "sent"
    # the zone enterprise has no reporter account: recorded, nobody to tell
    zone = ReminderDispatch.objects.get(target=f"enterprise:{world.e_zone.pk}")
    assert zone.recipients == []
    assert zone.offset_days == -3
    assert not Notification.objects.filter(recipient=cast.reporter, kind="reminder").exists()
    event = AuditEvent.objects.get(action="remind")
    assert event.channel == "system"
    assert "催报提醒" in event.detail


def test_reminders_are_never_sent_twice(cast: Cast, draft: Any) -> None:
    day = DEADLINE - dt.timedelta(days=3)
    first = services.send_reminders(today=day)
    sent = len(mail.outbox)
    again = services.send_reminders(today=day)
    assert again.sent == []
    assert len(again.skipped) == len(first.sent)
    assert len(mail.outbox) == sent
    # the next day brings no new offset: nothing is sent either
    assert services.send_reminders(today=day + dt.timedelta(days=1)).sent == []
    assert "未重复发送" in again.summary()
    assert ReminderDispatch.objects.filter(period="2025-03").count() == len(_march(first))


def test_on_the_day_and_after_the_deadline(cast: Cast, draft: Any) -> None:
    services.send_reminders(today=DEADLINE - dt.timedelta(days=3))
    on_day = _march(services.send_reminders(today=DEADLINE))
    assert {i.offset_days for i in on_day} == {0}
    note = Notification.objects.filter(recipient=cast.reporter, kind="reminder").latest("id")
    assert "今天截止" in note.title
    assert "已填写草稿但尚未提交" in note.body

    after = _march(services.send_reminders(today=DEADLINE + dt.timedelta(days=1)))
    assert {(i.kind, i.offset_days) for i in after} == {("reminder", 1), ("digest", 1)}
    overdue = Notification.objects.filter(recipient=cast.reporter, kind="reminder").latest("id")
    assert "已逾期 1 天" in overdue.title
    # the responsible reviewers get one digest each
    digest = Notification.objects.get(recipient=cast.area, kind="overdue_digest")
    assert "测试仪征化工有限公司：草稿未提交" in digest.body
    assert digest.url.startswith("/workflow/missing/?report_type=energy&period=2025-03")
    assert not Notification.objects.filter(recipient=cast.gxj, kind="overdue_digest").exists()

    five = _march(services.send_reminders(today=DEADLINE + dt.timedelta(days=5)))
    assert {i.offset_days for i in five} == {5}


def test_a_submitted_report_stops_the_reminders(cast: Cast, draft: Any) -> None:
    services.submit(draft, acting_user=cast.reporter, today=TODAY)
    services.send_reminders(today=DEADLINE + dt.timedelta(days=1))
    assert not Notification.objects.filter(recipient=cast.reporter, kind="reminder").exists()
    # a returned report is chased again
    services.return_report(draft, acting_user=cast.area, reason="请补充")
    services.send_reminders(today=DEADLINE + dt.timedelta(days=5))
    note = Notification.objects.get(recipient=cast.reporter, kind="reminder")
    assert "被退回后尚未重新提交" in note.body


def test_a_missed_run_catches_up_once_but_not_after_a_week(cast: Cast, draft: Any) -> None:
    # the job did not run for days: only the latest due reminder goes out
    items = _march(services.send_reminders(today=DEADLINE + dt.timedelta(days=3)))
    assert {i.offset_days for i in items} == {1}
    assert "已逾期 3 天" in Notification.objects.filter(kind="reminder").latest("id").title
    # a reminder whose day is more than a week gone is not sent late
    ReminderDispatch.objects.all().delete()
    items = _march(services.send_reminders(today=DEADLINE + dt.timedelta(days=13)))
    assert items == []


def test_a_dry_run_writes_and_sends_nothing(cast: Cast, draft: Any) -> None:
    outcome = services.send_reminders(today=DEADLINE, dry_run=True)
    assert _march(outcome)
    assert "试运行" in outcome.summary()
    assert not ReminderDispatch.objects.exists()
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_users_without_an_address_get_the_in_app_message(cast: Cast) -> None:
    from ecplan.accounts.testing import make_user

    user = make_user("t-noaddr", ("enterprise_reporter", cast.world.e_zone))
    services.send_reminders(today=DEADLINE)
    note = Notification.objects.get(recipient=user, kind="reminder")
    assert note.email_status == "no_address"


def test_the_reminders_command(cast: Cast, draft: Any, capsys: Any) -> None:
    assert main(["reminders", "send", "--date", "2025-04-07", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "试运行" in out
    assert "测试仪征化工有限公司" in out
    assert not ReminderDispatch.objects.exists()
    assert main(["reminders", "send", "--date", "2025-04-07", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {i["target_label"] for i in data["sent"]} >= {"测试仪征化工有限公司"}
    assert AuditEvent.objects.get(action="remind").channel == "cli"
    assert main(["reminders", "send", "--date", "2025-04-07"]) == 0
    assert "未重复发送" in capsys.readouterr().out
    assert main(["reminders", "send", "--date", "2025/04/07"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_the_reminder_log_page_is_for_the_plan_office(cast: Cast, draft: Any) -> None:
    services.send_reminders(today=DEADLINE)
    page = cast.client(cast.plan).get("/workflow/reminders/")
    assert page.status_code == 200
    assert "测试仪征化工有限公司" in page.content.decode()
    assert cast.client(cast.reporter).get("/workflow/reminders/").status_code == 403
