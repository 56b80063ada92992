"""Reading import files and collecting per-row errors (issue 2, point 3).

Tables come as .xlsx (read with openpyxl in read-only mode) or .csv. Offices in China save CSV from
Excel in GBK, so a CSV is read as UTF-8 (with or without BOM) and, failing that, as GB18030 (a superset
of GBK). Headers are matched by their Chinese names, English aliases, or with "*" required-markers and
bracketed notes stripped. Row numbers are the ones the user sees in Excel: the header is row 1.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError

MAX_TABLE_BYTES = 20 * 1024 * 1024
MAX_GEOJSON_BYTES = 64 * 1024 * 1024
MAX_ROWS = 50_000
PREVIEW_ROWS = 10
# Large IN lists are split: SQLite limits the number of bound parameters per statement.
IN_CHUNK = 500

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (Excel 97-2003)
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
_BRACKETED = re.compile(r"[（(][^）)]*[）)]")


def file_error(message: str) -> ServiceError:
    """A problem with the file as a whole (not one row): shown above the upload form."""
    return ServiceError(ErrorCode.INVALID, message, field="file")


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def extension(filename: str) -> str:
    """The lower-case extension of `filename` without the dot ("" when there is none)."""
    name = (filename or "").strip().lower()
    return name.rsplit(".", 1)[-1] if "." in name else ""


def clean_text(value: object) -> str:
    """A cell's value as the text the user sees: numbers without ".0", dates as YYYY-MM-DD, trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date | datetime.datetime):
        value = value.isoformat()
    text = str(value)
    for char in _INVISIBLE:
        text = text.replace(char, "")
    return text.replace("\u3000", " ").strip()


def normalise_header(text: str) -> str:
    """Header text for matching: no required-markers, no bracketed notes, no spaces, lower case."""
    text = _BRACKETED.sub("", clean_text(text))
    return re.sub(r"\s+", "", text.strip("*＊ ")).lower()


@dataclass(frozen=True)
class Column:
    """One column of an import table. `label` is the Chinese header (also the gettext msgid)."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False  # the column must be present (values are checked row by row)
    help: str = ""


@dataclass(frozen=True)
class RowError:
    """One problem in one row (or GeoJSON feature), named the way the user can find it."""

    row: int
    column: str
    message: str
    unit: str = "row"  # "row": a table row as numbered in Excel; "feature": a GeoJSON feature (1-based)

    @property
    def location(self) -> str:
        if self.unit == "feature":
            return _("第%(n)d个要素") % {"n": self.row}
        return _("第%(n)d行") % {"n": self.row}

    @property
    def text(self) -> str:
        if self.column:
            return _("%(location)s「%(column)s」：%(message)s") % {
                "location": self.location,
                "column": self.column,
                "message": self.message,
            }
        return _("%(location)s：%(message)s") % {"location": self.location, "message": self.message}

    def as_dict(self) -> dict[str, object]:
        return {
            "row": self.row,
            "unit": self.unit,
            "column": self.column,
            "message": self.message,
            "text": self.text,
        }


@dataclass
class ErrorReport:
    """The errors found while validating every row; nothing is written while it is not empty."""

    unit: str = "row"
    errors: list[RowError] = field(default_factory=list)

    def add(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row=row, column=column, message=message, unit=self.unit))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def sorted(self) -> list[RowError]:
        return sorted(self.errors, key=lambda e: e.row)


@dataclass
class Table:
    """A table read from a file: values keyed by column key, and each column's header as written."""

    rows: list[tuple[int, dict[str, str]]]
    labels: dict[str, str]
    columns: tuple[Column, ...]

    def label(self, key: str) -> str:
        """The header as the user wrote it, or the Chinese name when the column is absent."""
        if key in self.labels:
            return self.labels[key]
        return next(_(c.label) for c in self.columns if c.key == key)

    def has(self, key: str) -> bool:
        return key in self.labels


