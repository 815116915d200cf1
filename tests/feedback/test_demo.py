"""The demo feedback: 30+ items in every state, built by legal moves only,
each made by a user allowed to make it."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from chibo import access
from chibo.demo import build_demo
from chibo.demo.feedback import STORIES
from feedback.models import FeedbackEvent, FeedbackItem, FeedbackState, ReadBack
from feedback.workflow import FORWARD, READBACK, TRANSITIONS, check
from meetings.models import MinutesState

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module (WeasyPrint makes it slow); tests run inside."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_demo(today=TODAY)
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return seeded


def test_demo_has_items_in_every_state(demo):
    items = FeedbackItem.objects.all()
    assert items.count() == len(STORIES) >= 30
    states = set(items.values_list("state", flat=True))
    assert states == set(FeedbackState.values)
    assert items.overdue(TODAY).count() >= 5
    assert items.filter(main_item__isnull=False).count() == 3
    assert ReadBack.objects.filter(is_satisfied=True).count() >= 5
    assert ReadBack.objects.filter(is_satisfied=False).count() >= 2


def test_demo_items_moved_only_by_legal_moves(demo):
    # "link" notes on the main item that another went under it: no move.
    for event in FeedbackEvent.objects.exclude(action__in=["record", "overdue", "link"]):
        assert (event.from_state, event.to_state) in TRANSITIONS, event.action
    for item in FeedbackItem.objects.prefetch_related("events"):
        states = [e.to_state for e in item.events.all() if e.action != "overdue"]
        assert states[0] == "new" and states[-1] == item.state


def test_demo_linked_items_share_the_answer(demo):
    for child in FeedbackItem.objects.filter(main_item__isnull=False).select_related("main_item"):
        assert child.routed_body_id == child.main_item.routed_body_id
        if child.main_item.answer:
            assert (child.answer, child.state) == (child.main_item.answer, "answered")


def test_demo_feedback_twice_changes_nothing(demo):
    before = FeedbackEvent.objects.count()
    again = build_demo(today=TODAY)
    assert again.created["feedback items"] == 0
    assert FeedbackEvent.objects.count() == before


# Timeline notes that keep the state, and the access action they need (None: the system's).
NOTES = {"overdue": None, "link": FORWARD, "unlink": FORWARD, "due_date": FORWARD}


def test_demo_item_histories_replay_through_the_workflow_by_allowed_users(demo):
    """From its record, every item's timeline is a path the workflow allows,
    each move made by a user chibo.access allows to make it; the system makes
    only the answer that reaches a linked item with its main item's. (The
    answer moves are judged on the item's routing now: the one demo item
    re-routed after its answer was answered by the administrator.)"""
    items = FeedbackItem.objects.select_related("meeting", "main_item")
    assert items.count() == len(STORIES)
    for item in items:
        record, *events = item.events.order_by("at", "pk").select_related("by")
        assert (record.action, record.to_state) == ("record", FeedbackState.NEW)
        assert access.can(record.by, access.EDIT, item.meeting), item.pk
        state = FeedbackState.NEW
        for event in events:
            where = (item.pk, event.action, event.at)
            assert event.from_state == state, where
            if event.action in NOTES:
                assert event.to_state == state, where
                if NOTES[event.action]:
                    assert access.can(event.by, NOTES[event.action], item), where
                continue
            move = check(state, event.action)
            assert event.to_state == move.target, where
            if event.action == "answer_linked":
                assert event.by is None
                assert item.main_item.events.filter(action="answer", at=event.at).exists()
            else:
                assert access.can(event.by, move.permission, item), where
            state = move.target
        assert state == item.state


def test_demo_answers_are_read_back_at_a_held_meeting_before_its_minutes_are_final(demo):
    read_backs = ReadBack.objects.select_related("item", "meeting", "by")
    assert read_backs.count() >= 7
    for read_back in read_backs:
        meeting = read_back.meeting
        assert meeting.cell_id == read_back.item.cell_id
        assert timezone.localdate(read_back.at) == timezone.localdate(meeting.scheduled_at)
        assert read_back.at > read_back.item.events.get(action="answer").at
        assert access.can(read_back.by, READBACK, read_back.item)
        final = meeting.minutes.filter(state=MinutesState.FINAL).first()
        if final is not None:  # the minutes, finalized after, list the answer
            assert read_back.item_id in [a["item"] for a in final.snapshot["answers_read_back"]]
