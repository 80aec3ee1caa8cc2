"""The evaluation pages through the test client, role by role."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from ecplan.monitoring.models import AreaResult, EvaluationRun, TargetResult

from .conftest import PLAN


def _get(client: Any, user: Any, url: str) -> Any:
    client.force_login(user)
    return client.get(url)


def _progress_url(**params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("monitoring:progress", args=[PLAN]) + (f"?{query}" if query else "")


def test_progress_page_for_a_leader(city: Any, energy: None, client: Any) -> None:
    leader = city.world.persona("leader").user
    page = _get(client, leader, _progress_url(as_of="2025-09")).content.decode()
    assert "目标进展" in page
    assert "截至 2025年9月" in page
    # every status badge carries its text, not colour alone
    assert re.search(r'class="badge red">严重滞后</span>', page)
    assert re.search(r'class="badge yellow">滞后', page)
    assert "三级（绿）" in page  # the city's warning next to the binding intensity target
    run = EvaluationRun.objects.get()
    assert f"评价记录 #{run.pk}" in page
    # filters: a task, a department, a status
    filtered = _get(client, leader, _progress_url(as_of="2025-09", task="7")).content.decode()
    assert "烧碱行业能效标杆水平以上产能占比" in filtered
    assert "非化石能源消费占比" not in filtered
    by_status = _get(
        client, leader, _progress_url(as_of="2025-09", status="severely_lagging")
    ).content.decode()
    assert "电煤占煤炭消费比重" in by_status
    assert "非化石能源消费占比<" not in by_status
    by_dept = _get(
        client, leader, _progress_url(as_of="2025-09", department="市住建局")
    ).content.decode()
    assert "既有建筑节能改造面积" in by_dept
    assert "电煤占煤炭消费比重" not in by_dept


def test_target_detail_explains_down_to_the_source_rows(city: Any, client: Any) -> None:
    leader = city.world.persona("leader").user
    _get(client, leader, _progress_url(as_of="2025-09"))
    run = EvaluationRun.objects.get()
    row = run.targets.get(key="nonfossil-share-2025")
    page = _get(
        client, leader, reverse("monitoring:target", args=[run.pk, row.pk])
    ).content.decode()
    assert "计算过程" in page
    assert "扬州市 2025年1—9月 统计数据 第1版（已审核）" in page
    assert "填报 测试plan_admin" in page
    assert "审核 测试plan_admin" in page
    assert "计划设定" in page  # the 5 % tolerance is a plan setting, shown as such
    assert "yangzhou-2025 v1" in page  # the plan version


def test_barometer_table_and_warning_detail(city: Any, client: Any) -> None:
    leader = city.world.persona("leader").user
    page = _get(
        client, leader, reverse("monitoring:barometer", args=[PLAN]) + "?as_of=2025-06"
    ).content.decode()
    assert "2025年上半年" in page
    assert "2024年一季度" in page
    assert "一级（红）" in page
    assert "二级（黄）" in page
    assert "三级（绿）" in page
    run = EvaluationRun.objects.get()
    red = run.areas.get(area__name="仪征市", year=2025, months=3, dimension="intensity")
    assert red.level == 1
    detail = _get(
        client, leader, reverse("monitoring:warning", args=[run.pk, red.pk])
    ).content.decode()
    assert "不降反升" in detail or "未下降" in detail
    assert "年度进度要求的推导" in detail
    assert "发改办环资〔2021〕629号" in detail
    # another scheme for comparison: recomputed from the stored numbers, said so, not stored
    compare = _get(
        client,
        leader,
        reverse("monitoring:run-barometer", args=[run.pk]) + "?scheme=completion_ratio",
    ).content.decode()
    assert "对比方案" in compare
    assert EvaluationRun.objects.count() == 1
    area = _get(
        client, leader, reverse("monitoring:area", args=[run.pk, "321081"])
    ).content.decode()
    assert "仪征市" in area
    assert "新口径能耗" in area
    assert "晴雨表历史" in area


def test_a_department_sees_its_targets_only(city: Any, client: Any) -> None:
    dept = city.world.persona("dept_reporter").user  # 市工信局
    page = _get(client, dept, _progress_url(as_of="2025-06")).content.decode()
    assert "重点领域和行业节能降碳改造节能量" in page
    assert "既有建筑节能改造面积" not in page  # 市住建局's
    run = EvaluationRun.objects.get()
    other = run.targets.get(key="existing-building-retrofit-area-2025")
    assert (
        _get(client, dept, reverse("monitoring:target", args=[run.pk, other.pk])).status_code == 404
    )


def test_an_area_user_sees_its_area_and_the_city(city: Any, client: Any) -> None:
    user = city.world.persona("area_user").user  # 邗江区
    page = _get(
        client, user, reverse("monitoring:barometer", args=[PLAN]) + "?as_of=2025-06"
    ).content.decode()
    assert "扬州市" in page
    assert "仪征市" not in page
    run = EvaluationRun.objects.get()
    visible = {r.area.name for r in AreaResult.objects.filter(run=run)}
    assert "仪征市" in visible  # the run holds every area; the page shows only the user's
    progress = _get(client, user, _progress_url(as_of="2025-06")).content.decode()
    assert "扬州市“十四五”单位GDP能耗降低" in progress
    assert "非化石能源消费占比</a>" not in progress
    yz = run.areas.filter(area__name="仪征市").first()
    assert (
        _get(client, user, reverse("monitoring:warning", args=[run.pk, yz.pk])).status_code == 404
    )


def test_enterprise_users_see_no_evaluation(city: Any, client: Any) -> None:
    user = city.world.persona("enterprise").user
    assert _get(client, user, _progress_url(as_of="2025-06")).status_code == 403
    assert _get(client, user, reverse("monitoring:index")).status_code == 403
    assert not EvaluationRun.objects.exists()


def test_preview_toggle_and_bad_month(city: Any, client: Any) -> None:
    leader = city.world.persona("leader").user
    page = _get(client, leader, _progress_url(as_of="2025-06", preview="1")).content.decode()
    assert "【预览】" in page
    assert EvaluationRun.objects.get().preview
    bad = _get(client, leader, _progress_url(as_of="2025-13"))
    assert bad.status_code == 200
    assert "无法识别" in bad.content.decode()


def test_plan_office_re_runs_from_the_page(city: Any, client: Any) -> None:
    admin = city.world.persona("plan_admin").user
    _get(client, admin, _progress_url(as_of="2025-06"))
    first = EvaluationRun.objects.get()
    response = client.post(reverse("monitoring:rerun", args=[PLAN]), {"as_of": "2025-06"})
    assert response.status_code == 302
    second = EvaluationRun.objects.exclude(pk=first.pk).get()
    assert second.trigger == "manual"
    assert second.fingerprint == first.fingerprint

    def values(run: EvaluationRun) -> list[Any]:
        return sorted(TargetResult.objects.filter(run=run).values_list("key", "status", "value"))

    assert values(first) == values(second)
