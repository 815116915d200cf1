"""The dashboard's month figures and the quota report are cached
(chibo.figures) and every write behind them shows at once: a meeting that
took place, minutes finalized, a meeting cancelled, a visit recorded, an
assignment, a seat changed in the admin; with the cache down they are
computed; with it warm they cost fewer queries.

The clock is 1 December 2026, 08:00 in Vietnam: November's meetings are over.
Tree:  P (province) ── A (commune) ─┬─ A1, A2 (cells)
"""

import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from meetings.models import CadreVisit
from meetings.selectors.cadres import quota_page
from meetings.services.assignments import assign_cadre, end_assignment
from meetings.services.attendance import Entry, save_attendance
from meetings.services.finalize import finalize_minutes
from meetings.services.minutes import save_minutes, start_minutes
from meetings.services.planning import cancel_meeting
from meetings.services.visits import record_visit
from tests.factories import (
    AssignmentFactory,
    CellFactory,
    CommitteeSeatFactory,
    MeetingFactory,
    MemberFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
D = datetime.date
NOVEMBER = D(2026, 11, 1)


def local(day, hour=19, minute=30):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


NOW = local(D(2026, 12, 1), 8, 0)


@pytest.fixture(autouse=True)
def frozen():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


@pytest.fixture
def world():
    p = OrganizationFactory(kind="province", name="Đảng bộ tỉnh Sơn La")
    a = OrganizationFactory(parent=p, name="Đảng bộ xã Cò Nòi")
    a1 = CellFactory(parent=a, name="Chi bộ bản Lếch", meeting_day=24)
    a2 = CellFactory(parent=a, name="Chi bộ bản Cang", meeting_day=24)
    secretary = UserFactory(username="bithu.a1")
    RoleFactory(user=secretary, organization=a1, kind="secretary")
    staff = UserFactory(username="staff.p")
    RoleFactory(user=staff, organization=p, kind="staff")
    november = MeetingFactory(
        cell=a1, state="planned", period=NOVEMBER, scheduled_at=local(D(2026, 11, 24))
    )
    return {
        "P": p,
        "A": a,
        "A1": a1,
        "A2": a2,
        "secretary": secretary,
        "staff": staff,
        "november": november,
    }


def month_of(client, user):
    client.force_login(user)
    response = client.get(reverse("dashboard"), {"month": "2026-11"})
    card = next(c for c in response.context["cards"] if c.role.kind == "staff")
    return {k: card.month[k] for k in ("cells", "met", "minutes_missing", "no_thematic")}


def held(meeting, by, members=4):
    """The attendance taken and the draft minutes begun: the meeting took place."""
    people = [MemberFactory(cell=meeting.cell) for _ in range(members)]
    save_attendance(meeting=meeting, members=[Entry(m.pk, "present") for m in people], by=by)
    minutes = start_minutes(meeting=meeting, by=by)
    content = {
        "chair_id": people[0].pk,
        "minute_taker_id": people[1].pk,
        "started_at": meeting.scheduled_at,
        "ended_at": meeting.scheduled_at + datetime.timedelta(minutes=100),
        "resolution": "Giúp đỡ hộ nghèo",
        "votes_for": members,
        "votes_against": 0,
        "votes_abstain": 0,
        "read_back_adopted": True,
    }
    return save_minutes(minutes=minutes, version=minutes.version, content=content, by=by)


# --- the dashboard's month ------------------------------------------------------------


def test_a_meeting_that_took_place_and_its_minutes_finalized_show_at_once(client, world):
    expected = {"cells": 2, "met": 0, "minutes_missing": 0, "no_thematic": 2}
    assert month_of(client, world["staff"]) == expected
    assert month_of(client, world["staff"]) == expected  # from the cache now

    minutes = held(world["november"], world["secretary"])
    assert month_of(client, world["staff"]) == {**expected, "met": 1, "minutes_missing": 1}

    finalize_minutes(minutes=minutes, by=world["secretary"])
    assert month_of(client, world["staff"]) == {**expected, "met": 1}


def test_a_meeting_cancelled_shows_at_once(client, world):
    thematic = MeetingFactory(
        cell=world["A2"],
        kind="thematic",
        topic="Học tập và làm theo tư tưởng Hồ Chí Minh",
        state="planned",
        period=NOVEMBER,
        scheduled_at=local(D(2026, 11, 27)),
    )
    assert month_of(client, world["staff"])["no_thematic"] == 1
    cancel_meeting(meeting=thematic, reason="Mưa lũ", by=world["secretary"])
    assert month_of(client, world["staff"])["no_thematic"] == 2


def test_a_write_past_the_services_shows_after_the_ttl_only(client, world):
    assert month_of(client, world["staff"])["met"] == 0
    world["november"].state = "held"
    world["november"].save()
    assert month_of(client, world["staff"])["met"] == 0  # cached: the TTL is the safety net
    cache.clear()
    assert month_of(client, world["staff"])["met"] == 1


def test_a_meeting_edited_in_the_admin_shows_at_once(admin_client, client, world):
    assert month_of(client, world["staff"])["met"] == 0
    url = reverse("admin:meetings_meeting_delete", args=[world["november"].pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert month_of(client, world["staff"])["cells"] == 2
    assert month_of(client, world["staff"])["met"] == 0
    MeetingFactory(
        cell=world["A1"], period=NOVEMBER, state="held", scheduled_at=local(D(2026, 11, 24))
    )
    assert month_of(client, world["staff"])["met"] == 0  # factory: past the services
    url = reverse("admin:meetings_holiday_add")
    response = admin_client.post(url, {"date": "2026-12-31", "name": "Tết dương lịch"})
    assert response.status_code == 302
    # A holiday bumps visits, not meetings: the month keeps its cached figures.
    assert month_of(client, world["staff"])["met"] == 0


def test_the_dashboard_is_answered_with_the_cache_down(client, world):
    held(world["november"], world["secretary"])
    with (
        mock.patch.object(cache, "get_many", side_effect=ConnectionError("down")),
        mock.patch.object(cache, "get", side_effect=ConnectionError("down")),
        mock.patch.object(cache, "set", side_effect=ConnectionError("down")),
        mock.patch.object(cache, "set_many", side_effect=ConnectionError("down")),
    ):
        assert month_of(client, world["staff"]) == {
            "cells": 2,
            "met": 1,
            "minutes_missing": 1,
            "no_thematic": 2,
        }


def test_the_warm_dashboard_costs_fewer_queries(client, world, django_assert_max_num_queries):
    client.force_login(world["staff"])
    with django_assert_max_num_queries(30) as cold:
        client.get(reverse("dashboard"))
    with django_assert_max_num_queries(30) as warm:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    # Warm: the session, the user, the roles, the member and the answering
    # bodies; the tree's counts, the month's two aggregates, the four
    # feedback counts and the bell's unread count are not asked again.
    assert (len(cold.captured_queries), len(warm.captured_queries)) == (14, 6)


def test_two_staff_of_the_same_office_share_the_figures(client, world):
    other = UserFactory(username="staff2.p")
    RoleFactory(user=other, organization=world["P"], kind="staff")
    month_of(client, world["staff"])
    with mock.patch(
        "meetings.selectors.schedule.month_figures", side_effect=AssertionError("computed")
    ):
        assert month_of(client, other)["cells"] == 2


def test_a_commune_staff_has_figures_of_their_own_scope(client, world):
    b = OrganizationFactory(parent=world["P"], name="Đảng bộ xã Mường Bon")
    CellFactory(parent=b, name="Chi bộ bản Mòng")
    commune = UserFactory(username="staff.b")
    RoleFactory(user=commune, organization=b, kind="staff")
    assert month_of(client, world["staff"])["cells"] == 3
    assert month_of(client, commune)["cells"] == 1


# --- the quota report -----------------------------------------------------------------


@pytest.fixture
def cadre(world):
    member = MemberFactory(cell=world["A1"], full_name="Lò Văn An")
    CommitteeSeatFactory(member=member, organization=world["A"], kind="executive")
    user = UserFactory(username="cadre.an")
    member.user = user
    member.save()
    RoleFactory(user=user, organization=world["A"], kind="cadre")
    AssignmentFactory(cadre=member, cell=world["A1"], starts_on=D(2025, 1, 1))
    return member


def quota_of(user):
    page = quota_page(user, year=2026, today=NOW.date())
    row = page["cadres"][0]
    return row.progress.done, row.progress.quota, row.progress.meetings_left


def test_a_visit_recorded_shows_at_once_on_the_quota_report(client, world, cadre):
    meeting = world["november"]
    meeting.state = "held"
    meeting.save()
    assert quota_of(world["staff"]) == (0, 2, 1)
    record_visit(meeting=meeting, cadre=cadre, attended=True, reported="", heard="", by=cadre.user)
    assert quota_of(world["staff"]) == (1, 2, 1)
    client.force_login(world["staff"])
    response = client.get(reverse("quota_report"), {"year": 2026})
    assert response.context["total"].cadres == 1
    assert [r.progress.done for r in response.context["cadres"]] == [1]


def test_visits_taken_with_the_attendance_show_at_once(world, cadre):
    assert quota_of(world["staff"])[0] == 0
    meeting = world["november"]
    members = [cadre] + [MemberFactory(cell=world["A1"]) for _ in range(3)]
    save_attendance(
        meeting=meeting,
        members=[Entry(m.pk, "present") for m in members],
        cadres={cadre.pk: True},
        by=world["secretary"],
    )
    meeting.state = "held"
    meeting.save()  # past the services: the attendance's bump already dropped the figures
    assert CadreVisit.objects.filter(cadre=cadre, attended=True).count() == 1
    assert quota_of(world["staff"])[0] == 1


def test_an_assignment_and_its_end_show_at_once(world, cadre):
    assert quota_of(world["staff"])[2] == 1
    assign_cadre(cadre=cadre, cell=world["A2"], starts_on=D(2026, 1, 1), by=world["staff"])
    assert quota_of(world["staff"])[2] == 2
    assignment = cadre.assignments.get(cell=world["A2"])
    end_assignment(assignment=assignment, ends_on=D(2026, 12, 1), by=world["staff"])
    assert quota_of(world["staff"])[2] == 1


def test_a_seat_edited_in_the_admin_shows_at_once(admin_client, world, cadre):
    assert quota_of(world["staff"])[1] == 2
    seat = cadre.seats.get()
    url = reverse("admin:members_committeeseat_delete", args=[seat.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    # Still a cadre by their role, with no seat: no quota applies.
    assert quota_of(world["staff"]) == (0, None, 1)


def test_the_quota_report_is_answered_with_the_cache_down(world, cadre):
    with (
        mock.patch.object(cache, "get_many", side_effect=ConnectionError("down")),
        mock.patch.object(cache, "set", side_effect=ConnectionError("down")),
    ):
        assert quota_of(world["staff"]) == (0, 2, 1)


def test_the_warm_quota_report_reads_no_cadre_visit_or_assignment(
    client, world, cadre, django_assert_max_num_queries
):
    client.force_login(world["staff"])
    client.get(reverse("quota_report"), {"year": 2026})
    with django_assert_max_num_queries(40) as warm:
        response = client.get(reverse("quota_report"), {"year": 2026})
    assert response.status_code == 200
    tables = " ".join(q["sql"] for q in warm.captured_queries)
    assert "meetings_cadrevisit" not in tables
    assert "meetings_assignment" not in tables
