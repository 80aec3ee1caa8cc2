"""Roles, their scopes and the role helper functions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ecplan.accounts import roles
from ecplan.accounts.models import Role, RoleAssignment
from ecplan.accounts.testing import World, grant, make_user


def test_scope_must_fit_the_role(world: World) -> None:
    user = make_user("x1")
    cases = [
        (RoleAssignment(user=user, role=Role.DEPT_REPORTER), "organisation", "必须指定部门与单位"),
        (
            RoleAssignment(user=user, role=Role.LEADER, organisation=world.dept),
            "organisation",
            "不需要部门与单位",
        ),
        (
            RoleAssignment(user=user, role=Role.AREA_USER, enterprise=world.e_gaoyou),
            "enterprise",
            "不需要企业",
        ),
        (RoleAssignment(user=user, role=Role.ENTERPRISE_REPORTER), "enterprise", "必须指定企业"),
        (
            RoleAssignment(user=user, role=Role.PLAN_ADMIN, organisation=world.dept),
            "organisation",
            "不是计划管理部门",
        ),
        (
            RoleAssignment(user=user, role=Role.AREA_USER, area=world.city),
            "area",
            "县（市、区）或功能区",
        ),
    ]
    for ra, field, message in cases:
        with pytest.raises(ValidationError) as exc:
            ra.full_clean()
        assert field in exc.value.message_dict, (ra.role, exc.value.message_dict)
        assert any(message in m for m in exc.value.message_dict[field])


def test_database_refuses_mismatched_scope_and_duplicates(world: World) -> None:
    user = make_user("x2")
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=Role.DEPT_REPORTER)
    grant(user, Role.LEADER)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=Role.LEADER)
    grant(user, Role.DEPT_REPORTER, world.dept)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=Role.DEPT_REPORTER, organisation=world.dept)
    # the same role on another scope is a second, legitimate assignment
    grant(user, Role.DEPT_REPORTER, world.other_dept)
    assert roles.organisation_ids_for(user) == {world.dept.pk, world.other_dept.pk}


def test_several_roles_with_different_scopes(world: World) -> None:
    user = make_user(
        "multi",
        (Role.DEPT_REVIEWER, world.dept),
        (Role.ENTERPRISE_REPORTER, world.e_gaoyou),
        (Role.AREA_USER, world.yizheng),
    )
    assert roles.roles_of(user) == {Role.DEPT_REVIEWER, Role.ENTERPRISE_REPORTER, Role.AREA_USER}
    assert roles.has_role(user, Role.DEPT_REVIEWER)
    assert roles.has_role(user, Role.DEPT_REVIEWER, organisation=world.dept)
    assert not roles.has_role(user, Role.DEPT_REVIEWER, organisation=world.other_dept)
    assert not roles.has_role(user, Role.DEPT_REPORTER, organisation=world.dept)
    assert roles.has_role(user, Role.ENTERPRISE_REPORTER, enterprise=world.e_gaoyou.pk)
    assert not roles.has_role(user, Role.ENTERPRISE_REPORTER, enterprise=world.e_yizheng)
    assert roles.organisation_ids_for(user) == {world.dept.pk}
    assert roles.organisation_ids_for(user, frozenset({Role.DEPT_REPORTER})) == set()
    assert roles.enterprise_ids_for(user) == {world.e_gaoyou.pk}
    assert roles.area_ids_for(user) == {world.yizheng.pk}
    assert not roles.sees_everything(user)
    assert not roles.is_read_only(user)
    with pytest.raises(ValueError, match="范围"):
        roles.has_role(user, Role.DEPT_REVIEWER, area=world.yizheng)


def test_area_role_covers_the_functional_zones_of_its_area(world: World) -> None:
    user = world.persona("area_user").user  # 邗江区
    ids = roles.area_ids_for(user)
    assert world.hanjiang.pk in ids
    assert world.zone.pk in ids  # 扬州经济技术开发区 lies in 邗江区
    assert world.yizheng.pk not in ids
    assert roles.has_role(user, Role.AREA_USER, area=world.zone)
    assert not roles.has_role(user, Role.AREA_USER, area=world.yizheng)
    zone_user = make_user("zone", (Role.AREA_USER, world.zone))
    assert roles.area_ids_for(zone_user) == {world.zone.pk}
    assert not roles.has_role(zone_user, Role.AREA_USER, area=world.hanjiang)


def test_global_and_read_only_roles(world: World) -> None:
    for key in ("system_admin", "plan_admin", "leader"):
        assert roles.sees_everything(world.persona(key).user)
    for key in ("dept_reporter", "dept_reviewer", "area_user", "enterprise", "no_role"):
        assert not roles.sees_everything(world.persona(key).user)
    assert roles.is_read_only(world.persona("leader").user)
    assert roles.is_read_only(world.persona("no_role").user)
    assert not roles.is_read_only(world.persona("plan_admin").user)


def test_disabled_user_has_no_roles(world: World) -> None:
    user = world.persona("plan_admin").user
    user.is_active = False
    roles.forget(user)
    assert roles.roles_of(user) == frozenset()
    assert not roles.sees_everything(user)


def test_who_may_grant_which_role(world: World) -> None:
    sysadmin = world.persona("system_admin").user
    plan = world.persona("plan_admin").user
    reviewer = world.persona("dept_reviewer").user
    for role in Role.values:
        assert roles.can_grant(sysadmin, role)
        assert not roles.can_grant(reviewer, role)
    assert roles.can_grant(plan, Role.ENTERPRISE_REPORTER)
    assert roles.can_grant(plan, Role.DEPT_REVIEWER)
    assert not roles.can_grant(plan, Role.PLAN_ADMIN)
    assert not roles.can_grant(plan, Role.SYSTEM_ADMIN)
    assert not roles.can_grant(plan, Role.LEADER)


def test_assignment_label_names_role_and_scope(world: World) -> None:
    ra = RoleAssignment.objects.get(user=world.persona("dept_reporter").user)
    assert ra.label == "部门填报员（市工信局）"
    ra = RoleAssignment.objects.get(user=world.persona("leader").user)
    assert ra.label == "领导（全部）"
