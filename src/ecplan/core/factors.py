"""The factor library: which factor set, row, year and region a calculation uses.

A :class:`FactorLibrary` is a collection of :class:`~ecplan.core.factorsets.FactorSet`
objects. Lookups return :class:`~ecplan.core.provenance.Coefficient` objects that carry the
value used *and* where it came from (set id + version + digest, row, document, locator,
confidence, the year and region of the row and whether they were a fallback).

Which set wins
    For each set id only its highest version takes part (older versions stay available for
    reproducing past results through :meth:`FactorLibrary.select`). Among sets of a kind, a
    set passed explicitly by the caller wins, then the later ``published`` date, then a set
    loaded into the data directory over a shipped one, then id and version — a total,
    deterministic order. A row without a value (a deliberate "no default") does not hide a
    value of a lower-ranked set.

Which year and region (grid CO2 factors, generation and heat-supply coal rates)
    The region itself is tried first, then 全国. Within a region, the row of the requested
    data year is used if present, else the latest earlier year (the MEE factor published in
    year N describes data year N−2, so the current year usually falls back). A year before
    every available row is an error, never silently replaced by a later year. The
    coefficient records the requested and the used year and region.

The default library (:func:`default_library`) is the shipped sets plus the sets loaded into
``<data dir>/factor-sets`` (see :mod:`ecplan.core.factorstore`); every calculation accepts
``factor_set=`` to use something else (:func:`library_for`).

References
----------
生态环境部、国家统计局 电力二氧化碳排放因子公告（公告2024年第12号、第33号，公告2025年第47号）;
GB/T 2589-2020; GB/T 32151.22-2024 附录C.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeAlias, TypeVar

from ecplan.core.carriers import Carrier, get_carrier
from ecplan.core.errors import CoefficientRequiredError, FactorNotFoundError
from ecplan.core.factorsets import (
    GENERATION_BASIS_LABELS,
    GENERATION_BASIS_PREFERENCE,
    GRID_BASIS_LABELS,
    KIND_LABELS,
    BenchmarkRow,
    ConversionRow,
    FactorSet,
    FuelCo2Row,
    GenerationCoalRateRow,
    GridCo2Row,
    HeatCo2Row,
    HeatSupplyCoalRateRow,
    RowBase,
    parse_ratio_unit,
    partial_date_key,
)
from ecplan.core.provenance import Coefficient
from ecplan.core.regions import DEFAULT_REGION, normalise_region, region_chain
from ecplan.core.units import CANONICAL_UNITS, Dimension

__all__ = [
    "FactorLibrary",
    "FactorSource",
    "FuelParameters",
    "default_library",
    "library_for",
]

_ORIGIN_RANK = {"shipped": 0, "loaded": 1}
T = TypeVar("T")

_DatedRow: TypeAlias = GridCo2Row | GenerationCoalRateRow | HeatSupplyCoalRateRow


def _row_coefficient(
    fs: FactorSet,
    row: RowBase,
    *,
    name: str,
    symbol: str,
    value: float,
    unit: str,
    key: str,
    published_value: str | None = None,
    published_unit: str | None = None,
    basis: str | None = None,
    year: int | None = None,
    region: str | None = None,
    requested_year: int | None = None,
    requested_region: str | None = None,
    alternatives: str = "",
    notes: str | None = None,
) -> Coefficient:
    """A coefficient taken from a row: document, locator, confidence and set filled in."""
    return Coefficient(
        name=name,
        symbol=symbol,
        value=value,
        unit=unit,
        published_value=published_value,
        published_unit=published_unit,
        confidence=row.confidence,
        document=fs.document_for(row).citation,
        locator=row.locator,
        row_id=row.row_id,
        factor_set=fs.ref,
        key=key,
        basis=basis,
        year=year,
        region=region,
        requested_year=requested_year,
        requested_region=requested_region,
        alternatives=alternatives,
        notes=row.notes if notes is None else notes,
    )


def _rank(fs: FactorSet, explicit: bool) -> tuple[object, ...]:
    return (
        1 if explicit else 0,
        partial_date_key(fs.manifest.published),
        _ORIGIN_RANK.get(fs.origin, 0),
        fs.id,
        fs.manifest.version_tuple,
    )


@dataclass(frozen=True)
class FuelParameters:
    """The CO2 parameters of one fuel, each with its provenance.

    ``ef`` is the per-unit emission factor NCV × CC × OF × 44/12 [tCO2 per canonical unit].
    """

    ncv: Coefficient
    carbon_content: Coefficient
    oxidation_rate: Coefficient
    ef: Coefficient


class FactorLibrary:
    """A set of factor sets and the rules to pick a value from them.

    Parameters
    ----------
    sets : iterable of FactorSet
        All sets; only the highest version of each id takes part in lookups.
    explicit : iterable of FactorSet
        Sets chosen by the caller: they rank above all others, and other versions of their
        ids are left out.
    """

    def __init__(self, sets: Iterable[FactorSet] = (), *, explicit: Iterable[FactorSet] = ()):
        base = tuple(sets)
        chosen = tuple(explicit)
        seen: dict[tuple[str, str], FactorSet] = {}
        for fs in (*base, *chosen):
            other = seen.get((fs.id, fs.version))
            if other is not None and other.digest != fs.digest:
                raise ValueError(
                    f"因子集 {fs.label} 出现两个内容不同的副本（{other.origin} 与 {fs.origin}）"
                )
            seen[(fs.id, fs.version)] = fs
        self._all = tuple(seen.values())
        self._base = base
        self._explicit = chosen
        explicit_ids = {fs.id for fs in chosen}
        latest: dict[str, FactorSet] = {}
        for fs in base:
            if fs.id in explicit_ids:
                continue
            cur = latest.get(fs.id)
            if cur is None or fs.manifest.version_tuple > cur.manifest.version_tuple:
                latest[fs.id] = fs
        ranked = [(fs, False) for fs in latest.values()]
        ranked += [(fs, True) for fs in {(f.id, f.version): f for f in chosen}.values()]
        ranked.sort(key=lambda t: _rank(*t), reverse=True)
        self._active = tuple(fs for fs, _ in ranked)
        # The library is immutable, so lookups can be memoised (results are frozen objects).
        self._memo: dict[tuple[object, ...], object] = {}

    def _cached(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        try:
            return self._memo[key]  # type: ignore[return-value]  # stored by this same key
        except KeyError:
            value = compute()
            self._memo[key] = value
            return value

    # --- the sets -------------------------------------------------------------------
    @property
    def sets(self) -> tuple[FactorSet, ...]:
        """Every set (all versions)."""
        return self._all

    @property
    def active(self) -> tuple[FactorSet, ...]:
        """The sets taking part in lookups, highest precedence first."""
        return self._active

    def active_sets(self, kind: str) -> tuple[FactorSet, ...]:
        return tuple(fs for fs in self._active if fs.kind == kind)

    def versions(self, set_id: str) -> tuple[FactorSet, ...]:
        """All versions of a set id, lowest first."""
        return tuple(
            sorted(
                (fs for fs in self._all if fs.id == set_id),
                key=lambda fs: fs.manifest.version_tuple,
            )
        )

    def get(self, set_id: str, version: str | None = None) -> FactorSet:
        """A set by id (its current version) or by id and version.

        Raises
        ------
        ecplan.core.errors.FactorNotFoundError
        """
        if "@" in set_id and version is None:
            set_id, version = set_id.split("@", 1)
        candidates = self.versions(set_id)
        if version is not None:
            version = version.removeprefix("v")
            candidates = tuple(fs for fs in candidates if fs.version == version)
        if not candidates:
            known = "、".join(sorted({fs.id for fs in self._all}))
            what = f"{set_id} 版本 {version}" if version else set_id
            raise FactorNotFoundError("factor_set", set_id, f"没有因子集 {what}。已有：{known}。")
        return candidates[-1]

    def with_sets(self, *sets: FactorSet) -> FactorLibrary:
        """This library with ``sets`` chosen explicitly (they win their lookups)."""
        return FactorLibrary(self._base, explicit=(*self._explicit, *sets))

    def select(self, *refs: str) -> FactorLibrary:
        """This library with the sets named ``id`` or ``id@version`` chosen explicitly."""
        return self.with_sets(*(self.get(ref) for ref in refs))

    # --- lookups: conversion ---------------------------------------------------------
    def _undated(self, kind: str, key: str) -> list[tuple[FactorSet, RowBase]]:
        out: list[tuple[FactorSet, RowBase]] = []
        for fs in self.active_sets(kind):
            for row in fs.rows:
                if getattr(row, "carrier", None) == key:
                    out.append((fs, row))
        return out

    def conversion_row(self, carrier: str | Carrier) -> tuple[FactorSet, ConversionRow, str]:
        """The conversion row used for a carrier: (set, row, carrier code the row is for).

        Follows the statistical parent (烟煤 → 原煤) when the carrier has no row itself.

        Raises
        ------
        ecplan.core.errors.CoefficientRequiredError
            The carrier has only rows without a value (no default shipped).
        ecplan.core.errors.FactorNotFoundError
        """
        start = get_carrier(carrier)
        chain: list[Carrier] = [start]
        while chain[-1].parent:
            chain.append(get_carrier(chain[-1].parent))
        empty: tuple[FactorSet, ConversionRow] | None = None
        for c in chain:
            found = self._undated("conversion", c.code)
            for fs, row in found:
                assert isinstance(row, ConversionRow)
                if row.value is not None:
                    return fs, row, c.code
                empty = empty or (fs, row)
            if empty is not None:
                break
        if empty is not None:
            fs, row = empty
            ec = get_carrier(row.carrier)
            raise CoefficientRequiredError(ec.code, ec.name_zh, row.alternatives, row.notes)
        raise FactorNotFoundError(
            "conversion",
            start.code,
            f"没有“{start.name_zh}”的折标准煤系数（当前因子集：{self._names('conversion')}）。"
            "请提供实测低位发热量或明确的折标系数，或载入包含该品种的系数集。",
        )

    def _names(self, kind: str) -> str:
        return "、".join(fs.label for fs in self.active_sets(kind)) or "无"

    def conversion_coefficient(self, carrier: str | Carrier) -> Coefficient:
        """折标准煤系数 of a carrier per canonical unit (tce/t, tce/m3, tce/kWh, tce/GJ).

        For electricity and heat this is the calorific (当量值) coefficient; use
        :meth:`generation_coal_rate` / :meth:`heat_supply_coal_rate` for 等价值.
        """
        code = get_carrier(carrier).code
        return self._cached(("conversion", code), lambda: self._conversion_coefficient(code))

    def _conversion_coefficient(self, carrier: str) -> Coefficient:
        fs, row, used = self.conversion_row(carrier)
        assert row.value is not None
        requested = get_carrier(carrier)
        dims = tuple(
            d for d in get_carrier(row.carrier).dimensions if d is not Dimension.STANDARD_COAL
        )
        ratio = parse_ratio_unit(row.unit, "standard_coal", dims or (Dimension.STANDARD_COAL,))
        canonical = float(ratio.canonical(Fraction(row.value)))
        unit = f"tce/{ratio.denominator.canonical}"
        notes = row.notes
        if used != requested.code:
            parent = get_carrier(used)
            extra = f"“{requested.name_zh}”无单列系数，按统计品种“{parent.name_zh}”的系数折算。"
            notes = f"{extra}{notes}" if notes else extra
        return _row_coefficient(
            fs,
            row,
            name="折标准煤系数",
            symbol="k",
            value=canonical,
            unit=unit,
            published_value=str(row.value),
            published_unit=row.unit,
            key=row.carrier,
            basis="当量值" if used in {"electricity", "heat"} else None,
            alternatives=row.alternatives,
            notes=notes,
        )

    def heat_content(self, carrier: str | Carrier) -> Coefficient:
        """Heat content of a steam grade [GJ/t], from its conversion row.

        Raises
        ------
        ecplan.core.errors.FactorNotFoundError
            The row gives no heat content.
        """
        fs, row, _ = self.conversion_row(carrier)
        c = get_carrier(carrier)
        if row.heat_content is None:
            raise FactorNotFoundError(
                "conversion",
                c.code,
                f"“{c.name_zh}”的系数行没有给出热焓（热值），无法按热量折算。",
            )
        ratio = parse_ratio_unit(row.heat_content_unit, "heat", (Dimension.MASS,))
        return _row_coefficient(
            fs,
            row,
            name="单位热值",
            symbol="h",
            value=float(ratio.canonical(Fraction(row.heat_content))),
            unit="GJ/t",
            published_value=str(row.heat_content),
            published_unit=row.heat_content_unit,
            key=row.carrier,
        )

    # --- lookups: fuel CO2 ------------------------------------------------------------
    def fuel_parameters(self, fuel: str | Carrier) -> FuelParameters:
        """NCV, carbon content, oxidation rate and per-unit EF of a fuel.

        Raises
        ------
        ecplan.core.errors.FactorNotFoundError
            No fuel CO2 row for the carrier (原煤 needs a coal type; non-fuels have none).
        """
        code = get_carrier(fuel).code
        return self._cached(("fuel_co2", code), lambda: self._fuel_parameters(code))

    def _fuel_parameters(self, fuel: str) -> FuelParameters:
        c = get_carrier(fuel)
        found = self._undated("fuel_co2", c.code)
        if not found:
            hint = ""
            if c.code == "raw_coal":
                hint = "原煤须按煤种（无烟煤、烟煤、褐煤）选择排放参数，或提供实测参数。"
            elif c.dimensions[0] in (Dimension.ELECTRICITY, Dimension.HEAT):
                hint = "电力、热力的排放请按电网或热力排放因子计算。"
            raise FactorNotFoundError(
                "fuel_co2",
                c.code,
                f"没有“{c.name_zh}”的燃料燃烧CO2排放参数（当前参数集：{self._names('fuel_co2')}）。{hint}",
            )
        fs, row = found[0]
        assert isinstance(row, FuelCo2Row)
        ncv_ratio = parse_ratio_unit(row.ncv_unit, "heat", c.dimensions)
        cc_ratio = parse_ratio_unit(row.carbon_content_unit, "carbon", (Dimension.HEAT,))
        ncv = ncv_ratio.canonical(Fraction(row.ncv))
        cc = cc_ratio.canonical(Fraction(row.carbon_content))
        ox = Fraction(row.oxidation_rate)
        ef = ncv * cc * ox * Fraction(44, 12)
        per = CANONICAL_UNITS[ncv_ratio.denominator.dimension]
        return FuelParameters(
            ncv=_row_coefficient(
                fs,
                row,
                name="低位发热量",
                symbol="NCV",
                value=float(ncv),
                unit=f"GJ/{per}",
                published_value=str(row.ncv),
                published_unit=row.ncv_unit,
                key=row.carrier,
            ),
            carbon_content=_row_coefficient(
                fs,
                row,
                name="单位热值含碳量",
                symbol="CC",
                value=float(cc),
                unit="tC/GJ",
                published_value=str(row.carbon_content),
                published_unit=row.carbon_content_unit,
                key=row.carrier,
            ),
            oxidation_rate=_row_coefficient(
                fs,
                row,
                name="碳氧化率",
                symbol="OF",
                value=float(ox),
                unit="1",
                published_value=str(row.oxidation_rate),
                published_unit="1",
                key=row.carrier,
            ),
            ef=_row_coefficient(
                fs,
                row,
                name="单位实物量排放因子",
                symbol="EF",
                value=float(ef),
                unit=f"tCO2/{per}",
                key=row.carrier,
                notes="EF = NCV × CC × OF × 44/12，由本行参数按精确分数计算后取浮点数。"
                + (f" {row.notes}" if row.notes else ""),
            ),
        )

    # --- lookups: dated, regional series ---------------------------------------------
    def _dated(
        self,
        kind: str,
        year: int,
        region: str,
        basis: str | None = None,
        preference: Sequence[str] = (),
    ) -> tuple[FactorSet, _DatedRow]:
        sets = self.active_sets(kind)
        order = {(fs.id, fs.version): i for i, fs in enumerate(sets)}
        region_used = normalise_region(region)
        for reg in region_chain(region_used):
            candidates: list[tuple[FactorSet, _DatedRow]] = []
            for fs in sets:
                for row in fs.rows:
                    if not isinstance(row, _DatedRow):
                        continue
                    if row.region != reg or row.year > year:
                        continue
                    if basis is not None and getattr(row, "basis", None) != basis:
                        continue
                    candidates.append((fs, row))
            if not candidates:
                continue
            best_year = max(r.year for _, r in candidates)
            at_year = [(fs, r) for fs, r in candidates if r.year == best_year]

            def sort_key(item: tuple[FactorSet, _DatedRow]) -> tuple[int, int]:
                fs, r = item
                b = getattr(r, "basis", "")
                pref = preference.index(b) if b in preference else len(preference)
                return (pref, order[(fs.id, fs.version)])

            at_year.sort(key=sort_key)
            return at_year[0]
        raise self._not_found(kind, year, region_used, basis)

    def _not_found(
        self, kind: str, year: int, region: str, basis: str | None
    ) -> FactorNotFoundError:
        chain = region_chain(region)
        years = sorted(
            {
                r.year
                for fs in self.active_sets(kind)
                for r in fs.rows
                if isinstance(r, _DatedRow)
                and r.region in chain
                and (basis is None or getattr(r, "basis", None) == basis)
            }
        )
        what = KIND_LABELS[kind]
        if basis is not None:
            label = GRID_BASIS_LABELS.get(basis, GENERATION_BASIS_LABELS.get(basis, basis))
            what += f"（{label}）"
        have = f"现有年份：{'、'.join(map(str, years))}" if years else "当前没有任何数据"
        where = region if region == "全国" else f"{region}（或全国）"
        return FactorNotFoundError(
            kind,
            basis or kind,
            f"没有{where}{year}年及以前的{what}；{have}。"
            "不会用更晚年份的数值代替：请用 ecplan factors load 载入相应年份的因子集，"
            "或在计算时通过 factor_set 指定。",
            year=year,
            region=region,
        )

    def grid_factor(
        self, year: int, region: str = DEFAULT_REGION, basis: str = "average"
    ) -> Coefficient:
        """Electricity CO2 factor [tCO2/kWh] of a data year and region.

        Parameters
        ----------
        year : int
            Data year of the electricity consumption.
        region : str
            Province, regional grid or 全国 (default 江苏).
        basis : {"average", "excluding_market_non_fossil", "fossil"}
            Published kind: the grid average, the average excluding market-traded non-fossil
            electricity (use with green-power deductions), or fossil generation only.
        """
        return self._cached(
            ("grid_co2", year, normalise_region(region), basis),
            lambda: self._grid_factor(year, region, basis),
        )

    def _grid_factor(self, year: int, region: str, basis: str) -> Coefficient:
        fs, row = self._dated("grid_co2", year, region, basis)
        assert isinstance(row, GridCo2Row)
        ratio = parse_ratio_unit(row.unit, "co2", (Dimension.ELECTRICITY,))
        return _row_coefficient(
            fs,
            row,
            name="电网排放因子",
            symbol="EF_电",
            value=float(ratio.canonical(Fraction(row.value))),
            unit="tCO2/kWh",
            published_value=str(row.value),
            published_unit=row.unit,
            key=row.basis,
            basis=GRID_BASIS_LABELS[row.basis],
            year=row.year,
            region=row.region,
            requested_year=year,
            requested_region=normalise_region(region),
        )

    def heat_factor(self) -> Coefficient:
        """CO2 factor of purchased heat [tCO2/GJ]."""
        sets = self.active_sets("heat_co2")
        for fs in sets:
            for row in fs.rows:
                if isinstance(row, HeatCo2Row):
                    ratio = parse_ratio_unit(row.unit, "co2", (Dimension.HEAT,))
                    return _row_coefficient(
                        fs,
                        row,
                        name="热力排放因子",
                        symbol="EF_热",
                        value=float(ratio.canonical(Fraction(row.value))),
                        unit="tCO2/GJ",
                        published_value=str(row.value),
                        published_unit=row.unit,
                        key="heat",
                    )
        raise FactorNotFoundError(
            "heat_co2", "heat", "没有热力CO2排放因子（未载入 heat_co2 因子集）。"
        )

    def generation_coal_rate(self, year: int, region: str = DEFAULT_REGION) -> Coefficient:
        """Coal rate of electricity for the 等价值 conversion [tce/kWh].

        Within the year and region used, a statistics bureau's published 等价值 coefficient
        is preferred over a gross generation coal rate (发电煤耗), which is preferred over a
        net supply coal rate (供电煤耗); the coefficient's ``basis`` says which one was used.
        """
        return self._cached(
            ("generation_coal_rate", year, normalise_region(region)),
            lambda: self._generation_coal_rate(year, region),
        )

    def _generation_coal_rate(self, year: int, region: str) -> Coefficient:
        fs, row = self._dated(
            "generation_coal_rate", year, region, preference=GENERATION_BASIS_PREFERENCE
        )
        assert isinstance(row, GenerationCoalRateRow)
        ratio = parse_ratio_unit(row.unit, "standard_coal", (Dimension.ELECTRICITY,))
        basis = GENERATION_BASIS_LABELS[row.basis] + (f"，{row.scope}" if row.scope else "")
        return _row_coefficient(
            fs,
            row,
            name="电力等价值折标系数（煤耗率）",
            symbol="k_等价",
            value=float(ratio.canonical(Fraction(row.value))),
            unit="tce/kWh",
            published_value=str(row.value),
            published_unit=row.unit,
            key=row.basis,
            basis=basis,
            year=row.year,
            region=row.region,
            requested_year=year,
            requested_region=normalise_region(region),
        )

    def heat_supply_coal_rate(self, year: int, region: str = DEFAULT_REGION) -> Coefficient:
        """Heat-supply coal rate for the 等价值 conversion of heat [tce/GJ]."""
        fs, row = self._dated("heat_supply_coal_rate", year, region)
        assert isinstance(row, HeatSupplyCoalRateRow)
        ratio = parse_ratio_unit(row.unit, "standard_coal", (Dimension.HEAT,))
        return _row_coefficient(
            fs,
            row,
            name="热力等价值折标系数（供热煤耗率）",
            symbol="k_等价",
            value=float(ratio.canonical(Fraction(row.value))),
            unit="tce/GJ",
            published_value=str(row.value),
            published_unit=row.unit,
            key="heat_supply",
            basis="供热煤耗" + (f"，{row.scope}" if row.scope else ""),
            year=row.year,
            region=row.region,
            requested_year=year,
            requested_region=normalise_region(region),
        )

    # --- benchmarks --------------------------------------------------------------------
    def benchmarks(self, product: str | None = None) -> list[dict[str, object]]:
        """Limit-standard grades and NDRC 标杆/基准 levels as plain rows.

        Parameters
        ----------
        product : str, optional
            Only rows whose product contains this text (``烧碱``, ``PTA``).

        Returns
        -------
        list of dict
            Keys: ``product``, ``variant``, ``indicator``, ``unit``, ``level``, ``value``
            (float or None when no value is confirmed), ``confidence``, ``uncertain``,
            ``document``, ``locator``, ``notes``, ``factor_set_id``, ``factor_set_version``,
            ``row_id``.
        """
        out: list[dict[str, object]] = []
        for fs in self.active_sets("efficiency_benchmark"):
            for row in fs.rows:
                assert isinstance(row, BenchmarkRow)
                if product and product not in row.product:
                    continue
                doc = fs.document_for(row)
                out.append(
                    {
                        "product": row.product,
                        "variant": row.variant,
                        "indicator": row.indicator,
                        "unit": row.unit,
                        "level": row.level,
                        "value": float(row.value) if row.value is not None else None,
                        "confidence": row.confidence,
                        "uncertain": row.confidence == "uncertain",
                        "document": doc.citation,
                        "locator": row.locator,
                        "notes": row.notes,
                        "factor_set_id": fs.id,
                        "factor_set_version": fs.version,
                        "row_id": row.row_id,
                    }
                )
        return out


FactorSource: TypeAlias = "FactorLibrary | FactorSet | str | Sequence[FactorSet | str] | None"
"""What a calculation's ``factor_set=`` accepts.

``None``: the default library. A :class:`FactorLibrary`: used as is. A :class:`FactorSet`,
an ``"id"`` / ``"id@version"`` string, or a sequence of them: the default library with those
sets chosen explicitly (they win their lookups; other versions of their ids are left out).
"""


def library_for(factor_set: FactorSource = None) -> FactorLibrary:
    """Resolve a ``factor_set=`` argument into a library (see :data:`FactorSource`)."""
    if isinstance(factor_set, FactorLibrary):
        return factor_set
    lib = default_library()
    if factor_set is None:
        return lib
    items: Sequence[FactorSet | str] = (
        (factor_set,) if isinstance(factor_set, FactorSet | str) else tuple(factor_set)
    )
    chosen = [lib.get(item) if isinstance(item, str) else item for item in items]
    return lib.with_sets(*chosen)


def default_library() -> FactorLibrary:
    """The shipped sets plus those loaded into ``<data dir>/factor-sets``.

    Cached; the cache is refreshed when a set is added to (or removed from) the data
    directory, so a newly loaded set takes effect without a restart.
    """
    from ecplan.core.factorstore import current_default_library

    return current_default_library()
