"""The workflow through its pages: submit, review, queue, menu counts, notifications,
configuration, and two reviewers deciding at once."""

from __future__ import annotations

from typing import Any

from ecplan.reporting.models import Report, Revision
from ecplan.workflow.models import Notification, ReviewStage, ReviewStep, WorkflowEvent
from ecplan.workflow.testing import open_month, save_energy

from .conftest import Cast


def _draft(cast: Cast) -> Report:
    return save_energy(cast.reporter, cast.world.e_yizheng, open_month())


def _version(report: Report) -> int:
    return Report.objects.get(pk=report.pk).version


def _submit(cast: Cast, report: Report, **data: Any) -> Any:
    return cast.client(cast.reporter).post(
        f"/workflow/reports/{report.pk}/submit/", {"version": _version(report), **data}
    )


def test_a_reporter_submits_and_two_reviewers_approve_through_the_pages(cast: Cast) -> None:
    report = _draft(cast)
    page = cast.client(cast.reporter).get(f"/workflow/reports/{report.pk}/")
    text = page.content.decode()
    assert "提交审核" in text
    assert "草稿（未提交）" in text
    assert "由仪征市（区县用户）审核" in text

    assert _submit(cast, report).status_code == 302

    area = cast.client(cast.area)
    queue = area.get("/workflow/queue/").content.decode()
    assert "测试仪征化工有限公司" in queue
    home = area.get("/").content.decode()
    assert '待审核 <span class="badge red">1</span>' in home  # the menu's count
    assert "待我审核：1 份" in home
    review = area.get(f"/workflow/reports/{report.pk}/").content.decode()
    assert "待审核（未审核，不计入评价）" in review  # submitted data is marked as such
    assert "烟煤" in review
    assert "审核（仪征市（区县用户），第 1 步）" in review
    step = ReviewStep.objects.get(status="pending")
    response = area.post(
        f"/workflow/steps/{step.pk}/decide/",
        {"decision": "approve", "comment": "", "version": _version(report)},
    )
    assert response.status_code == 302
    assert "没有等待您审核的报表" in area.get("/workflow/queue/").content.decode()

    gxj = cast.client(cast.gxj)
    step2 = ReviewStep.objects.get(status="pending")
    assert step2.position == 2
    assert (
        gxj.post(
            f"/workflow/steps/{step2.pk}/decide/",
            {"decision": "approve", "comment": "同意", "version": _version(report)},
        ).status_code
        == 302
    )
    assert Revision.objects.get(report=report).state == "approved"
    after = cast.client(cast.reporter).get(f"/workflow/reports/{report.pk}/").content.decode()
    assert "已审核通过，已锁定" in after
    assert "当前有效" in after


def test_returning_on_the_page_needs_a_reason(cast: Cast) -> None:
    report = _draft(cast)
    _submit(cast, report)
    step = ReviewStep.objects.get(status="pending")
    area = cast.client(cast.area)
    page = area.post(
        f"/workflow/steps/{step.pk}/decide/",
        {"decision": "return", "comment": " ", "version": _version(report)},
    )
    assert page.status_code == 400
    assert "退回须填写原因" in page.content.decode()
    assert Revision.objects.get(report=report).state == "submitted"


def test_two_reviewers_deciding_at_once_one_wins_the_other_is_told_to_reload(
    cast: Cast,
) -> None:
    report = _draft(cast)
    _submit(cast, report)
    step = ReviewStep.objects.get(status="pending")
    seen = _version(report)  # both reviewers opened the page at this version
    first = cast.client(cast.area).post(
        f"/workflow/steps/{step.pk}/decide/", {"decision": "approve", "version": seen}
    )
    assert first.status_code == 302
    second = cast.client(cast.area2).post(
        f"/workflow/steps/{step.pk}/decide/",
        {"decision": "return", "comment": "数据有误", "version": seen},
    )
    assert second.status_code == 409
    text = second.content.decode()
    assert "已被他人处理或修改" in text
    assert "请刷新页面" in text
    assert "数据有误" in text  # what they typed is still in the form
    step.refresh_from_db()
    assert (step.status, step.decided_by) == ("approved", cast.area)
    assert list(WorkflowEvent.objects.filter(report=report).values_list("action", flat=True)) == [
        "submit",
        "approve_step",
    ]


