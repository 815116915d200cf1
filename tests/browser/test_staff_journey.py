"""Committee office staff on a phone: assign a cadre to two cells in bulk,
watch the quota report, and download the member list as XLSX."""

import openpyxl
import pytest
from playwright.sync_api import expect

from chibo.models import OrganizationKind
from meetings.models import Assignment
from tests.factories import (
    CellFactory,
    CommitteeSeatFactory,
    MemberFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Van-phong-2026"  # noqa: S105 - a test fixture


@pytest.fixture
def office():
    commune = OrganizationFactory(kind=OrganizationKind.COMMUNE, name="Đảng bộ xã Liên Khê")
    cells = []
    for village in ("Đông", "Tây"):
        cells.append(CellFactory(parent=commune, name=f"Chi bộ thôn {village}"))
        MemberFactory(cell=cells[-1], full_name=f"Phạm Văn {village}")
    cadre = MemberFactory(cell=cells[0], full_name="Nguyễn Thị Cán Bộ")
    CommitteeSeatFactory(member=cadre, organization=commune, kind="standing")
    staff = UserFactory(username="vanphong", password=PASSWORD)
    RoleFactory(user=staff, organization=commune, kind="staff")
    return cadre, cells


def test_staff_assigns_cadre_in_bulk_and_exports_members(page, sign_in, office, tmp_path):
    cadre, cells = office
    sign_in(page, "vanphong", PASSWORD)

    page.goto("/meetings/assignments/bulk/")
    # Pickers: type part of a name, tap the match; the commune brings its cells.
    page.get_by_role("combobox", name="Cán bộ").fill("can bo")
    page.get_by_role("option", name="Nguyễn Thị Cán Bộ").click()
    page.get_by_role("combobox", name="Tất cả chi bộ thuộc").fill("lien khe")
    page.get_by_role("option", name="Đảng bộ xã Liên Khê").click()
    page.get_by_role("button", name="Phân công").click()

    expect(page.get_by_text("Đã lưu 2 phân công.")).to_be_visible()
    assert set(Assignment.objects.values_list("cadre_id", "cell__name")) == {
        (cadre.pk, "Chi bộ thôn Đông"),
        (cadre.pk, "Chi bộ thôn Tây"),
    }

    page.goto("/meetings/quotas/")
    expect(page.get_by_text("Nguyễn Thị Cán Bộ").first).to_be_visible()

    page.goto("/members/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất tệp XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    download.value.save_as(tmp_path / "members.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "members.xlsx").active
    names = {row[0] for row in sheet.iter_rows(values_only=True)}
    assert {"Phạm Văn Đông", "Phạm Văn Tây", "Nguyễn Thị Cán Bộ"} <= names
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
