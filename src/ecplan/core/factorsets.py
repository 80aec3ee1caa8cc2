"""Factor sets: versioned, sourced data files of coefficients and factors.

A factor set is one published table (a standard's appendix, one MEE/NBS notice, one
statistics bureau coefficient list) as data: a manifest (id, version, kind, title, source
documents, publication and effective dates) and rows, each with its own source locator,
confidence label and notes. Sets are immutable: ``id`` + ``version`` always mean the same
content (checked by a SHA-256 digest of the canonical content).

On disk a set is a directory ``<id>/<version>/`` with ``manifest.yaml`` and ``rows.csv``
(the shipped sets under ``ecplan/core/data/factor-sets/`` and the loaded ones under
``<data dir>/factor-sets/``). A file to load may also be a single YAML file with the rows
inline, or a manifest whose ``rows_file`` names a CSV next to it. The format of each kind is
documented in docs/factors.md.

Values are read as decimal text and converted exactly (with :class:`fractions.Fraction`) to
the canonical unit, then rounded once to float: ``0.7143 kgce/kg`` becomes ``0.7143 tce/t``
exactly as printed, and ``1.2143 kgce/m3`` becomes ``0.0012143 tce/m3``.

References
----------
GB/T 2589-2020 (standard coal: 1 kgce = 29 307 kJ; coefficient table); GB/T 32151.22-2024
附录C (fuel parameters); 生态环境部、国家统计局 电力二氧化碳排放因子公告; GB/T 32150—2025
(heat factor 0.11 tCO2/GJ).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Final, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from ecplan.core.carriers import Carrier, get_carrier
from ecplan.core.datafile import DataFileError, read_yaml, validation_problems
from ecplan.core.errors import (
    AccountingError,
    FactorSetError,
    FactorSetProblem,
    UnitError,
)
from ecplan.core.provenance import CONFIDENCE_LABELS, FactorSetRef
from ecplan.core.regions import normalise_region
from ecplan.core.units import (
    DIMENSION_LABELS,
    Dimension,
    ParsedUnit,
    normalise_unit_text,
    parse_unit,
)

__all__ = [
    "FACTOR_KINDS",
    "GENERATION_BASIS_LABELS",
    "GRID_BASIS_LABELS",
    "KIND_LABELS",
    "FactorKind",
    "FactorSet",
    "Manifest",
    "parse_ratio_unit",
    "read_factor_set",
]

FactorKind = Literal[
    "conversion",
    "fuel_co2",
    "grid_co2",
    "heat_co2",
    "generation_coal_rate",
    "heat_supply_coal_rate",
    "efficiency_benchmark",
]
FACTOR_KINDS: Final[tuple[str, ...]] = get_args(FactorKind)

KIND_LABELS: Final[dict[str, str]] = {
    "conversion": "折标准煤系数",
    "fuel_co2": "燃料燃烧CO2排放参数",
    "grid_co2": "电网CO2排放因子",
    "heat_co2": "热力CO2排放因子",
    "generation_coal_rate": "发电（供电）煤耗率（电力等价值折标系数）",
    "heat_supply_coal_rate": "供热煤耗率（热力等价值折标系数）",
    "efficiency_benchmark": "能耗限额等级与能效标杆/基准水平",
}

GRID_BASIS_LABELS: Final[dict[str, str]] = {
    "average": "电力平均",
    "excluding_market_non_fossil": "电力平均（不包括市场化交易的非化石能源电量）",
    "fossil": "化石能源电力",
}
_GRID_BASIS_ALIASES: Final[dict[str, str]] = {
    "电力平均": "average",
    "电力平均(不包括市场化交易的非化石能源电量)": "excluding_market_non_fossil",
    "不包括市场化交易的非化石能源电量": "excluding_market_non_fossil",
    "化石能源电力": "fossil",
    "excl_market": "excluding_market_non_fossil",
}

GENERATION_BASIS_LABELS: Final[dict[str, str]] = {
    "statistical": "统计折标系数（等价值）",
    "generation": "发电煤耗",
    "supply": "供电煤耗",
}
_GENERATION_BASIS_ALIASES: Final[dict[str, str]] = {
    "统计折标系数": "statistical",
    "统计折标系数(等价值)": "statistical",
    "等价值折标系数": "statistical",
    "发电煤耗": "generation",
    "发电标准煤耗": "generation",
    "供电煤耗": "supply",
    "供电标准煤耗": "supply",
}
GENERATION_BASIS_PREFERENCE: Final[tuple[str, ...]] = ("statistical", "generation", "supply")
"""Order of preference when several bases exist for the same year and region."""

_CONFIDENCE_ALIASES: Final[dict[str, str]] = {
    "[v]": "verified-from-source",
    "v": "verified-from-source",
    "[s]": "from-secondary-source",
    "s": "from-secondary-source",
    "[u]": "uncertain",
    "u": "uncertain",
    **{zh: en for en, zh in CONFIDENCE_LABELS.items()},
}

KJ_PER_KGCE: Final = 29307
"""GB/T 2589: a fuel with a low heating value of 29 307 kJ is 1 kgce."""

# --- ratio units ---------------------------------------------------------------------

_NUMERATORS: Final[dict[str, dict[str, Fraction]]] = {
    "standard_coal": {
        "tce": Fraction(1),
        "吨标准煤": Fraction(1),
        "kgce": Fraction(1, 1000),
        "千克标准煤": Fraction(1, 1000),
        "gce": Fraction(1, 1_000_000),
        "克标准煤": Fraction(1, 1_000_000),
        # oil equivalent: 1 kgoe = 10 000 kcal, 1 kgce = 7 000 kcal (GB/T 2589 definitions)
        "kgoe": Fraction(10, 7000),
        "千克标准油": Fraction(10, 7000),
        "toe": Fraction(10, 7),
    },
    "co2": {
        "tco2": Fraction(1),
        "吨二氧化碳": Fraction(1),
        "kgco2": Fraction(1, 1000),
        "千克二氧化碳": Fraction(1, 1000),
    },
    "carbon": {"tc": Fraction(1), "吨碳": Fraction(1)},
    "heat": {
        "gj": Fraction(1),
        "吉焦": Fraction(1),
        "mj": Fraction(1, 1000),
        "兆焦": Fraction(1, 1000),
        "kj": Fraction(1, 1_000_000),
        "千焦": Fraction(1, 1_000_000),
        "tj": Fraction(1000),
    },
}
_NUMERATOR_LABELS: Final[dict[str, str]] = {
    "standard_coal": "标准煤（tce、kgce、gce）或油当量（kgoe、toe）",
    "co2": "二氧化碳（tCO2、kgCO2）",
    "carbon": "碳（tC）",
    "heat": "热量（GJ、MJ、kJ、TJ）",
}


@dataclass(frozen=True)
class RatioUnit:
    """A unit like ``kgce/kg``: numerator size in its base unit, parsed denominator."""

    text: str
    numerator: Fraction
    denominator: ParsedUnit

    def canonical(self, value: Fraction) -> Fraction:
        """``value`` in base-numerator per canonical denominator unit (tce/t, tCO2/kWh …)."""
        return value * self.numerator / self.denominator.unit.factor


def parse_ratio_unit(text: str, numerator: str, dimensions: tuple[Dimension, ...]) -> RatioUnit:
    """Parse ``kgce/kg``, ``tCO2/MWh``, ``GJ/10^4 Nm3``, ``tC/TJ`` …

    Parameters
    ----------
    text : str
        Unit text with exactly one ``/``.
    numerator : {"standard_coal", "co2", "carbon", "heat"}
        What the numerator must measure.
    dimensions : tuple of Dimension
        Allowed dimensions of the denominator.

    Raises
    ------
    ecplan.core.errors.UnitError
    """
    parts = normalise_unit_text(text).split("/")
    if len(parts) != 2 or not parts[0] or not parts[1]:
        raise UnitError(
            text,
            reason="unknown",
            accepted=(),
            hint=f"应写成“分子/分母”，分子为{_NUMERATOR_LABELS[numerator]}。",
        )
    num = _NUMERATORS[numerator].get(parts[0])
    if num is None:
        raise UnitError(
            text,
            reason="unknown",
            accepted=(),
            hint=f"分子“{parts[0]}”应为{_NUMERATOR_LABELS[numerator]}。",
        )
    try:
        den = parse_unit(parts[1], dimensions=dimensions)
    except UnitError as exc:
        wanted = "或".join(DIMENSION_LABELS[d] for d in dimensions)
        raise UnitError(
            text,
            reason=exc.reason,
            accepted=exc.accepted,
            hint=f"分母“{parts[1]}”应为{wanted}单位。",
        ) from None
    return RatioUnit(text, num, den)


# --- value parsing -------------------------------------------------------------------


def _to_decimal(v: Any) -> Decimal | None:
    if v is None:
        return None
    if isinstance(v, bool):
        raise ValueError("应为数字")
    if isinstance(v, Decimal):
        d = v
    elif isinstance(v, int | float):
        if isinstance(v, float) and not math.isfinite(v):
            raise ValueError("应为有限数字")
        d = Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
    else:
        text = str(v).strip().replace(",", "").replace("，", "")
        if not text:
            return None
        percent = text.endswith("%")
        if percent:
            text = text[:-1]
        try:
            d = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"应为数字（实际为 {v!r}）") from None
        if percent:
            d = d / 100
    if not d.is_finite():
        raise ValueError("应为有限数字")
    return d


def _to_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float | int | Decimal) and not isinstance(v, bool):
        return str(v)
    return str(v).strip()


def _to_int(v: Any) -> Any:
    if isinstance(v, str):
        t = v.strip()
        return int(t) if t.isdigit() else t
    return v


def _partial_date(v: Any) -> str:
    if isinstance(v, date):
        return v.isoformat()
    text = _to_text(v)
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        raise ValueError(f"日期应写成 YYYY、YYYY-MM 或 YYYY-MM-DD（实际为 {text!r}）")
    parts = [int(p) for p in text.split("-")]
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        raise ValueError(f"月份无效（{text!r}）")
    if len(parts) == 3:
        try:
            date(*parts)
        except ValueError:
            raise ValueError(f"日期无效（{text!r}）") from None
    return text


def partial_date_key(text: str | None) -> tuple[int, int, int]:
    """Sort key of a partial date (``2024`` < ``2024-04`` < ``2024-04-12``); none sorts first."""
    if not text:
        return (0, 0, 0)
    parts = [int(p) for p in text.split("-")] + [0, 0]
    return (parts[0], parts[1], parts[2])


def _confidence(v: Any) -> str:
    text = _to_text(v)
    key = text.casefold()
    if text in CONFIDENCE_LABELS:
        return text
    if key in _CONFIDENCE_ALIASES:
        return _CONFIDENCE_ALIASES[key]
    if text in _CONFIDENCE_ALIASES:
        return _CONFIDENCE_ALIASES[text]
    raise ValueError(
        "可信度应为 verified-from-source（已核实）、from-secondary-source（二手来源）"
        f"或 uncertain（未确认）（实际为 {text!r}）"
    )


def _region(v: Any) -> str:
    try:
        return normalise_region(_to_text(v))
    except AccountingError as exc:
        raise ValueError(exc.message) from None


def _carrier_code(v: Any) -> str:
    try:
        return get_carrier(_to_text(v)).code
    except AccountingError as exc:
        raise ValueError(exc.message) from None


def _choice(aliases: Mapping[str, str], labels: Mapping[str, str]) -> Any:
    def parse(v: Any) -> str:
        text = _to_text(v)
        norm = "".join(text.split()).replace("（", "(").replace("）", ")")
        if text in labels:
            return text
        for key in (text, norm, norm.casefold()):
            if key in aliases:
                return aliases[key]
        for code, label in labels.items():
            if norm == label.replace("（", "(").replace("）", ")"):
                return code
        allowed = "、".join(f"{k}（{v}）" for k, v in labels.items())
        raise ValueError(f"取值应为：{allowed}（实际为 {text!r}）")

    return parse


Num = Annotated[Decimal, BeforeValidator(_to_decimal)]
PartialDate = Annotated[str, BeforeValidator(_partial_date)]
OptNum = Annotated[Decimal | None, BeforeValidator(_to_decimal)]
Text = Annotated[str, BeforeValidator(_to_text)]
Year = Annotated[int, BeforeValidator(_to_int), Field(ge=1949, le=2100)]
Region = Annotated[str, BeforeValidator(_region)]
CarrierCode = Annotated[str, BeforeValidator(_carrier_code)]
ConfidenceLabel = Annotated[str, BeforeValidator(_confidence)]
GridBasis = Annotated[str, BeforeValidator(_choice(_GRID_BASIS_ALIASES, GRID_BASIS_LABELS))]
GenerationBasis = Annotated[
    str, BeforeValidator(_choice(_GENERATION_BASIS_ALIASES, GENERATION_BASIS_LABELS))
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- rows ----------------------------------------------------------------------------


class RowBase(_Strict):
    """Columns every row has."""

    row_id: Text = Field(min_length=1, max_length=80)
    document: Text = ""
    locator: Text = ""
    confidence: ConfidenceLabel
    corroboration: Text = ""
    notes: Text = ""

    def key(self) -> tuple[object, ...]:
        """What must be unique within a set."""
        return (self.row_id,)

    def key_label(self) -> str:
        return self.row_id


class ConversionRow(RowBase):
    """A standard-coal conversion coefficient (折标准煤系数) of one carrier.

    An empty ``value`` means the set deliberately gives no default (range or conflict in the
    sources): the caller must supply a measured value or an explicit coefficient.
    """

    carrier: CarrierCode
    value: OptNum = None
    unit: Text
    heat_content: OptNum = None
    heat_content_unit: Text = ""
    alternatives: Text = ""

    @model_validator(mode="after")
    def _check(self) -> ConversionRow:
        carrier = get_carrier(self.carrier)
        dims = _conversion_dimensions(carrier)
        try:
            parse_ratio_unit(self.unit, "standard_coal", dims)
        except UnitError as exc:
            raise ValueError(f"unit：{exc.message}") from None
        if self.value is None and not self.notes:
            raise ValueError("value 为空（不设默认值）时，notes 必须说明原因和取值方法")
        if self.value is not None and self.value <= 0:
            raise ValueError("value：折标系数必须大于 0")
        if (self.heat_content is None) != (not self.heat_content_unit):
            raise ValueError("heat_content 与 heat_content_unit 须同时填写或同时留空")
        if self.heat_content is not None:
            try:
                parse_ratio_unit(self.heat_content_unit, "heat", dims)
            except UnitError as exc:
                raise ValueError(f"heat_content_unit：{exc.message}") from None
        return self

    def key(self) -> tuple[object, ...]:
        return (self.carrier,)

    def key_label(self) -> str:
        return f"能源品种 {self.carrier}"


def _conversion_dimensions(carrier: Carrier) -> tuple[Dimension, ...]:
    # Rows for 电力 / 热力 hold the per-kWh / per-GJ coefficients; the others are per
    # physical unit of the carrier.
    return tuple(d for d in carrier.dimensions if d is not Dimension.STANDARD_COAL) or (
        carrier.dimensions
    )


class FuelCo2Row(RowBase):
    """Fuel CO2 parameters: net calorific value, carbon content per heat, oxidation rate."""

    carrier: CarrierCode
    ncv: Num
    ncv_unit: Text
    carbon_content: Num
    carbon_content_unit: Text = "tC/GJ"
    oxidation_rate: Num

    @model_validator(mode="after")
    def _check(self) -> FuelCo2Row:
        carrier = get_carrier(self.carrier)
        try:
            parse_ratio_unit(self.ncv_unit, "heat", carrier.dimensions)
        except UnitError as exc:
            raise ValueError(f"ncv_unit：{exc.message}") from None
        try:
            parse_ratio_unit(self.carbon_content_unit, "carbon", (Dimension.HEAT,))
        except UnitError as exc:
            raise ValueError(f"carbon_content_unit：{exc.message}") from None
        if self.ncv <= 0 or self.carbon_content <= 0:
            raise ValueError("ncv 与 carbon_content 必须大于 0")
        if not (0 < self.oxidation_rate <= 1):
            raise ValueError("oxidation_rate：碳氧化率应在 0 与 1 之间（如 0.98 或 98%）")
        return self

    def key(self) -> tuple[object, ...]:
        return (self.carrier,)

    def key_label(self) -> str:
        return f"燃料 {self.carrier}"


def _plausible(value: Fraction, low: float, high: float, what: str, unit_hint: str) -> None:
    if not (low <= float(value) <= high):
        raise ValueError(
            f"{what}换算后为 {float(value):.6g}，超出合理范围 {low:g}–{high:g}"
            f"（{unit_hint}）：请检查数值与单位"
        )


class GridCo2Row(RowBase):
    """An electricity CO2 factor of one data year, region and published basis."""

    year: Year
    region: Region
    basis: GridBasis
    value: Num
    unit: Text

    @model_validator(mode="after")
    def _check(self) -> GridCo2Row:
        try:
            ru = parse_ratio_unit(self.unit, "co2", (Dimension.ELECTRICITY,))
        except UnitError as exc:
            raise ValueError(f"unit：{exc.message}") from None
        _plausible(ru.canonical(Fraction(self.value)) * 1000, 0.01, 1.5, "排放因子", "kgCO2/kWh")
        return self

    def key(self) -> tuple[object, ...]:
        return (self.year, self.region, self.basis)

    def key_label(self) -> str:
        return f"{self.year}年 {self.region} {GRID_BASIS_LABELS[self.basis]}"


class HeatCo2Row(RowBase):
    """The CO2 factor of purchased heat."""

    value: Num
    unit: Text

    @model_validator(mode="after")
    def _check(self) -> HeatCo2Row:
        try:
            ru = parse_ratio_unit(self.unit, "co2", (Dimension.HEAT,))
        except UnitError as exc:
            raise ValueError(f"unit：{exc.message}") from None
        _plausible(ru.canonical(Fraction(self.value)), 0.01, 0.5, "热力排放因子", "tCO2/GJ")
        return self

    def key(self) -> tuple[object, ...]:
        return ("heat",)

    def key_label(self) -> str:
        return "热力排放因子"


class GenerationCoalRateRow(RowBase):
    """A coal rate of electricity for one year and region (the 等价值 coefficient)."""

    year: Year
    region: Region
    basis: GenerationBasis
    scope: Text = ""
    value: Num
    unit: Text

    @model_validator(mode="after")
    def _check(self) -> GenerationCoalRateRow:
        try:
            ru = parse_ratio_unit(self.unit, "standard_coal", (Dimension.ELECTRICITY,))
        except UnitError as exc:
            raise ValueError(f"unit：{exc.message}") from None
        _plausible(ru.canonical(Fraction(self.value)) * 1_000_000, 100, 600, "煤耗率", "gce/kWh")
        return self

    def key(self) -> tuple[object, ...]:
        return (self.year, self.region, self.basis)

    def key_label(self) -> str:
        return f"{self.year}年 {self.region} {GENERATION_BASIS_LABELS[self.basis]}"


class HeatSupplyCoalRateRow(RowBase):
    """A heat-supply coal rate for one year and region (the 等价值 coefficient of heat)."""

    year: Year
    region: Region
    scope: Text = ""
    value: Num
    unit: Text

    @model_validator(mode="after")
    def _check(self) -> HeatSupplyCoalRateRow:
        try:
            ru = parse_ratio_unit(self.unit, "standard_coal", (Dimension.HEAT,))
        except UnitError as exc:
            raise ValueError(f"unit：{exc.message}") from None
        _plausible(ru.canonical(Fraction(self.value)) * 1000, 20, 80, "供热煤耗率", "kgce/GJ")
        return self

    def key(self) -> tuple[object, ...]:
        return (self.year, self.region)

    def key_label(self) -> str:
        return f"{self.year}年 {self.region}"


class BenchmarkRow(RowBase):
    """One level of a limit standard (1/2/3级) or an NDRC 标杆/基准 value.

    An empty ``value`` means the level has no value (the standard prints “—”) or the value
    is not confirmed and must be entered by an administrator (see ``notes``).
    """

    product: Text = Field(min_length=1)
    variant: Text = ""
    indicator: Text = Field(min_length=1)
    unit: Text = Field(min_length=1)
    level: Text = Field(min_length=1)
    value: OptNum = None

    @model_validator(mode="after")
    def _check(self) -> BenchmarkRow:
        if self.value is None and not self.notes:
            raise ValueError("value 为空时，notes 必须说明原因")
        return self

    def key(self) -> tuple[object, ...]:
        return (self.document, self.product, self.variant, self.indicator, self.level)

    def key_label(self) -> str:
        return f"{self.product} {self.variant} {self.indicator} {self.level}".replace("  ", " ")


ROW_MODELS: Final[dict[str, type[RowBase]]] = {
    "conversion": ConversionRow,
    "fuel_co2": FuelCo2Row,
    "grid_co2": GridCo2Row,
    "heat_co2": HeatCo2Row,
    "generation_coal_rate": GenerationCoalRateRow,
    "heat_supply_coal_rate": HeatSupplyCoalRateRow,
    "efficiency_benchmark": BenchmarkRow,
}


_TAIL_COLUMNS: Final = ("document", "locator", "confidence", "corroboration", "notes")


def row_columns(kind: str) -> tuple[str, ...]:
    """CSV columns of a kind, in file order: ``row_id``, the kind's fields, then the source."""
    fields = [f for f in ROW_MODELS[kind].model_fields if f not in RowBase.model_fields]
    return ("row_id", *fields, *_TAIL_COLUMNS)


