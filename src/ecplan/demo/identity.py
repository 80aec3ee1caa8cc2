"""Fictional enterprise names and well-formed unified social credit codes.

Names are ``示例`` + an invented two-character brand + a trade word + ``有限公司``; a name that
contains a word of :data:`FORBIDDEN_WORDS` (the real units the plan names and the real firms
in the reference notes) is never produced. Credit codes are built with the GB 32100-2015
check character by :mod:`ecplan.accounts.credit_code` (pure Python, no Django: the import
contract in ``pyproject.toml`` allows exactly that module), with the area's GB/T 2260 code as
the administrative-division part.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from ecplan.accounts.credit_code import CHARSET, make_credit_code
from ecplan.demo.rng import Stream

NAME_PREFIX: Final = "示例"

#: Words that must never appear in a demo enterprise name: the real units and firms named by
#: the plan and by the reference notes.
FORBIDDEN_WORDS: Final[tuple[str, ...]] = (
    "国信",
    "华电",
    "仪征化纤",
    "实友",
    "港口热电",
    "扬州石化",
    "瑞祥",
    "扬农",
    "扬子",
    "泰达",
    "中国石化",
    "中石化",
    "国网",
    "供电公司",
)

_FIRST: Final = "恒瑞鼎润泰嘉宏远新金联盛荣德安永宇凯卓弘博晟昊源睿骏锦隆丰通达诚汇鑫旭澄海景明"
_SECOND: Final = "远丰源川澜达宇晟昊鸿屹拓越辰涛峰瀚鑫盛恒辉耀泽宁岳航沣茂阳舟弈铭"
_BRANDS: Final = tuple(
    a + b
    for a in _FIRST
    for b in _SECOND
    if a != b and not any(w in a + b for w in FORBIDDEN_WORDS)
)
_BODY_CHARS: Final = "".join(ch for ch in CHARSET if ch.isdigit()) + "ABCDEFGHJKLMNPQRTUWXY"


def is_fictional_name(name: str) -> bool:
    """True when ``name`` has the demo prefix and none of the forbidden words."""
    return name.startswith(NAME_PREFIX) and not any(w in name for w in FORBIDDEN_WORDS)


class NameBook:
    """Hands out unique fictional brands and credit codes, deterministically."""

    def __init__(self, seed: int, *, namespace: str = "city") -> None:
        self._stream = Stream(seed, "names", namespace)
        self._codes = Stream(seed, "credit-codes", namespace)
        self._pool: list[str] = []
        self._names: set[str] = set()
        self._bodies: set[str] = set()

    def reserve(self, names: Iterable[str]) -> None:
        self._names.update(names)

    def brand(self) -> str:
        """A two-character brand: every brand once (in a seeded order), then again with
        other trade words, as groups of companies do."""
        if not self._pool:
            self._pool = self._stream.shuffled(_BRANDS)
        return self._pool.pop()

    def name(self, term: str, *, brand: str | None = None, suffix: str = "有限公司") -> str:
        """A new unique name ``示例{brand}{term}{suffix}``."""
        for _ in range(10_000):
            b = brand or self.brand()
            name = f"{NAME_PREFIX}{b}{term}{suffix}"
            if name not in self._names and is_fictional_name(name):
                self._names.add(name)
                return name
            brand = None
        raise RuntimeError("无法生成不重复的演示企业名称")  # pragma: no cover

    def credit_code(self, division: str) -> str:
        """A new unique, valid credit code registered in ``division`` (GB/T 2260 code)."""
        while True:
            body = "".join(self._codes.choice(_BODY_CHARS) for _ in range(8))
            if body in self._bodies:
                continue  # pragma: no cover - 31^8 bodies
            self._bodies.add(body)
            return make_credit_code(division, body)
