"""The audit trail's vocabulary of actions: stable codes, Chinese labels.

Codes are stored as plain text (no database choices), so an app can add its own with
:func:`register_action` without a migration; :func:`ecplan.audit.services.record` refuses codes
that were never registered, so a typo cannot write an event nobody can search for.
"""

from __future__ import annotations

ACTIONS: dict[str, str] = {
    # data
    "create": "新建",
    "update": "修改",
    "delete": "删除",
    "submit": "提交",
    "approve": "审核通过",
    "return": "退回",
    "import": "导入",
    "export": "导出",
    "download": "下载",
    # sessions and login security
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出登录",
    "lockout": "账户锁定",
    "unlock": "解除锁定",
    "password_change": "修改密码",
    "password_set": "设置密码（接受邀请）",
    # user administration
    "invite": "邀请用户",
    "user_update": "修改用户信息",
    "user_disable": "停用用户",
    "user_enable": "启用用户",
    "role_grant": "授予角色",
    "role_revoke": "撤销角色",
}


def register_action(code: str, label: str) -> None:
    """Add an action (idempotent for the same label; a different label for a code is an error)."""
    existing = ACTIONS.get(code)
    if existing is not None and existing != label:
        raise ValueError(f"审计操作代码 {code!r} 已注册为“{existing}”")
    if not code or not code.replace("_", "").isalnum() or not code.isascii():
        raise ValueError(f"审计操作代码须为小写英文字母、数字和下划线：{code!r}")
    ACTIONS[code] = label


def action_label(code: str) -> str:
    return ACTIONS.get(code, code)