# --- manifest ------------------------------------------------------------------------


class DocumentInfo(_Strict):
    """A source document (standard, notice, statistical system) rows can refer to."""

    key: Text = Field(min_length=1)
    title: Text = Field(min_length=1)
    number: Text = ""
    publisher: Text = ""
    published: PartialDate | None = None
    effective: PartialDate | None = None
    url: Text = ""
    notes: Text = ""

    @property
    def citation(self) -> str:
        """``GB/T 2589-2020 综合能耗计算通则``."""
        if self.number and self.number not in self.title:
            return f"{self.number} {self.title}"
        return self.title


class Manifest(_Strict):
    """Header of a factor set."""

    schema_version: Literal[1]
    id: Text = Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,79}$")
    version: Text = Field(pattern=r"^[0-9]{1,6}(\.[0-9]{1,6}){0,3}$")
    kind: FactorKind
    title: Text = Field(min_length=1)
    title_en: Text = ""
    publisher: Text = ""
    published: PartialDate | None = None
    effective: PartialDate | None = None
    prepared: PartialDate | None = None
    documents: tuple[DocumentInfo, ...] = Field(min_length=1)
    notes: Text = ""
    rows_file: Text = ""
    rows: tuple[dict[str, Any], ...] | None = None

    @field_validator("documents")
    @classmethod
    def _unique_documents(cls, v: tuple[DocumentInfo, ...]) -> tuple[DocumentInfo, ...]:
        keys = [d.key for d in v]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise ValueError(f"文件 key 重复：{'、'.join(dup)}")
        return v

    @property
    def version_tuple(self) -> tuple[int, ...]:
        return tuple(int(p) for p in self.version.split("."))

    def header(self) -> dict[str, Any]:
        """The manifest without its rows (as stored in ``manifest.yaml``)."""
        data = self.model_dump(mode="json", exclude={"rows", "rows_file"})
        return {k: v for k, v in data.items() if v not in (None, "", ())}


