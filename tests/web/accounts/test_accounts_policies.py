"""Row-level policies of the organisations models and the policy API."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ecplan.accounts import policies
from ecplan.accounts.credit_code import make_credit_code
from ecplan.accounts.models import Role, User
from ecplan.accounts.testing import World, make_user
from ecplan.organisations.models import Area, Enterprise, Organisation, Region

# What each persona sees of the three world enterprises (written out, not derived).
EXPECTED_ENTERPRISES = {
    "system_admin": {"e_yizheng", "e_gaoyou", "e_zone"},
    "plan_admin": {"e_yizheng", "e_gaoyou", "e_zone"},
    "leader": {"e_yizheng", "e_gaoyou", "e_zone"},
    "area_user": {"e_zone"},
    "enterprise": {"e_yizheng"},
    "dept_reporter": set(),
    "dept_reviewer": set(),
    "no_role": set(),
}


def _names(world: World, qs: object) -> set[str]:
    by_pk = {
        world.e_yizheng.pk: "e_yizheng",
        world.e_gaoyou.pk: "e_gaoyou",
        world.e_zone.pk: "e_zone",
    }
    return {by_pk[pk] for pk in qs.values_list("pk", flat=True) if pk in by_pk}  # type: ignore[attr-defined]


def test_enterprise_scope_per_persona(world: World) -> None:
    for key, expected in EXPECTED_ENTERPRISES.items():
        user = world.persona(key).user
        assert _names(world, policies.viewable(user, Enterprise)) == expected, key
        for attr in ("e_yizheng", "e_gaoyou", "e_zone"):
            obj = getattr(world, attr)
            assert policies.can(user, "view", obj) == (attr in expected), (key, attr)


def test_area_user_sees_enterprises_registered_only_by_zone(world: World) -> None:
    # An enterprise whose county-level area is recorded elsewhere but whose zone lies in 邗江区
    # (zone assignments are uncertain): the 邗江区 user still sees it through the zone.
    odd = Enterprise.objects.create(
        region=world.region,
        credit_code=make_credit_code("321081", "T0000009"),
        name="测试跨区企业",
        area=world.yizheng,
        zone=world.zone,
    )
    area_user = world.persona("area_user").user
    assert policies.viewable(area_user, Enterprise).filter(pk=odd.pk).exists()
    yizheng_user = make_user("yz", (Role.AREA_USER, world.yizheng))
    assert policies.viewable(yizheng_user, Enterprise).filter(pk=odd.pk).exists()
    zone_user = make_user("zone", (Role.AREA_USER, world.zone))
    assert set(policies.viewable(zone_user, Enterprise)) == {world.e_zone, odd}


def test_frame_models_visible_to_every_role_but_not_without_one(world: World) -> None:
    for model in (Region, Organisation, Area):
        total = model._default_manager.count()
        for p in world.all_personas():
            n = policies.viewable(p.user, model).count()
            assert n == (0 if p.role is None else total), (model.__name__, p.key)


@pytest.mark.parametrize(
    ("key", "may_change"),
    [
        ("system_admin", True),
        ("plan_admin", True),
        ("leader", False),
        ("dept_reporter", False),
        ("dept_reviewer", False),
        ("area_user", False),
        ("enterprise", False),
        ("no_role", False),
    ],
)
def test_only_administrators_maintain_the_registry(
    world: World, key: str, may_change: bool
) -> None:
    user = world.persona(key).user
    for obj in (world.region, world.dept, world.yizheng, world.e_yizheng):
        assert policies.can(user, "change", obj) == may_change, obj
        assert policies.can(user, "delete", obj) == may_change
    assert policies.can_create(user, Enterprise) == may_change


def test_report_and_review_actions(world: World) -> None:
    p = world.persona
    assert policies.can(p("enterprise").user, "report", world.e_yizheng)
    assert not policies.can(p("enterprise").user, "report", world.e_gaoyou)
    assert not policies.can(p("enterprise").user, "review", world.e_yizheng)
    assert policies.can(p("area_user").user, "review", world.e_zone)
    assert not policies.can(p("area_user").user, "review", world.e_yizheng)
    assert not policies.can(p("area_user").user, "report", world.e_zone)
    assert policies.can(p("dept_reporter").user, "report", world.dept)
    assert not policies.can(p("dept_reporter").user, "review", world.dept)
    assert not policies.can(p("dept_reporter").user, "report", world.other_dept)
    assert policies.can(p("dept_reviewer").user, "review", world.dept)
    assert not policies.can(p("dept_reviewer").user, "report", world.dept)
    assert policies.can(p("area_user").user, "review", world.zone)
    assert not policies.can(p("area_user").user, "review", world.yizheng)
    for obj in (world.e_zone, world.dept, world.hanjiang):
        assert policies.can(p("plan_admin").user, "review", obj)
        assert not policies.can(p("leader").user, "review", obj)
        assert not policies.can(p("leader").user, "report", obj)
    assert not policies.can(p("leader").user, "unknown-action", world.e_zone)


def test_get_for_user_404_out_of_scope_403_not_allowed(world: World) -> None:
    area_user = world.persona("area_user").user
    assert policies.get_for_user(area_user, Enterprise, pk=world.e_zone.pk) == world.e_zone
    with pytest.raises(Http404):
        policies.get_for_user(area_user, Enterprise, pk=world.e_yizheng.pk)
    with pytest.raises(PermissionDenied):
        policies.get_for_user(area_user, Enterprise, "change", pk=world.e_zone.pk)
    with pytest.raises(Http404):
        policies.get_for_user(area_user, Enterprise, pk="not-a-number")
    with pytest.raises(PermissionDenied):
        policies.check(world.persona("leader").user, "change", world.e_zone)
    policies.check(world.persona("plan_admin").user, "change", world.e_zone)


def test_disabled_and_anonymous_users_see_nothing(world: World) -> None:
    from django.contrib.auth.models import AnonymousUser

    plan = world.persona("plan_admin").user
    plan.is_active = False
    assert not policies.viewable(plan, Enterprise).exists()
    assert not policies.viewable(AnonymousUser(), Organisation).exists()
    assert not policies.can(AnonymousUser(), "view", world.dept)


def test_scope_through_delegates_to_the_related_policy(world: World) -> None:
    from ecplan.accounts.models import RoleAssignment

    q = policies.scope_through(world.persona("area_user").user, Enterprise, "enterprise")
    rows = RoleAssignment.objects.filter(q)
    assert {ra.enterprise for ra in rows} == set()  # only e_yizheng has an assignment
    q = policies.scope_through(world.persona("enterprise").user, Enterprise, "enterprise")
    assert [ra.enterprise for ra in RoleAssignment.objects.filter(q)] == [world.e_yizheng]


def test_user_policy(world: World) -> None:
    p = world.persona
    everyone = User.objects.count()
    assert policies.viewable(p("system_admin").user, User).count() == everyone
    assert policies.viewable(p("plan_admin").user, User).count() == everyone
    assert list(policies.viewable(p("leader").user, User)) == [p("leader").user]
    # plan admins manage department, area and enterprise users, nobody else
    plan = p("plan_admin").user
    assert policies.can(plan, "manage", p("enterprise").user)
    assert policies.can(plan, "manage", p("dept_reviewer").user)
    assert policies.can(plan, "manage", p("no_role").user)
    assert not policies.can(plan, "manage", p("leader").user)
    assert not policies.can(plan, "manage", p("system_admin").user)
    assert not policies.can(plan, "manage", plan)
    assert policies.can(p("system_admin").user, "manage", p("leader").user)
    assert not policies.can(p("leader").user, "manage", p("no_role").user)
    assert policies.can(p("leader").user, "change_password", p("leader").user)
    assert not policies.can(p("system_admin").user, "change_password", p("leader").user)


def test_policy_registry_and_unknown_model() -> None:
    from ecplan.accounts.models import DemoAccount
    from ecplan.organisations.policies import EnterprisePolicy

    assert isinstance(policies.policy_for(Enterprise), EnterprisePolicy)
    with pytest.raises(RuntimeError, match="已有权限策略"):
        policies.register(EnterprisePolicy)

    class NotAModelPolicyTarget:
        pass

    with pytest.raises(LookupError, match="没有注册权限策略"):
        policies.policy_for(NotAModelPolicyTarget)  # type: ignore[type-var]  # deliberately wrong type
    assert DemoAccount in policies.registered_models()


def test_owned_by_matches_the_world_ground_truth(world: World) -> None:
    from ecplan.accounts.models import RoleAssignment

    # RoleAssignment has organisation, area and enterprise owners: a convenient probe.
    rows = {
        "org": RoleAssignment.objects.get(user=world.persona("dept_reporter").user),  # 市工信局
        "area": RoleAssignment.objects.get(user=world.persona("area_user").user),  # 邗江区
        "ent": RoleAssignment.objects.get(user=world.persona("enterprise").user),  # e_yizheng
    }
    for p in world.all_personas():
        q = policies.owned_by(
            p.user, organisation="organisation", area="area", enterprise="enterprise"
        )
        seen = set(RoleAssignment.objects.filter(q).filter(pk__in=[r.pk for r in rows.values()]))
        expected = set()
        if world.organisation_in(p) == world.dept:
            expected.add(rows["org"])
        if world.area_in(p) == world.hanjiang or p.sees_everything:
            expected.add(rows["area"])
        if world.enterprise_in(p) == world.e_yizheng or p.sees_everything:
            expected.add(rows["ent"])
        if p.sees_everything:
            expected = set(rows.values())
        assert seen == expected, p.key
    anon_q = policies.owned_by(world.persona("no_role").user, organisation="organisation")
    assert not RoleAssignment.objects.filter(anon_q).exists()
