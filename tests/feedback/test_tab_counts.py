"""The feedback list's tabs count the whole scope once, then read the count
from the figures' cache until feedback changes (every feedback service bumps
it), and each filter, user and day has its own counts."""

import datetime

import pytest
from django.urls import reverse

from chibo import figures
from tests.factories import FeedbackItemFactory

pytestmark = pytest.mark.django_db


def tabs(client, user, **params) -> dict[str, int]:
    client.force_login(user)
    response = client.get(reverse("feedback_list"), params)
    assert response.status_code == 200
    return {row["state"]: row["count"] for row in response.context["counts"] if row["count"]}


def test_the_tabs_are_counted_once_until_feedback_changes(client, world):
    FeedbackItemFactory(meeting=world.meeting_a1)
    assert tabs(client, world.staff_c) == {"new": 1}

    # A write that bypasses the services (at an existing meeting: no new cell in the tree).
    FeedbackItemFactory(meeting=world.meeting_a1)
    assert tabs(client, world.staff_c) == {"new": 1}

    figures.changed(figures.FEEDBACK)  # what every feedback service does
    assert tabs(client, world.staff_c) == {"new": 2}


def test_the_cached_tabs_save_the_count_query(client, world, django_assert_num_queries):
    FeedbackItemFactory(cell=world.a1)
    client.force_login(world.staff_c)
    client.get(reverse("feedback_list"))
    # session, user, roles, member, the bodies and visits the scope names, the
    # categories filter, the page's ids and its rows: no COUNT
    with django_assert_num_queries(8):
        response = client.get(reverse("feedback_list"))
    assert response.context["page_obj"].paginator.count == 1


def test_each_filter_and_each_user_has_its_own_tabs(client, world):
    FeedbackItemFactory(cell=world.a1, raised_on=datetime.date(2026, 1, 5))
    FeedbackItemFactory(cell=world.a1, raised_on=datetime.date(2026, 6, 5))
    FeedbackItemFactory(cell=world.b1, raised_on=datetime.date(2026, 6, 5))

    assert tabs(client, world.staff_c) == {"new": 2}
    assert tabs(client, world.staff_c, raised_from="2026-03-01") == {"new": 1}
    assert tabs(client, world.secretary) == {"new": 2}
    # The state filter picks a tab: the tabs themselves stay the same.
    assert tabs(client, world.staff_c, state="closed") == {"new": 2}
