"""Writing tables for download: .xlsx (openpyxl) and .csv that Excel on Chinese Windows opens correctly.

Codes and numbers that must stay as written (区划代码, 事项编码) are stored as text, so Excel neither
shows 3.5E+11 nor drops leading zeros. CSV is UTF-8 with a BOM: without it Excel reads it as GBK.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
_FORMULA_START = ("=", "+", "-", "@")


@dataclass
class Sheet:
    """One worksheet: a title, the header row, the rows, and optional column widths (characters)."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[object]]
    widths: dict[int, int] = field(default_factory=dict)  # 0-based column -> width


def _safe(value: object) -> object:
    """Text that Excel would run as a formula (=, +, -, @) gets a leading apostrophe.

    Exported cells hold what users typed; a cell starting with "=" must not become a live formula
    (CSV/formula injection). Numbers are left as numbers.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """An .xlsx workbook with one worksheet per `Sheet`: bold frozen header, text cells kept as text."""
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title[:31])  # Excel's limit on sheet names
        sheet.append(list(spec.headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        for row in spec.rows:
            sheet.append([_safe(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.number_format = "@"
        sheet.freeze_panes = "A2"
        for index, header in enumerate(spec.headers):
            width = spec.widths.get(index, max(10, min(40, len(str(header)) * 2 + 4)))
            sheet.column_dimensions[get_column_letter(index + 1)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """CSV in UTF-8 with BOM (Excel opens it as UTF-8), CRLF line ends as Excel writes them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else _safe(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
