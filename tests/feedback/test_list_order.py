"""The feedback list's order is newest first for everyone; only the plan
differs: an office walks the date index, a cell's user sorts its few rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.models import FeedbackItem
from feedback.selectors import newest_first
from tests.factories import FeedbackItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(world):
    day = datetime.date(2026, 11, 3)
    made = [
        FeedbackItemFactory(cell=world.a1, raised_on=day - datetime.timedelta(days=n % 3))
        for n in range(7)
    ]
    FeedbackItemFactory(cell=world.b1, raised_on=day)  # outside both users' scope
    return made


def expected(items):
    return sorted(items, key=lambda item: (item.raised_on, item.pk), reverse=True)


def listed_sql(client, user) -> tuple[list[int], str]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("feedback_list"))
    assert response.status_code == 200
    page = [item.pk for item in response.context["page_obj"]]
    listing = [q["sql"] for q in queries.captured_queries if "LIMIT" in q["sql"]]
    return page, listing[-1]


def test_a_secretary_and_the_office_see_the_same_newest_first_order(client, world, items):
    mine, secretary_sql = listed_sql(client, world.secretary)
    theirs, staff_sql = listed_sql(client, world.staff_c)

    assert mine == theirs == [item.pk for item in expected(items)]
    assert "COALESCE" in secretary_sql
    assert "COALESCE" not in staff_sql


def test_newest_first_orders_ties_by_the_newest_id(world, items):
    ordered = list(newest_first(FeedbackItem.objects.filter(cell=world.a1), user=world.secretary))
    assert ordered == expected(items)