# --- the set ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FactorSet:
    """A validated factor set.

    Attributes
    ----------
    manifest : Manifest
    rows : tuple of row models
        The rows as published (model depends on ``manifest.kind``).
    origin : {"shipped", "loaded"}
    path : pathlib.Path or None
        Directory it was read from.
    """

    manifest: Manifest
    rows: tuple[RowBase, ...]
    origin: str = "shipped"
    path: Path | None = field(default=None, compare=False)

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def version(self) -> str:
        return self.manifest.version

    @property
    def kind(self) -> str:
        return self.manifest.kind

    @property
    def title(self) -> str:
        return self.manifest.title

    @property
    def label(self) -> str:
        return f"{self.id} v{self.version}"

    @cached_property
    def digest(self) -> str:
        """SHA-256 of the canonical content (manifest header + rows), hex."""
        payload = {
            "manifest": self.manifest.header(),
            "rows": [r.model_dump(mode="json") for r in self.rows],
        }
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @cached_property
    def ref(self) -> FactorSetRef:
        return FactorSetRef(
            id=self.id,
            version=self.version,
            kind=self.kind,
            title=self.title,
            digest=self.digest,
            origin=self.origin,
        )

    @cached_property
    def documents(self) -> dict[str, DocumentInfo]:
        return {d.key: d for d in self.manifest.documents}

    def document_for(self, row: RowBase) -> DocumentInfo:
        """The source document of a row (its own, or the set's only document)."""
        if row.document:
            return self.documents[row.document]
        return self.manifest.documents[0]

    @property
    def uncertain_rows(self) -> tuple[RowBase, ...]:
        return tuple(r for r in self.rows if r.confidence == "uncertain")

    def rows_csv(self) -> str:
        """The rows as CSV text (UTF-8, header row, the kind's columns)."""
        columns = row_columns(self.kind)
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for row in self.rows:
            data = row.model_dump()
            writer.writerow(["" if data[c] is None else str(data[c]) for c in columns])
        return buf.getvalue()

    def with_origin(self, origin: str, path: Path | None) -> FactorSet:
        return FactorSet(self.manifest, self.rows, origin, path)


