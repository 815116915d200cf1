"""The SQL shapes that keep a list's cost to its scope: the `in_array`
lookup (chibo.access.InArray), the feedback scopes built on it, the meeting
list's editable cells asked for the page only, and the feedback list's count
taken from its tabs.

Tree:  P ─┬─ A (commune) ─┬─ A1 (cell: the secretary's)
          │               └─ A2 (cell)
          └─ B (commune) ── B1 (cell)
"""

import datetime

import pytest
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from chibo import access
from chibo.models import Organization
from feedback.models import FeedbackItem
from feedback.selectors import listed_count
from meetings.selectors.schedule import editable_among
from tests.factories import (
    CellFactory,
    FeedbackItemFactory,
    MeetingFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    p = OrganizationFactory(kind="province", name="Đảng bộ tỉnh Sơn La")
    a = OrganizationFactory(parent=p, name="Đảng bộ xã Cò Nòi")
    b = OrganizationFactory(parent=p, name="Đảng bộ xã Chiềng Mai")
    return {
        "P": p,
        "A": a,
        "B": b,
        "A1": CellFactory(parent=a, name="Chi bộ bản Lếch"),
        "A2": CellFactory(parent=a, name="Chi bộ bản Nà Sản"),
        "B1": CellFactory(parent=b, name="Chi bộ bản Mé"),
    }


def user_with(kind, organization):
    user = UserFactory()
    RoleFactory(user=user, organization=organization, kind=kind)
    return user


# --- the in_array lookup ------------------------------------------------------------


def test_in_array_keeps_the_rows_of_the_subquery(tree):
    cells_of_a = Organization.objects.filter(path__startswith=tree["A"].path).values("pk")

    found = Organization.objects.filter(pk__in_array=cells_of_a).cells()

    assert set(found) == {tree["A1"], tree["A2"]}


def test_in_array_on_a_foreign_key_and_in_an_or(tree):
    in_a = FeedbackItemFactory(cell=tree["A1"])
    in_b = FeedbackItemFactory(cell=tree["B1"])
    FeedbackItemFactory(cell=tree["A2"])
    cells = Organization.objects.filter(pk=tree["A1"].pk).values("pk")

    found = FeedbackItem.objects.filter(Q(cell_id__in_array=cells) | Q(cell=tree["B1"]))

    assert set(found) == {in_a, in_b}


def test_in_array_of_an_empty_subquery_finds_nothing(tree):
    FeedbackItemFactory(cell=tree["A1"])
    none = Organization.objects.filter(pk__in=[]).values("pk")

    assert list(FeedbackItem.objects.filter(cell_id__in_array=none)) == []
    assert FeedbackItem.objects.filter(Q(cell_id__in_array=none) | Q(cell=tree["A1"])).count() == 1


def test_in_array_of_a_list_of_ids(tree):
    in_a1 = FeedbackItemFactory(cell=tree["A1"])
    in_b1 = FeedbackItemFactory(cell=tree["B1"])
    FeedbackItemFactory(cell=tree["A2"])

    found = FeedbackItem.objects.filter(cell_id__in_array=[tree["A1"].pk, tree["B1"].pk])

    assert set(found) == {in_a1, in_b1}
    assert not FeedbackItem.objects.filter(cell_id__in_array=[]).exists()
    either = Q(cell_id__in_array=()) | Q(cell=tree["A2"])
    assert FeedbackItem.objects.filter(either).count() == 1


def test_in_array_of_thousands_of_ids_is_one_parameter(tree):
    ids = [tree["A1"].pk, *range(10**6, 10**6 + 5000)]
    queryset = Organization.objects.filter(pk__in_array=ids)

    _sql, params = queryset.query.sql_with_params()
    assert len(params) == 1
    assert list(queryset) == [tree["A1"]]


def test_in_array_sql_is_an_array_on_postgresql_and_in_elsewhere(tree):
    cells = Organization.objects.filter(pk=tree["A1"].pk).values("pk")

    sql = str(FeedbackItem.objects.filter(cell_id__in_array=cells).query)

    if connection.vendor == "postgresql":
        assert '"cell_id" = ANY(ARRAY(SELECT' in sql
    else:
        assert '"cell_id" IN (SELECT' in sql


# --- the feedback scopes keep their answers -----------------------------------------


def test_staff_see_the_items_of_their_subtree_only(tree):
    own = FeedbackItemFactory(cell=tree["A1"])
    FeedbackItemFactory(cell=tree["B1"])

    seen = set(access.visible(user_with("staff", tree["A"]), FeedbackItem))

    assert seen == {own}


def test_answerer_sees_items_routed_to_them_and_linked_under_them(tree):
    answerer = user_with("answerer", tree["B"])
    routed = FeedbackItemFactory(
        cell=tree["A1"], routed_organization=tree["B"], answer_organization=tree["B"]
    )
    linked = FeedbackItemFactory(cell=tree["A2"], main_item=routed)
    FeedbackItemFactory(cell=tree["A2"])

    assert set(access.visible(answerer, FeedbackItem)) == {routed, linked}


def test_escalated_items_reach_the_answerer_above(tree):
    above = user_with("answerer", tree["P"])
    overdue = FeedbackItemFactory(
        cell=tree["A1"],
        state="forwarded",
        routed_organization=tree["A"],
        answer_organization=tree["A"],
        due_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    FeedbackItemFactory(
        cell=tree["A1"],
        state="forwarded",
        routed_organization=tree["A"],
        answer_organization=tree["A"],
        due_on=timezone.localdate() + datetime.timedelta(days=1),
    )

    assert set(access.visible(above, FeedbackItem)) == {overdue}


def test_a_stranger_sees_no_item(tree):
    FeedbackItemFactory(cell=tree["A1"])

    assert list(access.visible(UserFactory(), FeedbackItem)) == []


# --- the feedback list's count ---------------------------------------------------------


COUNTS = [
    {"state": "new", "label": "new", "count": 3},
    {"state": "forwarded", "label": "forwarded", "count": 2},
    {"state": "answered", "label": "answered", "count": 0},
]


@pytest.mark.parametrize(("state", "expected"), [(None, 5), ("", 5), ("new", 3), ("answered", 0)])
def test_listed_count_is_the_tab_or_the_sum(state, expected):
    assert listed_count(COUNTS, state) == expected


def test_feedback_list_count_matches_its_rows(client, tree):
    for _ in range(3):
        FeedbackItemFactory(cell=tree["A1"])
    FeedbackItemFactory(cell=tree["A2"], state="forwarded")
    FeedbackItemFactory(cell=tree["B1"])
    client.force_login(user_with("staff", tree["A"]))

    everything = client.get(reverse("feedback_list"))
    forwarded = client.get(reverse("feedback_list"), {"state": "forwarded"})
    bogus = client.get(reverse("feedback_list"), {"state": "nonsense"})

    assert everything.context["page_obj"].paginator.count == 4
    assert len(everything.context["page_obj"].object_list) == 4
    assert forwarded.context["page_obj"].paginator.count == 1
    assert bogus.context["page_obj"].paginator.count == 4


def test_feedback_list_paginates_on_the_tab_count(client, tree):
    for _ in range(30):
        FeedbackItemFactory(cell=tree["A1"])
    client.force_login(user_with("staff", tree["A"]))

    second = client.get(reverse("feedback_list"), {"page": 2})

    assert (second.context["page_obj"].number, len(second.context["page_obj"])) == (2, 5)


# --- the meeting list's editable cells ------------------------------------------------


def test_editable_among_answers_for_the_page_cells_only(tree):
    secretary = user_with("secretary", tree["A1"])

    assert editable_among(secretary, {tree["A1"].pk, tree["A2"].pk}) == ({tree["A1"].pk}, True)
    assert editable_among(secretary, {tree["B1"].pk}) == (set(), True)
    assert editable_among(secretary, set()) == (set(), True)


def test_editable_among_for_staff_who_plan_no_meeting(tree):
    staff = user_with("staff", tree["A"])

    assert editable_among(staff, {tree["A1"].pk}) == (set(), False)


def test_meeting_list_offers_changes_only_on_editable_cells(client, tree):
    user = user_with("secretary", tree["A1"])
    RoleFactory(user=user, organization=tree["A"], kind="staff")
    at = timezone.make_aware(datetime.datetime(2026, 3, 3, 19, 30))
    own = MeetingFactory(cell=tree["A1"], state="planned", scheduled_at=at)
    other = MeetingFactory(cell=tree["A2"], state="planned", scheduled_at=at)
    client.force_login(user)

    response = client.get(reverse("meeting_list"), {"year": 2026})

    html = response.content.decode()
    assert response.context["editable_cells"] == {tree["A1"].pk}
    assert response.context["may_plan"] is True
    assert reverse("meeting_reschedule", args=[own.pk]) in html
    assert reverse("meeting_reschedule", args=[other.pk]) not in html
    assert reverse("meeting_create") in html


def test_meeting_list_for_staff_has_no_add_button(client, tree):
    client.force_login(user_with("staff", tree["A"]))

    response = client.get(reverse("meeting_list"))

    assert response.context["may_plan"] is False
    assert reverse("meeting_create") not in response.content.decode()
