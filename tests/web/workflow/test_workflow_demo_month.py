"""A reporting month of the demo city, end to end: January 2025 is loaded as approved
history, February is reported by each of the ~100 enterprises' own reporters, chased by the
daily reminder run, reviewed by each county-level area and then 市工信局, one report returned
and corrected — and afterwards every report's approval and change can be traced."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from typing import Any

import pytest

from ecplan.accounts.testing import make_user
from ecplan.demo import generate_city
from ecplan.demo.periods import Month
from ecplan.organisations.models import Enterprise, Organisation
from ecplan.reporting.demo import load_city, to_records
from ecplan.reporting.models import EnergyLine, Report
from ecplan.reporting.periods import Period
from ecplan.reporting.services import save_energy_reports
from ecplan.workflow import policies, services
from ecplan.workflow.counted import approval_of, counted, counted_lines
from ecplan.workflow.history import report_history
from ecplan.workflow.models import Notification, ReminderDispatch
from ecplan.workflow.reporting_calendar import clear_cache

pytestmark = pytest.mark.django_db

FEB = Period.parse("2025-02")
DEADLINE = dt.date(2025, 3, 10)  # the 10th of the next month (shipped calendar)


@pytest.fixture(scope="module")
def february() -> dict[str, Any]:
    """The demo city's February energy reports, by credit code."""
    city = generate_city(start=Month(2025, 2), end=Month(2025, 2))
    return {r.credit_code: r for r in to_records(city).energy[2025]}


def _save(user: Any, record: Any, today: dt.date, reason: str = "") -> Report:
    outcome = save_energy_reports(
        [record], acting_user=user, reason=reason, confirm_warnings=True, today=today
    )
    assert outcome.stored, outcome.issues.to_text()
    return Report.objects.get(
        report_type="energy", enterprise__credit_code=record.credit_code, period=record.period
    )


def _energy_states() -> Counter[str]:
    return Counter(o.state for o in services.obligations("energy", FEB, today=DEADLINE))


def test_a_reporting_month_of_the_demo_city(february: dict[str, Any]) -> None:
    clear_cache()
    load_city(generate_city(start=Month(2025, 1), end=Month(2025, 1)))
    enterprises = list(Enterprise.objects.filter(is_demo=True).select_related("area"))
    assert len(enterprises) == len(february) == 100
    reporters = {
        e.pk: make_user(f"rep-{i}", ("enterprise_reporter", e), email=f"rep{i}@example.cn")
        for i, e in enumerate(enterprises)
    }
    areas = {e.area for e in enterprises}
    area_users = {a.pk: make_user(f"area-{a.code}", ("area_user", a)) for a in areas}
    gxj_org = Organisation.objects.get(code="industry-it", region__code="321000")
    gxj = make_user("gxj-reviewer", ("dept_reviewer", gxj_org), full_name="工信局审核员")
    assert len(areas) == 6  # the six county-level areas review their enterprises

    # 6 March: 80 enterprises save and submit, 8 only save a draft, 12 have not started
    early, drafts = enterprises[:80], enterprises[80:88]
    reports: dict[int, Report] = {}
    for e in early + drafts:
        reports[e.pk] = _save(reporters[e.pk], february[e.credit_code], dt.date(2025, 3, 6))
    for e in early:
        services.submit(reports[e.pk], acting_user=reporters[e.pk], today=dt.date(2025, 3, 6))
    assert _energy_states() == Counter(submitted=80, draft=8, missing=12)

    # 7 March, three days before the deadline: the 20 who have not submitted are reminded
    outcome = services.send_reminders(today=DEADLINE - dt.timedelta(days=3))
    chased = {i.target for i in outcome.sent if i.period == "2025-02" and i.kind == "reminder"}
    assert chased == {f"enterprise:{e.pk}" for e in enterprises[80:]}
    reminded = set(
        Notification.objects.filter(kind="reminder").values_list("recipient_id", flat=True)
    )
    assert reminded == {reporters[e.pk].pk for e in enterprises[80:]}
    assert services.send_reminders(today=DEADLINE - dt.timedelta(days=3)).sent == []

    # the rest report: the drafts on time, the others two days late (window still open)
    for e in enterprises[80:]:
        day = dt.date(2025, 3, 9) if e in drafts else dt.date(2025, 3, 12)
        if e.pk not in reports:
            reports[e.pk] = _save(reporters[e.pk], february[e.credit_code], day)
        sub = services.submit(reports[e.pk], acting_user=reporters[e.pk], today=day)
        assert sub.late == (day > DEADLINE)
    assert _energy_states() == Counter(submitted=100)

    # the wrong people are refused: an enterprise, another area, step 2 before step 1
    one = enterprises[0]
    other_area = next(u for pk, u in area_users.items() if pk != one.area.pk)
    for wrong in (reporters[one.pk], other_area, gxj):
        with pytest.raises(services.WorkflowRefused):
            services.approve(reports[one.pk], acting_user=wrong)

    # each area works through its queue; 市工信局's queue fills as step 1 is approved
    for user in area_users.values():
        for step in list(policies.queue(user)):
            services.decide(step, "approve", acting_user=user, comment="已核对")
    assert policies.queue(gxj).count() == 100

    # 市工信局 returns one report with a reason; the enterprise corrects it
    returned = enterprises[5]
    services.return_report(reports[returned.pk], acting_user=gxj, reason="烟煤消费量与上月差异大")
    record = february[returned.credit_code]
    first_line = record.lines[0]
    corrected = dataclasses.replace(first_line, consumed=(first_line.consumed or 0) + 1)
    fixed = dataclasses.replace(record, lines=[corrected, *record.lines[1:]])
    _save(reporters[returned.pk], fixed, dt.date(2025, 3, 13), reason="按台账更正")
    services.submit(
        reports[returned.pk], acting_user=reporters[returned.pk], today=dt.date(2025, 3, 13)
    )
    services.approve(reports[returned.pk], acting_user=area_users[returned.area.pk])
    for step in list(policies.queue(gxj)):
        services.decide(step, "approve", acting_user=gxj, comment="同意")

    # every report of the month is approved and counts; nobody is chased any more
    assert _energy_states() == Counter(approved=100)
    feb_counted = counted(report_type="energy").filter(report__period="2025-02")
    assert feb_counted.count() == 100
    assert services.send_reminders(today=DEADLINE + dt.timedelta(days=5)).sent == []
    assert ReminderDispatch.objects.filter(period="2025-02").count() == 20

    # a year later: who approved what, when, and what changed
    for e in enterprises:
        revision = feb_counted.get(report__enterprise=e)
        approval = approval_of(revision)
        assert approval is not None
        assert [s.decided_by for s in approval.steps] == [
            area_users[e.area.pk].get_username(),
            "工信局审核员",
        ]
    history = report_history(reports[returned.pk])
    assert [h.revision.state for h in history] == ["returned", "approved"]
    assert history[1].revision.reason == "按台账更正"
    changed = [c for c in history[1].diff if c.kind == "changed"]
    assert len(changed) == 1
    assert [(f.label, f.old, f.new) for f in changed[0].changes] == [
        ("消费量", first_line.consumed, corrected.consumed)
    ]
    line = counted_lines(EnergyLine).get(
        revision__report=reports[returned.pk], carrier_text=corrected.carrier
    )
    assert line.consumed == corrected.consumed
    # a reviewer of another area sees none of this area's approvals
    outsider = other_area
    assert not counted(user=outsider).filter(report__enterprise=one).exists()
