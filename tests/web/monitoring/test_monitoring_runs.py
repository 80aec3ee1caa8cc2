"""Stored evaluations: every run records the plan version, the factor sets and a fingerprint of
its inputs; a run is reused while the data are unchanged; past runs keep their numbers and
reproduce; a new plan version is evaluated with its own targets and settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ecplan.core.evaluation import YearMonth
from ecplan.core.plan import load_plan
from ecplan.monitoring.models import EvaluationRun, TargetResult
from ecplan.monitoring.services import evaluation_for, reproduce, run_evaluation
from ecplan.plans.models import PlanVersion
from ecplan.plans.services import load_plan_version

from . import builders
from .conftest import PLAN

AS_OF = YearMonth(2025, 6)


def numbers(run: EvaluationRun) -> dict[str, tuple[Any, ...]]:
    out: dict[str, tuple[Any, ...]] = {}
    for t in run.targets.all():
        out[t.key] = (t.status, t.value, t.target)
    for a in run.areas.all():
        out[f"{a.area.code}:{a.year}:{a.months}:{a.dimension}"] = (
            a.level,
            a.intensity_change,
            a.required_reduction,
        )
    return out


def ev_numbers(ev: Any) -> dict[str, tuple[Any, ...]]:
    out: dict[str, tuple[Any, ...]] = {}
    for t in ev.targets:
        out[t.key] = (t.result.status.code, t.result.value, t.result.target)
    for a in ev.areas:
        out[f"{a.area.code}:{a.year}:{a.months}:{a.dimension}"] = (
            a.level,
            a.intensity_change,
            a.required_reduction,
        )
    return out


def test_a_run_records_what_it_used_and_is_reused_while_the_data_stand(city: Any) -> None:
    run = run_evaluation(PLAN, as_of=AS_OF, acting_user=city.admin)
    assert run.version == city.version
    assert run.as_of == "2025-06"
    assert not run.preview
    assert run.factor_sets, "the factor-set versions are recorded"
    assert run.inputs["revisions"] > 0
    assert run.inputs["bindings"]
    assert run.settings["status"]["approximate_tolerance"] == {"kind": "relative", "amount": 0.05}
    assert run.targets.count() > 40
    assert run.areas.exists()
    again = evaluation_for(city.version, as_of=AS_OF, acting_user=city.world.persona("leader").user)
    assert again.pk == run.pk
    assert EvaluationRun.objects.count() == 1


def test_new_data_make_a_new_run_and_the_old_one_keeps_its_numbers(city: Any) -> None:
    old = run_evaluation(PLAN, as_of=AS_OF, acting_user=city.admin)
    stored = numbers(old)
    # the statistics bureau restates 2025 H1 of the city: a new approved revision
    records = [r for r in builders.city_statistics() if r.period == "2025-Q2"]
    records[0].lines[1].value = 230.0  # non-fossil 215 → 230 万tce
    builders.save_statistics(city.admin, records)
    new = run_evaluation(PLAN, as_of=AS_OF, acting_user=city.admin)
    assert new.pk != old.pk
    assert new.fingerprint != old.fingerprint
    share_old = old.targets.get(key="nonfossil-share-2025").value
    share_new = new.targets.get(key="nonfossil-share-2025").value
    assert share_old == pytest.approx(215 / 1085)
    assert share_new == pytest.approx(230 / 1085)
    old.refresh_from_db()
    assert numbers(old) == stored
    # the old run reproduces from exactly the revisions and factor sets it recorded
    assert ev_numbers(reproduce(old)) == stored
    assert ev_numbers(reproduce(new)) == numbers(new)


def test_re_running_with_the_same_data_gives_the_same_numbers(city: Any) -> None:
    first = run_evaluation(PLAN, as_of=AS_OF, acting_user=city.admin)
    second = run_evaluation(PLAN, as_of=AS_OF, acting_user=city.admin, force=True)
    assert second.pk != first.pk
    assert second.fingerprint == first.fingerprint
    assert numbers(second) == numbers(first)
    # identical result contents are stored once
    assert {t.blob_id for t in first.targets.all()} == {t.blob_id for t in second.targets.all()}


def test_only_the_plan_office_forces_a_re_run(city: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run_evaluation(PLAN, as_of=AS_OF, acting_user=city.world.persona("leader").user, force=True)
    with pytest.raises(PermissionDenied):
        run_evaluation(PLAN, as_of=AS_OF, acting_user=city.world.persona("enterprise").user)


def test_a_new_plan_version_is_evaluated_with_its_own_targets_and_settings(
    city: Any, tmp_path: Path
) -> None:
    v1 = city.version
    v1_run = evaluation_for(v1, as_of=AS_OF, acting_user=city.admin)
    result = load_plan_version(
        load_plan(builders.final_plan_file(tmp_path)), acting_user=city.admin
    )
    v2 = result.version
    assert PlanVersion.objects.filter(plan=city.plan).count() == 2
    v2_run = evaluation_for(v2, as_of=AS_OF, acting_user=city.admin)
    assert (v1_run.version.label, v2_run.version.label) == ("v1", "v2")
    key = "existing-building-retrofit-area-2025"
    draft = v1_run.targets.get(key=key)
    final = v2_run.targets.get(key=key)
    assert draft.status == "target_not_set"
    assert draft.target is None
    assert final.target == pytest.approx(8_000_000)  # 800 万平方米 from the final text
    assert final.status == "no_data"
    # v2 chooses the shortfall scheme: its warnings say so, v1's use the national rule
    w1 = v1_run.areas.filter(dimension="intensity", level__isnull=False).first()
    w2 = v2_run.areas.filter(dimension="intensity", level__isnull=False).first()
    assert w1 is not None
    assert w2 is not None
    assert w1.blob.data["scheme"] == "ndrc"
    assert w2.blob.data["scheme"] == "shortfall_pp"
    assert v2_run.settings["origin"]["intensity_scheme"] == "计划设定"
    # the older version's run is unchanged and still current for v1
    assert evaluation_for(v1, as_of=AS_OF, acting_user=city.admin).pk == v1_run.pk


def test_preview_counts_submitted_data_and_says_so(city: Any) -> None:
    records = [r for r in builders.city_statistics() if r.period == "2025-Q2"]
    records[0].lines[1].value = 240.0
    builders.save_statistics(city.admin, records, state="submitted")
    official = evaluation_for(city.version, as_of=AS_OF, acting_user=city.admin)
    preview = evaluation_for(city.version, as_of=AS_OF, preview=True, acting_user=city.admin)
    assert preview.preview
    assert not official.preview
    o = official.targets.get(key="nonfossil-share-2025")
    p = preview.targets.get(key="nonfossil-share-2025")
    assert o.value == pytest.approx(215 / 1085)
    assert p.value == pytest.approx(240 / 1085)
    assert p.status_label.endswith("（预览）")
    assert p.blob.data["explanation"].startswith("【预览")
    refs = [r for i in p.blob.data["trail"]["children"][0]["inputs"] for r in i["refs"]]
    assert any(r["status"] == "submitted" and r["approver"] is None for r in refs)
    assert not o.status_label.endswith("（预览）")


def test_stored_results_are_scoped_by_role(city: Any) -> None:
    from ecplan.accounts.policies import viewable

    run = run_evaluation(PLAN, as_of=AS_OF, acting_user=city.admin)
    world = city.world
    everything = set(run.targets.values_list("key", flat=True))
    leader = set(
        viewable(world.persona("leader").user, TargetResult.objects.filter(run=run)).values_list(
            "key", flat=True
        )
    )
    assert leader == everything
    dept = set(
        viewable(
            world.persona("dept_reporter").user, TargetResult.objects.filter(run=run)
        ).values_list("key", flat=True)
    )
    assert "retrofit-savings-2025" in dept  # 市工信局 leads it
    assert "existing-building-retrofit-area-2025" not in dept  # 市住建局
    assert "fyp14-energy-intensity" in dept  # 管理机制（1）: 市发改委、工信局、生态环境局
    area = set(
        viewable(world.persona("area_user").user, TargetResult.objects.filter(run=run)).values_list(
            "key", flat=True
        )
    )
    assert area == {
        "binding:energy_intensity_change_new_basis:321000",
        "binding:co2_intensity_change:321000",
        "binding:nonfossil_share:321000",
    }
    assert not viewable(
        world.persona("enterprise").user, TargetResult.objects.filter(run=run)
    ).exists()


def test_long_pinned_id_lists_go_through_a_temporary_table(city: Any) -> None:
    """A province's run pins hundreds of thousands of revisions; the filter must not hit the
    database's parameter limit."""
    from ecplan.monitoring.data import DataContext

    live = DataContext(region=city.plan.region, as_of=AS_OF)
    ids = live.input_ids()
    padded = set(ids["revisions"]) | set(range(10_000_000, 10_002_000))
    pinned = DataContext(
        region=city.plan.region, as_of=AS_OF, pinned_revisions=padded, pinned_results=set()
    )
    assert sorted(pinned.statistics_revisions) == sorted(live.statistics_revisions)
    assert pinned.stat_periods(city.world.city.pk) == live.stat_periods(city.world.city.pk)
