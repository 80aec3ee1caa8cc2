"""Reading a plan file, its text and its registry, and checking them together.

:func:`load_plan` is the one entry point: it returns a :class:`LoadedPlan` or raises
:class:`ecplan.core.datafile.DataFileError` listing every problem (file, path inside it,
Chinese message). The command line, the database loader and the tests all go through it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ecplan.core.datafile import DataFileError, read_yaml, validation_problems
from ecplan.core.plan.checks import Problem, check_plan
from ecplan.core.plan.schema import FORMAT, PlanFile
from ecplan.core.registry import Registry, load_registry

# pydantic error types that ecplan.core.datafile does not translate, in Chinese.
_EXTRA_ZH: dict[str, str] = {
    "tuple_type": "应为列表",
    "decimal_type": "应为数字",
    "int_from_float": "应为整数（不能有小数）",
    "finite_number": "应为有限的数字",
    "string_too_long": "太长",
    "too_long": "项数太多",
    "is_instance_of": "类型不对",
    "union_tag_invalid": "类型不对",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD），不要带时间",
}


def _problems(exc: ValidationError) -> list[Problem]:
    out: list[Problem] = []
    for err, (loc, msg) in zip(
        exc.errors(include_url=False), validation_problems(exc), strict=True
    ):
        if err["type"] in _EXTRA_ZH:
            msg = _EXTRA_ZH[err["type"]]
            if "input" in err:
                shown = repr(err["input"])
                msg += f"（实际为 {shown[:57] + '...' if len(shown) > 60 else shown}）"
        out.append((loc, msg))
    return out


@dataclass(frozen=True)
class LoadedPlan:
    """A plan file that passed every check, with its text and registry.

    ``content_hash`` (SHA-256 of the plan file and the plan text) identifies the content: a
    version whose hash changes is a different version.
    """

    path: Path
    plan: PlanFile
    raw: str
    text: str
    text_path: Path
    registry: Registry
    registry_path: Path
    content_hash: str
    warnings: tuple[Problem, ...] = ()

    @property
    def plan_id(self) -> str:
        return self.plan.plan.id


def content_hash(raw: str, text: str) -> str:
    """SHA-256 (hex) of a plan file and its text, the identity of a plan version."""
    digest = hashlib.sha256()
    digest.update(raw.encode("utf-8"))
    digest.update(b"\n\x00\n")
    digest.update(text.encode("utf-8"))
    return digest.hexdigest()


def _read_text(path: Path, owner: Path, loc: str, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(owner, [(loc, f"{what} {path} 不存在")]) from None
    except UnicodeDecodeError:
        raise DataFileError(owner, [(loc, f"{what} {path} 不是 UTF-8 编码的文本")]) from None


def parse_plan(path: str | Path) -> tuple[PlanFile, str]:
    """Read and validate the schema of a plan file (no checks against text); return it and
    its raw text."""
    p = Path(path)
    data: Any = read_yaml(p)
    if not isinstance(data, dict):
        raise DataFileError(p, [("", "文件内容应为映射（键: 值），而不是空文件或列表")])
    if data.get("format") != FORMAT:
        raise DataFileError(
            p,
            [
                (
                    "format",
                    f"不是行动计划文件：第一行应为 “format: {FORMAT}”（实际为 {data.get('format')!r}）",
                )
            ],
        )
    try:
        plan = PlanFile.model_validate(data)
    except ValidationError as exc:
        raise DataFileError(p, _problems(exc)) from None
    return plan, p.read_text(encoding="utf-8")


def load_plan(path: str | Path) -> LoadedPlan:
    """Load a plan file and check it against its text and registry.

    Parameters
    ----------
    path : str or Path
        The plan file (YAML). ``plan.text_file`` and ``plan.registry_file`` are read relative
        to its directory.

    Raises
    ------
    DataFileError
        With every problem found: schema errors first (wrong type, missing field …); if the
        schema holds, every mismatch with the text and the registry.
    """
    p = Path(path).resolve()
    plan, raw = parse_plan(p)
    text_path = (p.parent / plan.plan.text_file).resolve()
    text = _read_text(text_path, p, "plan.text_file", "计划文本文件")
    registry_path = (p.parent / plan.plan.registry_file).resolve()
    if not registry_path.exists():
        raise DataFileError(p, [("plan.registry_file", f"组织机构登记册 {registry_path} 不存在")])
    registry = load_registry(registry_path)
    result = check_plan(plan, text=text, text_name=text_path.name, registry=registry)
    if result.problems:
        raise DataFileError(p, result.problems)
    return LoadedPlan(
        path=p,
        plan=plan,
        raw=raw,
        text=text,
        text_path=text_path,
        registry=registry,
        registry_path=registry_path,
        content_hash=content_hash(raw, text),
        warnings=tuple(result.warnings),
    )


def is_plan_file(path: Path) -> bool:
    """Does ``path`` declare itself a plan file (``format: ecplan-plan``)?"""
    try:
        head = path.read_text(encoding="utf-8")[:2000]
    except (OSError, UnicodeDecodeError):
        return False
    return any(line.strip() == f"format: {FORMAT}" for line in head.splitlines())


def plan_files(directory: str | Path) -> list[Path]:
    """The plan files under ``directory`` (one level of sub-directories per region)."""
    root = Path(directory)
    candidates = sorted(root.glob("*.yaml")) + sorted(root.glob("*/*.yaml"))
    return [p for p in candidates if is_plan_file(p)]


def find_plan_file(plan_id: str | None, directory: str | Path) -> Path:
    """The file of plan ``plan_id`` under ``directory`` (the only one if ``plan_id`` is None).

    Raises
    ------
    LookupError
        With a Chinese message naming the plans that exist.
    """
    files = plan_files(directory)
    ids: dict[str, Path] = {}
    for f in files:
        plan, _ = parse_plan(f)
        if plan.plan.id in ids:
            raise LookupError(
                f"计划“{plan.plan.id}”有两个文件：{ids[plan.plan.id]} 和 {f}；每个计划只保留当前版本的文件"
            )
        ids[plan.plan.id] = f
    if plan_id is None:
        if len(ids) == 1:
            return next(iter(ids.values()))
        raise LookupError(f"请指定计划标识，可选：{', '.join(sorted(ids)) or '（无）'}")
    if plan_id not in ids:
        raise LookupError(
            f"没有标识为“{plan_id}”的计划，可选：{', '.join(sorted(ids)) or '（无）'}"
        )
    return ids[plan_id]
