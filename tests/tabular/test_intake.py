"""Intake: real type by content, refusals before parsing, each with a Chinese message."""

from __future__ import annotations

import codecs
import io
import struct
import zipfile

import olefile
import pytest
import xlwt
from msoffcrypto.format.ooxml import OOXMLFile
from tabular_builders import rezip, xlsx_bytes

from ecplan.tabular import FileKind, IntakeLimits, TabularFileError, check_file, open_workbook

SIMPLE = {"能源消费": [["主体", "数量"], ["A", 1]]}


def refused(data: bytes, limits: IntakeLimits, name: str = "报表.xlsx") -> TabularFileError:
    with pytest.raises(TabularFileError) as info:
        check_file(data, limits=limits, filename=name)
    err = info.value
    assert name in err.text()
    assert err.message  # what is wrong
    assert err.hint  # how to fix it
    return err


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "PNG 图片"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 50, "JPEG 图片"),
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "可执行程序"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 50, "可执行程序"),
        (b"Rar!\x1a\x07\x00" + b"\x00" * 20, "RAR"),
    ],
)
def test_foreign_file_renamed_xlsx_is_refused_by_content(data, what, limits):
    err = refused(data, limits)
    assert err.code == "not_spreadsheet"
    assert err.message.startswith("文件实际为")
    assert what in err.message
    assert "请上传" in err.hint


def test_pdf_message_reads_as_a_sentence(limits):
    err = refused(b"%PDF-1.4 ...", limits)
    assert err.text() == (
        "文件“报表.xlsx”：文件实际为PDF 文档，不是 Excel 工作簿或 CSV："
        "请上传 Excel 工作簿（.xlsx）或 CSV 文件"
    )


def test_xlsx_renamed_csv_is_read_as_xlsx(limits):
    checked = check_file(xlsx_bytes(SIMPLE), limits=limits, filename="data.csv")
    assert checked.kind is FileKind.XLSX


def test_word_and_plain_zip_are_refused(limits):
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("a.txt", "hello")
    assert "zip 压缩包" in refused(plain.getvalue(), limits).message
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    assert "Word 文档" in refused(docx.getvalue(), limits).message


def test_size_limit_is_checked_first(limits):
    small = IntakeLimits(max_bytes=1000)
    err = refused(b"a,b\n" * 1000, small, "big.csv")
    assert err.code == "too_large"
    assert "超过上限" in err.message
    assert check_file(b"a,b\n1,2\n", limits=small).kind is FileKind.CSV


def test_size_limit_applies_to_paths_and_streams(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 5000)
    with pytest.raises(TabularFileError, match="超过上限"):
        check_file(path, limits=IntakeLimits(max_bytes=4096))
    with pytest.raises(TabularFileError, match="超过上限"):
        check_file(io.BytesIO(b"x" * 5000), limits=IntakeLimits(max_bytes=4096))
    assert check_file(path, limits=IntakeLimits(max_bytes=None)).size_bytes == 5000


def test_empty_file_is_refused(limits):
    assert refused(b"", limits).code == "empty"
    assert refused(b"  \r\n\n", limits, "x.csv").code == "empty"


def test_vba_project_is_refused_as_macro_workbook(limits):
    data = rezip(xlsx_bytes(SIMPLE), lambda n, c: c, {"xl/vbaProject.bin": b"\x00" * 100})
    err = refused(data, limits, "报表.xlsm")
    assert err.code == "macro_enabled"
    assert "不含宏" in err.hint


