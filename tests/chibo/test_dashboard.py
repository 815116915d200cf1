"""The dashboard's month: the month picker, last month's unfinished minutes
kept in view until they are final, and the display state of a meeting whose
time has passed with its draft begun.

The clock is 1 December 2026, 08:00 in Vietnam: November's meetings are over.
Tree:  A (commune) ─┬─ A1, A2, A3 (cells)      B (commune) ── B1 (cell)
"""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from tests.factories import (
    CellFactory,
    MeetingFactory,
    MemberFactory,
    MinutesFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
NOVEMBER, DECEMBER = D(2026, 11, 1), D(2026, 12, 1)


def local(day, hour=19, minute=30):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


NOW = local(D(2026, 12, 1), 8, 0)


@pytest.fixture(autouse=True)
def frozen():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def meeting(cell, day, *, state="planned", kind="regular", minutes=None):
    m = MeetingFactory(
        cell=cell, kind=kind, state=state, period=day.replace(day=1), scheduled_at=local(day)
    )
    if minutes:
        MinutesFactory(meeting=m, state=minutes)
    return m


@pytest.fixture
def world():
    a = OrganizationFactory(kind="commune", name="Đảng bộ xã Cò Nòi")
    b = OrganizationFactory(kind="commune", name="Đảng bộ xã Mường Chanh")
    return {
        "A": a,
        "A1": CellFactory(parent=a, name="Chi bộ bản Lếch"),
        "A2": CellFactory(parent=a, name="Chi bộ bản Cang"),
        "A3": CellFactory(parent=a, name="Chi bộ bản Đông"),
        "B1": CellFactory(parent=b, name="Chi bộ bản Mé"),
    }


def user_with(kind, organization):
    user = UserFactory()
    RoleFactory(user=user, organization=organization, kind=kind)
    return user


def card_of(response, kind):
    return next(c for c in response.context["cards"] if c.role.kind == kind)


# --- one display state ------------------------------------------------------------------


def test_display_state_of_every_kind_of_meeting(world):
    from meetings.selectors.schedule import with_display_state

    cell = world["A1"]
    cases = {
        "planned": meeting(cell, D(2026, 12, 24)),
        "planned, time passed, nothing begun": meeting(cell, D(2026, 11, 20), kind="extraordinary"),
        "planned, time passed, draft": meeting(cell, D(2026, 11, 24), minutes="draft"),
        "held, no minutes": meeting(cell, D(2026, 10, 24), state="held"),
        "held, draft": meeting(cell, D(2026, 9, 24), state="held", minutes="draft"),
        "held, final": meeting(cell, D(2026, 8, 24), state="held", minutes="final"),
        "postponed": meeting(cell, D(2026, 7, 24), state="postponed"),
        "cancelled": meeting(cell, D(2026, 6, 24), state="cancelled"),
    }
    states = dict(
        with_display_state(Meeting.objects.all(), now=NOW).values_list("pk", "display_state")
    )

    assert {name: states[m.pk] for name, m in cases.items()} == {
        "planned": "planned",
        "planned, time passed, nothing begun": "planned",
        "planned, time passed, draft": "unfinished",
        "held, no minutes": "unfinished",
        "held, draft": "unfinished",
        "held, final": "held",
        "postponed": "postponed",
        "cancelled": "cancelled",
    }


# --- the secretary ---------------------------------------------------------------------------


def test_secretary_on_1_december_sees_novembers_draft_and_decembers_meeting_once(client, world):
    client.force_login(user_with("secretary", world["A1"]))
    november = meeting(world["A1"], D(2026, 11, 24), minutes="draft")
    december = meeting(world["A1"], D(2026, 12, 24))

    response = client.get(reverse("dashboard"))

    card = card_of(response, "secretary")
    html = response.content.decode()
    assert html.count(reverse("meeting_detail", args=[december.pk])) == 1
    assert html.count(reverse("meeting_detail", args=[november.pk])) == 1
    assert (card.this_month, card.next_meeting) == (december, None)
    assert card.unfinished == [november]
    assert card.unfinished[0].display_state == "unfinished"
    assert "đã họp, biên bản chưa xong" in html


def test_secretary_unfinished_list_empties_once_the_minutes_are_final(client, world):
    client.force_login(user_with("secretary", world["A1"]))
    meeting(world["A1"], D(2026, 11, 24), state="held", minutes="final")

    response = client.get(reverse("dashboard"))

    assert card_of(response, "secretary").unfinished == []
    assert "data-unfinished" not in response.content.decode()


def test_secretary_picks_last_month(client, world):
    client.force_login(user_with("secretary", world["A1"]))
    november = meeting(world["A1"], D(2026, 11, 24), minutes="draft")
    december = meeting(world["A1"], D(2026, 12, 24))

    response = client.get(reverse("dashboard"), {"month": "2026-11"})

    card = card_of(response, "secretary")
    assert (card.this_month, card.next_meeting, card.unfinished) == (november, december, [])
    assert card.this_month.display_state == "unfinished"
    assert response.context["month"] == NOVEMBER
    assert "Buổi sinh hoạt tháng 11/2026" in response.content.decode()


# --- the office ----------------------------------------------------------------------------


@pytest.fixture
def november(world):
    meeting(world["A1"], D(2026, 11, 24), minutes="draft")  # held, draft not final
    meeting(world["A2"], D(2026, 11, 24), state="held")  # held, no minutes at all
    meeting(world["A3"], D(2026, 11, 24), state="held", minutes="final")
    meeting(world["B1"], D(2026, 11, 24), state="held")  # another commune


def test_office_on_1_december_still_sees_novembers_missing_minutes(client, world, november):
    client.force_login(user_with("staff", world["A"]))

    response = client.get(reverse("dashboard"))

    assert card_of(response, "staff").month == {
        "cells": 3,
        "met": 0,
        "minutes_missing": 0,
        "no_thematic": 3,
        "other_months": [{"period": NOVEMBER, "meetings": 2}],
    }
    html = response.content.decode()
    assert 'href="?month=2026-11"' in html
    assert 'value="2026-12"' in html


def test_office_picks_november(client, world, november):
    client.force_login(user_with("staff", world["A"]))

    response = client.get(reverse("dashboard"), {"month": "2026-11"})

    month = card_of(response, "staff").month
    assert (month["cells"], month["met"], month["minutes_missing"], month["other_months"]) == (
        3,
        3,
        2,
        [],
    )
    assert "Chi bộ có buổi sinh hoạt tháng 11/2026 chưa có biên bản chính thức: 2" in (
        response.content.decode()
    )


@pytest.mark.parametrize("month", ["abc", "2026-13", ""])
def test_a_bad_month_shows_this_month(client, world, month):
    client.force_login(user_with("staff", world["A"]))

    response = client.get(reverse("dashboard"), {"month": month})

    assert (response.status_code, response.context["month"]) == (200, DECEMBER)


@pytest.mark.parametrize("n", [1, 5])
def test_dashboard_counts_are_sql_whatever_the_cells(client, world, django_assert_num_queries, n):
    user = user_with("staff", world["A"])
    RoleFactory(user=user, organization=world["A1"], kind="secretary")
    client.force_login(user)
    for _ in range(n):
        cell = CellFactory(parent=world["A"])
        MemberFactory(cell=cell)
        meeting(cell, D(2026, 10, 24), minutes="draft")
        meeting(cell, D(2026, 11, 24), state="held")
        meeting(world["A1"], D(2026, 11, 20), kind="extraordinary", minutes="draft")

    # Cold counts: two per depth of the roles' organizations (A, and the cell A1).
    with django_assert_num_queries(20):
        response = client.get(reverse("dashboard"))

    other_months = card_of(response, "staff").month["other_months"]
    assert other_months == [
        {"period": NOVEMBER, "meetings": 2 * n},
        {"period": D(2026, 10, 1), "meetings": n},
    ]
    assert len(card_of(response, "secretary").unfinished) == n


# --- who the user is ---------------------------------------------------------------------


def test_a_body_answerer_without_a_role_gets_the_bodys_card(client, world):
    from feedback.models import AnsweringBody

    user = UserFactory()
    body = AnsweringBody.objects.create(
        name="Ủy ban nhân dân xã Cò Nòi", kind="peoples_committee", organization=world["A"]
    )
    body.answerers.add(user)
    client.force_login(user)

    response = client.get(reverse("dashboard"))

    assert [(c.kind, c.body) for c in response.context["cards"]] == [("body", body)]
    html = response.content.decode()
    assert "được chuyển đến cơ quan này" in html
    assert "chưa được phân quyền" not in html
    assert 'name="month"' not in html  # no monthly figures to pick


def test_a_superuser_without_a_role_is_told_what_they_can_do(client, world):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    html = client.get(reverse("dashboard")).content.decode()

    assert "Đồng chí quản trị toàn bộ hệ thống." in html
    assert "chưa được phân quyền" not in html


def test_a_user_with_nothing_to_do_is_told_so(client, world):
    client.force_login(UserFactory())

    html = client.get(reverse("dashboard")).content.decode()

    assert "chưa được phân quyền" in html
