"""Organisations the platform serves: departments and bodies, areas, enterprises.

Departments and areas come from a region's registry file (``ecplan.core.registry``) and are
synchronised by :func:`ecplan.organisations.services.sync_registry`. Enterprises are entered by
the plan office or imported (data-collection issue).
"""

from __future__ import annotations

import datetime as dt

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


class Installation(models.Model):
    """An installation of an enterprise whose capacity and data the plan's indicators need.

    One table for every kind, with the fields each kind uses (see ``docs/data-collection.md``):

    ================= ========================================================================
    kind              fields
    ================= ========================================================================
    production_unit   ``product`` (PTA, 烧碱, 粗钢 …), ``variant`` (烧碱: 液碱≥30 % / 液碱≥45 % /
                      固碱≥98 %; 粗钢: 长流程 / 电炉), ``capacity_t_per_a`` (t/a; 烧碱 on 折百 t)
    data_centre       ``it_capacity_kw``, ``dc_status`` (新建 / 改扩建 / 存量)
    plant             ``plant_type`` (发电 / 热电联产 / 供热), ``capacity_mw``, ``fuel``
    generating_unit   ``parent`` (its plant), ``capacity_mw``, ``fuel``
    boiler            ``evaporation_t_per_h`` (蒸吨/小时), ``fuel``; ``parent`` when in a plant
    ================= ========================================================================

    Every kind has ``commissioned_on`` and ``closed_on`` (a closed installation keeps its
    history). ``code`` identifies the installation inside its enterprise (``PTA-1``) and is
    what report files use.
    """

    class Kind(models.TextChoices):
        PRODUCTION_UNIT = "production_unit", "生产装置"
        DATA_CENTRE = "data_centre", "数据中心"
        PLANT = "plant", "电厂或热电厂"
        GENERATING_UNIT = "generating_unit", "发电机组"
        BOILER = "boiler", "锅炉"

    class Product(models.TextChoices):
        PTA = "pta", "精对苯二甲酸（PTA）"
        CAUSTIC_SODA = "caustic_soda", "烧碱"
        CRUDE_STEEL = "crude_steel", "粗钢"
        OTHER = "other", "其他产品"

    class Variant(models.TextChoices):
        LIQUID_30 = "liquid_30", "离子膜法液碱≥30%"
        LIQUID_45 = "liquid_45", "离子膜法液碱≥45%"
        SOLID_98 = "solid_98", "离子膜法固碱≥98%"
        BF_BOF = "bf_bof", "高炉—转炉长流程"
        EAF = "eaf", "电炉短流程"

    class DataCentreStatus(models.TextChoices):
        NEW = "new", "新建"
        EXPANDED = "expanded", "改扩建"
        EXISTING = "existing", "存量"

    class PlantType(models.TextChoices):
        POWER = "power", "发电厂"
        CHP = "chp", "热电联产"
        HEAT = "heat", "供热厂"

    class Fuel(models.TextChoices):
        COAL = "coal", "煤炭"
        GAS = "gas", "天然气"
        OIL = "oil", "油品"
        BIOMASS = "biomass", "生物质"
        WASTE = "waste", "垃圾焚烧"
        SOLAR = "solar", "太阳能"
        WIND = "wind", "风能"
        HYDRO = "hydro", "水能"
        NUCLEAR = "nuclear", "核能"
        OTHER = "other", "其他"

    #: product → the variants it may have (a product not listed has none)
    PRODUCT_VARIANTS = {
        "caustic_soda": ("liquid_30", "liquid_45", "solid_98"),
        "crude_steel": ("bf_bof", "eaf"),
    }

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="installations",
        verbose_name="所属企业",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="所属电厂",
        help_text="发电机组、电厂锅炉所属的电厂或热电厂",
    )
    code = models.CharField(
        "装置编号", max_length=40, help_text="企业内唯一，如 PTA-1；报表文件以此识别装置"
    )
    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    product = models.CharField("产品", max_length=20, choices=Product.choices, blank=True)
    variant = models.CharField("品种或工艺", max_length=20, choices=Variant.choices, blank=True)
    capacity_t_per_a = models.DecimalField(
        "设计产能（吨/年）",
        max_digits=24,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="生产装置；烧碱按折百吨计",
    )
    it_capacity_kw = models.DecimalField(
        "IT设备设计容量（千瓦）", max_digits=24, decimal_places=6, null=True, blank=True
    )
    dc_status = models.CharField(
        "数据中心建设性质", max_length=20, choices=DataCentreStatus.choices, blank=True
    )
    plant_type = models.CharField("电厂类型", max_length=20, choices=PlantType.choices, blank=True)
    capacity_mw = models.DecimalField(
        "装机容量（兆瓦）", max_digits=24, decimal_places=6, null=True, blank=True
    )
    evaporation_t_per_h = models.DecimalField(
        "额定蒸发量（蒸吨/小时）", max_digits=24, decimal_places=6, null=True, blank=True
    )
    fuel = models.CharField("燃料或能源", max_length=20, choices=Fuel.choices, blank=True)
    commissioned_on = models.DateField("投产日期", null=True, blank=True)
    closed_on = models.DateField("关停日期", null=True, blank=True)
    notes = models.TextField("备注", blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "用能装置"
        verbose_name_plural = "用能装置"
        ordering = ["enterprise", "code"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "code"], name="installation_unique_code"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(commissioned_on__isnull=True)
                | Q(closed_on__gte=models.F("commissioned_on")),
                name="installation_closed_after_commissioned",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def product_label(self) -> str:
        """``烧碱（离子膜法液碱≥30%）``, ``精对苯二甲酸（PTA）`` or empty."""
        if not self.product:
            return ""
        label = self.get_product_display()
        return f"{label}（{self.get_variant_display()}）" if self.variant else label

    def is_operating(self, on: dt.date) -> bool:
        """Commissioned on or before ``on`` and not closed before it."""
        if self.commissioned_on is not None and self.commissioned_on > on:
            return False
        return self.closed_on is None or self.closed_on > on

    def kind_problems(self) -> list[tuple[str, str]]:
        """What does not fit the kind, as ``(field, Chinese message)`` pairs (empty: fine).

        Used by :meth:`clean` (forms, admin) and by the services that create installations
        from records, so that a page and an import refuse the same things.
        """
        problems: list[tuple[str, str]] = []
        kind = self.kind
        uses_by_kind: dict[str, set[str]] = {
            self.Kind.PRODUCTION_UNIT: {"product", "variant", "capacity_t_per_a"},
            self.Kind.DATA_CENTRE: {"it_capacity_kw", "dc_status"},
            self.Kind.PLANT: {"plant_type", "capacity_mw", "fuel"},
            self.Kind.GENERATING_UNIT: {"capacity_mw", "fuel"},
            self.Kind.BOILER: {"evaporation_t_per_h", "fuel"},
        }
        uses = uses_by_kind.get(kind, set())
        labels = {f.name: str(f.verbose_name) for f in self._meta.get_fields() if f.concrete}
        for name in ("product", "variant", "capacity_t_per_a", "it_capacity_kw", "dc_status",
                     "plant_type", "capacity_mw", "evaporation_t_per_h", "fuel"):  # fmt: skip
            value = getattr(self, name)
            if name not in uses and value not in (None, ""):
                problems.append(
                    (name, f"“{labels[name]}”不适用于{self.get_kind_display()}，请留空。")
                )
        if kind == self.Kind.PRODUCTION_UNIT:
            if not self.product:
                problems.append(("product", "生产装置须填写产品。"))
            allowed = self.PRODUCT_VARIANTS.get(self.product, ())
            if allowed and self.variant not in allowed:
                names = "、".join(self.Variant(v).label for v in allowed)
                problems.append(
                    ("variant", f"{self.get_product_display()}须注明品种或工艺：{names}。")
                )
            if not allowed and self.variant:
                problems.append(
                    ("variant", f"{self.get_product_display()}不分品种或工艺，请留空。")
                )
        if kind == self.Kind.DATA_CENTRE and not self.dc_status:
            problems.append(("dc_status", "数据中心须注明建设性质（新建、改扩建或存量）。"))
        if kind == self.Kind.PLANT and not self.plant_type:
            problems.append(("plant_type", "电厂须注明类型（发电厂、热电联产或供热厂）。"))
        if kind == self.Kind.GENERATING_UNIT:
            parent = self.parent
            if parent is None or parent.kind != self.Kind.PLANT:
                problems.append(("parent", "发电机组须注明所属电厂（类型为电厂或热电厂的装置）。"))
        elif self.parent is not None and (
            kind != self.Kind.BOILER or self.parent.kind != self.Kind.PLANT
        ):
            problems.append(("parent", "只有发电机组和电厂锅炉可以注明所属电厂。"))
        if self.parent is not None and self.parent.enterprise_id != self.enterprise_id:
            problems.append(("parent", "所属电厂须属于同一企业。"))
        for name in ("capacity_t_per_a", "it_capacity_kw", "capacity_mw", "evaporation_t_per_h"):
            value = getattr(self, name)
            if value is not None and value < 0:
                problems.append((name, f"“{labels[name]}”不能为负数。"))
        if (
            self.commissioned_on is not None
            and self.closed_on is not None
            and self.closed_on < self.commissioned_on
        ):
            problems.append(("closed_on", "关停日期不能早于投产日期。"))
        return problems

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors: dict[str, list[str]] = {}
        for field, message in self.kind_problems():
            errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)
