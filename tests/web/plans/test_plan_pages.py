"""Plan pages: Chinese, login required, showing what the plan says and where it says it."""

from __future__ import annotations

import pytest

from ecplan.accounts.models import Role
from ecplan.accounts.policies import policy_for, viewable
from ecplan.accounts.testing import make_user
from ecplan.organisations.models import Organisation
from ecplan.plans.models import Plan, Target

PAGES = [
    "/plans/",
    "/plans/yangzhou-2025/",
    "/plans/yangzhou-2025/text/",
    "/plans/yangzhou-2025/tasks/1/",
    "/plans/yangzhou-2025/targets/nonfossil-share-2025/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_login(client, shipped, url: str) -> None:
    resp = client.get(url)
    assert resp.status_code == 302
    assert resp["Location"].startswith("/accounts/login/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_pages_render_for_a_logged_in_user(officer_client, shipped, url: str) -> None:
    resp = officer_client.get(url)
    assert resp.status_code == 200
    assert "扬州市2025年节能降碳行动计划" in resp.content.decode()


@pytest.mark.django_db
def test_overview_lists_the_13_tasks_responsibility_and_targets(
    officer_client, shipped, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(25):  # measured 19; no query per task or target
        html = officer_client.get("/plans/yangzhou-2025/").content.decode()
    assert "重点任务（13 项）与责任分工" in html
    for n in range(1, 14):
        assert f'id="task-{n}"' in html
    assert "严格合理控制煤炭消费" in html
    assert "加强设备更新与资源循环利用" in html
    assert (
        '<span class="role">牵头</span><a href="/organisations/321000/development-reform/">市发改委</a>'
        in html
    )
    assert '<span class="role">共同负责</span>' in html
    assert "与正文不同" in html  # task 1: the table names only 市发改委
    assert "≥ 20%（左右）" in html
    assert "&gt; 30%" in html
    assert "降幅 ≥ 5%" in html
    assert "目标未设定" in html
    assert "非计划文本规定" in html
    assert "未确认" in html
    assert (
        "勘误：原文“扬州国信100万千瓦时超超临界机组”应读作“扬州国信100万千瓦超超临界机组”" in html
    )
    for heading in (
        "1、 主要目标",
        "（三）提升服务业节能降碳水平",
        "3、 管理机制",
        "（5） 实施全民行动",
    ):
        assert heading in html


@pytest.mark.django_db
def test_target_page_shows_its_source_quote_and_how_it_is_read(officer_client, shipped) -> None:
    html = officer_client.get("/plans/yangzhou-2025/targets/nonfossil-share-2025/").content.decode()
    assert '<blockquote class="quote">2025年全市非化石能源消费占比达到20%左右</blockquote>' in html
    assert "越高越好" in html
    assert "不低于（含本数）" in html
    assert "即 ±1 百分点" in html
    assert "计划设置，非计划文本规定" in html
    assert "未确认" in html
    assert "重点任务 3：促进可再生能源应用" in html
    assert "分解表第 3 行" in html
    assert "1、 主要目标" in html
    html = officer_client.get(
        "/plans/yangzhou-2025/targets/existing-building-retrofit-area-2025/"
    ).content.decode()
    assert "完成既有建筑节能改造面积XXX万平方米以上" in html
    assert "文本为占位符“XXX”" in html
    assert "全省目标为1000万平方米以上" in html
    html = officer_client.get("/plans/yangzhou-2025/targets/pi-co2-per-area-2025/").content.decode()
    assert "2020年" in html
    assert "推断，文本未写明" in html
    assert "2025年底" in html
    html = officer_client.get(
        "/plans/yangzhou-2025/targets/nonfossil-deduction-2025/"
    ).content.decode()
    assert "非化石能源扣减量达550万吨标准煤" in html  # the table's own words
    assert "5500000 tce" in html
    html = officer_client.get(
        "/plans/yangzhou-2025/targets/generation-coal-rate-2025/"
    ).content.decode()
    assert "供电煤耗" in html
    assert "越低越好" in html


@pytest.mark.django_db
def test_task_page_keeps_body_and_table_responsibility(officer_client, shipped) -> None:
    html = officer_client.get("/plans/yangzhou-2025/tasks/12/").content.decode()
    assert "（市机关事务管理局牵头，市各有关部门按职责分工负责）" in html
    assert ">市机关事务局</a>" in html  # the table's name, linked to the same department
    assert html.count("/organisations/321000/government-offices/") == 2
    assert "市各有关部门" in html


@pytest.mark.django_db
def test_unknown_plan_target_or_task_is_404(officer_client, shipped) -> None:
    assert officer_client.get("/plans/nanjing-2030/").status_code == 404
    assert officer_client.get("/plans/yangzhou-2025/targets/no-such-target/").status_code == 404
    assert officer_client.get("/plans/yangzhou-2025/tasks/14/").status_code == 404
    assert officer_client.get("/plans/yangzhou-2025/?version=v9").status_code == 404


@pytest.mark.django_db
def test_policies_every_role_holder_views_only_admins_switch_versions(shipped, officer) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert viewable(AnonymousUser(), Target).count() == 0
    assert viewable(officer, Target).count() == 25
    target = Target.objects.first()
    office = Organisation.objects.get(is_plan_office=True)
    staff = make_user("li", (Role.PLAN_ADMIN, office))
    assert policy_for(Target).can(officer, "view", target)
    assert not policy_for(Target).can(staff, "change", target)
    plan = Plan.objects.get()
    assert policy_for(Plan).can(staff, "change", plan)
    assert not policy_for(Plan).can(officer, "change", plan)
    officer.is_active = False
    assert viewable(officer, Target).count() == 0


@pytest.mark.django_db
def test_admin_shows_plan_content_read_only(client, shipped) -> None:
    admin = make_user("root", Role.SYSTEM_ADMIN)
    client.force_login(admin)
    assert client.get("/admin/plans/target/").status_code == 200
    target = Target.objects.get(key="nonfossil-share-2025")
    page = client.get(f"/admin/plans/target/{target.pk}/change/")
    assert page.status_code == 200
    assert 'name="source_quote"' not in page.content.decode()  # shown, not editable
    assert client.get("/admin/plans/target/add/").status_code == 403
    plan = Plan.objects.get()
    page = client.get(f"/admin/plans/plan/{plan.pk}/change/").content.decode()
    assert 'name="current_version"' in page
