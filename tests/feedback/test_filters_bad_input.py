"""The feedback list with values no form would send: a bad value never
errors, never widens what the user sees, and is reported on its field;
ids of bodies and organizations out of the user's sight are not choices."""

import datetime

import pytest
from django.urls import reverse

from chibo import access
from feedback.filters import FeedbackFilter
from feedback.models import FeedbackItem
from tests.factories import AnsweringBodyFactory, feedback_category

from .conftest import routed_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(world):
    return {
        "new": routed_item(world, "new", text="Đề nghị sửa đường liên thôn"),
        "late": routed_item(world, "forwarded", due_on=datetime.date(2020, 1, 1), text="Ô nhiễm"),
        "body": routed_item(
            world,
            "in_progress",
            cell="a2",
            routed_organization=None,
            routed_body=world.body,
            text="Đo đạc lại thửa đất",
        ),
        "other": routed_item(
            world,
            "forwarded",
            cell="b1",
            routed_organization=world.e,
            answer_organization=world.e,
            text="Kiến nghị của xã Đức Đồng",
        ),
    }


def shown(client, user, params):
    client.force_login(user)
    response = client.get(reverse("feedback_list"), params)
    assert response.status_code == 200
    return response, {row.pk for row in response.context["page_obj"]}


def pks(listed, *names):
    return {listed[name].pk for name in names}


STAFF_C_SEES = ("new", "late", "body")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"state": "deleted"}, "state"),
        ({"todo": "everything"}, "todo"),
        ({"category": "abc"}, "category"),
        ({"category": "999999"}, "category"),
        ({"body": "999999"}, "body"),
        ({"body": "x"}, "body"),
        ({"organization": "999999"}, "organization"),
        ({"organization": "-1"}, "organization"),
        ({"raised_from": "31/02/2026"}, "raised_from"),
        ({"raised_to": "yesterday"}, "raised_to"),
    ],
)
def test_a_bad_value_is_reported_and_filters_nothing(client, world, listed, params, field):
    response, rows = shown(client, world.staff_c, params)

    assert rows == pks(listed, *STAFF_C_SEES)
    assert field in response.context["filter"].form.errors


def test_another_areas_organization_is_not_a_choice(client, world, listed):
    # E is a real organization, but staff of C cannot see it: not a filter
    # that could tell them whether E has items.
    response, rows = shown(client, world.staff_c, {"organization": world.e.pk})

    assert rows == pks(listed, *STAFF_C_SEES)
    assert "organization" in response.context["filter"].form.errors
    assert "Kiến nghị của xã Đức Đồng" not in response.content.decode()


def test_another_areas_body_filters_to_nothing_the_user_may_not_see(client, world, listed):
    # Bodies are public knowledge to anyone with a role, so E's is a choice;
    # the items routed to it stay out of sight.
    body_e = AnsweringBodyFactory(name="Ủy ban nhân dân xã Đức Đồng", organization=world.e)
    item = FeedbackItem.objects.get(pk=listed["other"].pk)
    item.routed_organization, item.routed_body = None, body_e
    item.save()

    response, rows = shown(client, world.staff_c, {"body": body_e.pk})

    assert rows == set()
    assert response.context["filter"].form.errors == {}
    assert "Kiến nghị của xã Đức Đồng" not in response.content.decode()


def test_the_organization_choices_are_the_users_own(world):
    item_filter = FeedbackFilter({}, queryset=FeedbackItem.objects.all(), user=world.secretary)

    assert list(item_filter.filters["organization"].queryset) == [world.a1]
    assert list(item_filter.filters["body"].queryset) == [world.body]


@pytest.mark.parametrize("value", ["on", "true", "x", "1"])
def test_any_checked_value_of_overdue_shows_only_the_late(client, world, listed, value):
    # A checkbox: whatever it sends when ticked.
    _, rows = shown(client, world.staff_c, {"overdue": value})

    assert rows == pks(listed, "late")


@pytest.mark.parametrize("value", ["", "false", "False"])
def test_an_unticked_overdue_shows_everything(client, world, listed, value):
    _, rows = shown(client, world.staff_c, {"overdue": value})

    assert rows == pks(listed, *STAFF_C_SEES)


@pytest.mark.parametrize("page", ["abc", "0", "-3", "9999", ""])
def test_a_bad_page_number_shows_a_page(client, world, listed, page):
    _, rows = shown(client, world.staff_c, {"page": page})

    assert rows == pks(listed, *STAFF_C_SEES)


def test_search_with_only_diacritics_or_nul_filters_nothing(client, world, listed):
    _, rows = shown(client, world.staff_c, {"q": "\u0301\u0300"})
    assert rows == pks(listed, *STAFF_C_SEES)
    _, rows = shown(client, world.staff_c, {"q": "\x00"})
    assert rows == pks(listed, *STAFF_C_SEES)


def test_search_for_markup_finds_nothing_and_echoes_it_escaped(client, world, listed):
    response, rows = shown(client, world.staff_c, {"q": '<script>alert("x")</script>'})

    assert rows == set()
    html = response.content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_the_body_filter_takes_items_linked_under_the_bodys_item(world, listed):
    linked = routed_item(world, "forwarded", main_item=listed["body"])
    item_filter = FeedbackFilter(
        {"body": world.body.pk}, queryset=FeedbackItem.objects.all(), user=world.staff_c
    )

    assert {i.pk for i in item_filter.qs} == {listed["body"].pk, linked.pk}


def test_the_organization_filter_takes_answers_owed_there(world, listed):
    # An item of B1 whose answer is owed by commune C counts for C.
    owed = routed_item(world, "forwarded", cell="b1")
    item_filter = FeedbackFilter(
        {"organization": world.c.pk}, queryset=FeedbackItem.objects.all(), user=world.admin_d
    )

    assert {i.pk for i in item_filter.qs} == {
        listed["new"].pk,
        listed["late"].pk,
        listed["body"].pk,
        owed.pk,
    }


@pytest.mark.parametrize(
    ("user", "todo", "expected"),
    [
        ("cadre_user", "forward", {"new"}),
        ("staff_c", "forward", {"new"}),
        ("secretary", "forward", set()),
        ("answerer_c", "answer", {"late"}),
        ("body_user", "answer", {"body"}),
        ("secretary", "answer", set()),
        ("secretary", "read_back", set()),
    ],
)
def test_to_do_per_role(world, listed, user, todo, expected):
    who = getattr(world, user)
    item_filter = FeedbackFilter(
        {"todo": todo}, queryset=access.visible(who, FeedbackItem), user=who
    )

    assert {i.pk for i in item_filter.qs} == pks(listed, *expected)


def test_to_do_leaves_out_linked_items_except_for_reading_back(world, listed):
    answered = routed_item(world, "answered")
    linked_answered = routed_item(world, "answered", main_item=answered)
    linked_new = routed_item(world, "new", main_item=listed["new"])
    who = world.admin_d

    def todo(value):
        item_filter = FeedbackFilter(
            {"todo": value}, queryset=access.visible(who, FeedbackItem), user=who
        )
        return {i.pk for i in item_filter.qs}

    assert linked_new.pk not in todo("forward")
    assert {answered.pk, linked_answered.pk} <= todo("read_back")


def test_filters_combine(client, world, listed):
    land = feedback_category("dat-dai")
    match = routed_item(world, "forwarded", category=land, text="Cấp giấy đất")
    routed_item(world, "new", category=land, text="Cấp giấy đất")

    _, rows = shown(
        client, world.staff_c, {"q": "cap giay", "state": "forwarded", "category": land.pk}
    )

    assert rows == {match.pk}
