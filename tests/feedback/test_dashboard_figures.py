"""The dashboard's feedback counts are cached per user (chibo.figures) and
every move of an item shows at once."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from feedback import services
from feedback.selectors import dashboard_counts

from .conftest import routed_item

pytestmark = pytest.mark.django_db


def counts(client, user):
    client.force_login(user)
    return client.get(reverse("dashboard")).context["feedback_counts"]


def test_an_answer_shows_at_once_for_the_answerer_and_the_secretary(client, world):
    item = routed_item(world, "in_progress")
    assert counts(client, world.answerer_c)["answer"] == 1
    assert counts(client, world.secretary)["read_back"] == 0

    services.answer_item(item=item, by=world.answerer_c, answer="Đã chỉ đạo xử lý.")

    assert counts(client, world.answerer_c)["answer"] == 0
    assert counts(client, world.secretary)["read_back"] == 1


def test_a_forwarding_shows_at_once(client, world):
    item = routed_item(world, "new")
    assert counts(client, world.staff_c)["forward"] == 1
    assert counts(client, world.answerer_c)["answer"] == 0
    services.forward_item(item=item, organization=world.c, by=world.staff_c)
    assert counts(client, world.staff_c)["forward"] == 0
    assert counts(client, world.answerer_c)["answer"] == 1


def test_a_write_past_the_services_waits_for_the_ttl(client, world):
    assert counts(client, world.staff_c)["forward"] == 0
    routed_item(world, "new")  # a factory: no bump
    assert counts(client, world.staff_c)["forward"] == 0
    cache.clear()
    assert counts(client, world.staff_c)["forward"] == 1


def test_each_user_has_their_own_counts(client, world):
    routed_item(world, "forwarded")
    assert counts(client, world.answerer_c)["answer"] == 1
    assert counts(client, world.answerer_d)["answer"] == 0
    assert counts(client, world.outsider) == {
        "forward": 0,
        "answer": 0,
        "read_back": 0,
        "overdue": 0,
    }


def test_the_counts_are_answered_with_the_cache_down(world):
    routed_item(world, "forwarded")
    with (
        mock.patch.object(cache, "get_many", side_effect=ConnectionError("down")),
        mock.patch.object(cache, "set", side_effect=ConnectionError("down")),
    ):
        assert dashboard_counts(world.answerer_c)["answer"] == 1


def test_warm_counts_ask_nothing(world, django_assert_num_queries):
    routed_item(world, "forwarded")
    dashboard_counts(world.answerer_c)
    with django_assert_num_queries(0):
        assert dashboard_counts(world.answerer_c)["answer"] == 1
