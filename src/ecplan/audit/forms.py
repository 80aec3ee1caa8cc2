"""Search form of the audit trail; ``apply`` narrows an already scoped queryset."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from ecplan.audit.actions import ACTIONS
from ecplan.audit.models import AuditEvent


class DateInput(forms.DateInput):
    input_type = "date"


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label="操作人", required=False, help_text="用户名或姓名")
    action = forms.ChoiceField(label="操作", required=False)
    object_type = forms.ChoiceField(label="对象类型", required=False)
    object_id = forms.CharField(label="对象编号", required=False, max_length=64)
    date_from = forms.DateField(label="起始日期", required=False, widget=DateInput)
    date_to = forms.DateField(label="截止日期", required=False, widget=DateInput)
    q = forms.CharField(label="全文", required=False, help_text="对象名称、说明、字段变更、IP 地址")

    def __init__(self, *args: Any, object_types: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action_field = self.fields["action"]
        type_field = self.fields["object_type"]
        assert isinstance(action_field, forms.ChoiceField)
        assert isinstance(type_field, forms.ChoiceField)
        action_field.choices = [("", "全部操作"), *sorted(ACTIONS.items(), key=lambda kv: kv[1])]
        type_field.choices = [("", "全部类型"), *object_types]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "截止日期早于起始日期，请调整日期范围。")
        return data

    def apply(self, qs: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        data = self.cleaned_data
        if data.get("actor"):
            term = data["actor"].strip()
            qs = qs.filter(Q(actor_username__icontains=term) | Q(actor_name__icontains=term))
        if data.get("action"):
            qs = qs.filter(action=data["action"])
        if data.get("object_type"):
            qs = qs.filter(object_type=data["object_type"])
        if data.get("object_id"):
            qs = qs.filter(object_id=data["object_id"].strip())
        tz = timezone.get_current_timezone()
        if data.get("date_from"):
            qs = qs.filter(occurred_at__gte=dt.datetime.combine(data["date_from"], dt.time(), tz))
        if data.get("date_to"):
            end = data["date_to"] + dt.timedelta(days=1)
            qs = qs.filter(occurred_at__lt=dt.datetime.combine(end, dt.time(), tz))
        if data.get("q"):
            term = data["q"].strip()
            qs = qs.annotate(_changes_text=Cast("changes", output_field=TextField())).filter(
                Q(object_repr__icontains=term)
                | Q(detail__icontains=term)
                | Q(_changes_text__icontains=term)
                | Q(actor_roles__icontains=term)
                | Q(ip_address__startswith=term)
                | Q(request_path__icontains=term)
            )
        return qs

    def describe(self) -> str:
        """The active filters in words, for the export's audit event."""
        if not self.is_bound or not self.is_valid():
            return "无"
        parts = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if value not in (None, ""):
                parts.append(f"{field.label}={value}")
        return "，".join(parts) or "无"
