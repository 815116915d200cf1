"""seed_scale over 19 months of 120 cells: feedback in every state of the
workflow, answers read back into snapshots, tasks assessed, cadre visits."""

from django.db.models import Count
from django.utils import timezone

from chibo.models import Organization, OrganizationKind
from feedback.models import FeedbackEvent, FeedbackItem, FeedbackState, ReadBack
from feedback.selectors import answers_read_back
from feedback.workflow import TRANSITIONS
from meetings import rules
from meetings.models import (
    Assignment,
    Attendance,
    CadreVisit,
    MeetingState,
    Minutes,
    ResolutionTask,
    TaskStatus,
)
from meetings.snapshot import build_snapshot
from tests.chibo.scale_data import NOW, module_province

WIDE = {"cells": 120, "members": 1200, "months": 19}
# 19 months of 120 cells: both terms, and every feedback state occurs.
wide = module_province(**WIDE)


def test_communes_of_forty_cells_and_sub_committees_at_size(wide, db):
    communes = Organization.objects.filter(kind=OrganizationKind.COMMUNE)
    assert communes.count() == 3  # round(120 / 40)
    sizes = sorted(
        Organization.objects.filter(kind=OrganizationKind.CELL, path__startswith=c.path).count()
        for c in communes
    )
    assert sizes == [40, 40, 40]
    # every fourth commune groups its cells under sub-committees: none of three
    assert not Organization.objects.filter(kind=OrganizationKind.SUBCOMMITTEE).exists()


def test_wide_snapshots_with_answers_and_cadres_equal_the_products(wide, db):
    """Over 19 months snapshots carry answers read back, assessed tasks and cadres."""
    finals = list(
        Minutes.objects.filter(state="final")
        .filter(meeting__feedback_read_backs__isnull=False)
        .select_related("meeting__cell")
        .distinct()[:40]
    )
    assert len(finals) == 40
    with_cadres = 0
    for minutes in finals:
        expected = build_snapshot(minutes)
        stored = {
            k: v for k, v in minutes.snapshot.items() if k not in ("warnings", "duration_minutes")
        }
        assert stored == expected, minutes.pk
        assert stored["answers_read_back"] == answers_read_back(minutes.meeting)
        assert stored["answers_read_back"]
        with_cadres += bool(stored["cadres"])
    assert with_cadres > 0


def test_numbers_run_per_cell_and_term(wide, db):
    rows = Minutes.objects.filter(state="final").values_list(
        "meeting__cell_id", "term", "number", "meeting__scheduled_at"
    )
    by_cell: dict = {}
    for cell_id, term, number, at in sorted(rows, key=lambda r: r[3]):
        assert term == rules.term_of(timezone.localdate(at))
        by_cell.setdefault((cell_id, term), []).append(number)
    for numbers in by_cell.values():
        assert numbers == list(range(1, len(numbers) + 1))
    assert {term for _cell, term in by_cell} == {"2020-2025", "2025-2030"}


def test_exempted_members_are_not_expected_and_probationers_do_not_vote(wide, db):
    exempt = Attendance.objects.filter(status="exempt").select_related("member", "meeting")
    assert exempt.exists()
    for row in exempt[:50]:
        assert rules.is_exempt_on(row.member, timezone.localdate(row.meeting.scheduled_at))
    for minutes in Minutes.objects.filter(state="final")[:100]:
        vote = minutes.snapshot["vote"]
        assert vote["passed"] is True
        assert vote["for"] + vote["against"] + vote["abstain"] <= vote["present"]


