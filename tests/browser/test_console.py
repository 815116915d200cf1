"""Pages log no console error on a phone. The CSP blocks inline scripts and
styles, even those a library adds, and each blocked one is an error here."""

import pytest
from playwright.sync_api import expect

from chibo.models import OrganizationKind
from tests.factories import (
    CellFactory,
    FeedbackItemFactory,
    MeetingFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
    feedback_category,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Lech-2026-bang-dieu-khien"  # noqa: S105 - a test fixture
SAND = "Đề nghị xử lý khai thác cát trái phép trên suối Nậm Pàn."


@pytest.fixture
def meeting():
    commune = OrganizationFactory(kind=OrganizationKind.COMMUNE, name="Đảng bộ xã Cò Nòi")
    cell = CellFactory(parent=commune, name="Chi bộ bản Lếch")
    user = UserFactory(username="bithu.lech", password=PASSWORD)
    RoleFactory(user=user, organization=cell, kind="secretary")
    meeting = MeetingFactory(cell=cell)
    FeedbackItemFactory(
        meeting=meeting, text=SAND, category=feedback_category("tai-nguyen-moi-truong")
    )
    feedback_category("dat-dai")  # the form's choices; a transactional test flushed them
    return meeting


def console_errors(page) -> list[str]:
    """Collects the tab's console errors and uncaught exceptions from now on."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_console_signed_in_pages_and_htmx_form_log_no_error(page, sign_in, meeting):
    errors = console_errors(page)

    sign_in(page, "bithu.lech", PASSWORD)
    page.goto("/members/")
    # The one page with htmx: typing asks for similar open items.
    page.goto(f"/feedback/new/?meeting={meeting.pk}")
    page.locator("#id_text").press_sequentially("khai thác cát trái phép")

    expect(page.locator("#similar-items .similar-item")).to_have_count(1)
    assert errors == []
