"""Meeting list, adding and changing meetings, and the thematic report.

Tree:  P ─┬─ A (commune) ─┬─ A1 (cell: the secretary's and the deputy's)
          │               └─ A2 (cell)
          └─ B (commune) ── B1 (cell)
Staff and admin sit on A.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from meetings.models import Meeting
from meetings.selectors.schedule import ThematicTally
from tests.factories import (
    CellFactory,
    MeetingFactory,
    MinutesFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def local(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


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


@pytest.fixture
def secretary(tree, client):
    user = user_with("secretary", tree["A1"])
    client.force_login(user)
    return user


def planned(cell, day=3, month=3, **kwargs):
    return MeetingFactory(
        cell=cell,
        state="planned",
        period=D(2026, month, 1),
        scheduled_at=local(2026, month, day, 19, 30),
        **kwargs,
    )


# --- meeting_list ---------------------------------------------------------------


def test_meeting_list_shows_only_the_secretarys_cell(client, tree, secretary):
    own = planned(tree["A1"])
    planned(tree["A2"])
    planned(tree["B1"])

    response = client.get(reverse("meeting_list"), {"year": 2026})

    assert [m.pk for m in response.context["page_obj"]] == [own.pk]
    assert reverse("meeting_reschedule", args=[own.pk]) in response.content.decode()


def test_meeting_list_of_another_cell_is_404(client, tree, secretary):
    planned(tree["A2"])

    response = client.get(reverse("meeting_list"), {"cell": tree["A2"].pk})

    assert response.status_code == 404


def test_meeting_list_filters_by_cell_and_year_for_staff(client, tree):
    client.force_login(user_with("staff", tree["A"]))
    march = planned(tree["A2"])
    planned(tree["A1"])
    MeetingFactory(cell=tree["A2"], period=D(2025, 3, 1), scheduled_at=local(2025, 3, 3, 19, 30))
    planned(tree["B1"])

    response = client.get(reverse("meeting_list"), {"cell": tree["A2"].pk, "year": 2026})

    assert [m.pk for m in response.context["page_obj"]] == [march.pk]
    # Office staff read: no change link.
    assert reverse("meeting_reschedule", args=[march.pk]) not in response.content.decode()


def test_meeting_list_shows_newest_first_with_state(client, tree, secretary):
    old = MeetingFactory(cell=tree["A1"], period=D(2026, 2, 1))
    new = planned(tree["A1"])
    MinutesFactory(meeting=old, state="final")

    response = client.get(reverse("meeting_list"), {"year": 2026})

    rows = list(response.context["page_obj"])
    assert [m.pk for m in rows] == [new.pk, old.pk]
    assert [m.has_final_minutes for m in rows] == [False, True]
    assert "05/02/2026 19:30" in response.content.decode()


@pytest.mark.parametrize("n", [1, 5])
def test_meeting_list_query_count_is_constant(client, tree, django_assert_num_queries, n):
    client.force_login(user_with("staff", tree["A"]))
    for month in range(1, n + 1):
        planned(tree["A1"], month=month)
        planned(tree["A2"], month=month)

    with django_assert_num_queries(7):
        response = client.get(reverse("meeting_list"), {"year": 2026})

    assert len(response.context["page_obj"]) == 2 * n


def test_meeting_list_needs_login(client):
    response = client.get(reverse("meeting_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- meeting_create -------------------------------------------------------------


def test_secretary_adds_a_thematic_meeting(client, tree, secretary):
    response = client.post(
        reverse("meeting_create"),
        {
            "cell": tree["A1"].pk,
            "kind": "thematic",
            "topic": "Chuyên đề xây dựng nông thôn mới",
            "date": "2026-03-20",
            "time": "20:00",
            "place": "",
        },
    )

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('meeting_list')}?cell={tree['A1'].pk}"
    assert (meeting.cell, meeting.kind, meeting.topic, meeting.period) == (
        tree["A1"],
        "thematic",
        "Chuyên đề xây dựng nông thôn mới",
        D(2026, 3, 1),
    )
    assert timezone.localtime(meeting.scheduled_at) == local(2026, 3, 20, 20, 0)
    assert meeting.created_by == secretary


def test_deputy_adds_an_extraordinary_meeting(client, tree):
    client.force_login(user_with("deputy", tree["A1"]))

    response = client.post(
        reverse("meeting_create"),
        {"cell": tree["A1"].pk, "kind": "extraordinary", "date": "2026-03-20", "time": "20:00"},
    )

    assert response.status_code == 302
    assert Meeting.objects.get().kind == "extraordinary"


def test_thematic_meeting_without_topic_is_refused(client, tree, secretary):
    response = client.post(
        reverse("meeting_create"),
        {"cell": tree["A1"].pk, "kind": "thematic", "date": "2026-03-20", "time": "20:00"},
    )

    assert response.status_code == 200
    with translation.override("vi"):
        expected = [gettext("A thematic meeting needs its topic.")]
    assert response.context["form"].errors["topic"] == expected
    assert Meeting.objects.count() == 0


def test_meeting_create_for_another_cell_is_refused(client, tree, secretary):
    response = client.post(
        reverse("meeting_create"),
        {"cell": tree["A2"].pk, "kind": "extraordinary", "date": "2026-03-20", "time": "20:00"},
    )

    assert response.status_code == 200
    assert "cell" in response.context["form"].errors
    assert Meeting.objects.count() == 0


def test_meeting_create_by_staff_is_403(client, tree):
    client.force_login(user_with("staff", tree["A"]))

    assert client.get(reverse("meeting_create")).status_code == 403


def test_meeting_create_form_offers_only_own_cells(client, tree, secretary):
    response = client.get(reverse("meeting_create"))

    assert list(response.context["form"].fields["cell"].queryset) == [tree["A1"]]


# --- meeting_reschedule ---------------------------------------------------------


def change(client, meeting, **data):
    return client.post(reverse("meeting_reschedule", args=[meeting.pk]), data)


def test_secretary_moves_a_meeting_with_a_reason(client, tree, secretary):
    meeting = planned(tree["A1"])

    response = change(
        client, meeting, action="move", date="2026-04-02", time="19:00", reason="Mùa gặt"
    )

    meeting.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("meeting_detail", args=[meeting.pk])
    assert timezone.localtime(meeting.scheduled_at) == local(2026, 4, 2, 19, 0)
    assert (meeting.period, meeting.state, meeting.state_reason) == (
        D(2026, 3, 1),
        "planned",
        "Mùa gặt",
    )


def test_moving_without_a_reason_is_refused(client, tree, secretary):
    meeting = planned(tree["A1"])

    response = change(client, meeting, action="move", date="2026-04-02", time="19:00", reason=" ")

    meeting.refresh_from_db()
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert timezone.localdate(meeting.scheduled_at) == D(2026, 3, 3)


def test_moving_without_a_date_is_refused(client, tree, secretary):
    meeting = planned(tree["A1"])

    response = change(client, meeting, action="move", reason="Mưa")

    assert sorted(response.context["form"].errors) == ["date", "time"]


def test_secretary_cancels_with_a_reason(client, tree, secretary):
    meeting = planned(tree["A1"])

    response = change(client, meeting, action="cancel", reason="Lũ quét")

    meeting.refresh_from_db()
    assert response.status_code == 302
    assert (meeting.state, meeting.state_reason) == ("cancelled", "Lũ quét")


def test_secretary_postpones(client, tree, secretary):
    meeting = planned(tree["A1"])

    change(client, meeting, action="postpone", reason="Bí thư đi tập huấn")

    meeting.refresh_from_db()
    assert (meeting.state, meeting.state_reason) == ("postponed", "Bí thư đi tập huấn")


def test_a_held_meeting_cannot_be_cancelled(client, tree, secretary):
    meeting = MeetingFactory(cell=tree["A1"], state="held")

    response = change(client, meeting, action="cancel", reason="Nhầm")

    meeting.refresh_from_db()
    assert response.status_code == 200
    assert len(response.context["form"].non_field_errors()) == 1
    assert meeting.state == "held"


def test_a_meeting_with_final_minutes_cannot_be_moved(client, tree, secretary):
    meeting = planned(tree["A1"])
    MinutesFactory(meeting=meeting, state="final")

    response = change(client, meeting, action="move", date="2026-04-02", time="19:00", reason="Mưa")

    meeting.refresh_from_db()
    assert response.status_code == 200
    assert len(response.context["form"].non_field_errors()) == 1
    assert timezone.localdate(meeting.scheduled_at) == D(2026, 3, 3)


def test_reschedule_by_staff_is_403(client, tree):
    client.force_login(user_with("staff", tree["A"]))
    meeting = planned(tree["A1"])

    response = change(client, meeting, action="cancel", reason="x")

    meeting.refresh_from_db()
    assert response.status_code == 403
    assert meeting.state == "planned"


def test_reschedule_of_another_cells_meeting_is_404(client, tree, secretary):
    meeting = planned(tree["A2"])

    assert client.get(reverse("meeting_reschedule", args=[meeting.pk])).status_code == 404
    assert change(client, meeting, action="cancel", reason="x").status_code == 404


# --- thematic_report ------------------------------------------------------------


def test_thematic_report_lists_cells_without_a_thematic_meeting(client, tree):
    client.force_login(user_with("staff", tree["A"]))
    held_cell = CellFactory(parent=tree["A"], name="Chi bộ bản Hẹ")
    MeetingFactory(
        cell=held_cell,
        kind="thematic",
        topic="Chuyển đổi số",
        scheduled_at=local(2026, 2, 20, 19, 30),
    )
    MeetingFactory(
        cell=tree["A2"],
        kind="thematic",
        topic="An ninh nông thôn",
        state="planned",
        scheduled_at=local(2026, 3, 25, 19, 30),
    )
    # Outside the quarter, and another commune's: neither counts.
    MeetingFactory(
        cell=tree["A1"], kind="thematic", topic="x", scheduled_at=local(2026, 4, 1, 19, 30)
    )
    # A regular meeting with a thematic part counts as held.
    with_part = CellFactory(parent=tree["A"], name="Chi bộ bản Pá")
    MeetingFactory(cell=with_part, has_thematic_part=True)
    # A cancelled thematic meeting does not.
    MeetingFactory(
        cell=tree["A1"],
        kind="thematic",
        topic="y",
        state="cancelled",
        scheduled_at=local(2026, 3, 1, 19, 30),
    )

    response = client.get(reverse("thematic_report"), {"quarter": "2026-Q1"})
    missing = client.get(reverse("thematic_report"), {"quarter": "2026-Q1", "show": "none"})
    planned = client.get(reverse("thematic_report"), {"quarter": "2026-Q1", "show": "planned"})

    report = response.context["report"]
    assert report.total == ThematicTally(cells=4, held=2, planned=1)
    assert report.total.none == 1
    assert [
        (c.name, c.thematic_held, c.thematic_planned, t) for c, t in response.context["rows"]
    ] == [
        ("Chi bộ bản Hẹ", True, False, None),
        ("Chi bộ bản Lếch", False, False, None),
        ("Chi bộ bản Nà Sản", False, True, None),
        ("Chi bộ bản Pá", True, False, None),
    ]
    assert [c.name for c, _ in missing.context["rows"]] == ["Chi bộ bản Lếch"]
    assert [c.name for c, _ in planned.context["rows"]] == ["Chi bộ bản Nà Sản"]
    assert response.context["root"] == tree["A"]


def test_thematic_report_of_another_subtree_is_404(client, tree):
    client.force_login(user_with("staff", tree["A"]))

    response = client.get(reverse("thematic_report"), {"root": tree["B"].pk})

    assert response.status_code == 404


def test_thematic_report_for_a_secretary_is_403(client, tree, secretary):
    assert client.get(reverse("thematic_report")).status_code == 403


@pytest.mark.parametrize("n", [1, 5])
def test_thematic_report_query_count_is_constant(client, tree, django_assert_num_queries, n):
    client.force_login(user_with("staff", tree["A"]))
    for _ in range(n):
        CellFactory(parent=tree["A"])

    # The totals (2), the rows' bounded count and the rows (no sub-organization here).
    with django_assert_num_queries(12):
        response = client.get(reverse("thematic_report"), {"quarter": "2026-Q1"})

    assert response.context["report"].total.cells == n + 2
