"""Due dates and overdue counted in Vietnam's local time (UTC+7), around
month and year ends: a UTC date would be a day early after 17:00 UTC."""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from chibo import access
from feedback import services
from feedback.models import FeedbackEvent, FeedbackItem
from feedback.workflow import WorkflowError
from tests.factories import MeetingFactory, feedback_category

from .conftest import routed_item

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=VN)


def frozen(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.mark.parametrize(
    ("moment", "category", "due"),
    [
        # 23:30 on New Year's Eve in Hà Tĩnh is 16:30 UTC the same day.
        (at(2025, 12, 31, 23, 30), "an-ninh-trat-tu", datetime.date(2026, 1, 10)),
        # 00:30 on 31 January is still 30 January in UTC: local counts from the 31st.
        (at(2026, 1, 31, 0, 30), "dat-dai", datetime.date(2026, 3, 2)),
        (at(2028, 1, 31, 0, 30), "dat-dai", datetime.date(2028, 3, 1)),  # leap year
        (at(2026, 2, 28, 23, 59), "an-sinh-xa-hoi", datetime.date(2026, 3, 15)),
        (at(2026, 12, 1, 6, 0), "nong-thon-moi", datetime.date(2026, 12, 21)),
        (at(2026, 12, 12, 6, 0), "nong-thon-moi", datetime.date(2027, 1, 1)),
    ],
)
def test_default_due_date_counts_local_days(world, moment, category, due):
    item = routed_item(world, "new", category=feedback_category(category))
    with frozen(moment):
        services.forward_item(item=item, by=world.cadre_user, organization=world.c)
    item.refresh_from_db()
    assert (item.due_on, item.due_is_manual) == (due, False)


def test_category_default_days_are_data(world):
    category = feedback_category("khac")
    category.default_days = 3
    category.save()
    item = routed_item(world, "new", category=category)
    with frozen(at(2026, 12, 30, 9, 0)):
        services.forward_item(item=item, by=world.cadre_user, organization=world.c)
    item.refresh_from_db()
    assert item.due_on == datetime.date(2027, 1, 2)


def test_manual_due_date_kept_and_past_refused(world):
    item = routed_item(world, "new")
    with frozen(at(2026, 1, 1, 0, 5)), pytest.raises(WorkflowError) as error:
        services.forward_item(
            item=item, by=world.cadre_user, organization=world.c, due_on=datetime.date(2025, 12, 31)
        )
    assert str(error.value) == "The due date cannot be in the past."
    with frozen(at(2026, 1, 1, 0, 5)):
        services.forward_item(
            item=item, by=world.cadre_user, organization=world.c, due_on=datetime.date(2026, 1, 1)
        )
    item.refresh_from_db()
    assert (item.due_on, item.due_is_manual) == (datetime.date(2026, 1, 1), True)


@pytest.mark.parametrize(
    ("moment", "overdue"),
    [
        (at(2025, 12, 31, 23, 59), False),  # still the due day in Vietnam
        (at(2026, 1, 1, 0, 1), True),  # 31/12 17:01 UTC, but the 1st in Vietnam
        (at(2026, 1, 31, 12, 0), True),
    ],
)
def test_overdue_after_the_local_due_day(world, moment, overdue):
    item = routed_item(world, "forwarded", due_on=datetime.date(2025, 12, 31))
    with frozen(moment):
        assert item.is_overdue() is overdue
        assert FeedbackItem.objects.overdue().filter(pk=item.pk).exists() is overdue
        escalated = access.visible(world.answerer_d, FeedbackItem).filter(pk=item.pk).exists()
        assert escalated is overdue


@pytest.mark.parametrize("state", ["new", "returned", "answered", "closed"])
def test_not_overdue_when_no_answer_is_owed(world, state):
    item = routed_item(world, state, due_on=datetime.date(2025, 12, 31))
    with frozen(at(2026, 3, 1, 12, 0)):
        assert item.is_overdue() is False
        assert not FeedbackItem.objects.overdue().filter(pk=item.pk).exists()


def test_mark_overdue_records_once(world):
    late = routed_item(world, "in_progress", due_on=datetime.date(2026, 1, 31))
    on_time = routed_item(world, "forwarded", due_on=datetime.date(2026, 2, 1))
    with frozen(at(2026, 2, 1, 0, 5)):
        assert services.mark_overdue() == 1
        assert services.mark_overdue() == 0
    events = FeedbackEvent.objects.filter(action="overdue")
    assert [(e.item_id, e.from_state, e.to_state, e.by) for e in events] == [
        (late.pk, "in_progress", "in_progress", None)
    ]
    assert events[0].note == "Not answered by 31/01/2026: shown to the committee above."
    on_time.refresh_from_db()
    assert on_time.escalated_at is None


def test_mark_overdue_task_runs_the_service(world):
    from feedback.tasks import mark_overdue_task

    routed_item(world, "forwarded", due_on=datetime.date(2020, 1, 1))
    assert mark_overdue_task.apply().get() == 1


def test_new_due_date_clears_escalation(world):
    item = routed_item(world, "forwarded", due_on=datetime.date(2026, 1, 31))
    with frozen(at(2026, 2, 2, 8, 0)):
        services.mark_overdue()
        services.set_due_date(item=item, by=world.staff_c, due_on=datetime.date(2026, 2, 28))
    item.refresh_from_db()
    assert (item.due_on, item.escalated_at, item.is_overdue(datetime.date(2026, 2, 2))) == (
        datetime.date(2026, 2, 28),
        None,
        False,
    )
    assert item.events.latest("id").note == "Due date changed from 31/01/2026 to 28/02/2026."


def test_reopen_gives_a_new_due_date(world):
    item = routed_item(world, "answered", due_on=datetime.date(2026, 1, 10))
    meeting = MeetingFactory(cell=world.a1, period=datetime.date(2026, 3, 1), state="held")
    with frozen(at(2026, 3, 5, 21, 0)):
        services.read_back_item(item=item, meeting=meeting, by=world.secretary, is_satisfied=False)
    item.refresh_from_db()
    assert (item.state, item.due_on) == ("reopened", datetime.date(2026, 4, 4))


def test_overdue_filter_and_mark_in_list(client, world):
    late = routed_item(world, "forwarded", due_on=datetime.date(2020, 1, 1))
    routed_item(world, "forwarded")
    client.force_login(world.staff_c)
    response = client.get(reverse("feedback_list"), {"overdue": "on"})
    assert [row.pk for row in response.context["page_obj"]] == [late.pk]
    assert response.content.decode().count("table-danger") == 1
