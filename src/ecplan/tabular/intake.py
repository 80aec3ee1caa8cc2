"""Safe file intake: decide what a file really is and refuse what must not be parsed.

Everything here runs *before* a spreadsheet parser sees the bytes:

* the real type comes from the file's magic bytes and container structure, never from the
  extension (a PDF renamed ``.xlsx`` is refused as a PDF);
* size limit, macro-enabled workbooks, encrypted files, zip bombs (from the zip directory
  first, then by a bounded decompression that catches lying directories), absurd zip entries
  and embedded files are refused;
* worksheets of an ``.xlsx`` are pre-scanned (bounded) for their real extent — a sparse
  sheet with one cell in A1 and one in XFD1048576 would make the parser allocate 17 billion
  cells and abort the process — and for Excel error values and formulas without a cached
  value, which the parser reads as empty cells;
* text files are decoded: UTF-8 with or without BOM, GB18030 (a superset of GBK/GB2312, what
  Chinese Excel writes for “CSV”), UTF-16 with BOM (Excel's “Unicode 文本”).

Every refusal is a :class:`~ecplan.tabular.issues.TabularFileError` with a Chinese message.
"""

from __future__ import annotations

import codecs
import enum
import io
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from xml.etree import ElementTree

from ecplan.tabular.issues import TabularFileError

MiB = 1024 * 1024


class FileKind(enum.Enum):
    """What a file really is (after looking inside it)."""

    XLSX = "xlsx"
    XLS = "xls"
    ODS = "ods"
    CSV = "csv"  # any delimited text: .csv, .txt, tab-separated

    @property
    def label(self) -> str:
        return {
            "xlsx": "Excel 工作簿（.xlsx）",
            "xls": "Excel 97-2003 工作簿（.xls）",
            "ods": "OpenDocument 表格（.ods）",
            "csv": "文本表格（CSV）",
        }[self.value]


@dataclass(frozen=True)
class IntakeLimits:
    """Limits applied before parsing. ``max_bytes`` has no default on purpose: the platform
    passes its setting (``ECPLAN_MAX_UPLOAD_BYTES``, 20 MB), the command line may pass a larger
    one for analysts' long tables.

    Attributes
    ----------
    max_bytes : int or None
        Largest file accepted, in bytes; None for no limit (trusted command-line input).
    max_uncompressed_bytes : int
        Largest total of the decompressed entries of an ``.xlsx`` / ``.ods`` zip.
    max_compression_ratio : float
        Largest uncompressed/compressed ratio of one zip entry bigger than 1 MiB. Real
        worksheets compress 5–50×; zip bombs 1,000× and more.
    max_zip_entries : int
        Most entries in the zip.
    max_cells : int
        Largest rectangle of cells (rows × columns between the first and the last cell) of
        one worksheet; the parser allocates all of it.
    max_sheets : int
        Most worksheets in a workbook.
    """

    max_bytes: int | None
    max_uncompressed_bytes: int = 512 * MiB
    max_compression_ratio: float = 200.0
    max_zip_entries: int = 10_000
    max_cells: int = 20_000_000
    max_sheets: int = 255


