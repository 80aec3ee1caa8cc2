"""Department, organisation and area pages."""

from __future__ import annotations

import re

import pytest

PAGES = ["/organisations/", "/organisations/areas/", "/organisations/321000/development-reform/"]


def section(html: str, heading: str) -> str:
    """The part of the page under ``<h2>heading…`` up to the next ``<h2>``."""
    match = re.search(rf"<h2>{re.escape(heading)}.*?(?=<h2>|</main>)", html, re.S)
    assert match, heading
    return match.group(0)


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_login(client, shipped, url: str) -> None:
    resp = client.get(url)
    assert resp.status_code == 302
    assert resp["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_organisation_list(officer_client, shipped) -> None:
    html = officer_client.get("/organisations/").content.decode()
    assert "扬州市发展和改革委员会" in html
    assert "计划管理部门" in html
    assert "国网江苏省电力有限公司扬州供电分公司" in html
    assert "企业类单位" in html
    assert "市机关事务局" in html  # alias shown


@pytest.mark.django_db
def test_department_page_lead_joint_cooperating(officer_client, shipped) -> None:
    html = officer_client.get("/organisations/321000/ecology-environment/").content.decode()
    lead, joint, coop = section(html, "牵头"), section(html, "共同负责"), section(html, "配合")
    assert "没有牵头的事项" in lead
    assert "重点任务 6：推进钢铁行业节能降碳" in joint
    assert "吨钢综合能耗降低" in joint
    # Body text and table row of task 6 are one entry, with both sources and both spellings.
    assert joint.count("重点任务 6：") == 1
    assert "正文、分解表" in joint
    assert "生态环境局、市生态环境局" in joint
    assert "重点任务 1：严格合理控制煤炭消费" in coop
    assert "（5） 加强能源消费和碳排放统计核算" in coop


@pytest.mark.django_db
def test_department_page_of_the_plan_office_and_aliases(
    officer_client, shipped, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(12):  # measured 7; no query per responsibility
        html = officer_client.get("/organisations/321000/development-reform/").content.decode()
    lead = section(html, "牵头")
    for task in ("重点任务 1：", "重点任务 2：", "重点任务 3：", "重点任务 8："):
        assert task in lead
    assert "非化石能源消费占比" in lead
    assert "≥ 20%（左右）" in lead
    generic = section(html, "要求“各有关部门”")
    assert "重点任务 4：大力推进节能降碳改造" in generic
    html = officer_client.get("/organisations/321000/government-offices/").content.decode()
    lead = section(html, "牵头")
    assert "重点任务 12：强化公共机构领域节能降碳管理" in lead
    assert "市机关事务管理局、市机关事务局" in lead
    html = officer_client.get("/organisations/321000/power-supply/").content.decode()
    assert "重点任务 10：促进建筑领域绿色低碳发展" in section(html, "配合")


@pytest.mark.django_db
def test_unknown_department_is_404(officer_client, shipped) -> None:
    assert officer_client.get("/organisations/321000/no-such-bureau/").status_code == 404


@pytest.mark.django_db
def test_area_list_shows_zones_inside_county_level_areas(officer_client, shipped) -> None:
    html = officer_client.get("/organisations/areas/").content.decode()
    for name in ("广陵区", "邗江区", "江都区", "宝应县", "仪征市", "高邮市"):
        assert name in html
    row = re.search(r"<tr>\s*<td>　扬州经济技术开发区.*?</tr>", html, re.S)
    assert row is not None
    assert "邗江区" in row.group(0)
    assert "归属待确认" in row.group(0)
    assert "不重复加功能区" in html