# --- reading ---------------------------------------------------------------------------


def _problem(file: Path | str, row: int | None, column: str, message: str) -> FactorSetProblem:
    return FactorSetProblem(str(file), row, column, message)


_PATTERN_HINTS: Final[dict[str, str]] = {
    "id": "ID 只能用小写字母、数字和 . _ -，以字母或数字开头，2–80 个字符（如 mee-grid-co2-2024）",
    "version": "版本号应为数字，可用点分隔（如 1、2、1.1）",
}


def _problems_zh(exc: ValidationError) -> list[tuple[str, str]]:
    """:func:`validation_problems` plus Chinese text for pattern errors of id / version."""
    out = []
    for (loc, msg), err in zip(
        validation_problems(exc), exc.errors(include_url=False), strict=True
    ):
        if err["type"] == "string_pattern_mismatch" and loc in _PATTERN_HINTS:
            msg = f"{_PATTERN_HINTS[loc]}（实际为 {err.get('input')!r}）"
        out.append((loc, msg))
    return out


def _row_problems(
    exc: ValidationError, file: Path | str, row: int | None, prefix: str = ""
) -> list[FactorSetProblem]:
    out: list[FactorSetProblem] = []
    for loc, msg in _problems_zh(exc):
        column = loc.split(".")[0].split("[")[0] if loc else ""
        # Our own row validators say which column in the message ("unit：…").
        if not column and "：" in msg and msg.split("：", 1)[0].isidentifier():
            column, msg = msg.split("：", 1)
        out.append(_problem(file, row, prefix + column, msg))
    return out


