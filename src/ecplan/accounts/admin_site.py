"""Django's admin for system administrators only; everyone else gets 403 (never a second login
page), and anonymous visitors go to the platform's login page."""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from ecplan.accounts.roles import is_system_admin

V = TypeVar("V", bound=Callable[..., Any])


class EcplanAdminSite(admin.AdminSite):
    site_header = "节能降碳行动计划管理平台 · 系统管理后台"
    site_title = "系统管理后台"
    index_title = "系统管理"

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and is_system_admin(request.user))

    def admin_view(self, view: V, cacheable: bool = False) -> V:
        inner = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied("系统管理后台仅限系统管理员使用。")
            response: HttpResponse = inner(request, *args, **kwargs)
            return response

        return cast(V, update_wrapper(guarded, inner))

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
            raise PermissionDenied("系统管理后台仅限系统管理员使用。")
        return redirect_to_login(reverse("admin:index", current_app=self.name), settings.LOGIN_URL)
