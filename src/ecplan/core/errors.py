"""Errors raised by the accounting core, with Chinese messages and structured fields.

Every error a user can cause (an unknown unit, a carrier the platform does not know, a factor
that is missing for a year) is an :class:`AccountingError`. The message is Chinese and says
what is wrong and how to fix it; the attributes carry the same facts as data, so an importer
can place the error at a sheet, row and column of its own (:meth:`AccountingError.at`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "AccountingError",
    "CoefficientRequiredError",
    "FactorNotFoundError",
    "FactorSetError",
    "FactorSetProblem",
    "InputError",
    "UnitError",
    "UnknownCarrierError",
    "UnknownRegionError",
]


class AccountingError(ValueError):
    """Base class of the core's user-facing errors.

    Attributes
    ----------
    code : str
        Stable machine-readable error code (``unit_unknown``, ``factor_not_found`` …).
    message : str
        The Chinese message without location.
    location : str
        Where the bad value came from (set by :meth:`at`; empty when unknown).
    """

    code = "accounting_error"

    def __init__(self, message: str) -> None:
        self.message = message
        self.location = ""
        super().__init__(message)

    def at(self, location: str) -> AccountingError:
        """Attach a location (``"能源消费表.xlsx 第 12 行 C 列"``) and return ``self``.

        The message becomes ``"<location>：<message>"``.
        """
        self.location = location
        self.args = (f"{location}：{self.message}" if location else self.message,)
        return self

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else self.message


class InputError(AccountingError):
    """A numeric input is out of its domain (negative energy, a reduction of 100 % …).

    Attributes
    ----------
    field : str
        Name of the argument or field (``annual_reductions[2]``).
    value : object
        The offending value.
    """

    code = "input_invalid"

    def __init__(self, field: str, value: object, problem: str) -> None:
        self.field = field
        self.value = value
        super().__init__(f"输入“{field}”的值 {value!r} 无效：{problem}")


class UnitError(AccountingError):
    """A unit is unknown, or does not fit the energy carrier it was given for.

    Attributes
    ----------
    unit : str
        The unit text as given.
    carrier : str or None
        Code of the carrier (``raw_coal``), if one was involved.
    carrier_name : str or None
        Chinese name of the carrier (``原煤``).
    accepted : tuple of str
        Units accepted for the carrier (or all known units when no carrier was given).
    reason : {"unknown", "mismatch", "density"}
        ``unknown``: not a unit the platform knows; ``mismatch``: a known unit of the wrong
        dimension (立方米 for 原煤); ``density``: a liquid volume (升) that needs the fuel's
        density, which is not a unit conversion.
    """

    code = "unit_invalid"

    def __init__(
        self,
        unit: str,
        *,
        reason: str,
        accepted: Sequence[str],
        carrier: str | None = None,
        carrier_name: str | None = None,
        hint: str = "",
    ) -> None:
        self.unit = unit
        self.reason = reason
        self.accepted = tuple(accepted)
        self.carrier = carrier
        self.carrier_name = carrier_name
        who = f"（能源品种：{carrier_name}）" if carrier_name else ""
        listing = "、".join(self.accepted)
        if reason == "unknown":
            text = f"无法识别的计量单位“{unit}”{who}。可用单位：{listing}。"
        elif reason == "density":
            text = (
                f"计量单位“{unit}”是液体体积，不能直接换算{who}：请先按实测密度换算为质量"
                f"（吨或千克）再填报。可用单位：{listing}。"
            )
        else:
            target = f"不适用于{carrier_name}" if carrier_name else "在此处不适用"
            text = f"计量单位“{unit}”{target}。可用单位：{listing}。"
        if hint:
            text += hint
        super().__init__(text)


class UnknownCarrierError(AccountingError):
    """An energy carrier name or code the catalogue does not know.

    Attributes
    ----------
    name : str
        The name as given.
    suggestions : tuple of str
        Close matches (Chinese names) from the catalogue, possibly empty.
    """

    code = "carrier_unknown"

    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        text = f"未知的能源品种“{name}”。"
        if self.suggestions:
            text += f"是否是：{'、'.join(self.suggestions)}？"
        text += "可用品种见 docs/accounting.md 的能源品种表（或运行 ecplan factors list）。"
        super().__init__(text)


class UnknownRegionError(AccountingError):
    """A region name that is neither 全国, a regional grid nor a province-level division."""

    code = "region_unknown"

    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        self.known = tuple(known)
        super().__init__(
            f"未知的地区“{name}”。可用地区：{'、'.join(self.known)}（可省略“省”“市”“自治区”）。"
        )


class FactorNotFoundError(AccountingError):
    """No factor of the requested kind exists for the carrier / year / region.

    Attributes
    ----------
    kind : str
        Factor kind (``grid_co2``, ``conversion`` …).
    key : str
        What was looked up (carrier code, grid basis …).
    year, region : int or None, str or None
        The requested year and region, if the kind is dated / regional.
    """

    code = "factor_not_found"

    def __init__(
        self,
        kind: str,
        key: str,
        message: str,
        *,
        year: int | None = None,
        region: str | None = None,
    ) -> None:
        self.kind = kind
        self.key = key
        self.year = year
        self.region = region
        super().__init__(message)


class CoefficientRequiredError(AccountingError):
    """The platform ships no default coefficient: the caller must supply one.

    Raised for carriers whose coefficient the shipped factor sets leave empty because the
    sources give only a range or no value at all (煤泥, 转炉煤气, 新水 — docs/factors.md),
    so that no value is silently picked.

    Attributes
    ----------
    carrier : str
        Carrier code.
    alternatives : str
        The candidate values found in the sources, for the message and for display.
    """

    code = "coefficient_required"

    def __init__(self, carrier: str, carrier_name: str, alternatives: str, notes: str) -> None:
        self.carrier = carrier
        self.carrier_name = carrier_name
        self.alternatives = alternatives
        text = (
            f"“{carrier_name}”没有可直接使用的折标准煤系数：{notes}"
            f"{'（资料中的候选值：' + alternatives + '）' if alternatives else ''}。"
            "请填报实测低位发热量或明确的折标系数，或由管理员用 ecplan factors load "
            "载入经统计部门确认的系数集。"
        )
        super().__init__(text)


@dataclass(frozen=True)
class FactorSetProblem:
    """One problem in a factor-set file: where it is and what is wrong (Chinese)."""

    file: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" 第 {self.row} 行"
        if self.column:
            where += f" “{self.column}”列" if self.row is not None else f" {self.column}"
        return f"{where}：{self.message}"


class FactorSetError(AccountingError):
    """A factor-set file is invalid, or storing it would change an existing set.

    Attributes
    ----------
    problems : tuple of FactorSetProblem
        Every problem found (file, row, column, Chinese message).
    """

    code = "factor_set_invalid"

    def __init__(self, problems: Sequence[FactorSetProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
