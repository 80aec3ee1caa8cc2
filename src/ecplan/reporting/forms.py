"""Forms of the data-collection pages. They only parse input; the services validate and store."""

from __future__ import annotations

from typing import Any

from django import forms

from ecplan.organisations.models import Enterprise, Installation
from ecplan.reporting.formats import REPORT_TYPE_LABELS


class ImportForm(forms.Form):
    file = forms.FileField(label="文件（.xlsx、.xls、.csv）")
    report_type = forms.ChoiceField(
        label="报表类型",
        required=False,
        choices=[("", "自动识别"), *REPORT_TYPE_LABELS.items()],
    )
    reason = forms.CharField(
        label="修订原因（更正已提交或已审核的数据时请填写）", required=False, max_length=500
    )
    dry_run = forms.BooleanField(label="只检查，不导入", required=False)


class EnterpriseForm(forms.Form):
    credit_code = forms.CharField(label="统一社会信用代码", max_length=40)
    name = forms.CharField(label="企业名称", max_length=200)
    area = forms.ChoiceField(label="所在县级地区")
    zone = forms.ChoiceField(label="所在功能区", required=False)
    industry_code = forms.CharField(label="行业代码（GB/T 4754）", required=False, max_length=10)
    key_unit_class = forms.ChoiceField(
        label="重点用能单位类别", choices=Enterprise.KeyUnitClass.choices
    )
    budget_managed = forms.BooleanField(
        label="实行能耗预算管理（钢铁、化工等高耗能）", required=False
    )

    def __init__(self, *args: Any, areas: list[Any], zones: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_field = self.fields["area"]
        zone_field = self.fields["zone"]
        assert isinstance(area_field, forms.ChoiceField)
        assert isinstance(zone_field, forms.ChoiceField)
        area_field.choices = [(a.code, a.name) for a in areas]
        zone_field.choices = [("", "（无）"), *((z.code, z.name) for z in zones)]


class InstallationForm(forms.Form):
    code = forms.CharField(label="装置编号", max_length=40)
    name = forms.CharField(label="装置名称", max_length=200)
    kind = forms.ChoiceField(label="装置类型", choices=Installation.Kind.choices)
    product = forms.ChoiceField(
        label="产品（生产装置）", required=False, choices=[("", ""), *Installation.Product.choices]
    )
    variant = forms.ChoiceField(
        label="品种或工艺", required=False, choices=[("", ""), *Installation.Variant.choices]
    )
    capacity_t_per_a = forms.FloatField(label="设计产能（吨/年，烧碱按折百）", required=False)
    it_capacity_kw = forms.FloatField(label="IT设备设计容量（千瓦）", required=False)
    dc_status = forms.ChoiceField(
        label="数据中心建设性质",
        required=False,
        choices=[("", ""), *Installation.DataCentreStatus.choices],
    )
    plant_type = forms.ChoiceField(
        label="电厂类型", required=False, choices=[("", ""), *Installation.PlantType.choices]
    )
    capacity_mw = forms.FloatField(label="装机容量（兆瓦）", required=False)
    evaporation_t_per_h = forms.FloatField(label="额定蒸发量（蒸吨/小时）", required=False)
    fuel = forms.ChoiceField(
        label="燃料或能源", required=False, choices=[("", ""), *Installation.Fuel.choices]
    )
    parent = forms.CharField(label="所属电厂编号（发电机组、电厂锅炉）", required=False)
    commissioned_on = forms.DateField(label="投产日期（如 2023-06-30）", required=False)
    closed_on = forms.DateField(label="关停日期", required=False)
    notes = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RestateForm(forms.Form):
    period = forms.CharField(label="期间（2025-03、2025-Q1 或 2025；空为全部）", required=False)
    reason = forms.CharField(label="重算原因", max_length=500)
    dry_run = forms.BooleanField(label="只统计，不生成新版本", required=False)
