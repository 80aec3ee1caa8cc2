"""Forms of the account pages. Choice lists come from the policies (``viewable``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from ecplan.accounts import roles
from ecplan.accounts.models import ROLE_SCOPE, Role, ScopeKind, User
from ecplan.accounts.policies import viewable
from ecplan.organisations.models import Area, Enterprise, Organisation


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确（区分大小写）。连续多次失败后账户将被暂时锁定。",
        "inactive": "该账户已停用，请联系系统管理员。",
    }


class ScopeFieldsMixin(forms.Form):
    """Role plus the three scope fields, filled from what the acting user may see."""

    role = forms.ChoiceField(label="角色")
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="部门与单位",
        queryset=None,  # set per acting user in setup_scope_fields
        required=False,
        help_text="计划管理员、部门填报员、部门审核员需要选择。",
    )
    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        label="地区",
        queryset=None,  # set per acting user in setup_scope_fields
        required=False,
        help_text="区县用户需要选择县（市、区）或功能区；县级地区包含其功能区。",
    )
    enterprise: forms.ModelChoiceField[Enterprise] = forms.ModelChoiceField(
        label="企业",
        queryset=None,  # set per acting user in setup_scope_fields
        required=False,
        help_text="企业填报员需要选择。",
    )

    def setup_scope_fields(self, acting_user: Any, *, optional_role: bool) -> None:
        choices = [(r.value, r.label) for r in Role if roles.can_grant(acting_user, r.value)]
        if optional_role:
            choices = [("", "（暂不分配角色）"), *choices]
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = choices
        role_field.required = not optional_role
        org_field = self.fields["organisation"]
        area_field = self.fields["area"]
        ent_field = self.fields["enterprise"]
        assert isinstance(org_field, forms.ModelChoiceField)
        assert isinstance(area_field, forms.ModelChoiceField)
        assert isinstance(ent_field, forms.ModelChoiceField)
        org_field.queryset = viewable(acting_user, Organisation)
        area_field.queryset = viewable(acting_user, Area).exclude(kind=Area.Kind.CITY)
        ent_field.queryset = viewable(acting_user, Enterprise)

    def chosen_scope(self) -> Any:
        role = self.cleaned_data.get("role")
        if not role:
            return None
        kind = ROLE_SCOPE[role]
        if kind == ScopeKind.NONE:
            return None
        return self.cleaned_data.get(str(kind))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role:
            kind = ROLE_SCOPE[role]
            label = Role(role).label
            for field in ("organisation", "area", "enterprise"):
                if field != kind and data.get(field) is not None:
                    self.add_error(field, f"角色“{label}”不需要此项，请留空。")
            if kind != ScopeKind.NONE and data.get(str(kind)) is None:
                self.add_error(str(kind), f"角色“{label}”必须选择{ScopeKind(kind).label}。")
        return data


class InviteForm(ScopeFieldsMixin):
    username = forms.RegexField(
        label="用户名",
        max_length=150,
        regex=r"^[\w.@+-]+$",
        help_text="登录用，字母、数字或 @ . + - _，建议用拼音或工号。",
        error_messages={"invalid": "用户名只能包含字母、数字和 @ . + - _。"},
    )
    full_name = forms.CharField(label="姓名", max_length=60)
    email = forms.EmailField(
        label="电子邮箱", required=False, help_text="邀请链接发送到此邮箱；不填则由您转交链接。"
    )
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    position = forms.CharField(label="单位与职务", max_length=120, required=False)

    field_order = ["username", "full_name", "email", "phone", "position", "role"]

    def __init__(self, *args: Any, acting_user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_scope_fields(acting_user, optional_role=True)


class RoleGrantForm(ScopeFieldsMixin):
    def __init__(self, *args: Any, acting_user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_scope_fields(acting_user, optional_role=False)


class UserEditForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ["full_name", "email", "phone", "position"]


class UserFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False, help_text="用户名、姓名、邮箱、单位")
    role = forms.ChoiceField(
        label="角色", required=False, choices=[("", "全部角色"), *Role.choices]
    )
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部"), ("active", "启用"), ("disabled", "停用")],
    )
