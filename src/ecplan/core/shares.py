"""Share indicators of the plan, from a (reduced) regional energy balance.

* 非化石能源消费占比 — non-fossil share of energy consumption. Primary electricity (hydro,
  nuclear, wind, solar, biomass power …) generated locally and the non-fossil part of net
  imported electricity are converted by the generation-coal method (发电煤耗计算法: each kWh
  at the year's coal rate), not at 0.1229 kgce/kWh; other non-fossil energy (solar heat,
  geothermal, biomass fuels) enters at its heat content in tce.
* 煤炭占一次能源消费比重 — coal share of primary energy consumption.
* 电煤占煤炭消费比重 — coal burned for power (and, by default, heat supply) as a share of
  coal consumption.
* 非化石能源发电量占比 — non-fossil share of local generation.

The balance is given in canonical units (tce, kWh); importers parse units at the edge with
:func:`ecplan.core.units.parse_unit` or :func:`ecplan.core.accounting.to_tce`.

References
----------
国家统计局 能源平衡表编制说明（一次电力按发电煤耗计算法折算）; accounting-standards §7.1;
policy-mechanics §4 (indicator definitions).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from ecplan.core.accounting import tce_coefficient
from ecplan.core.carriers import get_carrier
from ecplan.core.errors import InputError
from ecplan.core.factors import FactorSource
from ecplan.core.provenance import Calculation, Quantity
from ecplan.core.regions import DEFAULT_REGION
from ecplan.core.units import Dimension

__all__ = [
    "EnergyBalance",
    "EnergyShares",
    "coal_share",
    "coal_share_result",
    "energy_shares",
    "non_fossil_generation_share",
    "non_fossil_generation_share_result",
    "non_fossil_share",
    "non_fossil_share_result",
    "power_coal_share",
    "power_coal_share_result",
]

REF_NBS: Final = "国家统计局 能源平衡表：一次电力按发电煤耗计算法折算标准煤"


@dataclass(frozen=True)
class EnergyBalance:
    """The figures of a regional energy balance the share indicators need.

    Attributes
    ----------
    year : int
        Data year (selects the coal rate for the generation-coal method).
    total_energy_tce : float
        Total energy consumption, statistical (等价值) basis [tce].
    coal_tce : float
        Coal consumption [tce].
    coal_for_power_tce : float
        Coal burned for power generation [tce].
    coal_for_heat_tce : float
        Coal burned for heat supply [tce].
    fossil_generation_kwh : float
        Local generation from fossil fuels (thermal) [kWh].
    non_fossil_generation_kwh : mapping of str to float
        Local non-fossil generation by carrier (``水电``, ``风电``, ``光伏``, ``核电``,
        ``生物质能`` …) [kWh].
    net_imported_electricity_kwh : float
        Net electricity imported into the region (调入 − 调出) [kWh].
    net_imported_non_fossil_kwh : float
        Non-fossil part of the net import (green power, allocated shares) [kWh].
    other_non_fossil_tce : float
        Non-electric non-fossil energy (solar heat, geothermal, biomass fuels) [tce].
    region : str
        Region of the coal-rate lookup (default 江苏, falling back to 全国).
    """

    year: int
    total_energy_tce: float
    coal_tce: float = 0.0
    coal_for_power_tce: float = 0.0
    coal_for_heat_tce: float = 0.0
    fossil_generation_kwh: float = 0.0
    non_fossil_generation_kwh: Mapping[str, float] = field(default_factory=dict)
    net_imported_electricity_kwh: float = 0.0
    net_imported_non_fossil_kwh: float = 0.0
    other_non_fossil_tce: float = 0.0
    region: str = DEFAULT_REGION


def _num(name: str, value: Any, *, signed: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(name, value, "应为数字")
    v = float(value)
    if not math.isfinite(v):
        raise InputError(name, value, "应为有限数字")
    if not signed and v < 0:
        raise InputError(name, value, "不能为负数")
    return v


def _share(name: str, numerator: float, denominator: float, what: str) -> float:
    if denominator <= 0:
        raise InputError(name, denominator, f"{what}应大于 0")
    return numerator / denominator


def _generation(balance: EnergyBalance) -> tuple[dict[str, float], float]:
    by_carrier: dict[str, float] = {}
    for name, kwh in balance.non_fossil_generation_kwh.items():
        c = get_carrier(name)
        if not c.is_non_fossil or Dimension.ELECTRICITY not in c.dimensions:
            raise InputError(
                "non_fossil_generation_kwh", name, f"{c.name_zh}不是非化石能源发电品种"
            )
        by_carrier[c.code] = by_carrier.get(c.code, 0.0) + _num(
            f"non_fossil_generation_kwh[{name}]", kwh
        )
    return by_carrier, math.fsum(by_carrier.values())


def non_fossil_share_result(
    balance: EnergyBalance,
    *,
    generation_coal_rate: float | None = None,
    factor_set: FactorSource = None,
) -> Calculation:
    """Non-fossil share of energy consumption (非化石能源消费占比) [fraction].

    ``S = ((G_非化石 + M_非化石) × k_发电煤耗 + E_其他非化石) ÷ E_总``, where G is local
    non-fossil generation, M the non-fossil part of net imported electricity [kWh], k the
    coal rate of the year (or ``generation_coal_rate`` [gce/kWh]), E in tce.

    Parameters
    ----------
    balance : EnergyBalance
    generation_coal_rate : float, optional
        [gce/kWh]; default: the series of the year and region (recorded with its basis).
    factor_set : FactorSource, optional

    References
    ----------
    国家统计局 能源平衡表（发电煤耗计算法）; accounting-standards §7.1.
    """
    total = _num("total_energy_tce", balance.total_energy_tce)
    by_carrier, local = _generation(balance)
    imported = _num("net_imported_non_fossil_kwh", balance.net_imported_non_fossil_kwh, signed=True)
    other = _num("other_non_fossil_tce", balance.other_non_fossil_tce)
    k = tce_coefficient(
        "电力",
        Dimension.ELECTRICITY,
        basis="equivalent",
        year=balance.year,
        region=balance.region,
        generation_coal_rate=generation_coal_rate,
        factor_set=factor_set,
    )
    electricity_tce = (local + imported) * k.value
    numerator = electricity_tce + other
    value = _share("total_energy_tce", numerator, total, "能源消费总量")
    inputs = [
        Quantity(
            name=f"non_fossil_generation_kwh[{code}]",
            label=f"本地{get_carrier(code).name_zh}发电量",
            value=kwh,
            unit="kWh",
        )
        for code, kwh in by_carrier.items()
    ]
    inputs += [
        Quantity(
            name="net_imported_non_fossil_kwh",
            label="净调入电量中的非化石能源电量",
            value=imported,
            unit="kWh",
        ),
        Quantity(
            name="other_non_fossil_tce", label="其他非化石能源（非电）", value=other, unit="tce"
        ),
        Quantity(name="total_energy_tce", label="能源消费总量（等价值）", value=total, unit="tce"),
    ]
    return Calculation(
        value=value,
        unit="1",
        name="non_fossil_share",
        label=f"{balance.year}年非化石能源消费占比",
        formula="S = ((G_非化石 + M_非化石) × k_等价 + E_其他非化石) ÷ E_总",
        method="一次电力按发电煤耗计算法折算（不按 0.1229 kgce/kWh 电热当量）",
        inputs=tuple(inputs),
        coefficients=k.coefficients,
        notes=(
            f"非化石能源电力折标 {electricity_tce:.6g} tce，合计非化石能源 {numerator:.6g} tce。",
            *k.notes,
        ),
        references=(REF_NBS,),
    )


def non_fossil_share(
    balance: EnergyBalance,
    *,
    generation_coal_rate: float | None = None,
    factor_set: FactorSource = None,
) -> float:
    """Non-fossil share of energy consumption [fraction]; see :func:`non_fossil_share_result`.

    References
    ----------
    国家统计局 能源平衡表（发电煤耗计算法）.
    """
    return non_fossil_share_result(
        balance, generation_coal_rate=generation_coal_rate, factor_set=factor_set
    ).value


def coal_share_result(balance: EnergyBalance) -> Calculation:
    """Coal share of primary energy consumption (煤炭占一次能源消费比重) [fraction].

    ``S = E_煤炭 ÷ E_总`` (both in tce, statistical basis).

    References
    ----------
    policy-mechanics §4（煤炭占一次能源消费比重）.
    """
    coal = _num("coal_tce", balance.coal_tce)
    total = _num("total_energy_tce", balance.total_energy_tce)
    return Calculation(
        value=_share("total_energy_tce", coal, total, "能源消费总量"),
        unit="1",
        name="coal_share",
        label=f"{balance.year}年煤炭占一次能源消费比重",
        formula="S = E_煤炭 ÷ E_总",
        inputs=(
            Quantity(name="coal_tce", label="煤炭消费量（折标）", value=coal, unit="tce"),
            Quantity(name="total_energy_tce", label="能源消费总量", value=total, unit="tce"),
        ),
        references=("policy-mechanics §4 煤炭占一次能源消费比重",),
    )


def coal_share(balance: EnergyBalance) -> float:
    """Coal share of primary energy consumption [fraction].

    References
    ----------
    policy-mechanics §4.
    """
    return coal_share_result(balance).value


def power_coal_share_result(
    balance: EnergyBalance, *, include_heat_supply: bool = True
) -> Calculation:
    """Power coal as a share of coal consumption (电煤占煤炭消费比重) [fraction].

    ``S = (C_发电 + C_供热) ÷ C_煤炭``; heat supply counts as power coal by default (the
    usual 发电供热用煤 reading, which the reference marks as unconfirmed), pass
    ``include_heat_supply=False`` for generation only.

    References
    ----------
    policy-mechanics §4（电煤占煤炭消费比重）.
    """
    coal = _num("coal_tce", balance.coal_tce)
    power = _num("coal_for_power_tce", balance.coal_for_power_tce)
    heat = _num("coal_for_heat_tce", balance.coal_for_heat_tce)
    numerator = power + heat if include_heat_supply else power
    if numerator > coal * (1 + 1e-9):
        raise InputError("coal_for_power_tce", numerator, "电煤不能多于煤炭消费量")
    return Calculation(
        value=_share("coal_tce", numerator, coal, "煤炭消费量"),
        unit="1",
        name="power_coal_share",
        label=f"{balance.year}年电煤占煤炭消费比重",
        formula="S = (C_发电 + C_供热) ÷ C_煤炭" if include_heat_supply else "S = C_发电 ÷ C_煤炭",
        inputs=(
            Quantity(name="coal_for_power_tce", label="发电用煤", value=power, unit="tce"),
            Quantity(name="coal_for_heat_tce", label="供热用煤", value=heat, unit="tce"),
            Quantity(name="coal_tce", label="煤炭消费量", value=coal, unit="tce"),
        ),
        notes=(
            "电煤含供热用煤（发电供热用煤的通常口径，未经官方文本确认）。"
            if include_heat_supply
            else "电煤只计发电用煤。",
        ),
        references=("policy-mechanics §4 电煤占煤炭消费比重",),
    )


def power_coal_share(balance: EnergyBalance, *, include_heat_supply: bool = True) -> float:
    """Power coal as a share of coal consumption [fraction].

    References
    ----------
    policy-mechanics §4.
    """
    return power_coal_share_result(balance, include_heat_supply=include_heat_supply).value


def non_fossil_generation_share_result(balance: EnergyBalance) -> Calculation:
    """Non-fossil share of local generation (非化石能源发电量占比) [fraction].

    ``S = G_非化石 ÷ (G_化石 + G_非化石)`` (local generation basis).

    References
    ----------
    policy-mechanics §4（非化石能源发电量占比）.
    """
    by_carrier, non_fossil = _generation(balance)
    fossil = _num("fossil_generation_kwh", balance.fossil_generation_kwh)
    total = fossil + non_fossil
    return Calculation(
        value=_share("generation_kwh", non_fossil, total, "发电量"),
        unit="1",
        name="non_fossil_generation_share",
        label=f"{balance.year}年非化石能源发电量占比",
        formula="S = G_非化石 ÷ (G_化石 + G_非化石)",
        inputs=(
            Quantity(
                name="fossil_generation_kwh", label="化石能源发电量", value=fossil, unit="kWh"
            ),
            *(
                Quantity(
                    name=f"non_fossil_generation_kwh[{code}]",
                    label=f"{get_carrier(code).name_zh}发电量",
                    value=kwh,
                    unit="kWh",
                )
                for code, kwh in by_carrier.items()
            ),
        ),
        references=("policy-mechanics §4 非化石能源发电量占比",),
    )


def non_fossil_generation_share(balance: EnergyBalance) -> float:
    """Non-fossil share of local generation [fraction].

    References
    ----------
    policy-mechanics §4.
    """
    return non_fossil_generation_share_result(balance).value


@dataclass(frozen=True)
class EnergyShares:
    """The four share indicators of a balance, each a :class:`Calculation`."""

    non_fossil_share: Calculation
    coal_share: Calculation
    power_coal_share: Calculation
    non_fossil_generation_share: Calculation

    def to_dict(self) -> dict[str, Any]:
        return {
            "non_fossil_share": self.non_fossil_share.to_dict(),
            "coal_share": self.coal_share.to_dict(),
            "power_coal_share": self.power_coal_share.to_dict(),
            "non_fossil_generation_share": self.non_fossil_generation_share.to_dict(),
        }


def energy_shares(
    balance: EnergyBalance,
    *,
    generation_coal_rate: float | None = None,
    include_heat_supply: bool = True,
    factor_set: FactorSource = None,
) -> EnergyShares:
    """All four share indicators of the plan from one balance.

    References
    ----------
    国家统计局 能源平衡表; policy-mechanics §4.
    """
    return EnergyShares(
        non_fossil_share=non_fossil_share_result(
            balance, generation_coal_rate=generation_coal_rate, factor_set=factor_set
        ),
        coal_share=coal_share_result(balance),
        power_coal_share=power_coal_share_result(balance, include_heat_supply=include_heat_supply),
        non_fossil_generation_share=non_fossil_generation_share_result(balance),
    )
