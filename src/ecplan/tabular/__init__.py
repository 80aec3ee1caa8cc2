"""ecplan.tabular — the way every spreadsheet and CSV enters (and leaves) the platform.

Django-free (import-linter enforces it). Layers:

* :mod:`~ecplan.tabular.intake` — what a file really is; refusals before parsing;
* :mod:`~ecplan.tabular.reading` — workbooks, sheets, rows, cells with positions; header
  detection; tables of records with typed accessors;
* :mod:`~ecplan.tabular.normalise` — scalar cell parsers (numbers, periods, codes, booleans);
* :mod:`~ecplan.tabular.frames` — the same rules vectorised over polars frames;
* :mod:`~ecplan.tabular.issues` — refusals and per-cell issues with Chinese rendering;
* :mod:`~ecplan.tabular.writing` — templates and exports.

See docs/tabular.md.
"""

from ecplan.tabular.frames import ColumnRule, FrameResult, issue_for, normalise_frame
from ecplan.tabular.intake import (
    CheckedFile,
    FileKind,
    IntakeLimits,
    SheetScan,
    check_file,
    column_index,
    column_letter,
)
from ecplan.tabular.issues import CellIssue, IssueList, Severity, TabularFileError
from ecplan.tabular.normalise import (
    CellValueError,
    parse_bool,
    parse_code,
    parse_date,
    parse_number,
    parse_period,
    parse_text,
)
from ecplan.tabular.reading import (
    Cell,
    ColumnMatch,
    Field,
    FrameTable,
    HeaderMatch,
    MergedRange,
    Record,
    Row,
    Sheet,
    Table,
    Workbook,
    find_header,
    open_workbook,
    read_frame,
    read_table,
)
from ecplan.tabular.writing import (
    ExportColumn,
    TemplateColumn,
    TemplateSheet,
    export_table,
    write_template,
)

__all__ = [
    "Cell",
    "CellIssue",
    "CellValueError",
    "CheckedFile",
    "ColumnMatch",
    "ColumnRule",
    "ExportColumn",
    "Field",
    "FileKind",
    "FrameResult",
    "FrameTable",
    "HeaderMatch",
    "IntakeLimits",
    "IssueList",
    "MergedRange",
    "Record",
    "Row",
    "Severity",
    "Sheet",
    "SheetScan",
    "Table",
    "TabularFileError",
    "TemplateColumn",
    "TemplateSheet",
    "Workbook",
    "check_file",
    "column_index",
    "column_letter",
    "export_table",
    "find_header",
    "issue_for",
    "normalise_frame",
    "open_workbook",
    "parse_bool",
    "parse_code",
    "parse_date",
    "parse_number",
    "parse_period",
    "parse_text",
    "read_frame",
    "read_table",
    "write_template",
]
