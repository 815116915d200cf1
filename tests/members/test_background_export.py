"""Large member and organization exports build in the background (chibo.exports)."""

import io
from unittest import mock

import openpyxl
import pytest
from django.db.models.query import QuerySet
from django.urls import reverse
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from chibo import exports, xlsx
from chibo.models import ExportFailure, ExportFile
from members import exports as member_exports
from members.models import Member
from members.xlsx import exporter
from tests.factories import CellFactory, MemberFactory, OrganizationFactory, RoleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rows_of(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def download(client, export) -> bytes:
    response = client.get(reverse("export_download", args=[export.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    return b"".join(response.streaming_content)


@pytest.fixture
def world():
    commune = OrganizationFactory(code="co-noi")
    cell = CellFactory(parent=commune, code="ban-lech")
    sibling = CellFactory(parent=commune, code="ban-ben")
    outside = CellFactory(code="ban-khac")
    for place, names in ((cell, ["Lò Văn Minh", "=HYPERLINK(1)"]), (sibling, ["Lê Đức An"])):
        for name in names:
            MemberFactory(cell=place, full_name=name)
    MemberFactory(cell=outside, full_name="Bí Mật")
    return {"commune": commune, "cell": cell, "sibling": sibling, "outside": outside}


@pytest.fixture
def staff(world):
    return RoleFactory(organization=world["commune"], kind="staff").user


@pytest.fixture
def large(settings):
    """Three members are 'many': the threshold is lowered for the test."""
    settings.EXPORT_BACKGROUND_ROWS = 2


def test_a_small_export_is_the_file_at_once(client, world, staff):
    client.force_login(staff)

    response = client.get(reverse("member_export"))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert sorted(r[0] for r in rows_of(b"".join(response.streaming_content))[1:]) == [
        "=HYPERLINK(1)",
        "Lê Đức An",
        "Lò Văn Minh",
    ]
    assert ExportFile.objects.count() == 0


def test_at_the_threshold_the_export_is_still_immediate(client, world, staff, settings):
    settings.EXPORT_BACKGROUND_ROWS = 3
    client.force_login(staff)

    response = client.get(reverse("member_export"))

    assert response["Content-Type"] == XLSX_TYPE


def test_a_large_export_offers_the_background_and_builds_nothing_on_get(
    client, world, staff, large
):
    client.force_login(staff)

    response = client.get(reverse("member_export"))

    page = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "exports/export_offer.html"
    assert "This file has 3 rows: it is built in the background." in page
    assert '<form method="post">' in page
    assert ExportFile.objects.count() == 0


def test_a_large_export_is_built_in_the_background_identical_to_the_immediate_one(
    client, world, staff, settings, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    immediate = b"".join(client.get(reverse("member_export")).streaming_content)
    settings.EXPORT_BACKGROUND_ROWS = 2

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("member_export"))

    export = ExportFile.objects.get()
    assert response["Location"] == reverse("export_detail", args=[export.pk])
    assert (export.owner, export.kind, export.parameters) == (staff, "members", {"cell": None})
    assert (export.status, export.done, export.total) == ("done", 3, 3)
    assert export.filename.startswith("dang-vien-") and export.filename.endswith(".xlsx")
    page = client.get(response["Location"]).content.decode()
    assert "3 rows" in page
    content = download(client, export)
    assert rows_of(content) == rows_of(immediate)
    assert rows_of(content)[1][0] == "=HYPERLINK(1)"  # text, not a formula
    assert openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]["A2"].data_type == "s"


def test_a_background_export_keeps_the_cell_filter(
    client, world, staff, large, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    url = f"{reverse('member_export')}?cell={world['cell'].pk}"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)

    export = ExportFile.objects.get()
    assert export.parameters == {"cell": world["cell"].pk}
    assert sorted(r[0] for r in rows_of(download(client, export))[1:]) == [
        "=HYPERLINK(1)",
        "Lò Văn Minh",
    ]


@pytest.mark.parametrize("cell", ["outside", "abc"])
def test_a_background_export_of_a_cell_out_of_scope_is_404(client, world, staff, large, cell):
    client.force_login(staff)
    value = world["outside"].pk if cell == "outside" else cell

    response = client.post(f"{reverse('member_export')}?cell={value}")

    assert response.status_code == 404
    assert ExportFile.objects.count() == 0


def test_the_build_checks_the_owners_current_grants(client, world, staff, large):
    client.force_login(staff)
    client.post(f"{reverse('member_export')}?cell={world['cell'].pk}")  # queued, not run
    export = ExportFile.objects.get()
    staff.chibo_roles.all().delete()

    assert exports.run(export_id=export.pk) is False

    export.refresh_from_db()
    assert (export.status, export.failure) == ("failed", ExportFailure.OUT_OF_SCOPE)
    page = client.get(reverse("export_detail", args=[export.pk])).content.decode()
    assert "You can no longer see what this file would hold." in page


def test_a_whole_scope_build_after_losing_the_role_holds_nothing(client, world, staff, large):
    client.force_login(staff)
    client.post(reverse("member_export"))
    export = ExportFile.objects.get()
    staff.chibo_roles.all().delete()

    exports.run(export_id=export.pk)

    export.refresh_from_db()
    assert (export.status, export.total) == ("done", 0)
    assert rows_of(download(client, export))[1:] == []


def test_progress_is_recorded_while_the_rows_are_written(client, world, staff, settings):
    settings.EXPORT_BACKGROUND_ROWS, settings.EXPORT_PROGRESS_EVERY = 2, 2
    client.force_login(staff)
    client.post(reverse("member_export"))
    export = ExportFile.objects.get()
    saved = []
    real_save = exports.Progress._save

    def spy(self, **fields):
        saved.append(fields)
        real_save(self, **fields)

    with mock.patch.object(exports.Progress, "_save", spy):
        exports.run(export_id=export.pk)

    assert saved == [{"total": 3}, {"done": 2}]


def test_a_queued_export_shows_its_progress(client, world, staff, large):
    client.force_login(staff)
    client.post(reverse("member_export"))
    export = ExportFile.objects.get()
    url = reverse("export_detail", args=[export.pk])

    waiting = client.get(url).content.decode()
    ExportFile.objects.filter(pk=export.pk).update(status="running", done=2000, total=8000)
    running = client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert "waiting" in waiting and "Counting the rows…" in waiting
    assert "being built" in running and "2000 of 8000 rows written" in running
    assert 'value="25"' in running


def test_a_second_post_while_building_returns_the_same_file(client, world, staff, large):
    client.force_login(staff)

    first = client.post(reverse("member_export"))
    second = client.post(reverse("member_export"))

    assert first["Location"] == second["Location"]
    assert ExportFile.objects.count() == 1


def test_a_background_file_is_served_only_to_its_owner(
    client, world, staff, large, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("member_export"))
    export = ExportFile.objects.get()
    colleague = RoleFactory(organization=world["commune"], kind="staff").user
    admin = RoleFactory(organization=world["commune"], kind="admin").user
    admin.is_superuser = admin.is_staff = True
    admin.save()

    for other in (colleague, admin):
        client.force_login(other)
        assert client.get(reverse("export_download", args=[export.pk])).status_code == 404
        assert client.get(reverse("export_detail", args=[export.pk])).status_code == 404
        assert list(client.get(reverse("export_list")).context["exports"]) == []
    client.logout()
    response = client.get(reverse("export_download", args=[export.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_post_to_an_export_is_sent_to_sign_in(client, world, large):
    response = client.post(reverse("member_export"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert ExportFile.objects.count() == 0


def test_a_large_organization_export_is_built_in_the_background(
    client, world, staff, settings, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    immediate = b"".join(client.get(reverse("organization_export")).streaming_content)
    settings.EXPORT_BACKGROUND_ROWS = 2

    offer = client.get(reverse("organization_export")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organization_export"))

    export = ExportFile.objects.get()
    assert "This file has 3 rows" in offer
    assert response["Location"] == reverse("export_detail", args=[export.pk])
    assert (export.kind, export.parameters, export.total) == ("organizations", {}, 3)
    assert export.filename.startswith("to-chuc-")
    rows = rows_of(download(client, export))
    assert rows == rows_of(immediate)
    assert [r[0] for r in rows] == ["Mã", "co-noi", "ban-lech", "ban-ben"]
    assert [r[3] for r in rows[1:]] == [None, "co-noi", "co-noi"]


def test_the_organization_export_leaves_a_parent_out_of_scope_blank(world):
    user = RoleFactory(organization=world["cell"], kind="secretary").user

    rows = list(exporter.organization_rows(member_exports.organizations_in_scope(user)))

    assert [(r["code"], r["parent_code"]) for r in rows] == [("ban-lech", "")]


def test_the_export_reads_in_chunks_and_writes_in_write_only_mode(world, staff):
    sheets = []
    real_write_only = xlsx.write_only

    def spy_write_only(title):
        workbook, sheet = real_write_only(title)
        sheets.append(sheet)
        return workbook, sheet

    real_iterator = QuerySet.iterator
    with (
        mock.patch.object(exporter.xlsx, "write_only", spy_write_only),
        mock.patch.object(QuerySet, "iterator", autospec=True, side_effect=real_iterator) as it,
    ):
        member_exports.build_members(
            user=staff, parameters={"cell": None}, progress=exports.Progress(None)
        ).close()
        member_exports.build_organizations(
            user=staff, parameters={}, progress=exports.Progress(None)
        ).close()

    assert [type(sheet) for sheet in sheets] == [WriteOnlyWorksheet, WriteOnlyWorksheet]
    assert [call.kwargs for call in it.call_args_list] == [
        {"chunk_size": exporter.CHUNK},
        {"chunk_size": exporter.CHUNK},
    ]
    assert exporter.CHUNK == 2000


def test_member_rows_are_one_generator_for_both_exports(world, staff):
    rows = exporter.member_rows(member_exports.members_in_scope(staff, cell_id=None))

    assert iter(rows) is rows  # consumed as written, never a list
    assert sorted(row["full_name"] for row in rows) == ["=HYPERLINK(1)", "Lê Đức An", "Lò Văn Minh"]


def test_members_in_scope_refuses_a_cell_out_of_sight(world, staff):
    from django.http import Http404

    with pytest.raises(Http404):
        member_exports.members_in_scope(staff, cell_id=world["outside"].pk)
    assert member_exports.members_in_scope(staff, cell_id=world["sibling"].pk).count() == 1
    assert Member.objects.count() == 4


def test_members_registers_both_builders():
    assert exports.builder("members").build is member_exports.build_members
    assert exports.builder("organizations").build is member_exports.build_organizations
    assert exports.builder("members").content_type == XLSX_TYPE
