"""Organisation registries: the departments, bodies and areas a plan may name.

A registry file (YAML, see ``ecplan/plans/data/*/organisations.yaml``) lists a region's
organisations with their aliases and kind, and its county-level areas and functional zones
with the area each zone lies in. Plans name organisations and areas by code, name or alias;
:meth:`Registry.resolve_organisation` is the one place that maps a name to a code, so an
unknown name is refused everywhere the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ecplan.core.datafile import load_yaml_model

OrganisationKind = Literal["department", "party_office", "upper_level", "enterprise_like"]
AreaKind = Literal["city", "district", "county", "county_city", "functional_zone"]
Confidence = Literal["verified-from-source", "from-secondary-source", "uncertain"]

ORGANISATION_KIND_LABELS: dict[str, str] = {
    "department": "政府部门",
    "party_office": "市委工作机关",
    "upper_level": "上级或垂直管理单位",
    "enterprise_like": "企业类单位",
}
AREA_KIND_LABELS: dict[str, str] = {
    "city": "设区市",
    "district": "区",
    "county": "县",
    "county_city": "县级市",
    "functional_zone": "功能区",
}
COUNTY_LEVEL_KINDS = frozenset({"district", "county", "county_city"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RegionInfo(_Strict):
    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    province: str = ""
    source: str = ""


class OrganisationEntry(_Strict):
    code: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1)
    full_name: str = ""
    aliases: tuple[str, ...] = ()
    kind: OrganisationKind
    plan_office: bool = False


class AreaEntry(_Strict):
    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    kind: AreaKind
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    parent_confidence: Confidence = "verified-from-source"

    @property
    def is_county_level(self) -> bool:
        return self.kind in COUNTY_LEVEL_KINDS


class Registry(_Strict):
    """A region's organisations and areas (validated, names unique)."""

    schema_version: Literal[1]
    region: RegionInfo
    organisations: tuple[OrganisationEntry, ...]
    areas: tuple[AreaEntry, ...]

    @model_validator(mode="after")
    def _check(self) -> Registry:
        seen: dict[str, str] = {}
        for org in self.organisations:
            for name in (org.code, org.name, org.full_name, *org.aliases):
                if not name:
                    continue
                if name in seen and seen[name] != org.code:
                    raise ValueError(f"名称“{name}”同时属于 {seen[name]} 和 {org.code}，无法区分")
                seen[name] = org.code
        offices = [o.code for o in self.organisations if o.plan_office]
        if len(offices) > 1:
            raise ValueError(f"只能有一个计划管理部门（plan_office），现有：{', '.join(offices)}")
        codes = {a.code for a in self.areas}
        cities = [a for a in self.areas if a.kind == "city"]
        if len(cities) != 1:
            raise ValueError("areas 中应有且只有一个 kind: city 的设区市")
        for area in self.areas:
            if area.kind == "city":
                if area.parent is not None:
                    raise ValueError(f"设区市 {area.name} 不应有 parent")
                continue
            if area.parent is None or area.parent not in codes:
                raise ValueError(f"地区 {area.name} 的 parent “{area.parent}” 不在 areas 中")
            parent = next(a for a in self.areas if a.code == area.parent)
            if area.kind == "functional_zone" and parent.kind not in COUNTY_LEVEL_KINDS:
                raise ValueError(f"功能区 {area.name} 的 parent 应为县级地区（区、县、县级市）")
            if area.is_county_level and parent.kind != "city":
                raise ValueError(f"县级地区 {area.name} 的 parent 应为设区市")
        return self

    # -- look-ups --------------------------------------------------------------------
    def resolve_organisation(self, name: str) -> OrganisationEntry | None:
        """Find an organisation by code, name, full name or alias (exact match)."""
        key = name.strip()
        for org in self.organisations:
            if key in (org.code, org.name, org.full_name, *org.aliases):
                return org
        return None

    def resolve_area(self, name: str) -> AreaEntry | None:
        key = name.strip()
        for area in self.areas:
            if key in (area.code, area.name, *area.aliases):
                return area
        return None

    @property
    def plan_office(self) -> OrganisationEntry | None:
        return next((o for o in self.organisations if o.plan_office), None)

    @property
    def county_level_areas(self) -> tuple[AreaEntry, ...]:
        return tuple(a for a in self.areas if a.is_county_level)


def load_registry(path: str | Path) -> Registry:
    """Load and validate a registry file; raises :class:`ecplan.core.datafile.DataFileError`."""
    return load_yaml_model(path, Registry)
