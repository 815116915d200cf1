"""Every demo account's dashboard says what that user can do, and none is
told it has no role (the answering body's user holds no Role, only a body).

The demo is seeded for 1 December 2026 and the clock stands there: the
secretary's November draft is still unfinished.
"""

import datetime
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from chibo.demo import build_demo
from meetings.models import MinutesState

TODAY = datetime.date(2026, 12, 1)
NOW = timezone.make_aware(datetime.datetime(2026, 12, 1, 9, 0))
NO_ROLE = "chưa được phân quyền"

# username -> (card kinds, what the dashboard says the user can do)
EXPECTED = {
    "admin": (["admin", "admin"], "Đồng chí quản trị mọi nội dung trực thuộc"),
    "staff": (["staff"], "Đồng chí theo dõi mọi chi bộ trực thuộc"),
    "cadre": (["cadre"], "Đồng chí dự sinh hoạt các chi bộ được phân công"),
    "secretary": (["secretary"], "Đồng chí lập lịch sinh hoạt của chi bộ"),
    "answerer": (["answerer"], "được chuyển đến cấp ủy này"),
    "ubnd-co-noi": (["body"], "được chuyển đến cơ quan này"),
}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module (WeasyPrint makes it slow); tests run inside."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_demo(today=TODAY)
        transaction.set_rollback(True)


@pytest.fixture
def dashboard_of(seeded, db, client):
    def _open(username):
        client.force_login(get_user_model().objects.get(username=username))
        with mock.patch("django.utils.timezone.now", return_value=NOW):
            return client.get(reverse("dashboard"))

    return _open


@pytest.mark.parametrize("username", list(EXPECTED))
def test_demo_dashboard_says_what_the_user_can_do(dashboard_of, username):
    kinds, can_do = EXPECTED[username]

    response = dashboard_of(username)

    html = response.content.decode()
    assert NO_ROLE not in html
    assert can_do in html
    assert [card.kind for card in response.context["cards"]] == kinds


def test_demo_answering_body_user_sees_its_body_and_items_to_answer(dashboard_of):
    response = dashboard_of("ubnd-co-noi")

    (card,) = response.context["cards"]
    assert card.body.name == "Ủy ban nhân dân xã Cò Nòi"
    assert "Ủy ban nhân dân xã Cò Nòi" in response.content.decode()
    assert response.context["feedback_counts"]["answer"] >= 1


def test_demo_secretary_sees_novembers_draft_on_1_december(dashboard_of):
    response = dashboard_of("secretary")

    (card,) = response.context["cards"]
    assert card.this_month.period == TODAY
    assert card.next_meeting != card.this_month
    drafts = [m for m in card.unfinished if m.minutes.filter(state=MinutesState.DRAFT).exists()]
    assert [m.period for m in drafts] == [datetime.date(2026, 11, 1)]
    assert "đã họp, biên bản chưa xong" in response.content.decode()


def test_demo_staff_still_sees_novembers_unfinished_minutes(dashboard_of):
    response = dashboard_of("staff")

    (card,) = response.context["cards"]
    assert card.month["met"] == 0  # nobody has met yet on 1 December
    assert datetime.date(2026, 11, 1) in [row["period"] for row in card.month["other_months"]]