def test_a_reviewer_acting_on_a_stale_page_after_new_data_is_told_to_reload(cast: Cast) -> None:
    report = _draft(cast)
    _submit(cast, report)
    step = ReviewStep.objects.get(status="pending")
    seen = _version(report)
    save_energy(cast.reporter, cast.world.e_yizheng, open_month(), coal_t=999)  # revision 2
    response = cast.client(cast.area).post(
        f"/workflow/steps/{step.pk}/decide/", {"decision": "approve", "version": seen}
    )
    assert response.status_code == 409
    assert Revision.objects.get(report=report, number=1).state == "submitted"


def test_a_stale_submit_is_refused(cast: Cast) -> None:
    report = _draft(cast)
    stale = _version(report)
    save_energy(cast.reporter, cast.world.e_yizheng, open_month(), coal_t=999)
    response = cast.client(cast.reporter).post(
        f"/workflow/reports/{report.pk}/submit/", {"version": stale}
    )
    assert response.status_code == 409
    assert Revision.objects.get(report=report).state == "draft"


def test_refusals_on_the_page_say_why(cast: Cast) -> None:
    report = _draft(cast)
    _submit(cast, report)
    step = ReviewStep.objects.get(status="pending")
    page = cast.client(cast.reporter).get(f"/workflow/reports/{report.pk}/").content.decode()
    assert 'id="review"' not in page  # no review form for the enterprise itself
    response = cast.client(cast.gxj).post(
        f"/workflow/steps/{step.pk}/decide/", {"decision": "approve", "version": _version(report)}
    )
    assert response.status_code == 403  # 市工信局 sees what is coming, but step 1 is not its
    assert "您不是该环节的审核人" in response.content.decode()


def test_withdrawing_on_the_page(cast: Cast) -> None:
    report = _draft(cast)
    _submit(cast, report)
    client = cast.client(cast.reporter)
    assert "撤回提交" in client.get(f"/workflow/reports/{report.pk}/").content.decode()
    response = client.post(
        f"/workflow/reports/{report.pk}/withdraw/",
        {"reason": "发现煤耗填错", "version": _version(report)},
    )
    assert response.status_code == 302
    assert Revision.objects.get(report=report).state == "returned"


def test_the_status_page_lists_the_reporters_reports(cast: Cast) -> None:
    report = _draft(cast)
    _submit(cast, report)
    page = cast.client(cast.reporter).get("/workflow/", {"state": "submitted"})
    text = page.content.decode()
    assert "测试仪征化工有限公司" in text
    assert "等待仪征市（区县用户）审核（第 1 步）" in text
    other = cast.client(cast.gaoyou).get("/workflow/").content.decode()
    assert "测试仪征化工有限公司" not in other


