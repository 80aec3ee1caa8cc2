"""Row-level permissions: one policy per protected model.

Every view, export, download, CLI command acting for a user, and API endpoint asks the policy
of a model which rows a user may see (:meth:`Policy.scope`, a ``Q``) and whether they may act
on one object (:meth:`Policy.can`) — never a hand-rolled filter in a view.

Usage::

    from ecplan.accounts.policies import Policy, register, viewable, get_for_user

    @register
    class EnterprisePolicy(Policy[Enterprise]):
        model = Enterprise
        def scope(self, user): ...
        def can(self, user, action, obj): ...

    qs = viewable(request.user, Enterprise)                 # list pages, exports
    obj = get_for_user(request.user, Enterprise, "change", pk=pk)   # 404 / 403

Actions are plain words: ``"view"``, ``"export"``, ``"download"`` (the read actions,
:data:`READ_ACTIONS`), ``"change"``, ``"delete"``, ``"submit"``, ``"approve"``, ``"return"`` …
A policy decides which it allows; anything it does not know is refused.

Policies live in ``<app>/policies.py`` and are imported by :func:`autodiscover` when the
accounts app is ready, so registering one needs no other edit. See docs/permissions.md.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

M = TypeVar("M", bound=models.Model)

#: Actions that only read: a policy's default ``can`` allows them on rows in scope.
READ_ACTIONS: frozenset[str] = frozenset({"view", "export", "download"})

_REGISTRY: dict[type[models.Model], Policy[Any]] = {}


class Policy(Generic[M]):
    """Which rows of ``model`` a user may see, and what they may do with one of them."""

    model: ClassVar[type[models.Model]]

    def scope(self, user: Any) -> Q:
        """The rows ``user`` may view, as a ``Q`` on ``model``. Default: none."""
        return Q(pk__in=[])

    def can(self, user: Any, action: str, obj: M) -> bool:
        """May ``user`` perform ``action`` on ``obj``? Default: read actions if in scope."""
        if action in READ_ACTIONS:
            return self.in_scope(user, obj)
        return False

    def can_create(self, user: Any, **context: Any) -> bool:
        """May ``user`` create a new row (``context`` names the owner, e.g. enterprise=…)?"""
        return False

    def can_list(self, user: Any) -> bool:
        """May ``user`` open the list of this model at all? Default: yes (rows stay scoped)."""
        return True

    def in_scope(self, user: Any, obj: M) -> bool:
        # obj.__class__, not type(obj): request.user is a lazy proxy whose type() is the proxy
        manager = obj.__class__._default_manager
        return manager.filter(pk=obj.pk).filter(self.scope(user)).exists()


def register(policy_cls: type[Policy[M]]) -> type[Policy[M]]:
    """Class decorator: make ``policy_cls`` the policy of its ``model``."""
    model = policy_cls.model
    if model in _REGISTRY:
        raise RuntimeError(f"{model.__name__} 已有权限策略 {type(_REGISTRY[model]).__name__}")
    _REGISTRY[model] = policy_cls()
    return policy_cls


def policy_for(model: type[M]) -> Policy[M]:
    try:
        return _REGISTRY[model]
    except KeyError:
        raise LookupError(
            f"{model.__name__} 没有注册权限策略（ecplan.accounts.policies）"
        ) from None


def registered_models() -> list[type[models.Model]]:
    return list(_REGISTRY)


def autodiscover() -> None:
    """Import every installed app's ``policies`` module (called by the accounts app)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("policies")


def scope_through(user: Any, model: type[models.Model], path: str) -> Q:
    """Rows whose ``path`` points at a ``model`` row ``user`` may view.

    Lets a policy delegate to another: reports of enterprises the user may see are
    ``scope_through(user, Enterprise, "enterprise")``.
    """
    return Q(**{f"{path}__in": viewable(user, model).values("pk")})


def owned_by(
    user: Any,
    *,
    organisation: str | None = None,
    area: str | None = None,
    enterprise: str | None = None,
) -> Q:
    """Rows owned by a department, area or enterprise the user may read — the usual scope of
    data that belongs to one of them (indicator values, reports, evaluations).

    Each keyword is the lookup path to the owner on the model (``organisation="department"``,
    ``enterprise="enterprise"``, ``area="area"``); give those the model has. Global roles
    (system/plan administrators, leaders) read all rows; a department user the rows of its
    departments; an area user the rows of its areas and zones; enterprise data follows the
    enterprise policy (its reporters and the area users covering it). Everyone else: none.
    """
    from ecplan.accounts import roles

    if not _active(user):
        return Q(pk__in=[])
    if roles.sees_everything(user):
        return Q()
    q = Q(pk__in=[])
    if organisation is not None:
        ids = roles.organisation_ids_for(user)
        if ids:
            q |= Q(**{f"{organisation}__in": ids})
    if area is not None:
        ids = roles.area_ids_for(user)
        if ids:
            q |= Q(**{f"{area}__in": ids})
    if enterprise is not None:
        from ecplan.organisations.models import Enterprise

        q |= scope_through(user, Enterprise, enterprise)
    return q


def viewable(user: Any, model_or_qs: type[M] | models.QuerySet[M]) -> models.QuerySet[M]:
    """The rows of a model (or of a queryset) that ``user`` may view."""
    if isinstance(model_or_qs, models.QuerySet):
        qs = model_or_qs
        model = qs.model
    else:
        model = model_or_qs
        qs = model._default_manager.all()
    if not _active(user):
        return qs.none()
    return qs.filter(policy_for(model).scope(user))


def get_for_user(
    user: Any, model_or_qs: type[M] | models.QuerySet[M], action: str = "view", **lookup: Any
) -> M:
    """Fetch one object for ``user``: 404 if out of scope, 403 if in scope but not allowed."""
    qs = viewable(user, model_or_qs)
    try:
        obj = qs.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("未找到，或您无权查看") from None
    if action != "view" and not policy_for(qs.model).can(user, action, obj):
        raise PermissionDenied("您无权执行此操作")
    return obj


def check(user: Any, action: str, obj: M) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may perform ``action`` on ``obj``."""
    if not _active(user) or not policy_for(obj.__class__).can(user, action, obj):
        raise PermissionDenied("您无权执行此操作")


def can(user: Any, action: str, obj: M) -> bool:
    """Boolean form of :func:`check`, for templates and menus."""
    return _active(user) and policy_for(obj.__class__).can(user, action, obj)


def can_create(user: Any, model: type[models.Model], **context: Any) -> bool:
    """May ``user`` create a ``model`` row (``context`` names the owner, e.g. enterprise=…)?"""
    return _active(user) and policy_for(model).can_create(user, **context)


def check_create(user: Any, model: type[models.Model], **context: Any) -> None:
    """Raise ``PermissionDenied`` unless :func:`can_create`."""
    if not can_create(user, model, **context):
        raise PermissionDenied("您无权新建此类记录")


def can_list(user: Any, model: type[models.Model]) -> bool:
    """May ``user`` open the list page of ``model`` (a page-level gate, e.g. the audit trail)?"""
    return _active(user) and policy_for(model).can_list(user)


def check_list(user: Any, model: type[models.Model]) -> None:
    """Raise ``PermissionDenied`` unless :func:`can_list`."""
    if not can_list(user, model):
        raise PermissionDenied("您无权访问此页面")


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))
