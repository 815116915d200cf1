"""Office staff on a phone unfold the organization tree one branch at a time."""

import pytest
from playwright.sync_api import expect

from chibo.models import OrganizationKind
from tests.factories import (
    CellFactory,
    MemberFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Tinh-uy-2026"  # noqa: S105 - a test fixture


@pytest.fixture
def province():
    province = OrganizationFactory(kind=OrganizationKind.PROVINCE, name="Đảng bộ tỉnh Sơn La")
    for commune_name in ("Đảng bộ xã Cò Nòi", "Đảng bộ xã Nà Bó"):
        commune = OrganizationFactory(parent=province, name=commune_name)
        for village in ("Lếch", "Mạt"):
            cell = CellFactory(parent=commune, name=f"Chi bộ bản {village} ({commune_name[-6:]})")
            MemberFactory.create_batch(2, cell=cell)
    staff = UserFactory(username="tinhuy", password=PASSWORD)
    RoleFactory(user=staff, organization=province, kind="staff")
    return province


def test_staff_unfold_a_branch_on_a_phone(page, sign_in, province):
    sign_in(page, "tinhuy", PASSWORD)
    page.goto("/org/")
    root = page.locator("ul.tree > li > details").first
    communes = root.locator(":scope > ul > li > details")

    expect(root.locator(":scope > summary")).to_contain_text("4 chi bộ, 8 đảng viên")
    expect(page.get_by_text("Đảng bộ xã Cò Nòi")).to_have_count(0)  # not loaded yet

    root.locator(":scope > summary .counts").click()
    expect(communes).to_have_count(2)
    expect(communes.first.locator(":scope > summary")).to_contain_text("2 chi bộ, 4 đảng viên")

    communes.first.locator(":scope > summary .counts").click()
    cells = communes.first.locator(":scope > ul > li")
    expect(cells).to_have_count(2)
    expect(cells.first).to_contain_text("Chi bộ bản Lếch")
    expect(cells.first).to_contain_text("1 chi bộ, 2 đảng viên")

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    root.locator(":scope > summary .counts").click()  # folds again, without a new request
    expect(communes.first).to_be_hidden()
