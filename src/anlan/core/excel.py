"""Excel import and export shared by every ledger.

Imports are all-or-nothing: :func:`read_rows` turns a sheet into numbered rows, the app
validates every row and collects :class:`RowError` s, and only a file without a single
error is written, inside one transaction. Exports stream from a queryset in write-only
mode, so memory stays flat however long the ledger is.
"""

from __future__ import annotations

import datetime
import io
import itertools
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError
from zipfile import BadZipFile

from defusedxml import DefusedXmlException
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

# What a damaged workbook raises while openpyxl reads it.
_DAMAGED = (KeyError, ValueError, TypeError)
# openpyxl parses through defusedxml (a dependency): XML that declares entities (a DOCTYPE,
# which Excel never writes: entity expansion, external files) is refused, not resolved.
_DECLARATIONS = gettext_lazy(
    "The file declares XML entities (a DOCTYPE), which Excel never writes: "
    "save it again from Excel and import that copy."
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # the header in the file, in Chinese as officials use it
    required: bool = False


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based row number as Excel shows it; 0 for the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        if self.row == 0:
            return self.message
        where = _("Row %(row)s") % {"row": self.row}
        return (
            f"{where} {self.column}：{self.message}" if self.column else f"{where}：{self.message}"
        )


class ImportFailed(Exception):
    def __init__(self, errors: Sequence[RowError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = list(errors)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    return str(value).strip()


def read_rows(upload: Any, columns: Sequence[Column]) -> list[tuple[int, dict[str, str]]]:
    """Rows of the first sheet as (Excel row number, {field: text}). Empty rows are skipped.

    Raises ImportFailed for a file that is not a readable .xlsx, is too large, or lacks a
    required column.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > settings.ANLAN_MAX_IMPORT_BYTES:
        limit = settings.ANLAN_MAX_IMPORT_BYTES // (1024 * 1024)
        raise ImportFailed(
            [RowError(0, "", _("The file is larger than %(mb)s MB.") % {"mb": limit})]
        )
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, ParseError, *_DAMAGED) as exc:
        raise _unreadable(exc) from exc
    try:
        return _rows(workbook, columns)
    except (ParseError, *_DAMAGED) as exc:
        # Read-only workbooks parse sheet XML while rows are read: a damaged file fails here.
        raise _unreadable(exc) from exc
    finally:
        workbook.close()


def _unreadable(exc: BaseException) -> ImportFailed:
    """The file error for a workbook openpyxl could not read; openpyxl wraps the XML
    parser's refusal of entity declarations in a ValueError of its own."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, DefusedXmlException):
            return ImportFailed([RowError(0, "", str(_DECLARATIONS))])
        seen = seen.__cause__ or seen.__context__
    return ImportFailed([RowError(0, "", _("The file is not a valid Excel (.xlsx) workbook."))])


def _rows(workbook: Workbook, columns: Sequence[Column]) -> list[tuple[int, dict[str, str]]]:
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    # A leading * marks a required column in the templates (the user guide says so).
    header = [_cell_text(v).lstrip("*＊").strip() for v in next(rows, ())]
    by_header = {c.header: c for c in columns} | {c.field: c for c in columns}
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        column = by_header.get(title)
        if column is not None:
            positions[column.field] = index
    missing = [c.header for c in columns if c.required and c.field not in positions]
    if missing:
        raise ImportFailed(
            [RowError(1, "", _("Missing columns: %(columns)s") % {"columns": "、".join(missing)})]
        )
    result: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(rows, start=2):
        record = {
            field: _cell_text(values[i]) if i < len(values) else ""
            for field, i in positions.items()
        }
        if not any(record.values()):
            continue
        result.append((number, record))
        if len(result) > settings.ANLAN_MAX_IMPORT_ROWS:
            raise ImportFailed(
                [
                    RowError(
                        0,
                        "",
                        _("A file may hold at most %(n)s rows.")
                        % {"n": settings.ANLAN_MAX_IMPORT_ROWS},
                    )
                ]
            )
    if not result:
        raise ImportFailed([RowError(0, "", _("The file has no data rows."))])
    return result


def _excel_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        # Excel has no time zones: officials read local (ANLAN_TIME_ZONE) wall-clock time.
        return timezone.localtime(value).replace(tzinfo=None)
    if value is None or isinstance(value, (str, int, float, bool, datetime.date)):
        return value
    return str(value)


# How officials expect a sheet to look: widths fitted to content (estimated from the header
# and the first rows, since write-only mode needs widths before any row is written), the
# header frozen with an autofilter over the data, dates readable, long text wrapped.
WIDTH_SAMPLE_ROWS = 200
MAX_WIDTH = 60
MIN_WIDTH = 6
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
_HEADER_FONT = Font(bold=True)
_REQUIRED_FONT = Font(bold=True, color="FFC00000")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _display_width(value: Any) -> int:
    """Width in Excel character units: CJK and other wide characters count double."""
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return len("2026-01-01 00:00")
    if isinstance(value, datetime.date):
        return len("2026-01-01")
    text = value if isinstance(value, str) else str(value)
    longest = 0
    for line in text.splitlines() or [""]:
        width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        longest = max(longest, width)
    return longest


def _cell(sheet: Any, value: Any) -> Any:
    value = _excel_value(value)
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value)  # type: ignore[arg-type]  # openpyxl takes dates; its stubs omit them
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str) and ("\n" in value or _display_width(value) > MAX_WIDTH):
        cell = WriteOnlyCell(sheet, value)
        cell.alignment = _WRAP
        return cell
    return value


def _fill(
    sheet: Any, headers: Sequence[str], rows: Iterable[Sequence[Any]], required: Collection[str]
) -> None:
    """Write the header and the rows to a write-only sheet, laid out for reading.

    Only the first WIDTH_SAMPLE_ROWS rows are held in memory (to fit the column widths);
    the rest stream straight through.
    """
    rows = iter(rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
    titles = [f"*{h}" if h in required else str(h) for h in headers]
    widths = [_display_width(t) for t in titles]
    for row in sample:
        for index, value in enumerate(row):
            width = _display_width(_excel_value(value))
            if index < len(widths):
                widths[index] = max(widths[index], width)
            else:
                widths.append(width)
    for index, width in enumerate(widths, start=1):
        fitted = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = fitted
    sheet.freeze_panes = "A2"
    header = []
    for title, name in zip(titles, headers, strict=True):
        cell = WriteOnlyCell(sheet, title)
        cell.font = _REQUIRED_FONT if name in required else _HEADER_FONT
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in itertools.chain(sample, rows):
        sheet.append([_cell(sheet, v) for v in row])
        count += 1
    if headers:
        # The autofilter is written after the rows, so its range can cover all of them.
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"


def write_workbook(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    required: Collection[str] = (),
) -> bytes:
    """A one-sheet workbook in write-only mode (rows are consumed lazily).

    ``required`` names headers an import template marks as required: they are written with
    a leading * (as the user guide says) in red. :func:`read_rows` ignores the mark.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    _fill(sheet, headers, rows, required)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def stream_workbook(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    required: Collection[str] = (),
) -> Path:
    """Write a workbook to a temporary file row by row (constant memory); returns its path.

    openpyxl's write-only mode keeps each row only until it is written to the sheet's
    temporary XML, so a million-row ledger needs no more memory than a ten-row one (beyond
    the first WIDTH_SAMPLE_ROWS rows, held to fit the column widths).
    """
    import tempfile

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    _fill(sheet, headers, rows, required)
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)
    handle.close()
    workbook.save(handle.name)
    return Path(handle.name)
