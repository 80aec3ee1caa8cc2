"""Problems found in a file: refusals of the whole file and issues in single cells.

Two kinds of problem reach the user:

* :class:`TabularFileError` — the file as a whole is refused (not a spreadsheet, too large,
  macro-enabled, encrypted, a zip bomb, undecodable text …). It is raised by intake and by
  the readers, before anything is parsed, and carries a Chinese message (what is wrong) and
  a hint (how to fix it).
* :class:`CellIssue` — one problem at one place (sheet, 1-based row, column letter, field),
  collected in an :class:`IssueList`. Issues are never raised one by one: an import collects
  all of them so that the user can fix every mistake in one pass.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]

_SEVERITY_ZH: dict[str, str] = {"error": "错误", "warning": "提醒"}


class TabularFileError(ValueError):
    """The whole file is refused.

    Parameters
    ----------
    code : str
        Stable machine-readable reason (``"not_spreadsheet"``, ``"too_large"``,
        ``"macro_enabled"``, ``"encrypted"``, ``"zip_bomb"``, ``"corrupt"``, ``"encoding"``,
        ``"empty"``, ``"too_many_cells"``, ``"unsupported"``).
    message : str
        What is wrong with the file, in Chinese.
    hint : str
        How to fix it, in Chinese.
    filename : str or None
        The name the user gave the file, when known.
    """

    def __init__(self, code: str, message: str, hint: str = "", *, filename: str | None = None):
        self.code = code
        self.message = message
        self.hint = hint
        self.filename = filename
        super().__init__(self.text())

    def text(self) -> str:
        """One line of Chinese: ``文件“x.xlsx”：<message>。<hint>``."""
        where = f"文件“{self.filename}”：" if self.filename else ""
        msg = self.message.rstrip("。")
        hint = f"：{self.hint}" if self.hint else "。"
        return f"{where}{msg}{hint}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "file": self.filename,
            "message": self.message,
            "hint": self.hint,
            "text": self.text(),
        }


@dataclass(frozen=True)
class CellIssue:
    """One problem at one place in a table.

    Attributes
    ----------
    sheet : str or None
        Worksheet name (the file name for CSV); None for a problem of the whole file.
    row : int or None
        1-based row number as Excel shows it (for CSV: the record number, which is the row
        number Excel shows when it opens the file); None for a problem of a whole sheet or
        column.
    column : str or None
        Column letter (``"D"``); None for a problem of a whole row or sheet.
    field : str or None
        The field's label as the user knows it (``"数量"``).
    value : str or None
        What the cell contains, as text (shown back to the user in quotes).
    message : str
        What is wrong, in Chinese (``"“约100”不是数字。"``).
    hint : str
        How to fix it, in Chinese (``"请只填写数字，例如 100。"``).
    severity : {"error", "warning"}
        Errors block an import; warnings are shown for confirmation.
    code : str
        Stable machine-readable reason (``"not_number"``, ``"has_unit"`` …).
    """

    sheet: str | None
    row: int | None
    column: str | None
    field: str | None
    value: str | None
    message: str
    hint: str = ""
    severity: Severity = "error"
    code: str = ""

    @property
    def location(self) -> str:
        """``工作表“能源消费”第 12 行 D 列（数量）`` — as much as is known."""
        text = f"工作表“{self.sheet}”" if self.sheet is not None else ""
        if self.row is not None:
            text += f"第 {self.row} 行"
        if self.column is not None:
            text += (" " if self.row is not None else "") + f"{self.column} 列"
        if self.field:
            text += f"（{self.field}）"
        return text

    def text(self) -> str:
        """The issue as one line of Chinese, location first."""
        loc = self.location
        body = self.message + self.hint
        return f"{loc}：{body}" if loc else body

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["text"] = self.text()
        return data


def _sort_key(issue: CellIssue, sheet_order: dict[str | None, int]) -> tuple[int, int, int, str]:
    col = issue.column or ""
    col_index = 0
    for ch in col:
        col_index = col_index * 26 + (ord(ch) - 64)
    return (sheet_order.get(issue.sheet, len(sheet_order)), issue.row or 0, col_index, issue.code)


class IssueList:
    """An ordered collection of :class:`CellIssue`.

    Parameters
    ----------
    max_issues : int or None
        Keep at most this many issues (the count of the rest is still kept and shown, so that
        nothing is silently dropped). None keeps all of them.
    """

    def __init__(self, issues: Iterable[CellIssue] = (), *, max_issues: int | None = None):
        self.max_issues = max_issues
        self._issues: list[CellIssue] = []
        self.dropped_errors = 0
        self.dropped_warnings = 0
        self.extend(issues)

    # -- collecting -----------------------------------------------------------------------
    def add(self, issue: CellIssue) -> None:
        if self.max_issues is not None and len(self._issues) >= self.max_issues:
            if issue.severity == "error":
                self.dropped_errors += 1
            else:
                self.dropped_warnings += 1
            return
        self._issues.append(issue)

    def extend(self, issues: Iterable[CellIssue]) -> None:
        for issue in issues:
            self.add(issue)

    def error(
        self,
        *,
        sheet: str | None,
        row: int | None,
        column: str | None,
        field: str | None,
        value: object,
        message: str,
        hint: str = "",
        code: str = "",
    ) -> CellIssue:
        """Add an error and return it."""
        issue = CellIssue(sheet, row, column, field, _as_text(value), message, hint, "error", code)
        self.add(issue)
        return issue

    def warning(
        self,
        *,
        sheet: str | None,
        row: int | None,
        column: str | None,
        field: str | None,
        value: object,
        message: str,
        hint: str = "",
        code: str = "",
    ) -> CellIssue:
        """Add a warning and return it."""
        issue = CellIssue(
            sheet, row, column, field, _as_text(value), message, hint, "warning", code
        )
        self.add(issue)
        return issue

    # -- reading --------------------------------------------------------------------------
    def __iter__(self) -> Iterator[CellIssue]:
        return iter(self._issues)

    def __len__(self) -> int:
        return len(self._issues)

    def __bool__(self) -> bool:
        return bool(self._issues) or self.dropped_errors > 0 or self.dropped_warnings > 0

    def __getitem__(self, index: int) -> CellIssue:
        return self._issues[index]

    @property
    def errors(self) -> list[CellIssue]:
        return [i for i in self._issues if i.severity == "error"]

    @property
    def warnings(self) -> list[CellIssue]:
        return [i for i in self._issues if i.severity == "warning"]

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.dropped_errors

    @property
    def warning_count(self) -> int:
        return len(self.warnings) + self.dropped_warnings

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0

    def sorted(self, sheet_order: Sequence[str] = ()) -> IssueList:
        """A copy ordered by sheet (in the given order), row, column."""
        order: dict[str | None, int] = {None: -1}
        for i, name in enumerate(sheet_order):
            order.setdefault(name, i)
        for issue in self._issues:
            order.setdefault(issue.sheet, len(order))
        copy = IssueList(sorted(self._issues, key=lambda i: _sort_key(i, order)))
        copy.max_issues = self.max_issues
        copy.dropped_errors = self.dropped_errors
        copy.dropped_warnings = self.dropped_warnings
        return copy

    # -- rendering ------------------------------------------------------------------------
    def summary(self) -> str:
        """``共 3 个错误、1 个提醒。``"""
        if not self:
            return "未发现问题。"
        parts = []
        if self.error_count:
            parts.append(f"{self.error_count} 个错误")
        if self.warning_count:
            parts.append(f"{self.warning_count} 个提醒")
        return "共 " + "、".join(parts) + "。"

    def to_lines(self, *, limit: int | None = None, with_severity: bool = False) -> list[str]:
        """Chinese text lines, one per issue; a closing line counts what was not listed."""
        lines: list[str] = []
        shown = self._issues if limit is None else self._issues[:limit]
        for issue in shown:
            prefix = f"[{_SEVERITY_ZH[issue.severity]}] " if with_severity else ""
            lines.append(prefix + issue.text())
        not_shown = (len(self._issues) - len(shown)) + self.dropped_errors + self.dropped_warnings
        if not_shown:
            lines.append(f"……另有 {not_shown} 个问题未列出（{self.summary()}）")
        return lines

    def to_text(self, *, limit: int | None = None) -> str:
        return "\n".join(self.to_lines(limit=limit, with_severity=True))

    def to_dicts(self) -> list[dict[str, Any]]:
        return [i.to_dict() for i in self._issues]

    def to_json(self, **kwargs: Any) -> str:
        payload = {
            "error_count": self.error_count,
            "warning_count": self.warning_count,
            "not_listed": self.dropped_errors + self.dropped_warnings,
            "issues": self.to_dicts(),
        }
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(payload, **kwargs)

    def to_xlsx(self, *, title: str = "问题清单") -> bytes:
        """An Excel report of the issues (one row each), to send back to the person who filled
        the file."""
        from ecplan.tabular.writing import ExportColumn, export_table

        columns = [
            ExportColumn("severity", "级别", width=8),
            ExportColumn("sheet", "工作表", width=16),
            ExportColumn("row", "行", kind="integer", num_format="0", width=8),
            ExportColumn("column", "列", width=6),
            ExportColumn("field", "字段", width=14),
            ExportColumn("value", "填写内容", width=18, kind="text"),
            ExportColumn("message", "问题", width=40),
            ExportColumn("hint", "修改建议", width=40),
        ]
        rows: list[dict[str, Any]] = [
            {**i.to_dict(), "severity": _SEVERITY_ZH[i.severity]} for i in self._issues
        ]
        dropped = self.dropped_errors + self.dropped_warnings
        if dropped:
            rows.append({"message": f"另有 {dropped} 个问题未列出（{self.summary()}）"})
        buf = io.BytesIO()
        export_table(rows, columns, "xlsx", buf, sheet_name=title, title=self.summary())
        return buf.getvalue()


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)
