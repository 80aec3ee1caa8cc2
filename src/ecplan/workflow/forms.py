"""Forms of the workflow pages (Chinese labels and messages)."""

from __future__ import annotations

from typing import Any

from django import forms

from ecplan.reporting.models import ReportType, State
from ecplan.reporting.periods import PeriodError, parse_period
from ecplan.workflow.models import MAX_STAGES, ReportingSchedule, ReviewerKind


class SubmitForm(forms.Form):
    comment = forms.CharField(
        label="提交说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="可选；被退回后未修改数据重新提交时必填（说明理由）",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="撤回原因", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核决定",
        choices=[("approve", "审核通过"), ("return", "退回修改")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="审核意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text="退回时必填：写明需要核实或修改的内容",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", "退回须填写原因，说明需要填报单位核实或修改的内容。")
        return data


def _period_field(required: bool = False) -> forms.CharField:
    return forms.CharField(
        label="期间",
        required=required,
        widget=forms.TextInput(attrs={"placeholder": "2025-03、2025-Q1 或 2025"}),
    )


class _PeriodMixin:
    cleaned_data: dict[str, Any]

    def clean_period(self) -> Any:
        text = (self.cleaned_data.get("period") or "").strip()
        if not text:
            return None
        try:
            return parse_period(text)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None


class StatusFilterForm(_PeriodMixin, forms.Form):
    report_type = forms.ChoiceField(
        label="报表类型", required=False, choices=[("", "全部"), *ReportType.choices]
    )
    period = _period_field()
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *State.choices])


class MissingFilterForm(_PeriodMixin, forms.Form):
    report_type = forms.ChoiceField(label="报表类型", choices=ReportType.choices)
    period = _period_field()
    only_missing = forms.BooleanField(label="只看未提交的", required=False)


class ScheduleForm(forms.ModelForm):  # type: ignore[type-arg]  # django-stubs generic ModelForm
    reminder_text = forms.CharField(
        label="提醒时间（相对截止日的天数）",
        required=False,
        help_text="逗号分隔，负数为截止前，0 为当天，正数为逾期后，如：-3, 0, 1, 5",
    )

    class Meta:
        model = ReportingSchedule
        fields = [
            "expected",
            "opens_after_days",
            "window_days",
            "deadline_month_offset",
            "deadline_day",
            "remind_reviewers",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["reminder_text"].initial = ", ".join(
                str(x) for x in self.instance.offsets()
            )

    def clean_reminder_text(self) -> list[int]:
        text = self.cleaned_data.get("reminder_text") or ""
        parts = [p.strip() for p in text.replace("，", ",").replace("、", ",").split(",")]
        out = []
        for part in parts:
            if not part:
                continue
            try:
                out.append(int(part.replace("＋", "+").replace("－", "-")))
            except ValueError:
                raise forms.ValidationError(
                    f"“{part}”不是整数天数；请写成 -3, 0, 1, 5 这样的逗号分隔整数。"
                ) from None
        return sorted(set(out))

    def values(self) -> dict[str, Any]:
        data = {f: self.cleaned_data[f] for f in self.Meta.fields}
        data["reminder_offsets"] = self.cleaned_data["reminder_text"]
        return data


class RouteForm(forms.Form):
    """Up to :data:`MAX_STAGES` steps; an empty reviewer ends the route."""

    def __init__(
        self, *args: Any, report_type: str, organisations: list[tuple[str, str]], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        from ecplan.workflow.models import KINDS_FOR_TYPE

        kinds = [(k, ReviewerKind(k).label) for k in KINDS_FOR_TYPE[report_type]]
        for i in range(1, MAX_STAGES + 1):
            self.fields[f"reviewer_{i}"] = forms.ChoiceField(
                label=f"第 {i} 步审核人",
                required=i == 1,
                choices=[("", "（无此环节）" if i > 1 else "请选择"), *kinds],
            )
            self.fields[f"organisation_{i}"] = forms.ChoiceField(
                label=f"第 {i} 步审核部门（审核人为“指定部门”时）",
                required=False,
                choices=[("", "—"), *organisations],
            )

    def stages(self) -> list[tuple[str, str]]:
        out = []
        for i in range(1, MAX_STAGES + 1):
            kind = self.cleaned_data.get(f"reviewer_{i}") or ""
            if not kind:
                break
            out.append((kind, self.cleaned_data.get(f"organisation_{i}") or ""))
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen_gap = False
        for i in range(1, MAX_STAGES + 1):
            kind = data.get(f"reviewer_{i}")
            if not kind:
                seen_gap = True
                continue
            if seen_gap:
                self.add_error(f"reviewer_{i}", "前一步为空时不能设置后续环节，请按顺序填写。")
            if kind == ReviewerKind.ORGANISATION and not data.get(f"organisation_{i}"):
                self.add_error(f"organisation_{i}", "审核人为“指定部门”时须选择部门。")
        return data
