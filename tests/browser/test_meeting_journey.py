"""A secretary runs a meeting on a phone: attendance, minutes typed through a
dropped connection (nothing lost), finalize, and the archived PDF."""

import datetime
import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from chibo.models import OrganizationKind
from meetings.models import Attendance, Minutes
from meetings.services.minutes import save_minutes, start_minutes
from tests.factories import (
    CellFactory,
    MeetingFactory,
    MemberFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Lech-2026-chi-bo"  # noqa: S105 - a test fixture
TZ = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture
def scene():
    commune = OrganizationFactory(
        kind=OrganizationKind.COMMUNE, name="Đảng bộ xã Cò Nòi", place_name="Cò Nòi"
    )
    cell = CellFactory(parent=commune, name="Chi bộ bản Lếch", code="ban-lech")
    user = UserFactory(username="bithu.lech", password=PASSWORD)
    RoleFactory(user=user, organization=cell, kind="secretary")
    members = {
        "tho": MemberFactory(cell=cell, full_name="Nguyễn Văn Thọ"),
        "duc": MemberFactory(cell=cell, full_name="Lò Thị Đức"),
        "minh": MemberFactory(cell=cell, full_name="Lò Văn Minh"),
        "yen": MemberFactory(cell=cell, full_name="Quàng Thị Yến"),
        "ha": MemberFactory(
            cell=cell,
            full_name="Trần Đức Hà",
            probationary=True,
            joined_on=datetime.date(2025, 8, 1),
        ),
    }
    meeting = MeetingFactory(
        cell=cell,
        state="planned",
        scheduled_at=datetime.datetime(2026, 2, 5, 19, 30, tzinfo=TZ),
    )
    return {"meeting": meeting, "members": members}


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def saved(page):
    """Wait until the editor says the server has everything."""
    expect(page.locator("#save-status")).to_have_attribute("data-state", "success")


def test_secretary_runs_a_meeting_on_a_phone(page, sign_in, scene):
    meeting, members = scene["meeting"], scene["members"]
    detail = f"/meetings/{meeting.pk}/"
    sign_in(page, "bithu.lech", PASSWORD)

    # Attendance: everyone present but one, absent with a reason.
    page.goto(detail)
    page.click(f"a[href='{detail}attendance/']")
    page.click(".js-all-present")
    yen = members["yen"].pk
    page.click(f"label[for='id_status_{yen}_2']")
    page.fill(f"#id_reason_{yen}", "Đi làm ăn xa")
    expect(page.locator(".attendance-counts [data-count='present']")).to_have_text("4")
    expect(page.locator(".attendance-counts [data-count='absent_excused']")).to_have_text("1")
    assert page_width(page) <= 360
    page.click("#save-attendance")
    page.wait_for_url(f"**{detail}")
    assert Attendance.objects.get(meeting=meeting, member_id=yen).reason == "Đi làm ăn xa"
    assert Attendance.objects.filter(meeting=meeting, status="present").count() == 4

    # The minutes save themselves.
    page.click(f"#minutes a[href='{detail}minutes/']")
    page.wait_for_url(f"**{detail}minutes/")
    assert page_width(page) <= 360
    page.select_option("#id_chair", str(members["tho"].pk))
    page.select_option("#id_minute_taker", str(members["duc"].pk))
    page.fill("#id_started_time", "19:30")
    page.fill("#id_news", "Quán triệt Nghị quyết của Đảng ủy xã")
    saved(page)
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.news == "Quán triệt Nghị quyết của Đảng ủy xã"

    # The connection drops while typing; the text stays on the phone.
    page.context.set_offline(True)
    page.fill("#id_criticism", "Đồng chí Minh tự phê bình: chưa đi họp đúng giờ")
    expect(page.locator("#save-status")).to_have_attribute("data-state", "danger", timeout=10_000)
    assert Minutes.objects.get(pk=minutes.pk).criticism == ""
    page.close()

    # Back online, a new tab restores the text from the device and saves it.
    page.context.set_offline(False)
    page = page.context.new_page()
    page.goto(f"{detail}minutes/")
    expect(page.locator("#id_criticism")).to_have_value(
        "Đồng chí Minh tự phê bình: chưa đi họp đúng giờ"
    )
    saved(page)
    assert Minutes.objects.get(pk=minutes.pk).criticism == (
        "Đồng chí Minh tự phê bình: chưa đi họp đúng giờ"
    )

    # The closing: resolution with a task, the vote, read back, closing time.
    page.fill("#id_resolution", "Mỗi đảng viên giúp đỡ một hộ nghèo")
    page.fill("#id_tasks-0-title", "Giúp đỡ hộ nghèo trong bản")
    page.select_option("#id_tasks-0-assignee", str(members["minh"].pk))
    page.fill("#id_tasks-0-due_on", "2026-03-03")
    page.fill("#id_votes_for", "3")
    page.fill("#id_votes_against", "0")
    page.fill("#id_votes_abstain", "0")
    page.check("#id_read_back_adopted")
    page.fill("#id_ended_time", "21:15")
    saved(page)
    minutes.refresh_from_db()
    assert (minutes.votes_for, minutes.read_back_adopted) == (3, True)
    assert list(minutes.tasks.values_list("title", flat=True)) == ["Giúp đỡ hộ nghèo trong bản"]

    # Finalize, then download the archived PDF.
    page.goto(detail)
    page.click(".js-finalize summary")
    page.click("#finalize-button")
    page.wait_for_url(f"**{detail}")
    expect(page.locator("#meeting-state")).to_have_attribute("data-state", "held")
    minutes.refresh_from_db()
    assert (minutes.state, minutes.number) == ("final", 1)
    assert page_width(page) <= 360
    with page.expect_download() as download:
        page.click("a.js-pdf")
    with open(download.value.path(), "rb") as pdf:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read())).pages)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "CHI BỘ BẢN LẾCH" in text
    assert "Tán thành: 3/4" in text


def test_two_editors_the_second_save_is_told_and_nothing_is_overwritten(page, sign_in, scene):
    meeting = scene["meeting"]
    deputy = UserFactory(username="phobithu", first_name="Phó", last_name="Bí thư")
    minutes = start_minutes(meeting=meeting, by=deputy)
    sign_in(page, "bithu.lech", PASSWORD)
    page.goto(f"/meetings/{meeting.pk}/minutes/")

    # Meanwhile the deputy saves from another phone.
    save_minutes(minutes=minutes, version=1, content={"news": "Bản của phó bí thư"}, by=deputy)
    page.fill("#id_news", "Bản của bí thư")

    conflict = page.locator("#conflict-live")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Bản của phó bí thư")
    expect(conflict).to_contain_text("Phó Bí thư")
    expect(page.locator("#id_news")).to_have_value("Bản của bí thư")
    kept = page.evaluate(f"window.localStorage.getItem('chibo-minutes-{minutes.pk}')")
    assert "Bản của bí thư" in kept
    assert Minutes.objects.get(pk=minutes.pk).news == "Bản của phó bí thư"

    # Having seen both, the secretary chooses to keep her text.
    page.click(".js-keep-mine")
    saved(page)
    assert Minutes.objects.get(pk=minutes.pk).news == "Bản của bí thư"
    assert page.evaluate(f"window.localStorage.getItem('chibo-minutes-{minutes.pk}')") is None
