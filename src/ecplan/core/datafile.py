"""Reading YAML data files into pydantic models with Chinese error messages.

Every data file the platform reads (plan files, organisation registries, factor sets) goes
through :func:`load_yaml_model`, so a malformed file is always reported the same way: the file,
the path inside it and the problem, in Chinese.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class DataFileError(ValueError):
    """A data file could not be read or does not match its schema.

    Attributes
    ----------
    file : str
        The file that was read.
    problems : list of (location, message)
        ``location`` is the path inside the file (``targets[3].value``), ``message`` the
        problem in Chinese.
    """

    def __init__(self, file: str | Path, problems: Sequence[tuple[str, str]]) -> None:
        self.file = str(file)
        self.problems = list(problems)
        lines = [f"{self.file}：{loc or '（文件）'}：{msg}" for loc, msg in self.problems]
        super().__init__("\n".join(lines))


# pydantic error types → Chinese text. Anything not listed falls back to pydantic's message,
# prefixed so that the user still sees where the problem is.
_PYDANTIC_ZH: dict[str, str] = {
    "missing": "缺少必填字段",
    "extra_forbidden": "不认识的字段（拼写错误？此格式不允许该字段）",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表",
    "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "string_too_short": "不能为空",
    "too_short": "不能为空",
    "greater_than": "数值过小",
    "greater_than_equal": "数值过小",
    "less_than": "数值过大",
    "less_than_equal": "数值过大",
}


def format_location(loc: Sequence[int | str]) -> str:
    """``("targets", 3, "value")`` → ``"targets[3].value"``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def validation_problems(exc: ValidationError) -> list[tuple[str, str]]:
    """Turn a pydantic ``ValidationError`` into ``(location, Chinese message)`` pairs."""
    problems: list[tuple[str, str]] = []
    for err in exc.errors(include_url=False):
        loc = format_location(err["loc"])
        kind = err["type"]
        if kind == "value_error":
            # Raised by our own validators: their message is already Chinese.
            msg = str(err.get("ctx", {}).get("error", err["msg"]))
        elif kind in _PYDANTIC_ZH:
            msg = _PYDANTIC_ZH[kind]
            if kind == "literal_error" and "ctx" in err:
                msg += f"，允许：{err['ctx'].get('expected', '')}"
            if "input" in err and kind not in {"missing"}:
                shown = repr(err["input"])
                if len(shown) > 60:
                    shown = shown[:57] + "..."
                msg += f"（实际为 {shown}）"
        else:
            msg = f"格式错误：{err['msg']}"
        problems.append((loc, msg))
    return problems


def read_yaml(path: str | Path) -> Any:
    """Read a YAML file, reporting syntax errors in Chinese with line and column."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(p, [("", "文件不存在")]) from None
    except UnicodeDecodeError:
        raise DataFileError(p, [("", "文件不是 UTF-8 编码的文本")]) from None
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else ""
        raise DataFileError(p, [(where, f"YAML 语法错误：{exc.problem}")]) from None
    except yaml.YAMLError as exc:
        raise DataFileError(p, [("", f"YAML 语法错误：{exc}")]) from None


def load_yaml_model(path: str | Path, model: type[M]) -> M:
    """Read ``path`` and validate it against ``model``; raise :class:`DataFileError`."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise DataFileError(path, [("", "文件内容应为映射（键: 值），而不是空文件或列表")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise DataFileError(path, validation_problems(exc)) from None
