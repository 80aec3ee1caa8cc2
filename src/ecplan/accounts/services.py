"""User administration: invite, edit, disable, enable, grant and revoke roles, unlock.

Every function takes the acting user as the keyword-only ``acting_user``, checks the policies,
writes inside one transaction and records an audit event. ``acting_user=None`` means the
platform's operator on the server's command line (``ecplan users …``): trusted, no policy
check, recorded with channel ``cli``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ecplan.accounts import roles
from ecplan.accounts.models import ROLE_SCOPE, Role, RoleAssignment, ScopeKind, User
from ecplan.accounts.policies import check, check_create
from ecplan.audit.services import record, snapshot
from ecplan.audit.services import record_update as _record_update

USER_FIELDS = ("full_name", "email", "phone", "position")


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """One-time tokens for invitation and set-password links.

    The token hashes the password and last login: once the password is set it no longer
    validates; it also expires after ``PASSWORD_RESET_TIMEOUT`` (``ECPLAN_INVITATION_DAYS``).
    """

    key_salt = "ecplan.accounts.services.InvitationTokenGenerator"


invitation_tokens = InvitationTokenGenerator()


@dataclass(frozen=True)
class Invitation:
    user: User
    link: str
    emailed: bool

    @property
    def days(self) -> int:
        return int(settings.PASSWORD_RESET_TIMEOUT // 86400)


def invitation_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse(
        "accounts:invitation", kwargs={"uidb64": uid, "token": invitation_tokens.make_token(user)}
    )


def _check_manage(acting_user: Any, user: User) -> None:
    if acting_user is not None:
        check(acting_user, "manage", user)


def _send_invitation(user: User, link: str, *, first: bool) -> bool:
    if not user.email:
        return False
    days = settings.PASSWORD_RESET_TIMEOUT // 86400
    platform = settings.ECPLAN_PLATFORM_NAME
    subject = f"【{platform}】" + ("账户邀请" if first else "设置密码")
    body = (
        f"{user.get_full_name()}，您好：\n\n"
        + (
            f"您已获邀使用{platform}，用户名为 {user.username}。\n"
            if first
            else f"系统管理员为您的账户 {user.username} 发送了设置密码链接。\n"
        )
        + f"请在 {days} 天内打开以下链接设置密码（链接只能使用一次）：\n\n{link}\n\n"
        "如果您没有申请，请忽略本邮件并告知系统管理员。\n"
    )
    send_mail(subject, body, None, [user.email])
    return True


@transaction.atomic
def invite_user(
    *,
    acting_user: Any,
    base_url: str,
    username: str,
    full_name: str,
    email: str = "",
    phone: str = "",
    position: str = "",
    role: str | None = None,
    scope: Any = None,
) -> Invitation:
    """Create an account without a password and send its holder a set-password link.

    ``base_url`` (``https://ecplan.example.gov.cn``) makes the link absolute. ``role`` and
    ``scope`` optionally grant a first role at once.
    """
    if acting_user is not None:
        check_create(acting_user, User)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"用户名“{username}”已被使用，请换一个。"})
    user = User(
        username=username,
        full_name=full_name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        position=position.strip(),
        invited_by=acting_user,
        invited_at=timezone.now(),
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    if role:
        grant_role(acting_user=acting_user, user=user, role=role, scope=scope)
    link = base_url.rstrip("/") + invitation_path(user)
    emailed = _send_invitation(user, link, first=True)
    record(
        "invite",
        actor=acting_user,
        obj=user,
        changes={
            k: {"old": None, "new": v} for k, v in snapshot(user, fields=USER_FIELDS).items() if v
        },
        detail="已发送邀请邮件" if emailed else "未填写邮箱，邀请链接由管理员转交",
    )
    return Invitation(user=user, link=link, emailed=emailed)


@transaction.atomic
def resend_invitation(*, acting_user: Any, user: User, base_url: str) -> Invitation:
    """A new set-password link for an existing account (first login, or a forgotten password)."""
    _check_manage(acting_user, user)
    link = base_url.rstrip("/") + invitation_path(user)
    emailed = _send_invitation(user, link, first=not user.has_usable_password())
    record(
        "invite",
        actor=acting_user,
        obj=user,
        detail="重新发送设置密码链接" + ("（已发邮件）" if emailed else "（未填写邮箱）"),
    )
    return Invitation(user=user, link=link, emailed=emailed)


@transaction.atomic
def accept_invitation(*, user: User, password: str) -> None:
    """The invited user sets their password (the link's token is then spent)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    record("password_set", actor=user, obj=user)


@transaction.atomic
def change_own_password(*, acting_user: User, password: str) -> None:
    check(acting_user, "change_password", acting_user)
    acting_user.set_password(password)
    acting_user.save(update_fields=["password"])
    record("password_change", actor=acting_user, obj=acting_user)


@transaction.atomic
def update_user(*, acting_user: Any, user: User, **fields: str) -> None:
    """Change the holder's name and contact details (``full_name``, ``email``, ``phone``,
    ``position``)."""
    _check_manage(acting_user, user)
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise ValueError(f"不能修改的字段：{', '.join(sorted(unknown))}")
    before = snapshot(user, fields=USER_FIELDS)
    for name, value in fields.items():
        setattr(user, name, value.strip())
    user.full_clean(exclude=["password"])
    user.save()
    _record_update(user, actor=acting_user, before=before, action="user_update")


def _active_system_admins() -> int:
    return (
        RoleAssignment.objects.filter(role=Role.SYSTEM_ADMIN, user__is_active=True)
        .values("user")
        .distinct()
        .count()
    )


@transaction.atomic
def set_active(*, acting_user: Any, user: User, active: bool, reason: str = "") -> None:
    """Disable (the user can no longer log in; open sessions end) or enable an account."""
    _check_manage(acting_user, user)
    if user.is_active == active:
        return
    if not active:
        if acting_user is not None and acting_user.pk == user.pk:
            raise ValidationError("不能停用自己的账户。")
        if (
            roles.Role.SYSTEM_ADMIN in roles.roles_of_user_id(user.pk)
            and _active_system_admins() <= 1
        ):
            raise ValidationError("这是最后一个可用的系统管理员账户，不能停用。")
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(
        "user_enable" if active else "user_disable",
        actor=acting_user,
        obj=user,
        changes={"is_active": {"old": not active, "new": active}},
        detail=reason,
    )


def _scope_kwargs(role: str, scope: Any) -> dict[str, Any]:
    from ecplan.organisations.models import Area, Enterprise, Organisation

    if role not in ROLE_SCOPE:
        raise ValidationError({"role": f"未知角色：{role}"})
    kind = ROLE_SCOPE[role]
    if scope is None:
        return {}
    expected = {
        ScopeKind.ORGANISATION: ("organisation", Organisation),
        ScopeKind.AREA: ("area", Area),
        ScopeKind.ENTERPRISE: ("enterprise", Enterprise),
    }
    if kind == ScopeKind.NONE:
        raise ValidationError({"role": f"角色“{Role(role).label}”不需要指定范围。"})
    name, model = expected[ScopeKind(kind)]
    if not isinstance(scope, model):
        raise ValidationError(
            {name: f"角色“{Role(role).label}”的范围应为{ScopeKind(kind).label}。"}
        )
    return {name: scope}


def _null_scopes(scope_kwargs: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"organisation": None, "area": None, "enterprise": None}
    out.update(scope_kwargs)
    return out


@transaction.atomic
def grant_role(*, acting_user: Any, user: User, role: str, scope: Any = None) -> RoleAssignment:
    """Give ``user`` the role ``role`` on ``scope`` (an organisation, area or enterprise, as
    the role requires). Raises ``ValidationError`` with Chinese messages per field."""
    if acting_user is not None:
        check_create(acting_user, RoleAssignment, role=role, target=user)
    scope_kwargs = _scope_kwargs(role, scope)
    ra = RoleAssignment(user=user, role=role, granted_by=acting_user, **scope_kwargs)
    ra.full_clean(exclude=["user", "granted_by"], validate_constraints=False)
    if RoleAssignment.objects.filter(user=user, role=role, **_null_scopes(scope_kwargs)).exists():
        raise ValidationError(f"{user} 已有角色“{ra.label}”。")
    try:
        with transaction.atomic():
            ra.save()
    except IntegrityError:  # a concurrent grant of the same role
        raise ValidationError(f"{user} 已有角色“{ra.label}”。") from None
    roles.forget(user)
    if acting_user is not None:
        roles.forget(acting_user)
    record(
        "role_grant",
        actor=acting_user,
        obj=user,
        changes={"roles": {"old": None, "new": ra.label}},
        detail=f"授予角色：{ra.label}",
    )
    return ra


@transaction.atomic
def revoke_role(*, acting_user: Any, assignment: RoleAssignment) -> None:
    if acting_user is not None:
        check(acting_user, "revoke", assignment)
    user = assignment.user
    if assignment.role == Role.SYSTEM_ADMIN and user.is_active and _active_system_admins() <= 1:
        raise ValidationError("这是最后一个可用的系统管理员，不能撤销其系统管理员角色。")
    label = assignment.label
    assignment.delete()
    roles.forget(user)
    record(
        "role_revoke",
        actor=acting_user,
        obj=user,
        changes={"roles": {"old": label, "new": None}},
        detail=f"撤销角色：{label}",
    )


def lockout_failures(user: User) -> int:
    """Failed logins counted against ``user`` right now (any address); 0 when not locked."""
    from axes.models import AccessAttempt

    return sum(
        AccessAttempt.objects.filter(username=user.username).values_list(
            "failures_since_start", flat=True
        )
    )


def is_locked(user: User) -> bool:
    from axes.models import AccessAttempt

    return bool(
        AccessAttempt.objects.filter(
            username=user.username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
        ).exists()
    )


@transaction.atomic
def unlock(*, acting_user: Any, user: User) -> int:
    """Clear failed-login records of ``user`` so they can log in again at once."""
    from axes.utils import reset

    _check_manage(acting_user, user)
    cleared = int(reset(username=user.username) or 0)
    record("unlock", actor=acting_user, obj=user, detail=f"清除登录失败记录 {cleared} 条")
    return cleared


def require_manage(acting_user: Any, user: User) -> None:
    """For views that show management forms: 403 unless ``acting_user`` may manage ``user``."""
    if acting_user is None:
        return
    if not user or not acting_user.is_authenticated:
        raise PermissionDenied("您无权管理该账户")
    check(acting_user, "manage", user)


def resolve_scope(role: str, text: str | None) -> Any:
    """The scope object named by ``text`` for ``role`` (command line): an organisation or area
    by code, name or alias; an enterprise by credit code or exact name."""
    from ecplan.organisations.models import Area, Enterprise, Organisation

    if role not in ROLE_SCOPE:
        raise ValidationError(f"未知角色“{role}”。可用角色：{', '.join(Role.values)}")
    kind = ROLE_SCOPE[role]
    label = Role(role).label
    if kind == ScopeKind.NONE:
        if text:
            raise ValidationError(f"角色“{label}”不需要范围，请去掉 --scope。")
        return None
    if not text:
        raise ValidationError(f"角色“{label}”需要用 --scope 指定{ScopeKind(kind).label}。")
    text = text.strip()
    found: list[Any]
    if kind == ScopeKind.ENTERPRISE:
        found = list(Enterprise.objects.filter(Q(credit_code=text.upper()) | Q(name=text))[:2])
    else:
        model = Organisation if kind == ScopeKind.ORGANISATION else Area
        found = [
            obj
            for obj in model._default_manager.all()
            if text in (obj.code, obj.name, getattr(obj, "full_name", ""), *obj.aliases)
        ][:2]
    if not found:
        raise ValidationError(f"找不到{ScopeKind(kind).label}“{text}”（可用代码、名称或别名）。")
    if len(found) > 1:
        raise ValidationError(f"“{text}”对应多个{ScopeKind(kind).label}，请改用代码。")
    return found[0]


@transaction.atomic
def set_password(*, acting_user: Any, user: User, password: str) -> None:
    """Set ``user``'s password on their behalf (command line: the first system administrator).
    Raises ``ValidationError`` (Chinese) when the password breaks the rules."""
    from django.contrib.auth.password_validation import validate_password

    _check_manage(acting_user, user)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record("password_set", actor=acting_user, obj=user, detail="由管理员设置密码")


def find_user(username: str) -> User:
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise ValidationError(f"用户“{username}”不存在。") from None


def assignment_of(user: User, role: str, scope: Any) -> RoleAssignment:
    found = RoleAssignment.objects.filter(
        user=user, role=role, **_null_scopes(_scope_kwargs(role, scope))
    ).first()
    if found is None:
        raise ValidationError(f"{user} 没有这个角色。")
    return found


def list_users() -> list[dict[str, Any]]:
    """Every account with its roles (command line: the server operator sees all)."""
    return [
        {
            "username": u.username,
            "full_name": u.full_name,
            "email": u.email,
            "active": u.is_active,
            "demo": u.is_demo,
            "roles": [ra.label for ra in u.role_assignments.all()],
        }
        for u in User.objects.prefetch_related(
            "role_assignments__organisation",
            "role_assignments__area",
            "role_assignments__enterprise",
        ).order_by("username")
    ]
