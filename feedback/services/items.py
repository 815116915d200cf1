"""Recording feedback items and their attachments."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo import access, figures
from meetings.models import CadreVisit, Meeting, MeetingState
from members.models import Member

from ..models import (
    Attachment,
    Category,
    FeedbackEvent,
    FeedbackItem,
    FeedbackState,
    RaiserKind,
)
from ..uploads import MAX_FILES_PER_ITEM, validate_upload
from ..workflow import WorkflowError

# The cell may still clarify or correct an item before it is answered.
EDITABLE_STATES = (FeedbackState.NEW, FeedbackState.RETURNED)


def note_event(
    item: FeedbackItem, action: str, *, by, at, note: str = "", to_state: str | None = None
) -> None:
    """An event on the item's timeline: the who and when of a move to
    `to_state`, or of a change that keeps the state (an edit, a new due
    date, a link) when `to_state` is not given."""
    FeedbackEvent.objects.create(
        item=item,
        action=action,
        from_state=item.state,
        to_state=to_state or item.state,
        by=by,
        at=at,
        note=note,
    )


def _check_raiser(*, meeting: Meeting, raiser_kind: str, raiser_member: Member | None) -> None:
    if raiser_kind == RaiserKind.MEMBER:
        if raiser_member is None:
            raise WorkflowError(_("Choose the member who raised it."))
        at_meeting = raiser_member.attendances.filter(meeting=meeting).exists()
        if raiser_member.cell_id != meeting.cell_id and not at_meeting:
            raise WorkflowError(_("That member is not of this cell."))


@transaction.atomic
@figures.changes(figures.FEEDBACK)
def record_item(
    *,
    meeting: Meeting,
    by,
    category: Category,
    text: str,
    raiser_kind: str = RaiserKind.MEMBER,
    raiser_member: Member | None = None,
    raiser_name: str = "",
    visit: CadreVisit | None = None,
    files=(),
    now: datetime.datetime | None = None,
) -> FeedbackItem:
    """Record an item raised at `meeting` (by the secretary) or heard at a
    cadre's `visit` to it; attachments are checked before anything is saved."""
    if visit is not None and visit.meeting_id != meeting.pk:
        raise WorkflowError(_("That visit was to another meeting."))
    allowed = access.can(by, access.EDIT, meeting) or (
        visit is not None and access.can(by, access.EDIT, visit)
    )
    if not allowed:
        raise access.PermissionDenied
    if meeting.state in (MeetingState.CANCELLED, MeetingState.POSTPONED):
        raise WorkflowError(_("Feedback is recorded at a meeting that takes place."))
    if not text.strip():
        raise WorkflowError(_("Write the feedback."))
    _check_raiser(meeting=meeting, raiser_kind=raiser_kind, raiser_member=raiser_member)
    files = list(files)
    _check_files(files, already=0)
    item = FeedbackItem.objects.create(
        cell_id=meeting.cell_id,
        meeting=meeting,
        visit=visit,
        category=category,
        text=text.strip(),
        raiser_kind=raiser_kind,
        raiser_member=raiser_member if raiser_kind == RaiserKind.MEMBER else None,
        raiser_name=raiser_name.strip() if raiser_kind == RaiserKind.CITIZENS else "",
        raised_on=timezone.localdate(meeting.scheduled_at),
        recorded_by=by,
        state_changed_at=now or timezone.now(),
    )
    FeedbackEvent.objects.create(
        item=item, action="record", to_state=FeedbackState.NEW, by=by, at=item.state_changed_at
    )
    for upload in files:
        _store(item=item, upload=upload, by=by)
    return item


@transaction.atomic
@figures.changes(figures.FEEDBACK)
def update_item(
    *,
    item: FeedbackItem,
    by,
    category: Category,
    text: str,
    raiser_kind: str,
    raiser_member: Member | None = None,
    raiser_name: str = "",
    files=(),
    now: datetime.datetime | None = None,
) -> FeedbackItem:
    """Correct or clarify an item while it is new or returned for clarification."""
    if not access.can(by, access.EDIT, item):
        raise access.PermissionDenied
    if item.state not in EDITABLE_STATES:
        raise WorkflowError(_("Only a new item or one returned for clarification can be changed."))
    if not text.strip():
        raise WorkflowError(_("Write the feedback."))
    _check_raiser(meeting=item.meeting, raiser_kind=raiser_kind, raiser_member=raiser_member)
    files = list(files)
    _check_files(files, already=item.attachments.count())
    item.category = category
    item.text = text.strip()
    item.raiser_kind = raiser_kind
    item.raiser_member = raiser_member if raiser_kind == RaiserKind.MEMBER else None
    item.raiser_name = raiser_name.strip() if raiser_kind == RaiserKind.CITIZENS else ""
    item.save()
    note_event(item, "edit", by=by, at=now or timezone.now())
    for upload in files:
        _store(item=item, upload=upload, by=by)
    return item


def _check_files(files, *, already: int) -> None:
    if already + len(files) > MAX_FILES_PER_ITEM:
        raise WorkflowError(
            _("At most %(n)s files can be attached to an item.") % {"n": MAX_FILES_PER_ITEM}
        )
    for upload in files:
        try:
            validate_upload(upload)
        except Exception as error:  # ValidationError: one message for the user
            raise WorkflowError(" ".join(getattr(error, "messages", [str(error)]))) from error


def _store(*, item: FeedbackItem, upload, by) -> Attachment:
    content_type = validate_upload(upload)
    attachment = Attachment(
        item=item,
        original_name=upload.name[-200:],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


def due_date(*, category: Category, on: datetime.date) -> datetime.date:
    """The default due date: the category's days counted from `on` (a local date)."""
    return on + datetime.timedelta(days=category.default_days)
