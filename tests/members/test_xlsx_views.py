"""The XLSX import, export and template pages."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chibo.models import Organization
from members.models import Member
from members.xlsx.columns import MEMBER_COLUMNS, ORGANIZATION_COLUMNS
from tests.factories import (
    AssignmentFactory,
    CellFactory,
    MemberFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]

HEADERS = [column.header for column in MEMBER_COLUMNS]
ORG_HEADERS = [column.header for column in ORGANIZATION_COLUMNS]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(rows, headers=HEADERS):
    workbook = openpyxl.Workbook()
    workbook.active.append(headers)
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile("members.xlsx", output.getvalue())


def member_row(name="Lò Văn Minh", card="93012345", cell="ban-lech", joined="03/03/2005"):
    return [
        name,
        "19/05/1975",
        "Nam",
        card,
        joined,
        "03/03/2006",
        "Chính thức",
        cell,
        "Không",
        "",
        "",
        "Không",
        "",
    ]


def sheet_rows(response):
    data = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.fixture
def world():
    commune = OrganizationFactory(code="co-noi")
    cell = CellFactory(parent=commune, code="ban-lech")
    sibling = CellFactory(parent=commune, code="ban-ben")
    outside = CellFactory(code="ban-khac")
    return {"commune": commune, "cell": cell, "sibling": sibling, "outside": outside}


@pytest.fixture
def staff(world):
    return RoleFactory(organization=world["commune"], kind="staff").user


def test_member_import_get_shows_form_and_template_link(client, world, staff):
    client.force_login(staff)

    response = client.get(reverse("member_import"))

    assert response.status_code == 200
    assert response.templates[0].name == "members/xlsx_import.html"
    assert reverse("member_import_template").encode() in response.content
    assert b'enctype="multipart/form-data"' in response.content


def test_member_import_post_creates_and_redirects_with_counts(client, world, staff):
    MemberFactory(cell=world["cell"], party_card_number="93000001", phone="")
    client.force_login(staff)
    file = xlsx([member_row(), member_row(name="Lê Đức An", card="93000001")])

    response = client.post(reverse("member_import"), {"file": file}, follow=True)

    assert response.redirect_chain == [(reverse("member_list"), 302)]
    assert [str(m) for m in response.context["messages"]] == ["1 created, 1 updated."]
    assert sorted(Member.objects.values_list("full_name", flat=True)) == [
        "Lê Đức An",
        "Lò Văn Minh",
    ]


def test_member_import_post_with_errors_lists_them_and_saves_nothing(client, world, staff):
    client.force_login(staff)
    file = xlsx(
        [
            member_row(),
            member_row(card="93012345", name="Lê Đức An"),
            member_row(card="93012346", joined="31/02/2020"),
        ]
    )

    response = client.post(reverse("member_import"), {"file": file})

    assert response.status_code == 200
    assert response.context["error_count"] == 2
    assert [(e.row, e.column) for e in response.context["errors"]] == [
        (3, "Số thẻ đảng viên"),
        (4, "Ngày vào Đảng"),
    ]
    assert "This party card number is also in row 2." in response.content.decode()
    assert Member.objects.count() == 0


def test_member_import_wrong_file_type_is_a_form_error(client, world, staff):
    client.force_login(staff)
    file = SimpleUploadedFile("notes.xlsx", b"plain text renamed to .xlsx")

    response = client.post(reverse("member_import"), {"file": file})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "This is not an Excel workbook (.xlsx). Open it in Excel or LibreOffice and save it "
        "as “Excel Workbook (.xlsx)”."
    ]


def test_member_import_oversize_file_is_refused(client, world, staff, settings):
    settings.IMPORT_MAX_BYTES = 1024
    client.force_login(staff)
    file = SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"0" * 2048)

    response = client.post(reverse("member_import"), {"file": file})

    assert response.context["form"].errors["file"] == [
        "The file is too big (0.0 MB); the limit is 0.0 MB."
    ]
    assert Member.objects.count() == 0


@pytest.mark.parametrize("kind", ["cadre", "deputy", "answerer", None])
def test_member_import_is_forbidden_without_edit_rights(client, world, kind):
    user = UserFactory()
    if kind == "cadre":
        RoleFactory(user=user, organization=world["commune"], kind="cadre")
        AssignmentFactory(cadre=MemberFactory(cell=world["sibling"], user=user), cell=world["cell"])
    elif kind:
        RoleFactory(user=user, organization=world["cell"], kind=kind)
    client.force_login(user)

    get = client.get(reverse("member_import"))
    post = client.post(reverse("member_import"), {"file": xlsx([member_row()])})

    assert (get.status_code, post.status_code) == (403, 403)
    assert Member.objects.filter(full_name="Lò Văn Minh").count() == 0


def test_member_import_secretary_only_into_own_cell(client, world):
    secretary = RoleFactory(organization=world["cell"], kind="secretary").user
    client.force_login(secretary)

    refused = client.post(reverse("member_import"), {"file": xlsx([member_row(cell="ban-ben")])})
    accepted = client.post(reverse("member_import"), {"file": xlsx([member_row()])})

    assert [e.message for e in refused.context["errors"]] == [
        "No active party cell with this code exists in your scope."
    ]
    assert accepted.status_code == 302
    assert list(Member.objects.values_list("cell__code", flat=True)) == ["ban-lech"]


def test_member_import_needs_login(client, world):
    response = client.get(reverse("member_import"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_member_import_template_downloads_with_headers(client, world, staff):
    client.force_login(staff)

    response = client.get(reverse("member_import_template"))

    assert response["Content-Type"] == XLSX_TYPE
    assert 'filename="mau-nhap-dang-vien.xlsx"' in response["Content-Disposition"]
    assert sheet_rows(response) == [HEADERS]


def test_member_export_holds_only_visible_members_and_filters_by_cell(client, world, staff):
    MemberFactory(cell=world["cell"], full_name="Lò Văn Minh")
    MemberFactory(cell=world["sibling"], full_name="Lê Đức An")
    MemberFactory(cell=world["outside"], full_name="Bí Mật")
    client.force_login(staff)

    everything = sheet_rows(client.get(reverse("member_export")))
    one_cell = sheet_rows(client.get(reverse("member_export"), {"cell": world["sibling"].pk}))

    assert everything[0] == HEADERS
    assert sorted(r[0] for r in everything[1:]) == ["Lê Đức An", "Lò Văn Minh"]
    assert [r[0] for r in one_cell[1:]] == ["Lê Đức An"]


@pytest.mark.parametrize("cell", ["outside", "abc"])
def test_member_export_cell_out_of_scope_is_404(client, world, staff, cell):
    client.force_login(staff)
    value = world["outside"].pk if cell == "outside" else cell

    response = client.get(reverse("member_export"), {"cell": value})

    assert response.status_code == 404


def test_member_export_for_a_secretary_is_their_cell(client, world):
    MemberFactory(cell=world["cell"], full_name="Lò Văn Minh")
    MemberFactory(cell=world["sibling"], full_name="Lê Đức An")
    client.force_login(RoleFactory(organization=world["cell"], kind="secretary").user)

    rows = sheet_rows(client.get(reverse("member_export")))

    assert [r[0] for r in rows[1:]] == ["Lò Văn Minh"]


def test_organization_import_creates_nested_and_redirects(client, world, staff):
    client.force_login(staff)
    file = xlsx(
        [
            ["bo-phan", "Đảng bộ bộ phận 1", "Đảng bộ bộ phận", "co-noi", "", "", "", ""],
            ["ban-moi", "Chi bộ bản Mới", "Chi bộ", "bo-phan", "", 24, "", ""],
        ],
        headers=ORG_HEADERS,
    )

    response = client.post(reverse("organization_import"), {"file": file}, follow=True)

    assert response.redirect_chain == [(reverse("organization_tree"), 302)]
    assert [str(m) for m in response.context["messages"]] == ["2 created, 0 updated."]
    new = Organization.objects.get(code="ban-moi")
    assert (Organization.objects.get_parent(new).code, new.meeting_day) == ("bo-phan", 24)


def test_organization_import_is_forbidden_for_a_secretary(client, world):
    client.force_login(RoleFactory(organization=world["cell"], kind="secretary").user)

    response = client.get(reverse("organization_import"))

    assert response.status_code == 403


def test_organization_export_and_template(client, world, staff):
    client.force_login(staff)

    exported = sheet_rows(client.get(reverse("organization_export")))
    template = sheet_rows(client.get(reverse("organization_import_template")))

    assert template == [ORG_HEADERS]
    # Path order: parents first, then children sorted by name.
    assert [r[0] for r in exported] == ["Mã", "co-noi", "ban-lech", "ban-ben"]