@dataclass(frozen=True)
class SheetScan:
    """What the pre-scan of one worksheet found (``.xlsx`` and ``.xls``).

    Attributes
    ----------
    error_cells : mapping of cell reference → Excel error text
        Cells whose value is an Excel error (``{"D12": "#DIV/0!"}``). The parser reads them as
        empty cells; these are reported instead.
    formulas_without_value : frozenset of cell references
        Formula cells with no cached value (the file was written by a program and never
        recalculated); the parser reads them as empty.
    formula_count : int
        Number of formula cells (their cached values are what is read).
    max_row, max_col : int
        1-based extent of the cells present (0 for an empty sheet).
    """

    error_cells: Mapping[str, str] = field(default_factory=dict)
    formulas_without_value: frozenset[str] = frozenset()
    formula_count: int = 0
    max_row: int = 0
    max_col: int = 0


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed intake.

    Attributes
    ----------
    kind : FileKind
    data : bytes
        The file's bytes; for text files, re-encoded as UTF-8 without BOM.
    filename : str
        The name to show in messages.
    size_bytes : int
        Size of the original file.
    encoding : str or None
        For text files: the encoding detected (``"utf-8"``, ``"utf-8-sig"``, ``"gb18030"``,
        ``"utf-16"``).
    delimiter : str or None
        For text files: the field separator detected.
    sheet_scans : mapping of sheet name → SheetScan
        Pre-scan results for ``.xlsx`` and ``.xls``.
    """

    kind: FileKind
    data: bytes
    filename: str
    size_bytes: int
    encoding: str | None = None
    delimiter: str | None = None
    sheet_scans: Mapping[str, SheetScan] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# entry point


def check_file(
    source: bytes | str | os.PathLike[str] | BinaryIO,
    *,
    limits: IntakeLimits,
    filename: str | None = None,
    encoding: str | None = None,
) -> CheckedFile:
    """Check a file and return it with its real type, or refuse it.

    Parameters
    ----------
    source : bytes, path or binary file object
        The upload or the file named on the command line.
    limits : IntakeLimits
        Size and structure limits (keyword-only, required).
    filename : str, optional
        Name shown in messages (defaults to the path's name).
    encoding : str, optional
        For text files: force this encoding instead of detecting it.

    Raises
    ------
    TabularFileError
        With a Chinese message saying what is wrong and how to fix it.
    """
    data, name = _read_source(source, limits, filename)
    size = len(data)
    if size == 0:
        raise TabularFileError(
            "empty", "文件是空的（0 字节）", "请检查是否选错了文件，重新导出后再上传", filename=name
        )
    try:
        return _check_bytes(data, name, size, limits, encoding)
    except TabularFileError:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        struct.error,
        ValueError,
        KeyError,
        IndexError,
        NotImplementedError,  # zipfile: unsupported compression or strong encryption flags
        RuntimeError,  # zipfile: an entry flagged as encrypted
        OSError,
    ) as exc:
        raise TabularFileError(
            "corrupt",
            "文件已损坏，无法读取（" + type(exc).__name__ + "）",
            "请在 Excel 中打开该文件并另存为 .xlsx 后重新上传",
            filename=name,
        ) from exc


def _read_source(
    source: bytes | str | os.PathLike[str] | BinaryIO, limits: IntakeLimits, filename: str | None
) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        name = filename or "上传的文件"
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        name = filename or path.name
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise TabularFileError(
                "unreadable", f"无法读取文件（{exc.strerror}）", "请检查文件路径", filename=name
            ) from exc
        if path.is_dir():
            raise TabularFileError(
                "unreadable", "这是一个文件夹，不是文件", "请指定表格文件", filename=name
            )
        _check_size(size, limits, name)
        data = path.read_bytes()
    else:
        name = filename or str(getattr(source, "name", "") or "上传的文件")
        cap = None if limits.max_bytes is None else limits.max_bytes + 1
        data = source.read() if cap is None else source.read(cap)
    _check_size(len(data), limits, name)
    return data, name


def _fmt_size(n: int) -> str:
    return f"{n / MiB:.1f} MB" if n >= 100 * 1024 else f"{n / 1024:.0f} KB"


def _check_size(size: int, limits: IntakeLimits, name: str) -> None:
    if limits.max_bytes is not None and size > limits.max_bytes:
        raise TabularFileError(
            "too_large",
            f"文件大小超过上限 {_fmt_size(limits.max_bytes)}"
            + ("" if size == limits.max_bytes + 1 else f"（实际 {_fmt_size(size)}）"),
            "请删除无关的工作表、图片或多余的空行，或拆分为多个文件后分别上传",
            filename=name,
        )


# --------------------------------------------------------------------------------------------
# magic bytes

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

# (magic, offset, what it is) — files that are certainly not tables
_FOREIGN: list[tuple[bytes, int, str]] = [
    (b"%PDF", 0, "PDF 文档"),
    (b"\x89PNG\r\n\x1a\n", 0, "PNG 图片"),
    (b"\xff\xd8\xff", 0, "JPEG 图片"),
    (b"GIF87a", 0, "GIF 图片"),
    (b"GIF89a", 0, "GIF 图片"),
    (b"II*\x00", 0, "TIFF 图片"),
    (b"MM\x00*", 0, "TIFF 图片"),
    (b"WEBP", 8, "WebP 图片"),
    (b"\x7fELF", 0, "可执行程序"),
    (b"\x1f\x8b", 0, "gzip 压缩包"),
    (b"Rar!\x1a\x07", 0, "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", 0, "7z 压缩包"),
    (b"BZh", 0, "bzip2 压缩包"),
    (b"\xfd7zXZ\x00", 0, "xz 压缩包"),
    (b"{\\rtf", 0, "RTF 文档"),
    (b"\xca\xfe\xba\xbe", 0, "可执行程序"),
    (b"\xcf\xfa\xed\xfe", 0, "可执行程序"),
    (b"SQLite format 3\x00", 0, "SQLite 数据库"),
    (b"ITSF", 0, "CHM 帮助文件"),
    (b"\x00\x00\x00\x0cjP  ", 0, "JPEG 2000 图片"),
]
_FIX_SAVE_XLSX = "请上传 Excel 工作簿（.xlsx）或 CSV 文件"


def _refuse_foreign(what: str, name: str) -> TabularFileError:
    return TabularFileError(
        "not_spreadsheet",
        f"文件实际为{what}，不是 Excel 工作簿或 CSV",
        _FIX_SAVE_XLSX,
        filename=name,
    )


def _check_bytes(
    data: bytes, name: str, size: int, limits: IntakeLimits, encoding: str | None
) -> CheckedFile:
    head = data[:64]
    if head.startswith(_ZIP):
        return _check_zip(data, name, size, limits)
    if head.startswith(_OLE2):
        return _check_ole2(data, name, size, limits)
    for magic, offset, what in _FOREIGN:
        if head[offset : offset + len(magic)] == magic:
            raise _refuse_foreign(what, name)
    if head.startswith(b"MZ") and b"\x00" in data[:1024]:
        raise _refuse_foreign("Windows 可执行程序", name)
    if head[4:8] in (b"ftyp", b"moov", b"mdat") or head.startswith((b"ID3", b"RIFF", b"OggS")):
        raise _refuse_foreign("音频或视频文件", name)
    return _check_text(data, name, size, encoding)


# --------------------------------------------------------------------------------------------
# zip containers: xlsx, ods


_ARCHIVE_SUFFIXES = (
    ".zip",
    ".rar",
    ".7z",
    ".gz",
    ".tar",
    ".jar",
    ".exe",
    ".dll",
    ".bat",
    ".cmd",
    ".ps1",
    ".vbs",
    ".js",
    ".scr",
    ".msi",
    ".xlsm",
    ".docm",
    ".pptm",
    ".xlam",
)


def _check_zip(data: bytes, name: str, size: int, limits: IntakeLimits) -> CheckedFile:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise TabularFileError(
            "corrupt",
            "文件已损坏或不完整（压缩结构无法读取），可能上传中断或文件被截断",
            "请在 Excel 中打开并另存为 .xlsx 后重新上传",
            filename=name,
        ) from exc
    with zf:
        infos = zf.infolist()
        _check_zip_directory(infos, name, limits)
        names = {i.filename for i in infos}
        lowered = {n.lower() for n in names}
        kind = _zip_kind(zf, names, lowered, name)
        _check_zip_content_safety(kind, zf, names, lowered, name)
        scans = _verify_zip_entries(zf, infos, kind, name, limits)
    return CheckedFile(kind=kind, data=data, filename=name, size_bytes=size, sheet_scans=scans)


def _check_zip_directory(infos: list[zipfile.ZipInfo], name: str, limits: IntakeLimits) -> None:
    bomb_hint = (
        "该文件的压缩结构异常（疑似“压缩炸弹”），请在 Excel 中打开并另存为新的 .xlsx 后重新上传"
    )
    if len(infos) > limits.max_zip_entries:
        raise TabularFileError(
            "zip_bomb",
            f"文件内部包含 {len(infos)} 个条目，超过上限 {limits.max_zip_entries}",
            bomb_hint,
            filename=name,
        )
    seen: set[str] = set()
    total = 0
    for info in infos:
        entry = info.filename
        if entry in seen:
            raise TabularFileError(
                "corrupt", f"文件内部有重复的条目“{entry[:80]}”", bomb_hint, filename=name
            )
        seen.add(entry)
        parts = PurePosixPath(entry).parts
        if (
            entry.startswith(("/", "\\"))
            or "\\" in entry
            or "\x00" in entry
            or ".." in parts
            or (len(entry) > 1 and entry[1] == ":")
            or len(entry) > 512
            or len(parts) > 16
        ):
            raise TabularFileError(
                "corrupt", f"文件内部有异常的条目名“{entry[:80]}”", bomb_hint, filename=name
            )
        if info.flag_bits & 0x1:
            raise TabularFileError(
                "encrypted",
                "文件已加密（设置了密码）",
                "请在 Excel 中取消密码保护（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后另存上传",
                filename=name,
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise TabularFileError(
                "corrupt",
                f"文件内部条目“{entry[:80]}”使用了不支持的压缩方式",
                "请在 Excel 中打开并另存为 .xlsx 后重新上传",
                filename=name,
            )
        total += info.file_size
        if total > limits.max_uncompressed_bytes:
            raise TabularFileError(
                "zip_bomb",
                f"文件解压后超过 {_fmt_size(limits.max_uncompressed_bytes)}",
                bomb_hint,
                filename=name,
            )
        if info.file_size > MiB and info.file_size > limits.max_compression_ratio * max(
            info.compress_size, 1
        ):
            raise TabularFileError(
                "zip_bomb",
                f"文件内部条目“{entry[:80]}”的压缩比异常（{info.file_size // max(info.compress_size, 1)} 倍）",
                bomb_hint,
                filename=name,
            )


def _zip_kind(zf: zipfile.ZipFile, names: set[str], lowered: set[str], name: str) -> FileKind:
    if "mimetype" in names:
        mimetype = zf.read("mimetype")[:200].strip()
        if mimetype == b"application/vnd.oasis.opendocument.spreadsheet":
            return FileKind.ODS
        if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
            raise _refuse_foreign("OpenDocument 文字文档", name)
        raise _refuse_foreign(
            f"其他 OpenDocument 文件（{mimetype[:60].decode('ascii', 'replace')}）", name
        )
    if "[content_types].xml" in lowered:
        if "xl/workbook.bin" in lowered:
            raise TabularFileError(
                "unsupported",
                "文件是 Excel 二进制工作簿（.xlsb）",
                "请在 Excel 中“另存为” Excel 工作簿（.xlsx）后重新上传",
                filename=name,
            )
        if "xl/workbook.xml" in lowered:
            return FileKind.XLSX
        if "word/document.xml" in lowered:
            raise _refuse_foreign("Word 文档", name)
        if any(n.startswith("ppt/") for n in lowered):
            raise _refuse_foreign("PowerPoint 演示文稿", name)
        if "xl/workbook.xml" not in lowered and any(n.startswith("xl/") for n in lowered):
            raise TabularFileError(
                "corrupt",
                "文件缺少工作簿主体（xl/workbook.xml），已损坏",
                "请在 Excel 中打开并另存为 .xlsx 后重新上传",
                filename=name,
            )
    raise _refuse_foreign("普通的 zip 压缩包", name)


def _check_zip_content_safety(
    kind: FileKind, zf: zipfile.ZipFile, names: set[str], lowered: set[str], name: str
) -> None:
    macro_hint = "请在 Excel 中“另存为” Excel 工作簿（*.xlsx，不含宏）后重新上传"
    if kind is FileKind.XLSX:
        content_types = _read_capped(zf, _exact(names, "[Content_Types].xml"), 4 * MiB, name)
        if (
            b"macroEnabled" in content_types
            or any(n.endswith("vbaproject.bin") for n in lowered)
            or any(n.startswith("xl/macrosheets/") for n in lowered)
        ):
            raise TabularFileError(
                "macro_enabled",
                "文件是启用宏的工作簿（含 VBA 宏或宏表）",
                macro_hint,
                filename=name,
            )
        if any(n.startswith(("xl/activex/", "xl/embeddings/")) for n in lowered):
            raise TabularFileError(
                "embedded_object",
                "工作簿中嵌入了其他文件或控件（对象、ActiveX）",
                "请删除嵌入的对象和控件，另存为 .xlsx 后重新上传",
                filename=name,
            )
    if kind is FileKind.ODS:
        if any(n.startswith(("basic/", "scripts/")) for n in lowered):
            raise TabularFileError(
                "macro_enabled", "表格文件中含有宏或脚本", macro_hint, filename=name
            )
        if "meta-inf/manifest.xml" in lowered:
            manifest = _read_capped(zf, _exact(names, "META-INF/manifest.xml"), 4 * MiB, name)
            if b"encryption-data" in manifest:
                raise TabularFileError(
                    "encrypted",
                    "文件已加密（设置了密码）",
                    "请取消密码保护后另存为 .xlsx 再上传",
                    filename=name,
                )
        if "content.xml" not in lowered:
            raise TabularFileError(
                "corrupt", "表格文件缺少内容（content.xml），已损坏", _FIX_SAVE_XLSX, filename=name
            )
    for entry in lowered:
        if entry.endswith(_ARCHIVE_SUFFIXES):
            raise TabularFileError(
                "embedded_object",
                f"工作簿中夹带了其他文件（{entry[:80]}）",
                "请删除嵌入的文件，另存为 .xlsx 后重新上传",
                filename=name,
            )


def _exact(names: set[str], wanted: str) -> str:
    for n in names:
        if n.lower() == wanted.lower():
            return n
    raise KeyError(wanted)


def _read_capped(zf: zipfile.ZipFile, entry: str, cap: int, name: str) -> bytes:
    with zf.open(entry) as fh:
        data = fh.read(cap + 1)
    if len(data) > cap:
        raise TabularFileError(
            "zip_bomb", f"文件内部条目“{entry[:80]}”异常地大", _FIX_SAVE_XLSX, filename=name
        )
    return data


def _verify_zip_entries(
    zf: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    kind: FileKind,
    name: str,
    limits: IntakeLimits,
) -> dict[str, SheetScan]:
    """Decompress every entry once, bounded, to catch directories that lie about sizes, and
    pre-scan the worksheets."""
    sheet_paths: dict[str, str] = {}
    if kind is FileKind.XLSX:
        sheet_paths = _xlsx_sheet_paths(zf, name)
        if len(sheet_paths) > limits.max_sheets:
            raise TabularFileError(
                "too_many_sheets",
                f"工作簿有 {len(sheet_paths)} 个工作表，超过上限 {limits.max_sheets}",
                "请删除无关的工作表后重新上传",
                filename=name,
            )
    path_to_sheet = {v: k for k, v in sheet_paths.items()}
    scans: dict[str, SheetScan] = {}
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        keep = info.filename in path_to_sheet
        chunks: list[bytes] = []
        produced = 0
        with zf.open(info) as fh:  # zipfile stops at the declared size and checks the CRC
            while True:
                chunk = fh.read(MiB)
                if not chunk:
                    break
                produced += len(chunk)
                total += len(chunk)
                if total > limits.max_uncompressed_bytes:
                    raise TabularFileError(
                        "zip_bomb",
                        f"文件解压后超过 {_fmt_size(limits.max_uncompressed_bytes)}",
                        "请删除无关内容，或拆分为多个文件后分别上传",
                        filename=name,
                    )
                if (keep or info.filename.lower().endswith((".xml", ".rels"))) and (
                    b"<!DOCTYPE" in chunk or b"<!ENTITY" in chunk
                ):
                    raise TabularFileError(
                        "corrupt",
                        f"文件内部条目“{info.filename[:80]}”含有不允许的 XML 声明",
                        "请在 Excel 中打开并另存为新的 .xlsx 后重新上传",
                        filename=name,
                    )
                if keep:
                    chunks.append(chunk)
        if produced != info.file_size:
            raise TabularFileError(
                "corrupt",
                f"文件内部条目“{info.filename[:80]}”与目录记录不一致，文件已损坏或被篡改",
                "请在 Excel 中打开并另存为新的 .xlsx 后重新上传",
                filename=name,
            )
        if keep:
            sheet = path_to_sheet[info.filename]
            scans[sheet] = scan_sheet_xml(b"".join(chunks))
            _check_extent(scans[sheet], sheet, name, limits)
    return scans


def _check_extent(scan: SheetScan, sheet: str, name: str, limits: IntakeLimits) -> None:
    cells = scan.max_row * scan.max_col
    if cells > limits.max_cells:
        raise TabularFileError(
            "too_many_cells",
            f"工作表“{sheet}”的数据区域过大（最后一个单元格在 {column_letter(scan.max_col)}{scan.max_row}，"
            f"共约 {cells:,} 个单元格，上限 {limits.max_cells:,}）",
            "请删除数据区域之外的内容和格式（选中多余的行列后“删除”，不是“清除内容”），保存后重新上传",
            filename=name,
        )


_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _xlsx_sheet_paths(zf: zipfile.ZipFile, name: str) -> dict[str, str]:
    """Sheet name → zip path of its XML, in workbook order."""
    names = set(zf.namelist())
    workbook_xml = _read_capped(zf, _exact(names, "xl/workbook.xml"), 8 * MiB, name)
    try:
        rels_name = _exact(names, "xl/_rels/workbook.xml.rels")
        rels_xml = _read_capped(zf, rels_name, 8 * MiB, name)
    except KeyError:
        rels_xml = b""
    for blob in (workbook_xml, rels_xml):
        if b"<!DOCTYPE" in blob or b"<!ENTITY" in blob:
            raise TabularFileError(
                "corrupt", "工作簿结构含有不允许的 XML 声明", _FIX_SAVE_XLSX, filename=name
            )
    try:
        wb_root = ElementTree.fromstring(workbook_xml)
        rel_root = ElementTree.fromstring(rels_xml) if rels_xml else None
    except (
        ElementTree.ParseError,
        LookupError,
        ValueError,
    ) as exc:  # LookupError: bogus encoding declaration
        raise TabularFileError(
            "corrupt", "工作簿结构已损坏（XML 无法解析）", _FIX_SAVE_XLSX, filename=name
        ) from exc
    targets: dict[str, str] = {}
    if rel_root is not None:
        for rel in rel_root.iter():
            if rel.tag.endswith("Relationship") and rel.get("Id") and rel.get("Target"):
                target = str(rel.get("Target"))
                target = target.lstrip("/") if target.startswith("/") else "xl/" + target
                targets[str(rel.get("Id"))] = str(PurePosixPath(target))
    lower_map = {n.lower(): n for n in names}
    result: dict[str, str] = {}
    for el in wb_root.iter():
        if el.tag.endswith("}sheet") or el.tag == "sheet":
            sheet_name = el.get("name")
            rid = el.get(f"{{{_REL_NS}}}id") or el.get("id")
            if sheet_name is None or rid is None or rid not in targets:
                continue
            path = lower_map.get(targets[rid].lower())
            if path is not None:
                result[sheet_name] = path
    return result


_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_CELL_TAG = re.compile(rb"<(?:\w+:)?c(?=[\s>/])([^>]*?)(/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ERROR_ATTR = re.compile(rb'\bt="e"')
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f(?=[\s>/])")
_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>([^<]*)</(?:\w+:)?v>")
_R_ATTR = re.compile(rb'\br="([A-Z]{1,3}[0-9]{1,7})"')
_ROW_SPLIT = re.compile(rb"</(?:\w+:)?row>")
_ANY_CELL = re.compile(rb"<(?:\w+:)?c(?=[\s>/])")
_ROW_R = re.compile(rb'<(?:\w+:)?row\s[^>]*?\br="([0-9]{1,7})"')


def column_letter(index: int) -> str:
    """1 → ``"A"``, 27 → ``"AA"``."""
    if index < 1:
        raise ValueError("column index starts at 1")
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """``"A"`` → 1, ``"AA"`` → 27."""
    value = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise ValueError(f"not a column letter: {letters!r}")
        value = value * 26 + (ord(ch) - 64)
    return value


def scan_sheet_xml(xml: bytes) -> SheetScan:
    """Pre-scan one worksheet's XML: extent, error cells, formulas without cached value.

    Regular expressions over the bytes, no XML parser: bounded work, no entity expansion.
    """
    refs = _CELL_REF.findall(xml)
    max_row = 0
    max_col = 0
    if refs:
        cols = {c for c, _ in refs}
        rows = {r for _, r in refs}
        max_col = max(column_index(c.decode()) for c in cols)
        max_row = max(int(r) for r in rows)
    cell_tags = xml.count(b"<c ") + xml.count(b"<c>") + xml.count(b"<c/>")
    if cell_tags > len(refs):
        # Some cells carry no reference: the parser places them one after the other in their
        # row, so the widest row bounds the columns and the row numbers bound the rows.
        widest = 0
        row_count = 0
        for chunk in _ROW_SPLIT.split(xml):
            n = len(_ANY_CELL.findall(chunk))
            if n:
                row_count += 1
                widest = max(widest, n)
        max_col = max(max_col, widest)
        row_numbers = [int(r) for r in _ROW_R.findall(xml)]
        max_row = max([max_row, row_count, *row_numbers])
    errors: dict[str, str] = {}
    for m in _ERROR_ATTR.finditer(xml):
        start = xml.rfind(b"<", 0, m.start())
        cell = _CELL_TAG.match(xml, start)
        if cell is None:
            continue
        ref = _R_ATTR.search(cell.group(1))
        value = _VALUE.search(cell.group(3) or b"")
        if ref is not None:
            errors[ref.group(1).decode()] = (
                value.group(1).decode("utf-8", "replace") if value else "#错误"
            )
    no_value: set[str] = set()
    formula_count = 0
    for m in _FORMULA_TAG.finditer(xml):
        start = xml.rfind(b"<", 0, m.start())
        cell = _CELL_TAG.match(xml, start)
        if cell is None:
            continue
        formula_count += 1
        ref = _R_ATTR.search(cell.group(1))
        value = _VALUE.search(cell.group(3) or b"")
        inline = b"<is>" in (cell.group(3) or b"")
        if ref is not None and (value is None or value.group(1) == b"") and not inline:
            no_value.add(ref.group(1).decode())
    return SheetScan(
        error_cells=errors,
        formulas_without_value=frozenset(no_value),
        formula_count=formula_count,
        max_row=max_row,
        max_col=max_col,
    )


# --------------------------------------------------------------------------------------------
# OLE2 containers: xls, encrypted OOXML, old Word/PowerPoint


_BIFF_ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}


def _check_ole2(data: bytes, name: str, size: int, limits: IntakeLimits) -> CheckedFile:
    import olefile

    corrupt = TabularFileError(
        "corrupt",
        "文件已损坏或不完整（Office 容器结构无法读取）",
        "请在 Excel 中打开并另存为 .xlsx 后重新上传",
        filename=name,
    )
    try:
        ole = olefile.OleFileIO(data)
    except Exception as exc:  # olefile raises many types on malformed input
        raise corrupt from exc
    try:
        entries = {"/".join(p).lower() for p in ole.listdir(streams=True, storages=True)}
        if "encryptedpackage" in entries or "encryptioninfo" in entries:
            raise TabularFileError(
                "encrypted",
                "文件已加密（设置了打开密码）",
                "请在 Excel 中取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后另存上传",
                filename=name,
            )
        if "worddocument" in entries:
            raise _refuse_foreign("Word 97-2003 文档（.doc）", name)
        if "powerpoint document" in entries:
            raise _refuse_foreign("PowerPoint 97-2003 演示文稿（.ppt）", name)
        stream = "workbook" if "workbook" in entries else ("book" if "book" in entries else None)
        if stream is None:
            raise _refuse_foreign("其他 Office 文件", name)
        if any(e.startswith(("_vba_project_cur", "_vba_project", "macros")) for e in entries):
            raise TabularFileError(
                "macro_enabled",
                "文件是启用宏的工作簿（含 VBA 宏）",
                "请在 Excel 中“另存为” Excel 工作簿（*.xlsx，不含宏）后重新上传",
                filename=name,
            )
        if ole.get_size(stream) > limits.max_uncompressed_bytes:
            raise corrupt
        biff = ole.openstream(stream).read()
    except TabularFileError:
        raise
    except Exception as exc:  # malformed sector chains and the like
        raise corrupt from exc
    finally:
        ole.close()
    scans = _scan_biff(biff, name, limits)
    return CheckedFile(
        kind=FileKind.XLS, data=data, filename=name, size_bytes=size, sheet_scans=scans
    )


def _scan_biff(biff: bytes, name: str, limits: IntakeLimits) -> dict[str, SheetScan]:
    """Walk the BIFF records: refuse FILEPASS (encryption) and macro sheets; collect sheet
    names, error cells and extents."""
    pos = 0
    n = len(biff)
    sheets_by_offset: dict[int, str] = {}
    current: str | None = None
    in_globals = True
    acc: dict[str, tuple[dict[str, str], int, int]] = {}
    formula_count: dict[str, int] = {}
    bof_seen = 0
    while pos + 4 <= n:
        rtype, length = struct.unpack_from("<HH", biff, pos)
        body = biff[pos + 4 : pos + 4 + length]
        start = pos
        pos += 4 + length
        if rtype == 0x0809:  # BOF
            bof_seen += 1
            if not in_globals or bof_seen > 1:
                current = sheets_by_offset.get(start)
            continue
        if rtype == 0x000A:  # EOF
            if in_globals:
                in_globals = False
            current = None
            continue
        if in_globals:
            if rtype == 0x002F:  # FILEPASS
                raise TabularFileError(
                    "encrypted",
                    "文件已加密（设置了打开密码）",
                    "请在 Excel 中取消密码后另存为 .xlsx 再上传",
                    filename=name,
                )
            if rtype == 0x0085 and length >= 8:  # BOUNDSHEET
                offset = struct.unpack_from("<I", body, 0)[0]
                sheet_type = body[5]
                if sheet_type in (0x01, 0x06):
                    raise TabularFileError(
                        "macro_enabled",
                        "文件含有宏表（Excel 4.0 宏或 VBA 模块）",
                        "请在 Excel 中“另存为” Excel 工作簿（*.xlsx，不含宏）后重新上传",
                        filename=name,
                    )
                sheets_by_offset[offset] = _biff_sheet_name(body[6:])
                if len(sheets_by_offset) > limits.max_sheets:
                    raise TabularFileError(
                        "too_many_sheets",
                        f"工作簿的工作表超过上限 {limits.max_sheets} 个",
                        "请删除无关的工作表后重新上传",
                        filename=name,
                    )
            continue
        if current is None or length < 4:
            continue
        errors, max_row, max_col = acc.setdefault(current, ({}, 0, 0))
        row, col = struct.unpack_from("<HH", body, 0)
        last_col = col
        if rtype in (0x00BD, 0x00BE) and length >= 6:  # MULRK, MULBLANK
            last_col = struct.unpack_from("<H", body, length - 2)[0]
        elif rtype not in (0x0203, 0x0204, 0x00FD, 0x027E, 0x0201, 0x0205, 0x0006, 0x00D6):
            continue
        if rtype == 0x0205 and length >= 8 and body[7] == 1:  # BOOLERR with an error
            errors[f"{column_letter(col + 1)}{row + 1}"] = _BIFF_ERRORS.get(body[6], "#错误")
        if rtype == 0x0006 and length >= 14:  # FORMULA
            formula_count[current] = formula_count.get(current, 0) + 1
            result = body[6:14]
            if result[6:8] == b"\xff\xff" and result[0] == 0x02:
                errors[f"{column_letter(col + 1)}{row + 1}"] = _BIFF_ERRORS.get(result[2], "#错误")
        acc[current] = (errors, max(max_row, row + 1), max(max_col, last_col + 1))
    scans: dict[str, SheetScan] = {}
    for sheet, (errors, max_row, max_col) in acc.items():
        scans[sheet] = SheetScan(
            error_cells=errors,
            formula_count=formula_count.get(sheet, 0),
            max_row=max_row,
            max_col=max_col,
        )
        _check_extent(scans[sheet], sheet, name, limits)
    return scans


def _biff_sheet_name(raw: bytes) -> str:
    if not raw:
        return ""
    cch = raw[0]
    if len(raw) >= 2 and raw[1] in (0, 1):  # BIFF8: flags byte
        if raw[1] & 1:
            return raw[2 : 2 + 2 * cch].decode("utf-16-le", "replace")
        return raw[2 : 2 + cch].decode("latin-1")
    return raw[1 : 1 + cch].decode("latin-1")


# --------------------------------------------------------------------------------------------
# text


_ENCODING_HINT = "请用 Excel 或 WPS 打开后“另存为” CSV UTF-8（逗号分隔）或 .xlsx 文件"


def _check_text(data: bytes, name: str, size: int, encoding: str | None) -> CheckedFile:
    head = data[:4096]
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<html", b"<!doctype html", b"<table", b"<head", b"<meta")):
        raise TabularFileError(
            "not_spreadsheet",
            "文件实际为网页（HTML），不是 Excel 工作簿（常见于某些系统“导出 Excel”的文件）",
            "请用 Excel 打开该文件，再“另存为” Excel 工作簿（.xlsx）后上传",
            filename=name,
        )
    if (
        lowered.startswith(b"<?xml")
        and b"urn:schemas-microsoft-com:office:spreadsheet" in data[:65536]
    ):
        raise TabularFileError(
            "unsupported",
            "文件是 Excel 2003 XML 表格",
            "请用 Excel 打开后“另存为” Excel 工作簿（.xlsx）再上传",
            filename=name,
        )
    text, detected = decode_text(data, name=name, encoding=encoding)
    if "\x00" in text:
        raise TabularFileError(
            "not_spreadsheet",
            "文件不是表格，也不是文本（含有二进制内容）",
            _FIX_SAVE_XLSX,
            filename=name,
        )
    if not text.strip():
        raise TabularFileError("empty", "文件中没有任何内容", "请检查是否选错了文件", filename=name)
    delimiter = sniff_delimiter(text)
    return CheckedFile(
        kind=FileKind.CSV,
        data=text.encode("utf-8"),
        filename=name,
        size_bytes=size,
        encoding=detected,
        delimiter=delimiter,
    )


def decode_text(data: bytes, *, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode a text file: the given encoding, else UTF-8 (BOM or not), UTF-16 with BOM,
    GB18030. Returns (text without BOM, encoding used)."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise TabularFileError(
                "encoding",
                f"不认识的文字编码“{encoding}”",
                "常用编码：utf-8、gb18030",
                filename=name,
            ) from exc
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise _undecodable(data, exc, encoding, name) from exc
        return text.lstrip("\ufeff"), encoding
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _undecodable(data, exc, "utf-16", name) from exc
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _undecodable(data[3:], exc, "utf-8", name) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            raise _undecodable(data, utf8_error, "utf-8", name) from utf8_error


def _undecodable(
    data: bytes, exc: UnicodeDecodeError, encoding: str, name: str
) -> TabularFileError:
    line = data[: exc.start].count(b"\n") + 1
    return TabularFileError(
        "encoding",
        f"文件的文字编码无法识别（第 {line} 行附近有既不是 UTF-8 也不是 GBK/GB18030 的字节）",
        _ENCODING_HINT,
        filename=name,
    )


def sniff_delimiter(text: str) -> str:
    """The field separator of a delimited text: the candidate (comma, tab, semicolon, vertical
    bar) that splits the first non-empty lines most consistently. Comma when in doubt."""
    lines = [ln for ln in text[:65536].splitlines() if ln.strip()][:20]
    best = ","
    best_score = 0.0
    for candidate in (",", "\t", ";", "|"):
        counts = [_count_outside_quotes(ln, candidate) for ln in lines]
        if not counts or max(counts) == 0:
            continue
        mode = max(set(counts), key=counts.count)
        score = counts.count(mode) * mode
        if score > best_score:
            best, best_score = candidate, score
    return best


def _count_outside_quotes(line: str, sep: str) -> int:
    count = 0
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            count += 1
    return count
