"""Target evaluation: status rules, 晴雨表 warnings, progress requirements, calculation trails.

The pure core of plan evaluation. It knows nothing of the database: callers (the evaluation
service and the ``ecplan evaluate`` command) turn plan targets and approved data into the
input types here and store or print the results.

* :mod:`~ecplan.core.evaluation.status` — :func:`target_status`: 已完成 / 进度正常 / 滞后 /
  严重滞后 / 无数据 / 目标未设定 for a target as of a month (``docs/status-rules.md``).
* :mod:`~ecplan.core.evaluation.warnings` — :func:`warning_level`,
  :func:`assess_intensity_warning`, :func:`assess_consumption_warning` (``docs/warnings.md``).
* :mod:`~ecplan.core.evaluation.progress` — 序时进度 and the annual reduction requirement
  derived from an allocated multi-year target.
* :mod:`~ecplan.core.evaluation.trail` — the JSON-serialisable calculation trail every result
  embeds.
* :mod:`~ecplan.core.evaluation.settings` — per-plan thresholds and schemes; defaults are
  unofficial (非官方默认值) and say so.
"""

from ecplan.core.evaluation.period import YearMonth, YearMonthError
from ecplan.core.evaluation.progress import (
    MultiYearRequirement,
    ProgressInputError,
    RequirementDerivation,
    TimeProportionalRequirement,
    annual_requirement,
    cumulative_requirement,
    time_proportional_requirement,
)
from ecplan.core.evaluation.settings import (
    COMPLETION_RATIO_BANDS,
    DEFAULT_SETTINGS,
    DEFAULT_STATUS_SETTINGS,
    DEFAULT_WARNING_SETTINGS,
    HANGZHOU_FIRST_HALF_BANDS,
    HANGZHOU_FIRST_THREE_QUARTERS_BANDS,
    INTENSITY_SCHEMES,
    Band,
    BandScheme,
    EvaluationSettings,
    SettingsError,
    StatusSettings,
    Tolerance,
    WarningSettings,
)
from ecplan.core.evaluation.status import (
    Baseline,
    Comparator,
    Direction,
    EntityCheck,
    EntityValue,
    Flag,
    Observation,
    ObservationError,
    Reason,
    Status,
    TargetKind,
    TargetSpec,
    TargetSpecError,
    TargetStatusResult,
    comparator_from_wording,
    target_status,
)
from ecplan.core.evaluation.trail import (
    CONFIDENCE_LABELS,
    Attachment,
    FactorSetRef,
    SourceRef,
    Trail,
    TrailError,
    TrailInput,
    TrailStep,
)
from ecplan.core.evaluation.warnings import (
    ConsumptionWarning,
    IntensityWarning,
    ProxyIntensityChange,
    WarningInputError,
    WarningLevel,
    WarningPeriod,
    assess_consumption_warning,
    assess_intensity_warning,
    proxy_intensity_change,
    warning_level,
)

__all__ = [
    "COMPLETION_RATIO_BANDS",
    "CONFIDENCE_LABELS",
    "DEFAULT_SETTINGS",
    "DEFAULT_STATUS_SETTINGS",
    "DEFAULT_WARNING_SETTINGS",
    "HANGZHOU_FIRST_HALF_BANDS",
    "HANGZHOU_FIRST_THREE_QUARTERS_BANDS",
    "INTENSITY_SCHEMES",
    "Attachment",
    "Band",
    "BandScheme",
    "Baseline",
    "Comparator",
    "ConsumptionWarning",
    "Direction",
    "EntityCheck",
    "EntityValue",
    "EvaluationSettings",
    "FactorSetRef",
    "Flag",
    "IntensityWarning",
    "MultiYearRequirement",
    "Observation",
    "ObservationError",
    "ProgressInputError",
    "ProxyIntensityChange",
    "Reason",
    "RequirementDerivation",
    "SettingsError",
    "SourceRef",
    "Status",
    "StatusSettings",
    "TargetKind",
    "TargetSpec",
    "TargetSpecError",
    "TargetStatusResult",
    "TimeProportionalRequirement",
    "Tolerance",
    "Trail",
    "TrailError",
    "TrailInput",
    "TrailStep",
    "WarningInputError",
    "WarningLevel",
    "WarningPeriod",
    "WarningSettings",
    "YearMonth",
    "YearMonthError",
    "annual_requirement",
    "assess_consumption_warning",
    "assess_intensity_warning",
    "comparator_from_wording",
    "cumulative_requirement",
    "proxy_intensity_change",
    "target_status",
    "time_proportional_requirement",
    "warning_level",
]