def _read_csv_rows(
    path: Path, kind: str
) -> tuple[list[tuple[int, dict[str, str]]], list[FactorSetProblem]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return [], [_problem(path, None, "", "文件不存在")]
    except UnicodeDecodeError:
        return [], [
            _problem(path, None, "", "文件不是 UTF-8 编码的 CSV（请在 Excel 中另存为“CSV UTF-8”）")
        ]
    reader = csv.DictReader(io.StringIO(text))
    columns = row_columns(kind)
    header = [h.strip() for h in (reader.fieldnames or [])]
    problems: list[FactorSetProblem] = []
    unknown = [h for h in header if h not in columns]
    if unknown:
        problems.append(
            _problem(
                path,
                1,
                "",
                f"不认识的列：{'、'.join(unknown)}；此类因子集的列为：{'、'.join(columns)}",
            )
        )
    required = [
        name
        for name, info in ROW_MODELS[kind].model_fields.items()
        if info.is_required() and name not in header
    ]
    if required:
        problems.append(_problem(path, 1, "", f"缺少必需的列：{'、'.join(required)}"))
    if problems:
        return [], problems
    rows: list[tuple[int, dict[str, str]]] = []
    for raw in reader:
        line = reader.line_num
        clean = {k.strip(): (v or "") for k, v in raw.items() if k is not None}
        if None in raw:
            problems.append(_problem(path, line, "", "本行的列数多于表头"))
            continue
        if not any(v.strip() for v in clean.values()):
            continue
        # Empty cells are left out, so a missing required value is reported as missing.
        rows.append((line, {k: v for k, v in clean.items() if v.strip() != ""}))
    return rows, problems


def _validate_rows(
    kind: str,
    raw_rows: Sequence[tuple[int, Mapping[str, Any]]],
    file: Path | str,
    documents: Mapping[str, DocumentInfo],
) -> tuple[tuple[RowBase, ...], list[FactorSetProblem]]:
    model = ROW_MODELS[kind]
    problems: list[FactorSetProblem] = []
    rows: list[RowBase] = []
    seen_ids: dict[str, int] = {}
    seen_keys: dict[tuple[object, ...], int] = {}
    for line, raw in raw_rows:
        try:
            row = model.model_validate(dict(raw))
        except ValidationError as exc:
            problems.extend(_row_problems(exc, file, line))
            continue
        if row.document and row.document not in documents:
            problems.append(
                _problem(
                    file, line, "document", f"文件 key “{row.document}”未在清单 documents 中定义"
                )
            )
        if not row.document and len(documents) > 1:
            problems.append(
                _problem(file, line, "document", "清单列出了多个来源文件，每行须填写 document")
            )
        if row.row_id in seen_ids:
            problems.append(
                _problem(file, line, "row_id", f"row_id 与第 {seen_ids[row.row_id]} 行重复")
            )
        seen_ids.setdefault(row.row_id, line)
        key = row.key()
        if key in seen_keys:
            problems.append(
                _problem(
                    file,
                    line,
                    "",
                    f"与第 {seen_keys[key]} 行重复（{row.key_label()}）：同一因子集中每项只能有一个值",
                )
            )
        seen_keys.setdefault(key, line)
        rows.append(row)
    return tuple(rows), problems


def read_factor_set(path: str | Path, *, origin: str = "loaded") -> FactorSet:
    """Read and validate a factor set.

    Parameters
    ----------
    path : str or pathlib.Path
        A directory with ``manifest.yaml`` (and ``rows.csv``), or a YAML manifest file with
        the rows inline (``rows:``) or in a CSV named by ``rows_file``.
    origin : {"shipped", "loaded"}
        Recorded in results (``FactorSetRef.origin``).

    Returns
    -------
    FactorSet

    Raises
    ------
    ecplan.core.errors.FactorSetError
        With every problem found: file, row, column and a Chinese message.
    """
    p = Path(path)
    manifest_path = p / "manifest.yaml" if p.is_dir() else p
    if manifest_path.suffix.lower() == ".csv":
        raise FactorSetError(
            [
                _problem(
                    manifest_path,
                    None,
                    "",
                    "CSV 文件只含数据行，须配一个 YAML 清单（manifest）：在清单中写 "
                    f"rows_file: {manifest_path.name}，然后载入该 YAML 文件（格式见 docs/factors.md）",
                )
            ]
        )
    try:
        data = read_yaml(manifest_path)
    except DataFileError as exc:
        raise FactorSetError(
            [_problem(exc.file, None, loc, msg) for loc, msg in exc.problems]
        ) from None
    if not isinstance(data, dict):
        raise FactorSetError([_problem(manifest_path, None, "", "清单应为 YAML 映射（键: 值）")])
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as exc:
        raise FactorSetError(
            [_problem(manifest_path, None, loc, msg) for loc, msg in _problems_zh(exc)]
        ) from None
    problems: list[FactorSetProblem] = []
    if manifest.rows is not None and manifest.rows_file:
        problems.append(_problem(manifest_path, None, "rows_file", "rows 与 rows_file 只能二选一"))
    raw_rows: list[tuple[int, Mapping[str, Any]]]
    if manifest.rows is not None:
        raw_rows = [(i + 1, r) for i, r in enumerate(manifest.rows)]
        rows_file: Path | str = f"{manifest_path}（rows）"
    else:
        name = manifest.rows_file or "rows.csv"
        rows_path = manifest_path.parent / name
        rows_file = rows_path
        csv_rows, csv_problems = _read_csv_rows(rows_path, manifest.kind)
        problems.extend(csv_problems)
        raw_rows = list(csv_rows)
    documents = {d.key: d for d in manifest.documents}
    rows, row_problems = _validate_rows(manifest.kind, raw_rows, rows_file, documents)
    problems.extend(row_problems)
    if not rows and not problems:
        problems.append(_problem(rows_file, None, "", "没有任何数据行"))
    if problems:
        raise FactorSetError(problems)
    base = p if p.is_dir() else None
    return FactorSet(
        manifest.model_copy(update={"rows": None, "rows_file": ""}), rows, origin, base
    )


def manifest_yaml(fs: FactorSet) -> str:
    """The stored ``manifest.yaml`` text of a set (rows in ``rows.csv``)."""
    import yaml

    header = fs.manifest.header()
    header["rows_file"] = "rows.csv"
    return yaml.safe_dump(header, allow_unicode=True, sort_keys=False, width=100)
