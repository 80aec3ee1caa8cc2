"""Loading plan files into the database: mirrors the file, idempotent, versioned, atomic."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from ecplan.cli import main
from ecplan.core.plan import load_plan, plan_to_dict
from ecplan.organisations.models import Organisation
from ecplan.plans import services
from ecplan.plans.models import (
    Mention,
    Milestone,
    Plan,
    PlanVersion,
    Responsibility,
    Rule,
    Section,
    TableRow,
    Target,
    Task,
)
from ecplan.plans.services import PlanVersionConflict, load_plan_version

SHIPPED = Path(services.__file__).resolve().parent / "data/yangzhou"
PLAN_ROWS = (Section, Task, TableRow, Target, Milestone, Rule, Mention, Responsibility)


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (Plan, PlanVersion, *PLAN_ROWS)}


def copy_plan(
    tmp_path: Path, *edits: tuple[str, str], text_edits: tuple[tuple[str, str], ...] = ()
) -> Path:
    for name in ("organisations.yaml", "yangzhou-2025.txt", "yangzhou-2025.yaml"):
        shutil.copy(SHIPPED / name, tmp_path / name)
    for name, changes in (("yangzhou-2025.yaml", edits), ("yangzhou-2025.txt", text_edits)):
        path = tmp_path / name
        content = path.read_text(encoding="utf-8")
        for old, new in changes:
            assert content.count(old) >= 1, old
            content = content.replace(old, new)
        path.write_text(content, encoding="utf-8")
    return tmp_path / "yangzhou-2025.yaml"


@pytest.mark.django_db
def test_shipped_plan_is_loaded_once_and_mirrors_the_file() -> None:
    assert services.load_shipped_plans() == ["yangzhou-2025"]
    first = counts()
    assert first == {
        "Plan": 1,
        "PlanVersion": 1,
        "Section": 21,
        "Task": 13,
        "TableRow": 13,
        "Target": 25,
        "Milestone": 12,
        "Rule": 12,
        "Mention": first["Mention"],
        "Responsibility": first["Responsibility"],
    }
    assert first["Mention"] > 70
    version = PlanVersion.objects.get()
    # Loading again (every `ecplan serve`) changes nothing.
    assert services.load_shipped_plans() == ["yangzhou-2025"]
    assert counts() == first
    assert PlanVersion.objects.get().pk == version.pk
    loaded = load_plan(SHIPPED / "yangzhou-2025.yaml")
    assert version.content_hash == loaded.content_hash
    assert version.raw_file == (SHIPPED / "yangzhou-2025.yaml").read_text(encoding="utf-8")
    assert version.plan_text == (SHIPPED / "yangzhou-2025.txt").read_text(encoding="utf-8")
    assert version.data == plan_to_dict(loaded)
    assert version.plan.current_version == version
    assert (version.label, version.status, version.plan_year, version.date) == (
        "v1",
        "征求意见稿",
        2025,
        None,
    )


@pytest.mark.django_db
def test_targets_and_responsibilities_in_the_database(shipped: list[str]) -> None:
    t = {x.key: x for x in Target.objects.current()}
    assert t["nonfossil-share-2025"].value == Decimal(20)
    assert t["nonfossil-share-2025"].tolerance_absolute == Decimal(1)
    assert t["nonfossil-share-2025"].value_canonical == Decimal("0.2")
    assert t["nonfossil-share-2025"].tolerance_absolute_canonical == Decimal("0.01")
    assert t["nonfossil-share-2025"].tolerance_setting == "approx_tolerance_relative"
    assert t["nonfossil-deduction-2025"].value_canonical == Decimal(5_500_000)
    assert t["nonfossil-deduction-2025"].canonical_unit == "tce"
    assert t["existing-building-retrofit-area-2025"].value is None
    assert t["existing-building-retrofit-area-2025"].state == "not_set"
    assert t["steel-energy-per-tonne-2025"].requirement == "降幅 ≥ 2%（左右）"
    assert Target.objects.filter(indicator="nonfossil_share").count() == 1
    assert t["nonfossil-share-2025"].mentions.count() == 3
    offices = Organisation.objects.get(code="government-offices")
    pi = Task.objects.get(number=12)
    assert pi.responsibilities.get(role="lead").organisation == offices
    table = pi.table_row.responsibilities.get()
    assert (table.name, table.organisation, table.source) == ("市机关事务局", offices, "table")
    steel = Task.objects.get(number=6)
    assert sorted(steel.responsibilities.values_list("role", flat=True)) == ["joint"] * 3
    generic = Task.objects.get(number=4).responsibilities.get(role="generic")
    assert (generic.organisation, generic.name) == (None, "市各有关部门")


@pytest.mark.django_db
def test_changed_file_with_the_same_version_is_refused(shipped: list[str], tmp_path: Path) -> None:
    before = counts()
    path = copy_plan(
        tmp_path, ("  change_note: 首次载入：征求意见稿全文", "  change_note: 修改了说明")
    )
    with pytest.raises(PlanVersionConflict) as err:
        load_plan_version(load_plan(path), acting_user=None)
    message = str(err.value)
    assert "计划 yangzhou-2025 的版本“v1”已于" in message
    assert "文件内容已改变" in message
    assert "plan.version" in message
    assert counts() == before


@pytest.mark.django_db
def test_final_text_is_loaded_as_a_new_version_beside_the_draft(
    shipped: list[str], tmp_path: Path
) -> None:
    # The final text fills in the XXX placeholder; its file gets a new version label.
    path = copy_plan(
        tmp_path,
        ("  status: 征求意见稿\n  version: v1\n", "  status: 正式稿\n  version: v2\n"),
        ("    value: null\n    comparator: \">=\"\n    direction: higher_is_better\n    deadline: 2025年\n    state: not_set\n"
         "    source_quote: 完成既有建筑节能改造面积XXX万平方米以上\n    wording: XXX万平方米以上\n    placeholder: XXX\n",
         "    value: 800\n    comparator: \">=\"\n    direction: higher_is_better\n    deadline: 2025年\n"
         "    source_quote: 完成既有建筑节能改造面积800万平方米以上\n    wording: 800万平方米以上\n"),
        ("面积XXX万平方米以上（全省", "面积800万平方米以上（全省"),
        text_edits=(("（征求意见稿）", "（正式稿）"), ("XXX万平方米", "800万平方米")),
    )  # fmt: skip
    result = load_plan_version(load_plan(path), acting_user=None)
    assert result.created
    plan = Plan.objects.get()
    assert [v.label for v in plan.versions.order_by("loaded_at", "id")] == ["v1", "v2"]
    assert plan.current_version == result.version
    draft = Target.objects.get(version__label="v1", key="existing-building-retrofit-area-2025")
    final = Target.objects.get(version__label="v2", key="existing-building-retrofit-area-2025")
    assert (draft.value, draft.state) == (None, "not_set")
    assert (final.value, final.state, final.value_canonical) == (
        Decimal(800),
        "active",
        Decimal(8_000_000),
    )
    assert Target.objects.current().get(key="existing-building-retrofit-area-2025") == final
    # The draft is untouched and loading either file again changes nothing.
    before = counts()
    services.load_shipped_plans()
    assert not load_plan_version(load_plan(path), acting_user=None).created
    assert counts() == before
    assert Plan.objects.get().current_version == result.version


@pytest.mark.django_db
def test_a_failed_load_stores_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: object, tasks: object) -> None:
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(services._Builder, "build_table", broken)
    with pytest.raises(RuntimeError):
        services.load_plan_version(load_plan(SHIPPED / "yangzhou-2025.yaml"), acting_user=None)
    assert counts() == dict.fromkeys(counts(), 0)


@pytest.mark.django_db
def test_cli_load(tmp_path: Path, capsys: pytest.CaptureFixture[str], officer) -> None:
    path = copy_plan(tmp_path)
    assert main(["plan", "load", str(path), "--as", "wang"]) == 0
    assert "已载入：yangzhou-2025 版本 v1（征求意见稿）" in capsys.readouterr().out
    assert PlanVersion.objects.get().loaded_by == officer
    assert main(["plan", "load", str(path)]) == 0
    assert "未改变" in capsys.readouterr().out
    changed = copy_plan(tmp_path, ("  change_note: 首次载入：征求意见稿全文", "  change_note: 改"))
    assert main(["plan", "load", str(changed)]) == 1
    assert "已载入的版本不能修改" in capsys.readouterr().err
    bad = copy_plan(tmp_path, ("    value: 39\n", "    value: 三十九\n"))
    assert main(["plan", "load", str(bad)]) == 1
    assert "targets[9].value：应为数字" in capsys.readouterr().err
    assert PlanVersion.objects.count() == 1


@pytest.mark.django_db
def test_serve_prepares_the_plan_idempotently() -> None:
    import io

    from ecplan.cli.serve import prepare

    for _ in range(2):
        out = io.StringIO()
        prepare(demo=False, stdout=out)
        assert "已载入行动计划：yangzhou-2025" in out.getvalue()
    assert PlanVersion.objects.count() == 1