def _xlsx_rows(content: bytes) -> list[tuple[int, list[str]]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # untrusted file: openpyxl raises many kinds of errors on a damaged one
        raise file_error(
            _("无法读取该 Excel 文件，文件可能已损坏。请在 Excel 中另存为 .xlsx 后重试。")
        ) from exc
    try:
        if not workbook.worksheets:
            raise file_error(_("Excel 文件中没有工作表。"))
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some generators write a wrong dimension; read what is there
        rows: list[tuple[int, list[str]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [clean_text(v) for v in values]
            if any(cells):
                rows.append((number, cells))
                if len(rows) > MAX_ROWS + 1:
                    raise file_error(_("文件行数过多：一次最多导入%(n)d行。") % {"n": MAX_ROWS})
        return rows
    except ServiceError:
        raise
    except Exception as exc:
        raise file_error(
            _("无法读取该 Excel 文件，文件可能已损坏。请在 Excel 中另存为 .xlsx 后重试。")
        ) from exc
    finally:
        workbook.close()


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (covers GBK, which Excel uses for CSV on Chinese Windows)."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise file_error(_("无法识别文件编码，请将文件另存为 UTF-8 或 GBK 编码的 CSV。")) from exc


def _csv_rows(content: bytes) -> list[tuple[int, list[str]]]:
    text = decode_text(content)
    if "\x00" in text:
        raise file_error(_("文件内容不是文本格式的 CSV，请确认文件类型。"))
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    rows: list[tuple[int, list[str]]] = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        # Excel numbers records, blank ones included (a quoted cell may span lines but is one row).
        for number, values in enumerate(reader, start=1):
            cells = [clean_text(v) for v in values]
            if any(cells):
                rows.append((number, cells))
                if len(rows) > MAX_ROWS + 1:
                    raise file_error(_("文件行数过多：一次最多导入%(n)d行。") % {"n": MAX_ROWS})
    except csv.Error as exc:
        raise file_error(_("CSV 文件格式有误：%(error)s") % {"error": exc}) from exc
    return rows


def read_rows(filename: str, content: bytes) -> list[tuple[int, list[str]]]:
    """The non-empty rows of an .xlsx or .csv file, each with its row number as Excel shows it."""
    ext = extension(filename)
    if ext == "xls" or content.startswith(_OLE_MAGIC):
        raise file_error(_("不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后上传。"))
    if ext not in ("xlsx", "csv"):
        raise file_error(_("不支持的文件类型，请上传 .xlsx 或 .csv 文件。"))
    if not content:
        raise file_error(_("文件是空的。"))
    if len(content) > MAX_TABLE_BYTES:
        raise file_error(_("文件过大：最大%(mb)d MB。") % {"mb": MAX_TABLE_BYTES // (1024 * 1024)})
    # Trust the content over the name: an .xlsx renamed to .csv is still read correctly.
    return _xlsx_rows(content) if content.startswith(_ZIP_MAGIC) else _csv_rows(content)


def read_table(filename: str, content: bytes, columns: tuple[Column, ...]) -> Table:
    """Read a table and map its headers (first non-empty row) to `columns`; unknown headers are ignored."""
    rows = read_rows(filename, content)
    if not rows:
        raise file_error(_("文件是空的。"))
    header_number, header = rows[0]
    lookup: dict[str, Column] = {}
    for column in columns:
        for name in (column.label, _(column.label), column.key, *column.aliases):
            lookup[normalise_header(name)] = column
    positions: dict[str, int] = {}
    labels: dict[str, str] = {}
    for index, text in enumerate(header):
        column = lookup.get(normalise_header(text)) if text else None
        if column is None:
            continue
        if column.key in positions:
            raise file_error(
                _("第%(row)d行：表头「%(column)s」重复出现。") % {"row": header_number, "column": text}
            )
        positions[column.key] = index
        labels[column.key] = text
    missing = [_(c.label) for c in columns if c.required and c.key not in positions]
    if missing:
        raise file_error(
            _("缺少必需的列：%(columns)s。第一行应为表头，可下载模板对照。") % {"columns": "、".join(missing)}
        )
    data = rows[1:]
    if not data:
        raise file_error(_("文件中只有表头，没有数据行。"))
    mapped = [
        (number, {key: (cells[i] if i < len(cells) else "") for key, i in positions.items()})
        for number, cells in data
    ]
    return Table(rows=mapped, labels=labels, columns=columns)


def chunks(items: list, size: int = IN_CHUNK):
    """Split `items` for IN queries."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def split_list(text: str) -> list[str]:
    """Split a cell holding several names: commas (, ，), 、, semicolons, slashes or spaces."""
    return [part for part in re.split(r"[,，、;；/\s]+", text) if part]


@dataclass
class ImportResult:
    """What an import found (dry run) or did (commit): totals, a preview, and the per-row errors."""

    kind: str
    filename: str
    sha256: str
    total: int
    errors: list[RowError]
    preview_headers: list[str] = field(default_factory=list)
    preview_rows: list[list[str]] = field(default_factory=list)
    committed: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    batch_id: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


def table_preview(
    table: Table, limit: int = PREVIEW_ROWS, secret: tuple[str, ...] = ()
) -> tuple[list[str], list[list[str]]]:
    """The first rows of a table as the user wrote them (row number first), for the confirm page.

    Columns named in `secret` (initial passwords) are masked: the page must not echo them.
    """
    keys = [c.key for c in table.columns if table.has(c.key)]
    headers = [table.labels[k] for k in keys]

    def shown(key: str, value: str) -> str:
        return "******" if key in secret and value else value

    rows = [
        [str(number), *(shown(k, values.get(k, "")) for k in keys)] for number, values in table.rows[:limit]
    ]
    return headers, rows


def table_result(
    kind: str, filename: str, content: bytes, table: Table, report: ErrorReport, secret: tuple[str, ...] = ()
) -> ImportResult:
    """The dry-run result of a table import: totals, the sorted per-row errors and the preview."""
    headers, preview = table_preview(table, secret=secret)
    return ImportResult(
        kind=kind,
        filename=filename,
        sha256=sha256_hex(content),
        total=len(table.rows),
        errors=report.sorted(),
        preview_headers=headers,
        preview_rows=preview,
    )