def test_tasks_are_assessed_at_a_later_meeting_of_their_cell(wide, db):
    tasks = ResolutionTask.objects.select_related("minutes__meeting", "assessed_in__meeting")
    assessed = tasks.filter(assessed_in__isnull=False)
    assert assessed.count() > 1000
    for task in assessed[:300]:
        assert task.assessed_in.meeting.cell_id == task.cell_id == task.minutes.meeting.cell_id
        assert task.assessed_in.meeting.scheduled_at > task.minutes.meeting.scheduled_at
        assert task.status in (TaskStatus.DONE, TaskStatus.LATE, TaskStatus.DROPPED)
    assert not tasks.filter(assessed_in__isnull=True).exclude(status=TaskStatus.OPEN).exists()
    for task in tasks.filter(assignee__isnull=False)[:300]:
        assert task.assignee.cell_id == task.cell_id


def test_feedback_moves_only_along_the_workflow(wide, db):
    items = FeedbackItem.objects.prefetch_related("events")
    assert items.count() > 100
    for item in items:
        events = sorted(item.events.all(), key=lambda e: (e.at, e.pk))
        assert (events[0].action, events[0].to_state) == ("record", FeedbackState.NEW)
        state = FeedbackState.NEW
        for event in events[1:]:
            assert event.from_state == state, (item.pk, event.action)
            if event.to_state != state:
                assert (state, event.to_state) in TRANSITIONS, (item.pk, event.action)
            state = event.to_state
        assert state == item.state
        assert item.state_changed_at == max(e.at for e in events if e.action != "overdue")


def test_every_feedback_state_occurs(wide, db):
    assert set(wide.feedback_states) == set(FeedbackState.values)
    assert all(count > 0 for count in wide.feedback_states.values())


def test_overdue_items_were_reported_once_each(wide, db):
    today = NOW.date()
    overdue = FeedbackItem.objects.overdue(today)
    assert overdue.exists()
    assert not overdue.filter(escalated_at__isnull=True).exists()
    reported = FeedbackEvent.objects.filter(action="overdue").values("item").annotate(n=Count("id"))
    for row in reported:
        item = FeedbackItem.objects.get(pk=row["item"])
        # once per due date: a reopened item may be reported again for its new date
        reopened = item.events.filter(action="reopen").count()
        assert row["n"] <= 1 + reopened


def test_routed_items_point_at_a_committee_above_their_cell(wide, db):
    routed = FeedbackItem.objects.exclude(state=FeedbackState.NEW).select_related(
        "cell", "answer_organization", "routed_body"
    )
    for item in routed:
        assert (item.routed_organization_id is None) != (item.routed_body_id is None)
        assert item.cell.path.startswith(item.answer_organization.path)
        if item.routed_body_id:
            assert item.routed_body.organization_id == item.answer_organization_id
        assert item.due_on is not None and item.forwarded_at is not None


def test_read_backs_happen_at_a_later_meeting_of_the_cell(wide, db):
    read_backs = ReadBack.objects.select_related("item", "meeting")
    assert read_backs.count() > 50
    for read_back in read_backs:
        assert read_back.meeting.cell_id == read_back.item.cell_id
        assert read_back.meeting.scheduled_at > read_back.item.meeting.scheduled_at
        assert read_back.meeting.state != MeetingState.CANCELLED
        # Read back before the minutes of that meeting were made final.
        final = read_back.meeting.minutes.filter(state="final").first()
        assert final is None or read_back.at < final.finalized_at


def test_members_raising_items_belong_to_the_cell(wide, db):
    for item in FeedbackItem.objects.filter(raiser_member__isnull=False).select_related(
        "raiser_member"
    ):
        assert item.raiser_member.cell_id == item.cell_id
    assert FeedbackItem.objects.filter(raiser_kind="citizens").exclude(raiser_name="").exists()


def test_visits_are_by_cadres_assigned_to_the_cell(wide, db):
    visits = CadreVisit.objects.select_related("meeting")
    assert visits.count() > 100
    for visit in visits[:500]:
        on = timezone.localdate(visit.meeting.scheduled_at)
        assert (
            Assignment.objects.current(on)
            .filter(cadre_id=visit.cadre_id, cell_id=visit.meeting.cell_id)
            .exists()
        )
