"""What a meeting's minutes are: the chain of minutes and amendments, the one
in force, the facts the party rules check, and the tasks carried over from
earlier months. A fixed number of queries whatever the size of the cell."""

import datetime

from django.db.models import Q

from .. import rules
from ..models import (
    Meeting,
    Minutes,
    MinutesState,
    ResolutionTask,
    TaskStatus,
)
from .attendance import AttendanceSheet


def minutes_chain(meeting: Meeting) -> list[Minutes]:
    """The meeting's minutes: the original first, then each amendment."""
    chain = list(
        Minutes.objects.filter(meeting=meeting)
        .select_related("chair", "minute_taker", "finalized_by", "updated_by")
        .order_by("id")
    )
    for minutes in chain:
        minutes.meeting = meeting
    return chain


def current_minutes(chain: list[Minutes]) -> Minutes | None:
    """The one in force (or being written): the last of the chain."""
    return chain[-1] if chain else None


def minutes_facts(minutes: Minutes, sheet: AttendanceSheet) -> rules.MinutesFacts:
    figures = sheet.figures
    return rules.MinutesFacts(
        has_thematic_part=minutes.meeting.has_thematic_part,
        started_at=minutes.started_at,
        ended_at=minutes.ended_at,
        chair_set=minutes.chair_id is not None,
        minute_taker_set=minutes.minute_taker_id is not None,
        has_resolution=has_resolution(minutes),
        votes_for=minutes.votes_for,
        votes_against=minutes.votes_against,
        votes_abstain=minutes.votes_abstain,
        read_back_adopted=minutes.read_back_adopted,
        roll=figures.total,
        official_members=figures.voting_base,
        official_present=figures.voters_present,
        attendance_counts={k: v for k, v in sheet.counts.items() if v},
    )


def has_resolution(minutes: Minutes, tasks: list | None = None) -> bool:
    """A resolution is its text or its tasks (`tasks` when already read):
    then, and only then, a vote is taken on it."""
    if minutes.resolution.strip():
        return True
    return bool(tasks) if tasks is not None else _has_tasks(minutes)


def _has_tasks(minutes: Minutes) -> bool:
    cached = getattr(minutes, "_prefetched_objects_cache", {}).get("tasks")
    if cached is not None:
        return bool(cached)
    return minutes.pk is not None and minutes.tasks.exists()  # an unsaved draft has none


def carried_over_tasks(minutes: Minutes):
    """Tasks of the cell's earlier final minutes still open, plus those this
    meeting has already assessed (so a marked task stays on the page).
    Tasks of minutes replaced by a final amendment are left out: the
    amendment carries its own copy."""
    meeting = minutes.meeting
    return (
        ResolutionTask.objects.filter(
            cell_id=meeting.cell_id,
            minutes__state=MinutesState.FINAL,
            minutes__meeting__scheduled_at__lt=meeting.scheduled_at,
        )
        .exclude(minutes__amendment__state=MinutesState.FINAL)
        .filter(Q(status=TaskStatus.OPEN) | Q(assessed_in__meeting_id=meeting.pk))
        .select_related("assignee", "minutes__meeting")
        .order_by("due_on", "id")
    )


def open_tasks_of_cell(cell_id: int, *, before: datetime.datetime):
    """Open tasks of a cell's final minutes held before a moment."""
    return (
        ResolutionTask.objects.filter(
            cell_id=cell_id,
            status=TaskStatus.OPEN,
            minutes__state=MinutesState.FINAL,
            minutes__meeting__scheduled_at__lt=before,
        )
        .exclude(minutes__amendment__state=MinutesState.FINAL)
        .select_related("assignee")
    )


def attendance_locked(chain: list[Minutes]) -> bool:
    """Attendance is part of what final minutes printed: it changes only
    while no minutes are final or through a draft amendment."""
    current = current_minutes(chain)
    return current is not None and current.is_final
