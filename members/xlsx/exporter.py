"""Writing the member and organization spreadsheets: exports and blank templates.

An export has exactly the template's columns, so it can be edited and
imported back. Workbooks are written in openpyxl's write-only mode into a
spooled temporary file, which the view streams out. Every cell is written
through chibo.xlsx, so no text becomes a formula.
"""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from chibo import xlsx
from chibo.models import Organization

from .columns import (
    BOOL,
    CHOICE,
    DATE,
    INT,
    MEMBER_COLUMNS,
    NO,
    ORGANIZATION_COLUMNS,
    YES,
    Column,
)
from .reader import MAX_ROWS

CONTENT_TYPE = xlsx.CONTENT_TYPE
DATE_FORMAT = "DD/MM/YYYY"
MEMBER_SHEET = "Đảng viên"
ORGANIZATION_SHEET = "Tổ chức"
HELP_SHEET = "Hướng dẫn"
# Rows read from the database at a time.
CHUNK = 2000
# Text format keeps the leading zeros of card and phone numbers typed into a template.
TEXT_COLUMNS = {"party_card_number", "phone", "cell_code", "code", "parent_code"}


def member_values(member) -> dict:
    return {
        "full_name": member.full_name,
        "birth_date": member.birth_date,
        "gender": member.gender,
        "party_card_number": member.party_card_number or "",
        "joined_on": member.joined_on,
        "official_on": member.official_on,
        "status": member.status,
        "cell_code": member.cell.code,
        "is_exempt": member.is_exempt,
        "exempt_reason": member.exempt_reason,
        "exempt_since": member.exempt_since,
        "is_away_for_work": member.is_away_for_work,
        "phone": member.phone,
    }


def member_rows(members):
    """The rows of the member export, read in chunks (a server-side cursor on
    PostgreSQL): memory stays flat whatever the scope. The immediate and the
    background export both write these."""
    members = members.select_related("cell").order_by("cell__path", "search_name", "pk")
    return (member_values(m) for m in members.iterator(chunk_size=CHUNK))


def export_members(members, *, progress=None):
    """A spooled file holding `members` (a scoped queryset) with the template's columns.

    `progress` (chibo.exports.Progress) counts the rows as they are written.
    """
    rows = member_rows(members)
    return _write_workbook(MEMBER_SHEET, MEMBER_COLUMNS, progress.track(rows) if progress else rows)


def organization_rows(organizations):
    """The rows of the organization export, parents before children.

    Read in path order and in chunks, so a parent is met before its children:
    only the codes by path are kept in memory. A parent outside the queryset
    is left blank rather than shown by code.
    """
    codes: dict[str, str] = {}
    steplen = Organization.steplen
    for o in organizations.order_by("path").iterator(chunk_size=CHUNK):
        codes[o.path] = o.code
        yield {
            "code": o.code,
            "name": o.name,
            "kind": o.kind,
            "parent_code": codes.get(o.path[:-steplen], "") if o.depth > 1 else "",
            "place_name": o.place_name,
            "meeting_day": o.meeting_day,
            "meeting_place": o.meeting_place,
            "founded_on": o.founded_on,
        }


def export_organizations(organizations, *, progress=None):
    """A spooled file of `organizations` (a scoped queryset), parents before children."""
    rows = organization_rows(organizations)
    return _write_workbook(
        ORGANIZATION_SHEET, ORGANIZATION_COLUMNS, progress.track(rows) if progress else rows
    )


def member_template():
    return _write_template(MEMBER_SHEET, MEMBER_COLUMNS)


def organization_template():
    return _write_template(ORGANIZATION_SHEET, ORGANIZATION_COLUMNS)


def _header_cells(worksheet, columns):
    return [xlsx.cell(worksheet, column.header, font=Font(bold=True)) for column in columns]


def _cell_value(column: Column, value):
    if column.type == BOOL:
        return YES if value else NO
    if column.type == CHOICE:
        return column.labels.get(value, "") if value else ""
    return value


def _write_workbook(title, columns, rows):
    workbook, worksheet = xlsx.write_only(title)
    for index, column in enumerate(columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = column.width
    worksheet.freeze_panes = "A2"
    worksheet.append(_header_cells(worksheet, columns))
    for values in rows:
        line = []
        for column in columns:
            value = _cell_value(column, values[column.code])
            number_format = DATE_FORMAT if column.type == DATE and value is not None else None
            line.append(xlsx.cell(worksheet, value, number_format=number_format))
        worksheet.append(line)
    output = xlsx.spooled()
    workbook.save(output)
    output.seek(0)
    return output


def _write_template(title, columns):
    """The headers, typed columns, drop-down lists and a sheet of instructions."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = title
    worksheet.freeze_panes = "A2"
    last = MAX_ROWS + 1
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        xlsx.put(worksheet, row=1, column=index, value=column.header, font=Font(bold=True))
        dimension = worksheet.column_dimensions[letter]
        dimension.width = column.width
        if column.type == DATE:
            dimension.number_format = DATE_FORMAT
        elif column.code in TEXT_COLUMNS:
            dimension.number_format = "@"
        choices = _choices(column)
        if choices:
            validation = DataValidation(
                type="list", formula1=f'"{",".join(choices)}"', allow_blank=True
            )
            validation.add(f"{letter}2:{letter}{last}")
            worksheet.add_data_validation(validation)
    _write_help(workbook.create_sheet(HELP_SHEET), columns)
    output = xlsx.spooled()
    workbook.save(output)
    output.seek(0)
    return output


def _choices(column: Column) -> list[str]:
    if column.type == BOOL:
        return [YES, NO]
    if column.type == CHOICE:
        return list(column.labels.values())
    return []


def _type_help(column: Column) -> str:
    if column.type == DATE:
        return _("Date, dd/mm/yyyy")
    if column.type == INT:
        return _("Whole number")
    if column.type in (BOOL, CHOICE):
        return _("One of: %(choices)s") % {"choices": ", ".join(_choices(column))}
    if column.max_length:
        return _("Text, at most %(max)d characters") % {"max": column.max_length}
    return _("Text")


def _write_help(worksheet, columns):
    headings = [
        _("Column header"),
        _("Code name (also accepted)"),
        _("Required"),
        _("Format"),
        _("Notes"),
    ]
    widths = [22, 22, 10, 36, 60]
    for index, (heading, width) in enumerate(zip(headings, widths, strict=True), start=1):
        xlsx.put(worksheet, row=1, column=index, value=heading, font=Font(bold=True))
        worksheet.column_dimensions[get_column_letter(index)].width = width
    for row, column in enumerate(columns, start=2):
        values = [
            column.header,
            column.code,
            YES if column.required else "",
            _type_help(column),
            str(column.help),
        ]
        for index, value in enumerate(values, start=1):
            xlsx.put(worksheet, row=row, column=index, value=value)
    notes_row = len(columns) + 3
    notes = [
        _("Fill in the first sheet from its second row; keep the header row."),
        _("A file with any error changes nothing: fix the rows listed and import it again."),
        _("Headers may also be written as the code names, with or without diacritics."),
    ]
    for offset, note in enumerate(notes):
        xlsx.put(worksheet, row=notes_row + offset, column=1, value=note)
