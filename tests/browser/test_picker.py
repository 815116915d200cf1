"""A picker on a 360 px phone: typing shows the matches of the user's scope
(without diacritics), the keyboard or a tap chooses one, and the list is
filtered by it; the chosen cell shows again on the reloaded page."""

import re

import pytest
from playwright.sync_api import expect

from chibo.models import OrganizationKind
from tests.browser.conftest import PHONE, TIMEOUT_MS
from tests.factories import (
    CellFactory,
    MemberFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Van-phong-2026"  # noqa: S105 - a test fixture


@pytest.fixture
def phone(browser, live_server):
    """A touch phone's tab (the shared `page` has no touch)."""
    context = browser.new_context(
        viewport=PHONE, has_touch=True, is_mobile=True, locale="vi-VN", base_url=live_server.url
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture
def cells():
    commune = OrganizationFactory(kind=OrganizationKind.COMMUNE, name="Đảng bộ xã Liên Khê")
    outsider = OrganizationFactory(kind=OrganizationKind.COMMUNE, name="Đảng bộ xã Ngoài")
    made = {}
    for name in ("Chi bộ thôn Đông", "Chi bộ thôn Tây", "Chi bộ trường học"):
        made[name] = CellFactory(parent=commune, name=name)
        MemberFactory(cell=made[name], full_name=f"Đảng viên {name[7:]}")
    CellFactory(parent=outsider, name="Chi bộ thôn Đông Ngoài")
    staff = UserFactory(username="vanphong", password=PASSWORD)
    RoleFactory(user=staff, organization=commune, kind="staff")
    return made


def test_typing_in_the_cell_picker_and_choosing_on_a_phone(phone, sign_in, cells):
    page = phone
    sign_in(page, "vanphong", PASSWORD)
    page.goto("/members/")
    search = page.get_by_role("combobox", name="Chi bộ")

    search.fill("thon")
    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option")).to_have_count(2)
    expect(listbox).not_to_contain_text("Ngoài")  # an outsider's cell never appears
    expect(search).to_have_attribute("aria-expanded", "true")
    box = listbox.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360

    # The keyboard: down twice, Enter chooses (and does not submit the form).
    search.press("ArrowDown")
    search.press("ArrowDown")
    expect(search).to_have_attribute("aria-activedescendant", re.compile("_1$"))
    search.press("Enter")
    expect(listbox).to_be_hidden()
    expect(page.get_by_label(re.compile("Chi bộ thôn Tây"))).to_be_checked()
    assert page.url.endswith("/members/")

    # A tap replaces the choice of a single picker.
    search.fill("truong")
    page.get_by_role("option", name=re.compile("Chi bộ trường học")).tap()
    expect(page.get_by_label(re.compile("Chi bộ thôn Tây"))).to_have_count(0)

    page.get_by_role("button", name="Tìm").click()
    page.wait_for_url(re.compile(rf"cell={cells['Chi bộ trường học'].pk}"))
    expect(page.get_by_role("link", name="Đảng viên trường học")).to_be_visible()
    expect(page.get_by_role("link", name="Đảng viên thôn Đông")).to_have_count(0)
    # The reloaded page shows the chosen cell again.
    expect(page.get_by_label(re.compile("Chi bộ trường học"))).to_be_checked()


def test_typed_text_submitted_without_choosing_is_resolved(page, sign_in, cells):
    sign_in(page, "vanphong", PASSWORD)
    page.goto("/members/")

    page.get_by_role("combobox", name="Chi bộ").fill("thôn")
    page.get_by_role("button", name="Tìm").click()

    expect(page.get_by_text("Có 2 kết quả khớp với “thôn”")).to_be_visible()
    page.get_by_label(re.compile("Chi bộ thôn Đông")).check()
    page.get_by_role("button", name="Tìm").click()
    expect(page.get_by_role("link", name="Đảng viên thôn Đông")).to_be_visible()
    expect(page.get_by_role("link", name="Đảng viên thôn Tây")).to_have_count(0)
