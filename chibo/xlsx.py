"""Writing cells into XLSX files so that no text can act as a formula.

A spreadsheet program runs text that starts with `=`, `+`, `-` or `@` as a
formula (`=HYPERLINK(...)` sends data to another site on a click), and tab or
carriage return can smuggle one in (the OWASP CSV-injection rule). openpyxl
itself turns every string starting with `=` into a formula. So every cell
the product writes goes through `cell()` or `put()`: such text is stored as a
string with Excel's quote prefix, which also keeps it text when the cell is
edited. Numbers, dates and booleans are written as they are.
"""

import tempfile

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def literal(target):
    """Make `target` (an openpyxl cell) hold its text as text, never as a formula."""
    if is_formula_like(target.value):
        target.data_type = "s"
        target.quotePrefix = True
    return target


def write_only(title: str):
    """A workbook in openpyxl's write-only mode and its one sheet: rows are
    streamed to a temporary file as they are appended, so a large export's
    memory does not grow with its rows. Append them through cell()."""
    workbook = Workbook(write_only=True)
    return workbook, workbook.create_sheet(title)


def cell(worksheet, value, *, number_format: str | None = None, font=None):
    """What to give a write-only worksheet's append() for `value`.

    A plain value when nothing needs a cell object (the fast path of a large
    export), else a cell with its text kept literal and the given style.
    """
    if number_format is None and font is None and not is_formula_like(value):
        return value
    new = literal(WriteOnlyCell(worksheet, value=value))
    if number_format is not None:
        new.number_format = number_format
    if font is not None:
        new.font = font
    return new


def put(worksheet, *, row: int, column: int, value, font=None):
    """Set one cell of an ordinary worksheet."""
    target = worksheet.cell(row=row, column=column)
    target.value = value
    literal(target)
    if font is not None:
        target.font = font
    return target


def append(worksheet, values) -> None:
    """worksheet.append() with every value written through cell()."""
    worksheet.append(
        [literal(value) if isinstance(value, Cell) else cell(worksheet, value) for value in values]
    )


def spooled():
    """Where a workbook is saved: memory up to 8 MB, then a temporary file."""
    return tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024, suffix=".xlsx")
