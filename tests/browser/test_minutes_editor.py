"""The minutes editor on a phone (360x740): nothing it shows is changed by
saving it, two editors' speeches and tasks are merged or shown side by side,
a lost reply is no conflict, a reload offline brings the editor back, and
signing out leaves nothing of the draft on the phone."""

import datetime

import pytest
from playwright.sync_api import expect

from meetings.models import Minutes
from meetings.services.attendance import Entry, save_attendance
from meetings.services.minutes import SpeechData, TaskData, save_minutes, start_minutes
from tests.factories import CellFactory, MeetingFactory, MemberFactory, RoleFactory, UserFactory

from .conftest import PHONE, TIMEOUT_MS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Lech-2026-chi-bo"  # noqa: S105 - a test fixture
TZ = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture
def scene():
    cell = CellFactory(name="Chi bộ bản Lếch", code="ban-lech")
    secretary = UserFactory(username="bithu", password=PASSWORD, first_name="Bí thư")
    RoleFactory(user=secretary, organization=cell, kind="secretary")
    deputy = UserFactory(username="phobithu", password=PASSWORD, first_name="Phó bí thư")
    RoleFactory(user=deputy, organization=cell, kind="deputy")
    members = [MemberFactory(cell=cell, full_name=n) for n in ("Lò Văn Thọ", "Lò Thị Đức")]
    meeting = MeetingFactory(
        cell=cell, state="planned", scheduled_at=datetime.datetime(2026, 2, 5, 19, 30, tzinfo=TZ)
    )
    save_attendance(meeting=meeting, members=[Entry(m.pk, "present") for m in members], by=None)
    minutes = start_minutes(meeting=meeting, by=secretary)
    save_minutes(
        minutes=minutes,
        version=1,
        content={
            "chair_id": members[0].pk,
            "minute_taker_id": members[1].pk,
            "started_at": datetime.datetime(2026, 2, 5, 19, 30, tzinfo=TZ),
            "ended_at": datetime.datetime(2026, 2, 5, 21, 15, tzinfo=TZ),
            "news": "Quán triệt Nghị quyết",
            "resolution": "Giúp hộ nghèo",
            "votes_for": 2,
            "votes_against": 0,
            "votes_abstain": 0,
            "read_back_adopted": True,
        },
        speeches=[SpeechData("Nhất trí", member_id=members[1].pk, key="first")],
        tasks=[
            TaskData(
                "Giúp hộ nghèo trong bản",
                assignee_id=members[0].pk,
                due_on=datetime.date(2026, 12, 31),
                key="task",
            )
        ],
        by=secretary,
    )
    return {"minutes": minutes, "url": f"/meetings/{meeting.pk}/minutes/"}


def saved(page):
    expect(page.locator("#save-status")).to_have_attribute("data-state", "success")


def local_copy(page, minutes):
    return page.evaluate(f"window.localStorage.getItem('chibo-minutes-{minutes.pk}')")


def content(minutes):
    minutes.refresh_from_db()
    fields = [f.attname for f in Minutes._meta.concrete_fields]
    # The autosave's bookkeeping (shown_version, posted_digests) is not content.
    skip = {"version", "updated_at", "updated_by_id", "shown_version", "posted_digests"}
    return (
        {f: getattr(minutes, f) for f in fields if f not in skip},
        list(minutes.speeches.values_list("member_id", "speaker_name", "text", "key")),
        list(minutes.tasks.values_list("title", "assignee_id", "due_on", "key")),
    )


