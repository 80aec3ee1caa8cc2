"""Unified social credit codes (统一社会信用代码, GB 32100-2015): check and make.

18 characters: registration authority (1), organisation type (1), administrative division
(6, GB/T 2260), organisation code (9, GB 11714-1997, its last character a check character),
and a check character over the first 17.
"""

from __future__ import annotations

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS_18 = [pow(3, i, 31) for i in range(17)]
_WEIGHTS_ORG = [3, 7, 9, 10, 5, 8, 4, 2]


def organisation_code_check(body8: str) -> str:
    """Check character of an 8-character organisation code body (GB 11714-1997)."""
    total = 0
    for ch, w in zip(body8, _WEIGHTS_ORG, strict=True):
        value = int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10
        total += value * w
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def credit_code_check(first17: str) -> str:
    """Check character over the first 17 characters (GB 32100-2015)."""
    total = sum(CHARSET.index(ch) * w for ch, w in zip(first17, _WEIGHTS_18, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def make_credit_code(division: str, body8: str, *, authority: str = "9", kind: str = "1") -> str:
    """A well-formed code for an enterprise (authority 9 = market regulation, kind 1 = company)."""
    if len(division) != 6 or not division.isdigit():
        raise ValueError(f"行政区划代码应为 6 位数字：{division!r}")
    if len(body8) != 8 or any(ch not in CHARSET for ch in body8):
        raise ValueError(f"组织机构代码本体应为 8 位数字或大写字母：{body8!r}")
    first17 = f"{authority}{kind}{division}{body8}{organisation_code_check(body8)}"
    return first17 + credit_code_check(first17)


def is_valid_credit_code(code: str) -> bool:
    code = code.strip().upper()
    if len(code) != 18 or any(ch not in CHARSET for ch in code):
        return False
    return credit_code_check(code[:17]) == code[17]
