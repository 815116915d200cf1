"""The meeting's hub page: what it shows, composed from the reads of
attendance (selectors.attendance) and of the minutes (selectors.minutes_facts)."""

from .. import rules
from ..models import (
    Meeting,
    Minutes,
)
from .attendance import attendance_sheet
from .minutes_facts import (
    attendance_locked,
    carried_over_tasks,
    current_minutes,
    minutes_chain,
    minutes_facts,
)


def meeting_page(meeting: Meeting, *, may_edit: bool) -> dict:
    """Everything the meeting's hub page shows, in a fixed number of queries."""
    sheet = attendance_sheet(meeting)
    chain = minutes_chain(meeting)
    current = current_minutes(chain)
    findings, speeches, tasks, assessed = [], [], [], []
    if current is not None:
        speeches = list(current.speeches.select_related("member"))
        tasks = list(current.tasks.select_related("assignee"))
        current._prefetched_objects_cache = {"tasks": tasks}
        assessed = list(carried_over_tasks(current))
        if not current.is_final:
            findings = rules.draft_findings(minutes_facts(current, sheet))
    duration = rules.duration_minutes(current.started_at, current.ended_at) if current else None
    return {
        "meeting": meeting,
        "sheet": sheet,
        "summary": sheet.summary(),
        "chain": chain,
        "minutes": current,
        "speeches": speeches,
        "tasks": tasks,
        "assessed_tasks": assessed,
        "findings": findings,
        "stored_warnings": _stored_warnings(current),
        "duration": duration,
        "adopted": current is not None
        and rules.resolution_adopted(
            votes_for=current.votes_for, official_members=sheet.official_members
        ),
        "majority_needed": rules.majority_needed(sheet.official_members),
        "may_edit": may_edit,
        "attendance_locked": attendance_locked(chain),
    }


def _stored_warnings(minutes: Minutes | None) -> list[str]:
    if minutes is None or not minutes.snapshot:
        return []
    return [rules.describe_stored(w) for w in minutes.snapshot.get("warnings", [])]
