"""Moving items through the workflow: forward, take up, return, answer,
read back, link. Every move goes through `_move`, which checks the table in
feedback/workflow.py and the user's right, and writes the timeline.

Each service takes an optional clock (`now`, default timezone.now()), as
mark_overdue does: the demo records a past story with the dates it tells."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo import access, figures
from chibo.models import Organization
from meetings import rules
from meetings.models import Meeting, MeetingState, MinutesState
from meetings.selectors.attendance import meeting_date

from .. import notices
from ..models import (
    AWAITING_ANSWER,
    OPEN_STATES,
    AnsweringBody,
    FeedbackItem,
    FeedbackState,
    ReadBack,
)
from ..workflow import FORWARD, MOVES, WorkflowError, check
from .items import due_date, note_event


def _d(day: datetime.date) -> str:
    # Notes are stored text: dd/mm/yyyy whatever the reader's language.
    return f"{day:%d/%m/%Y}"


def _locked(item: FeedbackItem) -> FeedbackItem:
    """Re-read the row under a lock, so two people cannot move it at once."""
    return FeedbackItem.objects.select_for_update().select_related("category").get(pk=item.pk)


def _allow(by, permission: str, item: FeedbackItem) -> None:
    # by=None is the system itself (tasks, cascades), already authorised.
    if by is not None and not access.can(by, permission, item):
        raise access.PermissionDenied


def _move(
    item: FeedbackItem, action: str, *, by, note: str = "", at: datetime.datetime | None = None
) -> FeedbackItem:
    move = check(item.state, action)
    _allow(by, move.permission, item)
    at = at or timezone.now()
    note_event(item, action, by=by, at=at, note=note, to_state=move.target)
    item.state = move.target
    item.state_changed_at = at
    return item


def _not_linked(item: FeedbackItem) -> None:
    """A linked item is forwarded and answered with its main item."""
    if item.main_item_id:
        raise WorkflowError(
            _("This item is linked under #%(pk)s: it is handled with that item.")
            % {"pk": item.main_item_id}
        )


def _locked_main(item: FeedbackItem) -> FeedbackItem:
    """The item locked (see _locked), refused when it is linked under another."""
    item = _locked(item)
    _not_linked(item)
    return item


def _required(text: str, message: str) -> str:
    """The text stripped, or the message when nothing is left of it."""
    if not text.strip():
        raise WorkflowError(message)
    return text.strip()


def _check_target(item: FeedbackItem, organization, body) -> Organization:
    """The tree node where the answer is owed; refuses targets off the cell's line."""
    if (organization is None) == (body is None):
        raise WorkflowError(_("Choose one organization or one body to answer."))
    cell = item.cell
    ancestors = {o.pk: o for o in Organization.objects.get_ancestors(cell)}
    if organization is not None:
        if organization.pk not in ancestors:
            raise WorkflowError(_("Forward to a committee above the cell."))
        return organization
    if not body.is_active or body.organization_id not in ancestors:
        raise WorkflowError(_("That body does not serve this cell's area."))
    return ancestors[body.organization_id]


def _route(item, *, organization, body, answer_organization, due_on, manual, at) -> None:
    item.routed_organization = organization
    item.routed_body = body
    item.answer_organization = answer_organization
    item.due_on = due_on
    item.due_is_manual = manual
    item.escalated_at = None
    item.forwarded_at = at


