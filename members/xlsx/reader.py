"""Opening an uploaded spreadsheet safely and reading its rows raw.

Guards come before parsing: the size, the zip signature, the unpacked size,
then openpyxl in read-only mode (formulas read as their cached values).
"""

import zipfile
from dataclasses import dataclass, field

import openpyxl
from django.conf import settings
from django.utils.translation import gettext as _

from .columns import IGNORED_HEADERS, Column, header_key

MAX_ROWS = 20_000
# Formatted but empty rows cost time too; far beyond MAX_ROWS means a broken sheet.
MAX_SCANNED_ROWS = 10 * MAX_ROWS
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
HEADER_SEARCH_ROWS = 10
ZIP_MAGIC = b"PK\x03\x04"


class ImportFileError(Exception):
    """The file as a whole cannot be imported: wrong type, too big, too long."""


@dataclass(frozen=True)
class RowError:
    """One problem, placed by the spreadsheet's row number and column header."""

    row: int | None
    column: str
    message: str

    def __str__(self):
        if self.row is None:
            return _("Column “%(column)s”: %(message)s") % {
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class RowWarning(RowError):
    """A fact missing that the rules can live without: shown, but the row is imported."""


@dataclass
class Sheet:
    """The data rows of the first worksheet, keyed by column code."""

    columns: tuple[Column, ...]
    header_row: int = 0
    # column code -> the header as written in the file
    headers: dict[str, str] = field(default_factory=dict)
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def header(self, code: str) -> str:
        """The header to name in a message: the file's own, else the template's."""
        if code in self.headers:
            return self.headers[code]
        return next(c.header for c in self.columns if c.code == code)


def read_sheet(file, columns: tuple[Column, ...]) -> Sheet:
    """Read the first worksheet. Raises ImportFileError for an unusable file."""
    _check_container(file)
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # any parse failure means "not a workbook we can read"
        raise ImportFileError(_not_xlsx()) from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The file has no worksheet."))
        return _read_rows(workbook.worksheets[0], columns)
    except ImportFileError:
        raise
    except Exception as exc:  # malformed sheet XML surfaces while iterating
        raise ImportFileError(_not_xlsx()) from exc
    finally:
        workbook.close()


def _not_xlsx() -> str:
    return _(
        "This is not an Excel workbook (.xlsx). Open it in Excel or LibreOffice and "
        "save it as “Excel Workbook (.xlsx)”."
    )


def _check_container(file) -> None:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    if size > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("The file is too big (%(size)s MB); the limit is %(max)s MB.")
            % {
                "size": f"{size / 1024 / 1024:.1f}",
                "max": f"{settings.IMPORT_MAX_BYTES / 1024 / 1024:.1f}",
            }
        )
    if size == 0:
        raise ImportFileError(_("The file is empty."))
    file.seek(0)
    magic = file.read(4)
    file.seek(0)
    if magic != ZIP_MAGIC:
        raise ImportFileError(_not_xlsx())
    try:
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise ImportFileError(_not_xlsx()) from exc
    finally:
        file.seek(0)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            _("The file unpacks to more than %(max)s MB; it cannot be imported.")
            % {"max": MAX_UNPACKED_BYTES // 1024 // 1024}
        )


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_rows(worksheet, columns: tuple[Column, ...]) -> Sheet:
    sheet = Sheet(columns=columns)
    by_key = {key: column for column in columns for key in column.keys}
    positions: dict[int, str] = {}
    scanned = 0
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        scanned += 1
        if scanned > MAX_SCANNED_ROWS:
            raise ImportFileError(_too_many_rows())
        if not sheet.header_row:
            if number > HEADER_SEARCH_ROWS:
                break
            if sum(header_key(v) in by_key for v in values if not _is_blank(v)) >= 2:
                sheet.header_row = number
                positions = _read_header(sheet, values, by_key)
                if sheet.errors:
                    return sheet
            continue
        row = {code: values[i] if i < len(values) else None for i, code in positions.items()}
        if all(_is_blank(v) for v in row.values()):
            continue
        sheet.rows.append((number, row))
        if len(sheet.rows) > MAX_ROWS:
            raise ImportFileError(_too_many_rows())
    if not sheet.header_row:
        sheet.errors.append(
            RowError(
                1,
                columns[0].header,
                _(
                    "No header row found: the first row must hold the column headers of the "
                    "template."
                ),
            )
        )
    return sheet


def _too_many_rows() -> str:
    return _("The file has more than %(max)s rows; split it into smaller files.") % {
        "max": f"{MAX_ROWS:,}"
    }


def _read_header(sheet: Sheet, values, by_key) -> dict[int, str]:
    positions = {}
    for index, value in enumerate(values):
        if _is_blank(value):
            continue
        text = str(value).strip()
        key = header_key(text)
        column = by_key.get(key)
        if column is None:
            if key not in IGNORED_HEADERS:
                sheet.errors.append(
                    RowError(
                        sheet.header_row,
                        text,
                        _("Unknown column. Use the headers of the template."),
                    )
                )
        elif column.code in sheet.headers:
            sheet.errors.append(RowError(sheet.header_row, text, _("This column appears twice.")))
        else:
            sheet.headers[column.code] = text
            positions[index] = column.code
    for column in sheet.columns:
        if column.required and column.code not in sheet.headers:
            sheet.errors.append(
                RowError(sheet.header_row, column.header, _("This required column is missing."))
            )
    return positions
