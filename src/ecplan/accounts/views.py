"""Account pages: login, own account and password, invitations, user administration."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods

from ecplan.accounts import services
from ecplan.accounts.forms import (
    InviteForm,
    LoginForm,
    RoleGrantForm,
    UserEditForm,
    UserFilterForm,
)
from ecplan.accounts.models import RoleAssignment, User
from ecplan.accounts.policies import (
    can,
    can_create,
    check_create,
    check_list,
    get_for_user,
    viewable,
)
from ecplan.accounts.roles import assignments_of


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.user
        services.change_own_password(acting_user=user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, user)
        messages.success(self.request, "密码已修改。")
        return HttpResponseRedirect(self.get_success_url())


class InvitationView(auth_views.PasswordResetConfirmView):
    """The invitation link: the holder sets a password (the link works once)."""

    template_name = "accounts/invitation.html"
    token_generator = services.invitation_tokens
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        services.accept_invitation(user=form.user, password=form.cleaned_data["new_password1"])
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, "密码已设置，请用新密码登录。")
        return HttpResponseRedirect(self.get_success_url())


def profile(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/profile.html",
        {"account": request.user, "assignments": assignments_of(request.user)},
    )


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def user_list(request: HttpRequest) -> HttpResponse:
    check_list(request.user, User)
    form = UserFilterForm(request.GET or None)
    qs = viewable(request.user, User).prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=viewable(request.user, RoleAssignment).select_related(
                "organisation", "area", "enterprise"
            ),
        )
    )
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            qs = qs.filter(
                Q(username__icontains=q)
                | Q(full_name__icontains=q)
                | Q(email__icontains=q)
                | Q(position__icontains=q)
            )
        if form.cleaned_data["role"]:
            qs = qs.filter(role_assignments__role=form.cleaned_data["role"]).distinct()
        if form.cleaned_data["status"] == "active":
            qs = qs.filter(is_active=True)
        elif form.cleaned_data["status"] == "disabled":
            qs = qs.filter(is_active=False)
    page = Paginator(qs.order_by("username"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {
            "form": form,
            "page": page,
            "can_invite": can_create(request.user, User),
            "query": _query_without_page(request),
        },
    )


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _form_page(
    request: HttpRequest, form: BaseForm, *, title: str, submit: str, back: str, intro: str = ""
) -> HttpResponse:
    return render(
        request,
        "accounts/form.html",
        {"form": form, "title": title, "submit": submit, "back": back, "intro": intro},
    )


def _apply_errors(form: BaseForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@require_http_methods(["GET", "POST"])
def user_invite(request: HttpRequest) -> HttpResponse:
    check_create(request.user, User)
    form = InviteForm(request.POST or None, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invite_user(
                acting_user=request.user,
                base_url=_base_url(request),
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                position=data["position"],
                role=data["role"] or None,
                scope=form.chosen_scope(),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return render(request, "accounts/invited.html", {"invitation": invitation})
    return _form_page(
        request,
        form,
        title="邀请用户",
        submit="创建账户并生成邀请链接",
        back=reverse("accounts:user-list"),
        intro="新账户没有密码：持有人通过邀请链接自行设置密码。链接只能使用一次，过期后可重新发送。",
    )


def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_for_user(request.user, User, pk=pk)
    assignments = viewable(request.user, RoleAssignment).filter(user=account)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "assignments": [(ra, can(request.user, "revoke", ra)) for ra in assignments],
            "may_manage": can(request.user, "manage", account),
            "locked": services.is_locked(account),
            "has_password": account.has_usable_password(),
        },
    )


@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_for_user(request.user, User, "manage", pk=pk)
    form = UserEditForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        fresh = get_for_user(request.user, User, "manage", pk=pk)
        try:
            services.update_user(
                acting_user=request.user,
                user=fresh,
                **{k: form.cleaned_data[k] for k in services.USER_FIELDS},
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "用户信息已保存。")
            return redirect("accounts:user-detail", pk=pk)
    return _form_page(
        request,
        form,
        title=f"修改用户信息：{account}",
        submit="保存",
        back=reverse("accounts:user-detail", args=[pk]),
    )


@require_http_methods(["GET", "POST"])
def role_grant(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_for_user(request.user, User, "manage", pk=pk)
    form = RoleGrantForm(request.POST or None, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            ra = services.grant_role(
                acting_user=request.user,
                user=account,
                role=form.cleaned_data["role"],
                scope=form.chosen_scope(),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已授予角色：{ra.label}")
            return redirect("accounts:user-detail", pk=pk)
    return _form_page(
        request,
        form,
        title=f"授予角色：{account}",
        submit="授予",
        back=reverse("accounts:user-detail", args=[pk]),
        intro="一个用户可以同时担任多个角色，每个角色有各自的范围。",
    )


def _confirm(
    request: HttpRequest,
    *,
    title: str,
    question: str,
    submit: str,
    back: str,
    act: Callable[[], str],
    danger: bool = False,
) -> HttpResponse:
    """GET shows the question; POST performs ``act`` (returns the success message)."""
    error = ""
    if request.method == "POST":
        try:
            message = act()
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            messages.success(request, message)
            return HttpResponseRedirect(back)
    return render(
        request,
        "accounts/confirm.html",
        {
            "title": title,
            "question": question,
            "submit": submit,
            "back": back,
            "danger": danger,
            "error": error,
        },
    )


@require_http_methods(["GET", "POST"])
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    ra = get_for_user(request.user, RoleAssignment, "revoke", pk=pk)
    back = reverse("accounts:user-detail", args=[ra.user_id])

    def act() -> str:
        services.revoke_role(acting_user=request.user, assignment=ra)
        return f"已撤销角色：{ra.label}"

    return _confirm(
        request,
        title="撤销角色",
        question=f"确定撤销 {ra.user} 的角色“{ra.label}”？",
        submit="撤销",
        back=back,
        act=act,
        danger=True,
    )


@require_http_methods(["GET", "POST"])
def user_disable(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_for_user(request.user, User, "manage", pk=pk)

    def act() -> str:
        services.set_active(acting_user=request.user, user=account, active=False)
        return f"已停用 {account}。"

    return _confirm(
        request,
        title="停用账户",
        question=f"确定停用 {account}？停用后该账户无法登录，已登录的会话随即失效；数据与审计记录保留，可随时重新启用。",
        submit="停用",
        back=reverse("accounts:user-detail", args=[pk]),
        act=act,
        danger=True,
    )


@require_http_methods(["GET", "POST"])
def user_enable(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_for_user(request.user, User, "manage", pk=pk)

    def act() -> str:
        services.set_active(acting_user=request.user, user=account, active=True)
        return f"已启用 {account}。"

    return _confirm(
        request,
        title="启用账户",
        question=f"确定重新启用 {account}？",
        submit="启用",
        back=reverse("accounts:user-detail", args=[pk]),
        act=act,
    )


@require_http_methods(["GET", "POST"])
def user_reinvite(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_for_user(request.user, User, "manage", pk=pk)
    if request.method == "POST":
        invitation = services.resend_invitation(
            acting_user=request.user, user=account, base_url=_base_url(request)
        )
        return render(request, "accounts/invited.html", {"invitation": invitation})
    return _confirm(
        request,
        title="发送设置密码链接",
        question=f"为 {account} 生成新的设置密码链接？原密码在新密码设置之前仍然有效。",
        submit="生成链接",
        back=reverse("accounts:user-detail", args=[pk]),
        act=lambda: "",
    )


@require_http_methods(["GET", "POST"])
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_for_user(request.user, User, "manage", pk=pk)

    def act() -> str:
        services.unlock(acting_user=request.user, user=account)
        return f"已解除 {account} 的登录锁定。"

    return _confirm(
        request,
        title="解除登录锁定",
        question=f"清除 {account} 的登录失败记录，使其可以立即重新登录？",
        submit="解除锁定",
        back=reverse("accounts:user-detail", args=[pk]),
        act=act,
    )
