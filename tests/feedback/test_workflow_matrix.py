"""Every service that changes an item, by every user of the world: the
allowed users make the change (an event by them, at the clock given), every
other user is refused with 403 and the item, its events and its routing stay
exactly as they were.

The item is always A1's, routed to commune C, due far ahead (so the district
answerer, who sees only overdue items, is not reached by it).
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from feedback import services
from feedback.models import FeedbackEvent, FeedbackItem, ReadBack
from tests.factories import MeetingFactory

from .conftest import routed_item

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=VN)
USERS = (
    "secretary",
    "secretary_a2",
    "cadre_user",
    "answerer_c",
    "answerer_d",
    "body_user",
    "staff_c",
    "staff_e",
    "admin_d",
    "outsider",
)
FORWARDERS = {"cadre_user", "staff_c", "admin_d"}
ANSWERERS = {"answerer_c", "admin_d"}
READERS = {"secretary", "admin_d"}
# Who may correct the item's text: its cell's secretary, the cadre assigned
# to the cell, administrators above it.
EDITORS = {"secretary", "cadre_user", "admin_d"}


def _held_meeting(world):
    return MeetingFactory(cell=world.a1, period=datetime.date(2026, 3, 1), state="held")


# action -> (state the item is in, who may, how to do it, state after)
CASES = {
    "forward": (
        "new",
        FORWARDERS,
        lambda w, item, by: services.forward_item(item=item, by=by, organization=w.c, now=NOW),
        "forwarded",
    ),
    "start": (
        "forwarded",
        ANSWERERS,
        lambda w, item, by: services.start_item(item=item, by=by, now=NOW),
        "in_progress",
    ),
    "return": (
        "in_progress",
        ANSWERERS,
        lambda w, item, by: services.return_item(item=item, by=by, note="Thửa nào?", now=NOW),
        "returned",
    ),
    "answer": (
        "in_progress",
        ANSWERERS,
        lambda w, item, by: services.answer_item(item=item, by=by, answer="Đã xử lý.", now=NOW),
        "answered",
    ),
    "close": (
        "answered",
        READERS,
        lambda w, item, by: services.read_back_item(
            item=item, meeting=_held_meeting(w), by=by, is_satisfied=True, now=NOW
        ),
        "closed",
    ),
    "reopen": (
        "answered",
        READERS,
        lambda w, item, by: services.read_back_item(
            item=item, meeting=_held_meeting(w), by=by, is_satisfied=False, now=NOW
        ),
        "reopened",
    ),
}


def snapshot(item):
    row = FeedbackItem.objects.get(pk=item.pk)
    return (
        row.state,
        row.due_on,
        row.routed_organization_id,
        row.routed_body_id,
        row.answer,
        row.text,
        row.main_item_id,
        FeedbackEvent.objects.filter(item=item).count(),
        ReadBack.objects.filter(item=item).count(),
    )


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("action", sorted(CASES))
def test_every_move_by_every_user(world, action, user):
    state, allowed, do, after = CASES[action]
    item = routed_item(world, state)
    by = getattr(world, user)
    before = snapshot(item)

    if user in allowed:
        do(world, item, by)
        row = FeedbackItem.objects.get(pk=item.pk)
        assert (row.state, row.state_changed_at) == (after, NOW)
        event = row.events.latest("id")
        assert (event.action, event.from_state, event.to_state, event.by, event.at) == (
            action,
            state,
            after,
            by,
            NOW,
        )
    else:
        with pytest.raises(PermissionDenied):
            do(world, item, by)
        assert snapshot(item) == before


@pytest.mark.parametrize("user", USERS)
def test_set_due_date_by_every_user(world, user):
    item = routed_item(world, "forwarded", due_on=datetime.date(2026, 4, 1))
    by = getattr(world, user)
    before = snapshot(item)

    if user in FORWARDERS:
        services.set_due_date(item=item, by=by, due_on=datetime.date(2026, 5, 1), now=NOW)
        row = FeedbackItem.objects.get(pk=item.pk)
        assert (row.due_on, row.due_is_manual, row.state) == (
            datetime.date(2026, 5, 1),
            True,
            "forwarded",
        )
        event = row.events.latest("id")
        assert (event.action, event.by, event.at, event.note) == (
            "due_date",
            by,
            NOW,
            "Due date changed from 01/04/2026 to 01/05/2026.",
        )
    else:
        with pytest.raises(PermissionDenied):
            services.set_due_date(item=item, by=by, due_on=datetime.date(2026, 5, 1), now=NOW)
        assert snapshot(item) == before


@pytest.mark.parametrize("user", USERS)
def test_link_and_unlink_by_every_user(world, user):
    main = routed_item(world, "forwarded")
    item = routed_item(world, "new")
    by = getattr(world, user)
    before = (snapshot(item), snapshot(main))

    if user not in FORWARDERS:
        with pytest.raises(PermissionDenied):
            services.link_item(item=item, main=main, by=by, now=NOW)
        assert (snapshot(item), snapshot(main)) == before
        return
    services.link_item(item=item, main=main, by=by, now=NOW)
    row = FeedbackItem.objects.get(pk=item.pk)
    assert (row.main_item_id, row.state, row.routed_organization) == (main.pk, "forwarded", world.c)
    services.unlink_item(item=row, by=by, now=NOW)
    row = FeedbackItem.objects.get(pk=item.pk)
    assert row.main_item_id is None
    assert list(row.events.order_by("id").values_list("action", "by")) == [
        ("forward", by.pk),
        ("unlink", by.pk),
    ]


@pytest.mark.parametrize("user", USERS)
def test_correcting_an_item_by_every_user(world, user):
    item = routed_item(world, "new", text="Đề nghị sửa đường")
    by = getattr(world, user)
    before = snapshot(item)

    def correct():
        return services.update_item(
            item=item,
            by=by,
            category=item.category,
            text="  Đề nghị sửa đường liên thôn  ",
            raiser_kind="citizens",
            raiser_name="  Bà con xóm 2 ",
            now=NOW,
        )

    if user in EDITORS:
        correct()
        row = FeedbackItem.objects.get(pk=item.pk)
        assert (row.text, row.raiser_kind, row.raiser_name, row.raiser_member) == (
            "Đề nghị sửa đường liên thôn",
            "citizens",
            "Bà con xóm 2",
            None,
        )
        event = row.events.latest("id")
        assert (event.action, event.from_state, event.to_state, event.by, event.at) == (
            "edit",
            "new",
            "new",
            by,
            NOW,
        )
    else:
        with pytest.raises(PermissionDenied):
            correct()
        assert snapshot(item) == before


@pytest.mark.parametrize("user", USERS)
def test_recording_at_a_meeting_by_every_user(world, user):
    by = getattr(world, user)
    category = routed_item(world, "new").category
    count = FeedbackItem.objects.count()

    def record():
        return services.record_item(
            meeting=world.meeting_a1,
            by=by,
            category=category,
            text="Đề nghị lắp đèn đường",
            raiser_kind="citizens",
            raiser_name="Bà con xóm 1",
            now=NOW,
        )

    # The meeting is written by its cell's secretary and administrators above.
    if user in {"secretary", "admin_d"}:
        item = record()
        assert (item.state, item.recorded_by, item.state_changed_at, item.cell) == (
            "new",
            by,
            NOW,
            world.a1,
        )
    else:
        with pytest.raises(PermissionDenied):
            record()
        assert FeedbackItem.objects.count() == count


def test_the_district_answerer_answers_what_is_overdue_only_when_an_admin(world):
    # Escalation shows the late item to the answerer above; it does not
    # give the right to answer for commune C.
    item = routed_item(world, "in_progress", due_on=datetime.date(2020, 1, 1))

    with pytest.raises(PermissionDenied):
        services.answer_item(item=item, by=world.answerer_d, answer="Đã xử lý.", now=NOW)
    assert FeedbackItem.objects.get(pk=item.pk).state == "in_progress"