@transaction.atomic
@figures.changes(figures.FEEDBACK)
def forward_item(
    *,
    item: FeedbackItem,
    by,
    organization: Organization | None = None,
    body: AnsweringBody | None = None,
    due_on: datetime.date | None = None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> FeedbackItem:
    """Send the item to the organization or body that must answer it.

    The due date is the category's default counted from today (local time)
    unless given by hand; it may not lie in the past.
    """
    item = _locked_main(item)
    answer_organization = _check_target(item, organization, body)
    now = now or timezone.now()
    today = timezone.localdate(now)
    if due_on is not None and due_on < today:
        raise WorkflowError(_("The due date cannot be in the past."))
    manual = due_on is not None
    due_on = due_on or due_date(category=item.category, on=today)
    target = body or organization
    routing = _("To %(target)s, due %(due)s.") % {
        "target": target,
        "due": _d(due_on),
    }
    _move(item, "forward", by=by, note=" ".join(filter(None, [routing, note.strip()])), at=now)
    _route(
        item,
        organization=organization,
        body=body,
        answer_organization=answer_organization,
        due_on=due_on,
        manual=manual,
        at=now,
    )
    item.save()
    # Linked items travel with their main item.
    item.linked_items.update(
        routed_organization=organization,
        routed_body=body,
        answer_organization=answer_organization,
        due_on=due_on,
        escalated_at=None,
    )
    notices.forwarded(item, by=by)
    return item


@transaction.atomic
@figures.changes(figures.FEEDBACK)
def set_due_date(
    *,
    item: FeedbackItem,
    by,
    due_on: datetime.date,
    note: str = "",
    now: datetime.datetime | None = None,
) -> FeedbackItem:
    """Move the due date by hand while the answer is still owed."""
    now = now or timezone.now()
    item = _locked(item)
    _allow(by, FORWARD, item)
    _not_linked(item)
    if item.state not in (*AWAITING_ANSWER, FeedbackState.RETURNED):
        raise WorkflowError(_("The due date only matters while an answer is owed."))
    if due_on < timezone.localdate(now):
        raise WorkflowError(_("The due date cannot be in the past."))
    message = _("Due date changed from %(old)s to %(new)s.") % {
        "old": _d(item.due_on) if item.due_on else "—",
        "new": _d(due_on),
    }
    note_event(
        item, "due_date", by=by, at=now, note=" ".join(filter(None, [message, note.strip()]))
    )
    item.due_on, item.due_is_manual, item.escalated_at = due_on, True, None
    item.save()
    item.linked_items.update(due_on=due_on, escalated_at=None)
    return item


@transaction.atomic
@figures.changes(figures.FEEDBACK)
def start_item(
    *, item: FeedbackItem, by, note: str = "", now: datetime.datetime | None = None
) -> FeedbackItem:
    """The answering body takes the item up."""
    item = _locked_main(item)
    _move(item, "start", by=by, note=note.strip(), at=now)
    item.save()
    return item


@transaction.atomic
@figures.changes(figures.FEEDBACK)
def return_item(
    *, item: FeedbackItem, by, note: str, now: datetime.datetime | None = None
) -> FeedbackItem:
    """The body asks the cell what exactly is meant; the question is required."""
    item = _locked_main(item)
    note = _required(note, _("Say what needs clarifying."))
    now = now or timezone.now()
    _move(item, "return", by=by, note=note, at=now)
    item.save()
    notices.returned(item, by=by, at=now)
    return item


@transaction.atomic
@figures.changes(figures.FEEDBACK)
def answer_item(
    *, item: FeedbackItem, by, answer: str, now: datetime.datetime | None = None
) -> FeedbackItem:
    """Record the answer; every open item linked under this one gets it too."""
    item = _locked_main(item)
    answer = _required(answer, _("Write the answer."))
    now = now or timezone.now()
    _move(item, "answer", by=by, note=answer, at=now)
    item.answer, item.answered_by, item.answered_at = answer, by, now
    item.save()
    linked = item.linked_items.select_for_update().filter(state__in=OPEN_STATES)
    note = _("Answered with #%(pk)s.") % {"pk": item.pk}
    for child in linked:
        _move(child, "answer_linked", by=None, note=note, at=now)
        child.answer, child.answered_by, child.answered_at = item.answer, by, now
        child.save()
        notices.answered(child, by=by)
    notices.answered(item, by=by)
    return item


def readback_refusal(meeting: Meeting, *, now: datetime.datetime | None = None) -> str:
    """Why no answer can be read back at this meeting now ("" when one can):
    it does not take place, it has not begun yet (rules.has_begun: held, or
    being held today), or its minutes are final."""
    refusal = readback_refusal_by_day(meeting, now=now)
    if refusal:
        return refusal
    if meeting.minutes.filter(state=MinutesState.FINAL).exists():
        return _("The minutes of that meeting are final.")
    return ""


def readback_refusal_by_day(meeting: Meeting, *, now: datetime.datetime | None = None) -> str:
    """The part of readback_refusal that needs no query: the meeting's state
    and day (the meeting page's card asks only this)."""
    if meeting.state in (MeetingState.CANCELLED, MeetingState.POSTPONED):
        return _("That meeting does not take place.")
    day = meeting_date(meeting)
    if not rules.has_begun(day, today=timezone.localdate(now)):
        return _(
            "Answers are read back at a meeting that has been held or is being held today; "
            "this meeting is on %(date)s."
        ) % {"date": _d(day)}
    return ""


def _check_meeting(item: FeedbackItem, meeting: Meeting, now: datetime.datetime) -> None:
    if meeting.cell_id != item.cell_id:
        raise WorkflowError(_("An answer is read back at a meeting of the cell that raised it."))
    refusal = readback_refusal(meeting, now=now)
    if refusal:
        raise WorkflowError(refusal)
    if ReadBack.objects.filter(item=item, meeting=meeting).exists():
        raise WorkflowError(_("This answer was already read back at that meeting."))


@transaction.atomic
@figures.changes(figures.FEEDBACK)
def read_back_item(
    *,
    item: FeedbackItem,
    meeting: Meeting,
    by,
    is_satisfied: bool,
    note: str = "",
    now: datetime.datetime | None = None,
) -> ReadBack:
    """The secretary reads the answer to the cell: satisfied closes the item,
    not satisfied reopens it (with a new due date, detached from its main
    item so that it can get an answer of its own)."""
    item = _locked(item)
    now = now or timezone.now()
    _check_meeting(item, meeting, now)
    action = "close" if is_satisfied else "reopen"
    _move(item, action, by=by, note=note.strip(), at=now)
    read_back = ReadBack.objects.create(
        item=item,
        meeting=meeting,
        answer=item.answer,
        is_satisfied=is_satisfied,
        note=note.strip(),
        by=by,
        at=now,
    )
    if not is_satisfied:
        if item.main_item_id:
            item.main_item = None
        if item.answer_organization_id:
            item.due_on = due_date(category=item.category, on=timezone.localdate(now))
            item.due_is_manual, item.escalated_at = False, None
    item.save()
    if not is_satisfied:
        notices.reopened(item, by=by, at=now)
    return read_back


@transaction.atomic
@figures.changes(figures.FEEDBACK)
def link_item(
    *, item: FeedbackItem, main: FeedbackItem, by, now: datetime.datetime | None = None
) -> FeedbackItem:
    """Put `item` under `main`: the same matter, answered once for both.

    Only open, unanswered items link; a main item is never linked itself, and
    an item with linked items of its own cannot go under another.
    """
    now = now or timezone.now()
    item, main = _locked(item), _locked(main)
    _allow(by, FORWARD, item)
    _allow(by, FORWARD, main)
    if item.pk == main.pk:
        raise WorkflowError(_("An item cannot be linked to itself."))
    if main.main_item_id:
        raise WorkflowError(
            _("#%(pk)s is itself linked under #%(main)s: link to that one.")
            % {"pk": main.pk, "main": main.main_item_id}
        )
    if item.linked_items.exists():
        raise WorkflowError(_("This item has linked items of its own."))
    if item.main_item_id:
        raise WorkflowError(_("This item is already linked."))
    if item.state not in OPEN_STATES or main.state not in OPEN_STATES:
        raise WorkflowError(_("Only items still waiting for an answer can be linked."))
    note = _("Linked under #%(pk)s.") % {"pk": main.pk}
    routed = main.answer_organization_id is not None
    if routed and item.state in MOVES["forward"].sources:
        _move(item, "forward", by=by, note=note, at=now)
    else:
        note_event(item, "link", by=by, at=now, note=note)
    item.main_item = main
    if routed:
        _route(
            item,
            organization=main.routed_organization,
            body=main.routed_body,
            answer_organization=main.answer_organization,
            due_on=main.due_on,
            manual=main.due_is_manual,
            at=now,
        )
    item.save()
    note_event(
        main, "link", by=by, at=now, note=_("#%(pk)s linked under this item.") % {"pk": item.pk}
    )
    return item


@transaction.atomic
@figures.changes(figures.FEEDBACK)
def unlink_item(*, item: FeedbackItem, by, now: datetime.datetime | None = None) -> FeedbackItem:
    """Take an item out from under its main item; it keeps its routing."""
    item = _locked(item)
    _allow(by, FORWARD, item)
    if not item.main_item_id:
        raise WorkflowError(_("This item is not linked."))
    unlinked = _("No longer linked under #%(pk)s.") % {"pk": item.main_item_id}
    note_event(item, "unlink", by=by, at=now or timezone.now(), note=unlinked)
    item.main_item = None
    item.save()
    return item


@figures.changes(figures.FEEDBACK)
def mark_overdue(*, now: datetime.datetime | None = None) -> int:
    """Record, once per due date, that an item's answer is late. Idempotent:
    the conditional UPDATE claims each item, so a retried run writes nothing."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    marked = 0
    candidates = FeedbackItem.objects.overdue(today).filter(escalated_at__isnull=True)
    for item in candidates.only("pk", "state", "due_on"):
        with transaction.atomic():
            claimed = FeedbackItem.objects.filter(pk=item.pk, escalated_at__isnull=True).update(
                escalated_at=now
            )
            if claimed:
                note_event(
                    item,
                    "overdue",
                    by=None,
                    at=now,
                    note=_("Not answered by %(due)s: shown to the committee above.")
                    % {"due": _d(item.due_on)},
                )
                marked += 1
    return marked
