"""A cell secretary on a phone: signs in and finds a member by a name typed without accents."""

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

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Lech-2026-chi-bo"  # noqa: S105 - a test fixture


@pytest.fixture
def secretary():
    commune = OrganizationFactory(kind=OrganizationKind.COMMUNE, name="Đảng bộ xã Mường Phăng")
    cell = CellFactory(parent=commune, name="Chi bộ bản Lếch")
    user = UserFactory(username="bithu.lech", password=PASSWORD)
    RoleFactory(user=user, organization=cell, kind="secretary")
    for name in ["Nguyễn Văn Thọ", "Lò Thị Đức", "Lò Văn Minh", "Quàng Thị Yến", "Trần Đức Hà"]:
        MemberFactory(cell=cell, full_name=name)
    # Same folded name, another cell: outside this secretary's scope.
    other_cell = CellFactory(parent=commune, name="Chi bộ bản Hua Pe")
    MemberFactory(cell=other_cell, full_name="Nguyễn Văn Bình")
    return user


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_secretary_search_without_accents_finds_member_on_phone(page, sign_in, secretary):
    sign_in(page, "bithu.lech", PASSWORD)
    assert page_width(page) <= 360

    page.goto("/members/")
    expect(page.get_by_text("Lò Thị Đức").filter(visible=True).first).to_be_visible()
    page.fill("input[name=q]", "nguyen van")
    page.press("input[name=q]", "Enter")

    # Waits for the list to change: Đức was listed before the search.
    expect(page.get_by_text("Lò Thị Đức")).to_have_count(0)
    expect(page.get_by_text("Nguyễn Văn Thọ").filter(visible=True).first).to_be_visible()
    expect(page.get_by_text("Lò Văn Minh")).to_have_count(0)
    expect(page.get_by_text("Nguyễn Văn Bình")).to_have_count(0)
    assert page_width(page) <= 360


def test_secretary_member_search_by_url_shows_only_matches(page, sign_in, secretary):
    sign_in(page, "bithu.lech", PASSWORD)

    page.goto("/members/?q=nguyen+van")

    expect(page.get_by_text("Nguyễn Văn Thọ").filter(visible=True).first).to_be_visible()
    expect(page.get_by_text("Lò Thị Đức")).to_have_count(0)
    expect(page.get_by_text("Nguyễn Văn Bình")).to_have_count(0)
    assert page_width(page) <= 360
