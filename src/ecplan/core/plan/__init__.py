"""Plans as data: the schema of plan files, their loader and the checks against the plan text.

Public names::

    from ecplan.core.plan import load_plan, LoadedPlan, PlanFile, plan_to_dict
    loaded = load_plan("src/ecplan/plans/data/yangzhou/yangzhou-2025.yaml")
    loaded.plan.targets            # tuple[Target, ...], each stored once
    plan_to_dict(loaded)           # the JSON of `ecplan plan show`

See ``docs/plan-format.md`` for the file format and the indicator codes.
"""

from ecplan.core.plan.checks import CheckResult, check_plan
from ecplan.core.plan.export import plan_to_dict
from ecplan.core.plan.loader import (
    LoadedPlan,
    content_hash,
    find_plan_file,
    load_plan,
    parse_plan,
    plan_files,
)
from ecplan.core.plan.schema import (
    APPROX_TOLERANCE_SETTING,
    BreakdownTable,
    Criterion,
    Erratum,
    Milestone,
    PlanFile,
    PlanMeta,
    PlanSetting,
    Ref,
    ResolvedTolerance,
    Responsibility,
    Rule,
    Section,
    TableRow,
    Target,
    Task,
    resolve_tolerance,
)
from ecplan.core.plan.vocabulary import (
    INDICATORS,
    UNITS,
    IndicatorDef,
    UnitDef,
    label_number,
    read_wording,
)

__all__ = [
    "APPROX_TOLERANCE_SETTING",
    "INDICATORS",
    "UNITS",
    "BreakdownTable",
    "CheckResult",
    "Criterion",
    "Erratum",
    "IndicatorDef",
    "LoadedPlan",
    "Milestone",
    "PlanFile",
    "PlanMeta",
    "PlanSetting",
    "Ref",
    "ResolvedTolerance",
    "Responsibility",
    "Rule",
    "Section",
    "TableRow",
    "Target",
    "Task",
    "UnitDef",
    "check_plan",
    "content_hash",
    "find_plan_file",
    "label_number",
    "load_plan",
    "parse_plan",
    "plan_files",
    "plan_to_dict",
    "read_wording",
    "resolve_tolerance",
]
