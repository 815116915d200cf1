"""The demo feedback: 30+ items in every state, built by legal moves only."""

import datetime

import pytest
from django.db import transaction

from chibo.demo import build_demo
from chibo.demo.feedback import STORIES
from feedback.models import FeedbackEvent, FeedbackItem, FeedbackState, ReadBack
from feedback.workflow import TRANSITIONS

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
    for event in FeedbackEvent.objects.exclude(action__in=["record", "overdue"]):
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