@pytest.fixture
def second_page(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_editor_reloaded_and_saved_untouched_leaves_every_field(page, sign_in, scene):
    minutes = scene["minutes"]
    before = content(minutes)
    sign_in(page, "bithu", PASSWORD)
    page.goto(scene["url"])
    expect(page.locator("#id_tasks-0-due_on")).to_have_value("2026-12-31")

    page.reload()
    page.click("#save-button")
    saved(page)
    page.reload()
    page.click("#save-button")
    saved(page)

    assert Minutes.objects.get(pk=minutes.pk).version == 4
    assert content(minutes) == before
    assert local_copy(page, minutes) is None


def test_two_editors_speeches_and_tasks_are_merged_or_shown_side_by_side(
    page, second_page, sign_in, scene
):
    minutes = scene["minutes"]
    secretary, deputy = page, second_page
    sign_in(secretary, "bithu", PASSWORD)
    sign_in(deputy, "phobithu", PASSWORD)
    secretary.goto(scene["url"])
    deputy.goto(scene["url"])

    # Each adds a row: both are kept, and each page shows the other's.
    secretary.click("button[name='add-speech']")
    secretary.fill("#id_speeches-1-speaker_name", "Khách mời")
    secretary.fill("#id_speeches-1-text", "Ý kiến của khách")
    saved(secretary)
    deputy.click("button[name='add-task']")
    deputy.fill("#id_tasks-1-title", "Thu đảng phí")
    saved(deputy)
    minutes.refresh_from_db()
    assert list(minutes.speeches.values_list("text", flat=True)) == [
        "Nhất trí",
        "Ý kiến của khách",
    ]
    assert list(minutes.tasks.order_by("id").values_list("title", flat=True)) == [
        "Giúp hộ nghèo trong bản",
        "Thu đảng phí",
    ]
    expect(deputy.locator("#id_speeches-1-text")).to_have_value("Ý kiến của khách")
    expect(deputy.locator("#id_tasks-1-title")).to_have_value("Thu đảng phí")

    # Both change the same speech: the second is shown both, side by side.
    secretary.fill("#id_speeches-0-text", "Nhất trí, bí thư bổ sung")
    saved(secretary)
    deputy.fill("#id_speeches-0-text", "Nhất trí, phó bí thư bổ sung")
    panel = deputy.locator("#conflict-live")
    expect(panel).to_be_visible()
    expect(panel.locator(".js-mine")).to_have_text("Lò Thị Đức: Nhất trí, phó bí thư bổ sung")
    expect(panel.locator(".js-theirs")).to_have_text("Lò Thị Đức: Nhất trí, bí thư bổ sung")
    assert deputy.evaluate("document.documentElement.scrollWidth") <= 360
    assert Minutes.objects.get(pk=minutes.pk).speeches.first().text == "Nhất trí, bí thư bổ sung"

    panel.locator("label", has_text="Giữ cả hai").click()
    panel.locator(".js-resolve").click()
    saved(deputy)
    expect(panel).to_be_hidden()
    minutes.refresh_from_db()
    assert list(minutes.speeches.values_list("text", flat=True)) == [
        "Nhất trí, phó bí thư bổ sung",
        "Nhất trí, bí thư bổ sung",
        "Ý kiến của khách",
    ]
    assert minutes.tasks.count() == 2
    assert local_copy(deputy, minutes) is None


@pytest.fixture
def page_without_worker(browser, live_server):
    """A tab whose every request reaches page.route: Playwright does not see
    requests that a service worker answers, so this tab runs without one."""
    context = browser.new_context(
        viewport=PHONE, locale="vi-VN", base_url=live_server.url, service_workers="block"
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_a_lost_reply_is_no_conflict_with_yourself(page_without_worker, sign_in, scene):
    page = page_without_worker
    minutes = scene["minutes"]
    sign_in(page, "bithu", PASSWORD)
    page.goto(scene["url"])
    dropped = []

    def drop_reply(route):
        route.fetch()  # the server gets the save; the phone never hears back
        dropped.append(route.request.url)
        route.abort("failed")

    page.route("**/autosave/", drop_reply)
    page.fill("#id_criticism", "Đồng chí Minh")
    expect(page.locator("#save-status")).to_have_attribute("data-state", "danger")
    page.unroute("**/autosave/")
    assert len(dropped) == 1
    assert Minutes.objects.get(pk=minutes.pk).criticism == "Đồng chí Minh"

    page.click("#save-button")  # the same save again
    saved(page)
    page.fill("#id_criticism", "Đồng chí Minh tự phê bình")  # and the next one
    saved(page)

    expect(page.locator("#conflict-live")).to_be_hidden()
    minutes.refresh_from_db()
    assert (minutes.criticism, minutes.version) == ("Đồng chí Minh tự phê bình", 4)


def test_reload_offline_shows_the_editor_and_the_text_reaches_the_server(page, sign_in, scene):
    minutes = scene["minutes"]
    sign_in(page, "bithu", PASSWORD)
    page.goto(scene["url"])
    expect(page.locator("#minutes-form")).to_have_attribute("data-offline-ready", "1")

    page.context.set_offline(True)
    # set_offline does not reach the service worker's own fetches in Chromium:
    # refuse every request of the context too, as a phone without signal would.
    page.context.route("**/*", lambda route: route.abort("internetdisconnected"))
    page.reload()
    expect(page.locator("#id_news")).to_have_value("Quán triệt Nghị quyết")
    page.fill("#id_summary", "Chi bộ thống nhất")
    page.click("button[name='add-speech']")
    page.fill("#id_speeches-1-speaker_name", "Khách mời")
    page.fill("#id_speeches-1-text", "Gõ khi mất mạng")
    expect(page.locator("#save-status")).to_have_attribute("data-state", "danger")
    page.reload()  # still offline: the text typed is restored from the phone
    expect(page.locator("#id_summary")).to_have_value("Chi bộ thống nhất")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert Minutes.objects.get(pk=minutes.pk).summary == ""

    page.context.unroute("**/*")
    page.context.set_offline(False)
    saved(page)
    minutes.refresh_from_db()
    assert minutes.summary == "Chi bộ thống nhất"
    assert list(minutes.speeches.values_list("text", flat=True)) == ["Nhất trí", "Gõ khi mất mạng"]
    assert local_copy(page, minutes) is None


def test_sign_out_removes_the_draft_kept_on_the_phone(page, sign_in, scene):
    minutes = scene["minutes"]
    sign_in(page, "bithu", PASSWORD)
    page.goto(scene["url"])
    expect(page.locator("#minutes-form")).to_have_attribute("data-offline-ready", "1")
    page.route("**/autosave/", lambda route: route.abort("failed"))
    page.fill("#id_summary", "Chưa gửi được")
    expect(page.locator("#save-status")).to_have_attribute("data-state", "danger")
    assert "Chưa gửi được" in local_copy(page, minutes)

    page.evaluate("document.querySelector(\"form[action='/accounts/logout/']\").submit()")
    page.wait_for_url("**/accounts/login/**")

    assert local_copy(page, minutes) is None
    assert page.evaluate("caches.keys()") == []
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0


def test_an_editor_opened_with_no_minutes_creates_them_on_its_first_save(page, sign_in, scene):
    meeting = MeetingFactory(
        cell=scene["minutes"].meeting.cell,
        state="planned",
        period=datetime.date(2026, 3, 1),
        scheduled_at=datetime.datetime(2026, 3, 5, 19, 30, tzinfo=TZ),
    )
    sign_in(page, "bithu", PASSWORD)
    page.goto(f"/meetings/{meeting.pk}/minutes/")
    expect(page.locator("#minutes-form")).to_have_attribute("data-minutes-id", f"new-{meeting.pk}")
    assert not Minutes.objects.filter(meeting=meeting).exists()

    page.fill("#id_news", "Lần đầu")
    saved(page)
    minutes = Minutes.objects.get(meeting=meeting)
    form = page.locator("#minutes-form")
    expect(form).to_have_attribute("data-minutes-id", str(minutes.pk))
    expect(form).to_have_attribute("data-autosave-url", f"/meetings/minutes/{minutes.pk}/autosave/")
    page.fill("#id_summary", "Lần hai")
    saved(page)
    minutes.refresh_from_db()
    assert (minutes.news, minutes.summary, minutes.version) == ("Lần đầu", "Lần hai", 3)
    assert Minutes.objects.filter(meeting=meeting).count() == 1
