"""The XLSX importers and exporters, below the views."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chibo.models import Organization, OrganizationVersion, Reorganization
from members.models import Member, MemberStatus, Transfer
from members.xlsx import exporter
from members.xlsx.columns import MEMBER_COLUMNS, ORGANIZATION_COLUMNS
from members.xlsx.importer import import_members
from members.xlsx.organizations import import_organizations
from members.xlsx.reader import ImportFileError, RowError
from tests.factories import (
    CellFactory,
    MemberFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HEADERS = [column.header for column in MEMBER_COLUMNS]
CODES = [column.code for column in MEMBER_COLUMNS]
ORG_HEADERS = [column.header for column in ORGANIZATION_COLUMNS]


def xlsx(rows, headers=HEADERS, name="members.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile(name, output.getvalue())


def row(**values):
    """A valid official member's row in the template's column order."""
    defaults = {
        "full_name": "Lò Văn Minh",
        "birth_date": "19/05/1975",
        "gender": "Nam",
        "party_card_number": "",
        "joined_on": "03/03/2005",
        "official_on": "03/03/2006",
        "status": "Chính thức",
        "cell_code": "ban-lech",
        "is_exempt": "Không",
        "exempt_reason": "",
        "exempt_since": "",
        "is_away_for_work": "Không",
        "phone": "",
    }
    defaults.update(values)
    return [defaults[code] for code in CODES]


@pytest.fixture
def commune():
    return OrganizationFactory(code="co-noi", name="Đảng bộ xã Cò Nòi")


@pytest.fixture
def cell(commune):
    return CellFactory(parent=commune, code="ban-lech", name="Chi bộ bản Lếch")


@pytest.fixture
def staff(commune):
    return RoleFactory(organization=commune, kind="staff").user


@pytest.fixture
def outside_cell():
    return CellFactory(code="ban-khac", name="Chi bộ bản Khác")


def test_import_members_creates_rows_with_all_fields(cell, staff):
    file = xlsx(
        [
            row(party_card_number="93012345", phone="0912345678"),
            row(
                full_name="Cầm Thị Yến",
                gender="Nữ",
                party_card_number="",
                official_on="",
                status="Dự bị",
                joined_on="03/02/2026",
                is_exempt="Không",
                birth_date="01/01/2000",
            ),
            row(
                full_name="Quàng Văn Thọ",
                party_card_number="93012346",
                is_exempt="Có",
                exempt_reason="Tuổi cao, sức yếu",
                exempt_since="01/01/2024",
                is_away_for_work="Có",
            ),
        ]
    )

    result = import_members(file=file, user=staff)

    assert (result.created, result.updated, result.errors) == (3, 0, [])
    minh = Member.objects.get(party_card_number="93012345")
    assert (minh.full_name, minh.search_name, minh.cell, minh.phone, minh.gender) == (
        "Lò Văn Minh",
        "lo van minh",
        cell,
        "0912345678",
        "male",
    )
    assert (minh.joined_on, minh.official_on, minh.birth_date) == (
        datetime.date(2005, 3, 3),
        datetime.date(2006, 3, 3),
        datetime.date(1975, 5, 19),
    )
    yen = Member.objects.get(full_name="Cầm Thị Yến")
    assert (yen.status, yen.party_card_number, yen.official_on) == (
        MemberStatus.PROBATIONARY,
        None,
        None,
    )
    tho = Member.objects.get(party_card_number="93012346")
    assert (tho.is_exempt, tho.exempt_reason, tho.exempt_since, tho.is_away_for_work) == (
        True,
        "Tuổi cao, sức yếu",
        datetime.date(2024, 1, 1),
        True,
    )
    # The history is complete and names who imported.
    assert minh.history.count() == 1
    assert minh.history.get().history_user == staff


def test_import_members_updates_by_card_and_records_transfer(commune, cell, staff):
    other_cell = CellFactory(parent=commune, code="ban-moi")
    member = MemberFactory(cell=cell, party_card_number="93000001", phone="")
    same = MemberFactory(
        cell=cell,
        party_card_number="93000002",
        full_name="Lê Đức An",
        birth_date=datetime.date(1975, 5, 19),
    )
    file = xlsx(
        [
            row(
                party_card_number="93000001",
                full_name="Lò Văn Minh",
                phone="0988000111",
                cell_code="ban-moi",
            ),
            row(party_card_number="93000002", full_name="Lê Đức An", gender=""),
        ]
    )

    result = import_members(file=file, user=staff)

    assert (result.created, result.updated, result.unchanged, result.errors) == (0, 1, 1, [])
    member.refresh_from_db()
    assert (member.full_name, member.phone, member.cell) == (
        "Lò Văn Minh",
        "0988000111",
        other_cell,
    )
    transfer = Transfer.objects.get(member=member)
    assert (transfer.from_cell, transfer.to_cell, transfer.recorded_by) == (cell, other_cell, staff)
    assert same.history.count() == 1


def test_import_members_with_one_bad_row_changes_nothing(cell, staff):
    existing = MemberFactory(cell=cell, party_card_number="93000001", phone="111")
    file = xlsx(
        [
            row(party_card_number="93000001", phone="222"),
            row(party_card_number="93000003"),
            row(party_card_number="93000004", joined_on="abc"),
        ]
    )

    result = import_members(file=file, user=staff)

    assert (result.created, result.updated) == (0, 0)
    assert result.errors == [
        RowError(4, "Ngày vào Đảng", "“abc” is not a date; write it as dd/mm/yyyy.")
    ]
    assert str(result.errors[0]) == (
        "Row 4, column “Ngày vào Đảng”: “abc” is not a date; write it as dd/mm/yyyy."
    )
    assert Member.objects.count() == 1
    existing.refresh_from_db()
    assert existing.phone == "111"


def test_import_members_reports_every_error_by_row_and_column(cell, staff):
    file = xlsx(
        [
            row(full_name="", official_on="31/02/2020"),
            row(status="Chính thức", official_on=""),
            row(official_on="01/01/2004"),
            row(is_exempt="Có", exempt_reason=""),
            row(gender="Khác", is_away_for_work="hay"),
        ]
    )

    result = import_members(file=file, user=staff)

    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "Họ và tên", "Required: fill this in."),
        (2, "Ngày chính thức", "“31/02/2020” is not a valid date (no such day)."),
        (4, "Ngày chính thức", "The official date is before the admission date."),
        (6, "Giới tính", "“Khác” is not one of: Nam, Nữ."),
        (6, "Đi làm ăn xa", "“hay” is not understood; write Có or Không."),
    ]
    # Missing facts the rules can live without are warnings, listed beside the errors.
    assert [(w.row, w.column) for w in result.warnings] == [
        (3, "Ngày chính thức"),
        (5, "Lý do miễn"),
    ]
    assert Member.objects.count() == 0


def test_import_members_duplicate_card_in_file_names_first_row(cell, staff):
    file = xlsx(
        [
            row(party_card_number="93000009"),
            row(party_card_number="93000009", full_name="Lê Đức An"),
        ]
    )

    errors = import_members(file=file, user=staff).errors

    assert errors == [RowError(3, "Số thẻ đảng viên", "This party card number is also in row 2.")]
    assert Member.objects.count() == 0


def test_import_members_card_of_member_outside_scope_is_refused_without_leak(
    cell, staff, outside_cell
):
    stranger = MemberFactory(cell=outside_cell, party_card_number="93000007", full_name="Bí Mật")

    errors = import_members(file=xlsx([row(party_card_number="93000007")]), user=staff).errors

    assert errors == [RowError(2, "Số thẻ đảng viên", "This party card number cannot be used.")]
    assert "Bí Mật" not in str(errors[0]) and outside_cell.name not in str(errors[0])
    stranger.refresh_from_db()
    assert (stranger.full_name, stranger.cell) == ("Bí Mật", outside_cell)


def test_import_members_unknown_and_out_of_scope_cells_read_the_same(cell, staff, outside_cell):
    file = xlsx([row(cell_code="khong-co"), row(cell_code="ban-khac")])

    errors = import_members(file=file, user=staff).errors

    message = "No active party cell with this code exists in your scope."
    assert errors == [RowError(2, "Mã chi bộ", message), RowError(3, "Mã chi bộ", message)]


def test_import_members_secretary_imports_only_into_own_cell(commune, cell):
    sibling = CellFactory(parent=commune, code="ban-ben")
    secretary = RoleFactory(organization=cell, kind="secretary").user

    errors = import_members(file=xlsx([row(), row(cell_code=sibling.code)]), user=secretary).errors
    result = import_members(file=xlsx([row()]), user=secretary)

    assert errors == [
        RowError(3, "Mã chi bộ", "No active party cell with this code exists in your scope.")
    ]
    assert (result.created, result.errors) == (1, [])
    assert list(Member.objects.values_list("cell__code", flat=True)) == ["ban-lech"]


def test_import_members_accepts_english_code_headers_any_case_and_real_dates(cell, staff):
    headers = [code.upper() if i % 2 else code.replace("_", " ") for i, code in enumerate(CODES)]
    values = row(
        party_card_number=93012399,
        joined_on=datetime.datetime(2005, 3, 3),
        official_on=datetime.date(2006, 3, 3),
        status="official",
        gender="female",
    )

    result = import_members(file=xlsx([values], headers=headers), user=staff)

    assert (result.created, result.errors) == (1, [])
    member = Member.objects.get()
    assert (member.party_card_number, member.joined_on, member.gender) == (
        "93012399",
        datetime.date(2005, 3, 3),
        "female",
    )


def test_import_members_accepts_headers_without_diacritics_and_skips_stt(cell, staff):
    headers = ["STT", "ho va ten", "NGAY VAO DANG", "ma chi bo", "Ngay chinh thuc"]

    result = import_members(
        file=xlsx([[1, "Lò Văn Minh", "03/03/2005", "ban-lech", "03/03/2006"]], headers=headers),
        user=staff,
    )

    assert (result.created, result.errors) == (1, [])
    assert Member.objects.get().status == MemberStatus.OFFICIAL


def test_import_members_header_problems_are_listed(cell, staff):
    headers = ["Họ và tên", "Ngày vào Đảng", "Ngày vào Đảng", "Quê quán"]

    errors = import_members(
        file=xlsx([["A", "03/03/2005", "", "x"]], headers=headers), user=staff
    ).errors

    assert errors == [
        RowError(1, "Ngày vào Đảng", "This column appears twice."),
        RowError(1, "Quê quán", "Unknown column. Use the headers of the template."),
        RowError(1, "Mã chi bộ", "This required column is missing."),
    ]


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"Ho va ten;Ngay sinh\nLo Van Minh;01/01/1975\n", "members.csv"),
        (b"just some text, not a workbook", "renamed.xlsx"),
        (b"PK\x03\x04 truncated zip", "broken.xlsx"),
    ],
)
def test_import_members_rejects_files_that_are_not_xlsx(cell, staff, content, name):
    with pytest.raises(ImportFileError, match=r"not an Excel workbook \(\.xlsx\)"):
        import_members(file=SimpleUploadedFile(name, content), user=staff)


def test_import_members_rejects_zip_that_is_not_a_workbook(cell, staff):
    import zipfile

    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")

    with pytest.raises(ImportFileError, match="not an Excel workbook"):
        import_members(file=SimpleUploadedFile("a.xlsx", output.getvalue()), user=staff)


def test_import_members_rejects_oversize_file_before_parsing(cell, staff, settings):
    settings.IMPORT_MAX_BYTES = 100
    file = SimpleUploadedFile("big.xlsx", b"x" * 101)

    with pytest.raises(ImportFileError, match=r"too big \(0.0 MB\); the limit is 0.0 MB"):
        import_members(file=file, user=staff)


def test_import_members_rejects_more_than_max_rows(cell, staff, monkeypatch):
    monkeypatch.setattr("members.xlsx.reader.MAX_ROWS", 3)

    with pytest.raises(ImportFileError, match="more than 3 rows"):
        import_members(file=xlsx([row()] * 4), user=staff)
    assert import_members(file=xlsx([row()] * 3), user=staff).created == 3


def test_import_members_ignores_title_rows_and_blank_rows(cell, staff):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["DANH SÁCH ĐẢNG VIÊN CHI BỘ BẢN LẾCH"])
    sheet.append([])
    sheet.append(HEADERS)
    sheet.append(row())
    sheet.append([None] * len(HEADERS))
    sheet.append(row(full_name="Lê Đức An", joined_on="bad"))
    output = io.BytesIO()
    workbook.save(output)

    errors = import_members(file=SimpleUploadedFile("t.xlsx", output.getvalue()), user=staff).errors

    assert errors == [RowError(6, "Ngày vào Đảng", "“bad” is not a date; write it as dd/mm/yyyy.")]


def test_import_members_cardless_member_is_matched_not_duplicated(cell, staff):
    probationary = MemberFactory(
        cell=cell, probationary=True, full_name="Cầm Thị Yến", birth_date=datetime.date(2000, 1, 1)
    )
    yen = row(
        full_name="Cầm Thị Yến",
        birth_date="01/01/2000",
        joined_on="03/02/2026",
        official_on="",
        status="Dự bị",
        phone="0912000000",
    )

    first = import_members(file=xlsx([yen]), user=staff)
    # Later the card is issued and the member becomes official.
    official = row(
        full_name="Cầm Thị Yến",
        birth_date="01/01/2000",
        joined_on="03/02/2026",
        official_on="03/02/2027",
        status="Chính thức",
        party_card_number="93011111",
        phone="0912000000",
    )
    second = import_members(file=xlsx([official]), user=staff)

    assert (first.created, first.updated, second.created, second.updated) == (0, 1, 0, 1)
    probationary.refresh_from_db()
    assert (probationary.phone, probationary.party_card_number, probationary.status) == (
        "0912000000",
        "93011111",
        MemberStatus.OFFICIAL,
    )
    assert Member.objects.count() == 1


def test_export_members_round_trips_through_import(cell, staff, outside_cell):
    MemberFactory(
        cell=cell,
        party_card_number="93000001",
        phone="0912345678",
        gender="female",
        is_away_for_work=True,
    )
    MemberFactory(cell=cell, exempt=True)
    MemberFactory(cell=cell, probationary=True, birth_date=datetime.date(2001, 2, 3))
    MemberFactory(cell=outside_cell)
    from chibo.access import visible

    output = exporter.export_members(visible(staff, Member))
    data = output.read()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    result = import_members(file=SimpleUploadedFile("e.xlsx", data), user=staff)

    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.max_row == 4  # the header and the three members in scope
    assert (result.created, result.updated, result.unchanged, result.errors) == (0, 0, 3, [])
    assert Member.objects.count() == 4


def test_member_template_has_headers_choices_and_instructions():
    workbook = openpyxl.load_workbook(exporter.member_template())

    data, instructions = workbook.worksheets
    assert [c.value for c in data[1]] == HEADERS
    assert data.max_row == 1
    lists = {str(v.sqref): v.formula1 for v in data.data_validations.dataValidation}
    assert lists["G2:G20001"] == '"Chính thức,Dự bị"'
    assert lists["I2:I20001"] == '"Có,Không"'
    assert [c.value for c in instructions["B"][1:14]] == CODES


def test_import_organizations_creates_nested_with_parents_earlier_in_file(commune, staff):
    file = xlsx(
        [
            ["bo-phan-1", "Đảng bộ bộ phận 1", "Đảng bộ bộ phận", "co-noi", "Cò Nòi", "", "", ""],
            [
                "ban-a",
                "Chi bộ bản A",
                "Chi bộ",
                "bo-phan-1",
                "Cò Nòi",
                24,
                "Nhà văn hóa",
                "01/01/2020",
            ],
            ["ban-b", "Chi bộ bản B", "cell", "bo-phan-1", "", "", "", ""],
        ],
        headers=ORG_HEADERS,
    )

    result = import_organizations(file=file, user=staff)

    assert (result.created, result.updated, result.errors) == (3, 0, [])
    sub = Organization.objects.get(code="bo-phan-1")
    ban_a = Organization.objects.get(code="ban-a")
    assert Organization.objects.get_parent(sub) == commune
    assert [o.code for o in Organization.objects.get_children(sub)] == ["ban-a", "ban-b"]
    assert (ban_a.meeting_day, ban_a.meeting_place, ban_a.founded_on, ban_a.search_name) == (
        24,
        "Nhà văn hóa",
        datetime.date(2020, 1, 1),
        "chi bo ban a",
    )
    assert OrganizationVersion.objects.get(organization=ban_a).parent == sub
    assert Reorganization.objects.get(organization=ban_a).recorded_by == staff


def test_import_organizations_errors_change_nothing(commune, staff, outside_cell):
    before = Organization.objects.count()
    file = xlsx(
        [
            ["ban-a", "Chi bộ bản A", "Chi bộ", "co-noi", "", "", "", ""],
            ["ban-c", "Chi bộ bản C", "Chi bộ", "ban-d", "", "", "", ""],
            ["ban-d", "Chi bộ bản D", "Chi bộ", "co-noi", "", 40, "", ""],
            ["ban-e", "", "", "ban-khac", "", "", "", ""],
            ["ban-f", "Chi bộ F", "Chi bộ", "ban-a", "", "", "", ""],
            ["ban-khac", "Chi bộ bản Khác", "Chi bộ", "", "", "", "", ""],
            ["Mã có dấu", "X", "Chi bộ", "co-noi", "", "", "", ""],
        ],
        headers=ORG_HEADERS,
    )

    errors = import_organizations(file=file, user=staff).errors

    assert [(e.row, e.column, e.message) for e in errors] == [
        (3, "Mã cấp trên", "The parent must come in an earlier row than its children."),
        (4, "Ngày sinh hoạt", "The meeting day must be from 1 to 31."),
        (5, "Tên", "Required for a new organization."),
        (5, "Loại", "Required for a new organization."),
        (5, "Mã cấp trên", "No organization with this code exists in your scope."),
        (6, "Mã cấp trên", "A party cell cannot contain other organizations."),
        (7, "Mã", "This code cannot be used."),
        (8, "Mã", "A code may hold only letters without diacritics, digits, - and _."),
    ]
    assert Organization.objects.count() == before


def test_import_organizations_updates_place_and_meeting_but_not_name(commune, cell, staff):
    file = xlsx(
        [["ban-lech", "", "", "", "Cò Nòi", 24, "Nhà văn hóa bản", ""]], headers=ORG_HEADERS
    )
    renamed = xlsx([["ban-lech", "Chi bộ bản Mới", "", "", "", "", "", ""]], headers=ORG_HEADERS)

    result = import_organizations(file=file, user=staff)
    errors = import_organizations(file=renamed, user=staff).errors

    assert (result.created, result.updated, result.errors) == (0, 1, [])
    cell.refresh_from_db()
    assert (cell.place_name, cell.meeting_day, cell.meeting_place, cell.name) == (
        "Cò Nòi",
        24,
        "Nhà văn hóa bản",
        "Chi bộ bản Lếch",
    )
    assert cell.history.first().history_user == staff
    assert [(e.row, e.column) for e in errors] == [(2, "Tên")]
    assert "reorganization" in errors[0].message


def test_export_organizations_round_trips_and_hides_parent_out_of_scope(commune, cell, staff):
    from chibo.access import visible

    data = exporter.export_organizations(visible(staff, Organization)).read()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    result = import_organizations(file=SimpleUploadedFile("o.xlsx", data), user=staff)

    assert [[c.value for c in r][:4] for r in sheet.iter_rows(min_row=2)] == [
        ["co-noi", "Đảng bộ xã Cò Nòi", "Đảng bộ xã", None],
        ["ban-lech", "Chi bộ bản Lếch", "Chi bộ", "co-noi"],
    ]
    assert (result.created, result.updated, result.unchanged, result.errors) == (0, 0, 2, [])


def test_import_members_superuser_without_roles_reaches_every_cell(cell, outside_cell):
    admin = UserFactory(is_superuser=True)

    result = import_members(file=xlsx([row(), row(cell_code="ban-khac")]), user=admin)

    assert (result.created, result.errors) == (2, [])


def test_bench_import_times_and_leaves_the_database_unchanged():
    from django.core.management import call_command

    out = io.StringIO()
    organizations = Organization.objects.count()

    call_command("bench_import", members=40, cells=4, communes=2, stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[2].startswith("first import (creates): 40 created, 0 updated; validating ")
    assert lines[3].startswith("second import (updates): 0 created, 40 updated; validating ")
    assert lines[-1] == "Rolled back: the database is unchanged."
    assert (Member.objects.count(), Organization.objects.count()) == (0, organizations)


def test_bench_import_refuses_a_database_with_members_without_yes(cell):
    from django.core.management import CommandError, call_command

    MemberFactory(cell=cell)

    with pytest.raises(CommandError, match="already holds members"):
        call_command("bench_import", members=10, cells=2, communes=1)