def test_macro_enabled_content_type_is_refused(limits):
    def change(name: str, content: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return content.replace(b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")
        return content

    assert refused(rezip(xlsx_bytes(SIMPLE), change), limits).code == "macro_enabled"


def test_excel4_macro_sheet_is_refused(limits):
    data = rezip(xlsx_bytes(SIMPLE), lambda n, c: c, {"xl/macrosheets/sheet1.xml": b"<x/>"})
    assert refused(data, limits).code == "macro_enabled"


def test_embedded_objects_and_nested_archives_are_refused(limits):
    data = rezip(xlsx_bytes(SIMPLE), lambda n, c: c, {"xl/embeddings/oleObject1.bin": b"x"})
    assert refused(data, limits).code == "embedded_object"
    data = rezip(xlsx_bytes(SIMPLE), lambda n, c: c, {"xl/media/evil.exe": b"MZ"})
    assert refused(data, limits).code == "embedded_object"


def test_zip_bomb_by_compression_ratio_is_refused_from_the_directory(limits):
    data = rezip(xlsx_bytes(SIMPLE), lambda n, c: c, {"xl/media/zeros.xml": b"\x00" * (20 * 1024 * 1024)})  # fmt: skip
    assert len(data) < 200_000
    err = refused(data, limits)
    assert err.code == "zip_bomb"
    assert "压缩比" in err.message


def test_total_uncompressed_size_and_entry_count_limits(limits):
    data = xlsx_bytes(SIMPLE)
    tight = IntakeLimits(max_bytes=None, max_uncompressed_bytes=2000)
    assert refused(data, tight).code == "zip_bomb"
    many = rezip(data, lambda n, c: c, {f"xl/media/{i}.xml": b"<a/>" for i in range(60)})
    assert refused(many, IntakeLimits(max_bytes=None, max_zip_entries=50)).code == "zip_bomb"


def test_directory_lying_about_sizes_is_caught_while_decompressing(limits):
    data = bytearray(xlsx_bytes(SIMPLE))
    # shrink the declared uncompressed size of the first central-directory entry
    cd = data.rfind(b"PK\x05\x06")
    start = struct.unpack_from("<I", data, cd + 16)[0]
    assert data[start : start + 4] == b"PK\x01\x02"
    size = struct.unpack_from("<I", data, start + 24)[0]
    struct.pack_into("<I", data, start + 24, max(size // 4, 1))
    err = refused(bytes(data), limits)
    assert err.code == "corrupt"


def test_path_traversal_and_absurd_entry_names_are_refused(limits):
    for bad in ("../../etc/passwd", "/abs.xml", "C:/x.xml", "a/" * 20 + "x.xml"):
        data = rezip(xlsx_bytes(SIMPLE), lambda n, c: c, {bad: b"<a/>"})
        assert refused(data, limits).code == "corrupt", bad


def test_doctype_in_workbook_xml_is_refused(limits):
    def change(name: str, content: bytes) -> bytes:
        if name == "xl/workbook.xml":
            return content.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaa">]>', 1)
        return content

    assert refused(rezip(xlsx_bytes(SIMPLE), change), limits).code == "corrupt"


def test_truncated_xlsx_is_refused_as_corrupt(limits):
    data = xlsx_bytes(SIMPLE)
    for cut in (100, len(data) // 2, len(data) - 30):
        assert refused(data[:cut], limits).code == "corrupt"


def test_encrypted_xlsx_is_refused(limits):
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(xlsx_bytes(SIMPLE))).encrypt("secret", out)
    err = refused(out.getvalue(), limits)
    assert err.code == "encrypted"
    assert "密码" in err.hint


def test_sparse_sheet_that_would_exhaust_memory_is_refused_before_parsing(limits):
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("稀疏")
    ws.write("A1", "x")
    ws.write(1_048_575, 16_383, "y")  # XFD1048576
    wb.close()
    err = refused(buf.getvalue(), limits)
    assert err.code == "too_many_cells"
    assert "XFD1048576" in err.message
    assert "删除" in err.hint


def test_a_full_height_single_column_is_within_limits(limits):
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    ws.write("A1", "x")
    ws.write(1_048_575, 0, "y")
    wb.close()
    checked = check_file(buf.getvalue(), limits=limits)
    assert checked.sheet_scans["Sheet1"].max_row == 1_048_576


def test_too_many_sheets(limits):
    data = xlsx_bytes({f"S{i}": [["a"]] for i in range(12)})
    err = refused(data, IntakeLimits(max_bytes=None, max_sheets=10))
    assert err.code == "too_many_sheets"


# -- xls ------------------------------------------------------------------------------------


def xls_bytes() -> bytes:
    wb = xlwt.Workbook()
    ws = wb.add_sheet("能源消费")
    ws.write(0, 0, "主体")
    ws.write(0, 1, "数量")
    ws.write(1, 0, "A")
    ws.write(1, 1, 12.5)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def patch_workbook_stream(data: bytes, patch) -> bytes:
    """Rewrite the Workbook stream of an .xls in place (same length)."""
    ole = olefile.OleFileIO(data, write_mode=False)
    stream = bytearray(ole.openstream("Workbook").read())
    ole.close()
    patch(stream)
    buf = bytearray(data)
    tmp = io.BytesIO(bytes(buf))
    ole = olefile.OleFileIO(tmp, write_mode=True)
    ole.write_stream("Workbook", bytes(stream))
    ole.close()
    return tmp.getvalue()


def find_record(stream: bytearray, rtype: int) -> int:
    pos = 0
    while pos + 4 <= len(stream):
        t, length = struct.unpack_from("<HH", stream, pos)
        if t == rtype:
            return pos
        pos += 4 + length
    raise AssertionError(f"record {rtype:#x} not found")


def test_xls_is_accepted_and_read(limits):
    checked = check_file(xls_bytes(), limits=limits, filename="旧表.xls")
    assert checked.kind is FileKind.XLS
    with open_workbook(checked) as wb:
        rows = list(wb.sheet("能源消费").rows())
    assert rows[1].cells[1].value == 12.5
    assert (rows[1].number, rows[1].cells[1].column) == (2, "B")


def test_xls_with_password_record_is_refused(limits):
    def patch(stream: bytearray) -> None:
        pos = find_record(stream, 0x005C)  # WRITEACCESS → FILEPASS of the same length
        struct.pack_into("<H", stream, pos, 0x002F)

    err = refused(patch_workbook_stream(xls_bytes(), patch), limits, "旧表.xls")
    assert err.code == "encrypted"


def test_xls_with_macro_sheet_is_refused(limits):
    def patch(stream: bytearray) -> None:
        pos = find_record(stream, 0x0085)  # BOUNDSHEET: sheet type byte → macro sheet
        stream[pos + 4 + 5] = 0x01

    err = refused(patch_workbook_stream(xls_bytes(), patch), limits, "旧表.xls")
    assert err.code == "macro_enabled"


def test_old_word_document_is_refused(limits):
    # an OLE2 container whose only stream is not a workbook
    data = patch_workbook_stream(xls_bytes(), lambda s: None)
    data = data.replace("Workbook".encode("utf-16-le"), "WordDocu".encode("utf-16-le"))
    err = refused(data, limits, "x.xls")
    assert err.code in {"not_spreadsheet", "corrupt"}


# -- text -----------------------------------------------------------------------------------

CSV_TEXT = '主体,期间,数量\n示例化工有限公司,2025-03,"1,234.5"\n'


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (CSV_TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + CSV_TEXT.encode("utf-8"), "utf-8-sig"),
        (CSV_TEXT.encode("gbk"), "gb18030"),
        (CSV_TEXT.encode("gb18030"), "gb18030"),
        (CSV_TEXT.encode("utf-16"), "utf-16"),
    ],
)
def test_csv_encodings_are_detected(data, encoding, limits):
    checked = check_file(data, limits=limits, filename="a.csv")
    assert checked.kind is FileKind.CSV
    assert checked.encoding == encoding
    assert checked.data.decode("utf-8") == CSV_TEXT


def test_undecodable_text_is_refused_with_the_line(limits):
    data = "主体,数量\nA,1\n".encode() + b"B,\xff\xfe\xfd\xff\x80\n"
    err = refused(data, limits, "a.csv")
    assert err.code == "encoding"
    assert "第 3 行" in err.message
    assert "UTF-8" in err.hint


def test_forced_encoding(limits):
    checked = check_file(CSV_TEXT.encode("gbk"), limits=limits, encoding="gbk")
    assert checked.data.decode() == CSV_TEXT
    with pytest.raises(TabularFileError, match="不认识的文字编码"):
        check_file(b"a", limits=limits, encoding="no-such-codec")


@pytest.mark.parametrize(("sep", "text"), [(",", "a,b\n1,2\n"), ("\t", "a\tb\n1,5\t2\n"), (";", "a;b\n1;2\n")])  # fmt: skip
def test_delimiter_is_sniffed(sep, text, limits):
    assert check_file(text.encode(), limits=limits).delimiter == sep


def test_html_posing_as_xls_is_refused(limits):
    err = refused(b"<html><body><table><tr><td>1</td></tr></table></body></html>", limits, "x.xls")
    assert "网页" in err.message
