"""Organisations the platform serves: departments and bodies, areas, enterprises.

Departments and areas come from a region's registry file (``ecplan.core.registry``) and are
synchronised by :func:`ecplan.organisations.services.sync_registry`. Enterprises are entered by
the plan office or imported (data-collection issue).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from ecplan.core.registry import AREA_KIND_LABELS, COUNTY_LEVEL_KINDS, ORGANISATION_KIND_LABELS


class Region(models.Model):
    """A prefecture-level city whose plan the platform runs (扬州市)."""

    code = models.CharField("行政区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=50)
    province = models.CharField("所属省份", max_length=50, blank=True)

    class Meta:
        verbose_name = "设区市"
        verbose_name_plural = "设区市"

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A department or body named by a plan (市发改委, 市工信局, 市供电公司 …)."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", ORGANISATION_KIND_LABELS["department"]
        PARTY_OFFICE = "party_office", ORGANISATION_KIND_LABELS["party_office"]
        UPPER_LEVEL = "upper_level", ORGANISATION_KIND_LABELS["upper_level"]
        ENTERPRISE_LIKE = "enterprise_like", ORGANISATION_KIND_LABELS["enterprise_like"]

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organisations")
    code = models.SlugField("代码", max_length=60)
    name = models.CharField("简称", max_length=60)
    full_name = models.CharField("全称", max_length=120, blank=True)
    aliases = models.JSONField("别名", default=list, blank=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    is_plan_office = models.BooleanField("计划管理部门", default=False)

    class Meta:
        verbose_name = "部门与单位"
        verbose_name_plural = "部门与单位"
        ordering = ["region", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="organisation_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class AreaQuerySet(models.QuerySet["Area"]):
    def county_level(self) -> AreaQuerySet:
        return self.filter(kind__in=COUNTY_LEVEL_KINDS)

    def zones(self) -> AreaQuerySet:
        return self.filter(kind=Area.Kind.FUNCTIONAL_ZONE)


class Area(models.Model):
    """The city, a county-level area (区/县/县级市) or a functional zone inside one.

    A zone's figures belong to the county-level area it lies in (``parent``): totals add
    county-level areas only, never zones.
    """

    class Kind(models.TextChoices):
        CITY = "city", AREA_KIND_LABELS["city"]
        DISTRICT = "district", AREA_KIND_LABELS["district"]
        COUNTY = "county", AREA_KIND_LABELS["county"]
        COUNTY_CITY = "county_city", AREA_KIND_LABELS["county_city"]
        FUNCTIONAL_ZONE = "functional_zone", AREA_KIND_LABELS["functional_zone"]

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="areas")
    code = models.CharField("代码", max_length=30)
    name = models.CharField("名称", max_length=60)
    aliases = models.JSONField("别名", default=list, blank=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="所在地区",
    )
    parent_confidence = models.CharField("所属关系可信度", max_length=30, blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "地区"
        verbose_name_plural = "地区"
        ordering = ["region", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="area_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_county_level(self) -> bool:
        return self.kind in COUNTY_LEVEL_KINDS

    @property
    def county_level_area(self) -> Area | None:
        """The county-level area whose totals include this one (itself, or a zone's parent)."""
        if self.is_county_level:
            return self
        if self.kind == self.Kind.FUNCTIONAL_ZONE:
            return self.parent
        return None


class EnterpriseQuerySet(models.QuerySet["Enterprise"]):
    def in_area(self, area: Area) -> EnterpriseQuerySet:
        """Enterprises of an area; for a county-level area this includes its zones."""
        if area.kind == Area.Kind.CITY:
            return self.filter(area__region=area.region)
        return self.filter(Q(area=area) | Q(zone=area))


class Enterprise(models.Model):
    """A key energy-using enterprise (重点用能单位) that reports to the platform."""

    class KeyUnitClass(models.TextChoices):
        OVER_10K = "over_10k", "年综合能耗1万吨标准煤及以上"
        FROM_5K = "5k_to_10k", "年综合能耗5千至1万吨标准煤"
        OTHER = "other", "其他"

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="enterprises")
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("名称", max_length=200)
    industry_code = models.CharField("行业代码（GB/T 4754）", max_length=10, blank=True)
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="enterprises",
        verbose_name="所在县级地区",
        limit_choices_to={"kind__in": sorted(COUNTY_LEVEL_KINDS)},
    )
    zone = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="zone_enterprises",
        null=True,
        blank=True,
        verbose_name="所在功能区",
        limit_choices_to={"kind": "functional_zone"},
    )
    key_unit_class = models.CharField(
        "重点用能单位类别", max_length=20, choices=KeyUnitClass.choices, default=KeyUnitClass.OTHER
    )
    budget_managed = models.BooleanField("实行能耗预算管理（钢铁、化工等高耗能）", default=False)
    is_demo = models.BooleanField("演示数据", default=False)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = "重点用能企业"
        verbose_name_plural = "重点用能企业"
        ordering = ["credit_code"]

    def __str__(self) -> str:
        return self.name
