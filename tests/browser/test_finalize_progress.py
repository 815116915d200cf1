"""Finalizing on a slow phone shows that it is under way (issue 7, item 6):
the button disables itself and says so until the server answers; a second
tap sends nothing."""

import datetime

import pytest
from playwright.sync_api import expect

from chibo.models import OrganizationKind
from meetings.models import Minutes
from meetings.services.attendance import Entry, save_attendance
from meetings.services.finalize import archive_minutes_pdf, finalize_minutes
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


@pytest.fixture
def ready(db):
    """Minutes complete enough to finalize, and their secretary."""
    commune = OrganizationFactory(
        kind=OrganizationKind.COMMUNE, name="Đảng bộ xã Cò Nòi", place_name="Cò Nòi"
    )
    cell = CellFactory(parent=commune, name="Chi bộ bản Lếch")
    user = UserFactory(username="bithu.lech", password=PASSWORD)
    RoleFactory(user=user, organization=cell, kind="secretary")
    members = [MemberFactory(cell=cell) for _ in range(4)]
    meeting = MeetingFactory(cell=cell, state="planned")
    save_attendance(meeting=meeting, members=[Entry(m.pk, "present") for m in members], by=user)
    minutes = start_minutes(meeting=meeting, by=user)
    save_minutes(
        minutes=minutes,
        version=minutes.version,
        content={
            "chair_id": members[0].pk,
            "minute_taker_id": members[1].pk,
            "started_at": meeting.scheduled_at,
            "ended_at": meeting.scheduled_at + datetime.timedelta(minutes=100),
            "resolution": "Giúp đỡ hộ nghèo",
            "votes_for": 4,
            "votes_against": 0,
            "votes_abstain": 0,
            "read_back_adopted": True,
        },
        by=user,
    )
    return {"meeting": meeting, "minutes": minutes}


def test_finalize_button_shows_progress_until_the_server_answers(page, sign_in, ready):
    meeting, minutes = ready["meeting"], ready["minutes"]
    detail = f"/meetings/{meeting.pk}/"
    sign_in(page, "bithu.lech", PASSWORD)
    page.goto(detail)
    # Stand in for a slow network: a listener added after finalize.js notes
    # whether the submit would go out, then keeps the page where it is.
    page.evaluate(
        """() => {
            window.submits = [];
            document.querySelector("form.js-finalize-form").addEventListener("submit", (e) => {
                window.submits.push(!e.defaultPrevented);
                e.preventDefault();
            });
        }"""
    )
    page.click(".js-finalize summary")
    button = page.locator("#finalize-button")
    button.click()

    expect(button).to_be_disabled()
    expect(button).to_have_text("Đang hoàn tất biên bản… xin chờ")
    expect(button).to_have_attribute("aria-busy", "true")
    expect(button.locator(".spinner-border")).to_have_count(1)
    page.evaluate("() => document.querySelector('form.js-finalize-form').requestSubmit()")
    assert page.evaluate("() => window.submits") == [True, False]  # a second tap sends nothing

    # The real thing, from a fresh page: the minutes are final, the PDF archived.
    page.goto(detail)
    page.click(".js-finalize summary")
    page.click("#finalize-button")
    page.wait_for_url(f"**{detail}")
    expect(page.locator("#meeting-state")).to_have_attribute("data-state", "held")
    assert Minutes.objects.get(pk=minutes.pk).state == "final"
    # Without Redis the archive is printed right after the commit.
    expect(page.locator(f"#pdf-pending-{minutes.pk}")).to_have_count(0)


def test_meeting_page_waits_for_the_archive_then_shows_it(page, sign_in, ready, monkeypatch):
    meeting, minutes = ready["meeting"], ready["minutes"]
    # As with a worker that has not got to it yet: nothing archives on commit.
    monkeypatch.setattr("meetings.services.finalize._enqueue_archive", lambda minutes_id: None)
    final = finalize_minutes(minutes=Minutes.objects.get(pk=minutes.pk), by=None)
    sign_in(page, "bithu.lech", PASSWORD)
    page.goto(f"/meetings/{meeting.pk}/")
    pending = page.locator(f"#pdf-pending-{final.pk}")
    expect(pending).to_have_text("Đang chuẩn bị PDF")

    archive_minutes_pdf(minutes_id=final.pk)  # the worker's turn

    expect(pending).to_have_count(0, timeout=12_000)  # the page looked again and reloaded
    expect(page.locator("#minutes-chain")).to_contain_text("SHA-256")