def test_notifications_are_listed_counted_and_read(cast: Cast) -> None:
    report = _draft(cast)
    _submit(cast, report)
    area = cast.client(cast.area)
    assert '通知 <span class="badge yellow">1</span>' in area.get("/").content.decode()
    note = Notification.objects.get(recipient=cast.area)
    listing = area.get("/workflow/notifications/").content.decode()
    assert "待审核：" in listing
    response = area.get(f"/workflow/notifications/{note.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/workflow/reports/{report.pk}/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert cast.client(cast.reporter).get(f"/workflow/notifications/{note.pk}/").status_code == 404
    assert area.post("/workflow/notifications/read/").status_code == 302


def test_the_plan_office_edits_the_route_on_a_page(cast: Cast) -> None:
    client = cast.client(cast.plan)
    page = client.get("/workflow/routes/").content.decode()
    assert "仪征市" not in page
    assert "市工信局（部门审核员）" in page
    form = {"reviewer_1": "area", "organisation_1": "", "reviewer_2": "", "reviewer_3": ""}
    assert client.post("/workflow/routes/energy/edit/", form).status_code == 302
    assert list(
        ReviewStage.objects.filter(report_type="energy").values_list("reviewer", flat=True)
    ) == ["area"]
    bad = client.post(
        "/workflow/routes/energy/edit/",
        {"reviewer_1": "organisation", "organisation_1": "", "reviewer_2": "area"},
    )
    assert "须选择部门" in bad.content.decode()
    gap = client.post(
        "/workflow/routes/energy/edit/", {"reviewer_1": "area", "reviewer_3": "plan_office"}
    )
    assert "按顺序填写" in gap.content.decode()
    assert cast.client(cast.area).get("/workflow/routes/energy/edit/").status_code == 403


def test_a_reviewer_is_told_why_they_may_not_review_their_own_submission(cast: Cast) -> None:
    import datetime as dt

    from ecplan.workflow import services
    from ecplan.workflow.testing import bare_report

    report = bare_report("indicator", cast.world.plan_office, "2024", created_by=cast.plan)
    services.submit(report, acting_user=cast.plan, today=dt.date(2025, 1, 20))
    own = cast.client(cast.plan).get(f"/workflow/reports/{report.pk}/").content.decode()
    assert "不能审核自己提交的数据" in own
    assert 'id="review"' not in own
    other = cast.client(cast.plan2).get(f"/workflow/reports/{report.pk}/").content.decode()
    assert 'id="review"' in other


def test_the_template_tags_for_the_data_collection_pages(cast: Cast) -> None:
    from django.template import Context, Template

    from ecplan.workflow import services

    report = _draft(cast)
    _submit(cast, report)
    services.approve(report, acting_user=cast.area)
    services.approve(report, acting_user=cast.gxj)
    revision = Revision.objects.get(report=report)
    tpl = Template(
        "{% load workflow_tags %}{% edit_notice report %}|{% edit_notice report revision %}|"
        "{% workflow_link report %}"
    )
    out = tpl.render(Context({"report": report, "revision": revision}))
    notice, locked, link = out.split("|")
    assert 'data-edit-allowed="1"' in notice
    assert "保存更正将生成第 2 版修订" in notice
    assert 'data-edit-allowed="0"' in locked
    assert "已锁定，不能直接修改" in locked
    assert f'href="/workflow/reports/{report.pk}/"' in link
    assert "已审核" in link


def test_list_pages_do_not_query_per_row(cast: Cast, django_assert_max_num_queries: Any) -> None:
    from ecplan.accounts.credit_code import make_credit_code
    from ecplan.accounts.testing import make_user
    from ecplan.organisations.models import Enterprise
    from ecplan.workflow import services
    from ecplan.workflow.testing import bare_report

    world = cast.world
    for i in range(12):
        e = Enterprise.objects.create(
            region=world.region,
            credit_code=make_credit_code("321081", f"Q{i:07d}"),
            name=f"测试企业{i}",
            area=world.yizheng,
        )
        reporter = make_user(f"t-q{i}", ("enterprise_reporter", e))
        services.submit(
            bare_report("energy", e, open_month(), created_by=reporter), acting_user=reporter
        )
    area = cast.client(cast.area)
    with django_assert_max_num_queries(20):  # measured 13 for 12 rows; none per row
        assert area.get("/workflow/queue/").content.decode().count("测试企业") == 12
    with django_assert_max_num_queries(20):  # measured 13
        assert area.get("/workflow/").status_code == 200
    with django_assert_max_num_queries(22):  # measured 15
        page = area.get(
            "/workflow/missing/", {"report_type": "energy", "period": str(open_month())}
        )
        assert page.content.decode().count("测试企业") == 12


def test_the_data_collection_report_page_links_to_the_review(cast: Cast) -> None:
    report = _draft(cast)
    _submit(cast, report)
    page = cast.client(cast.reporter).get(f"/reporting/reports/{report.pk}/").content.decode()
    assert f'href="/workflow/reports/{report.pk}/"' in page
    assert "已提交" in page
