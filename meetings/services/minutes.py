"""Writing minutes: drafts (optimistic locking), finalization and amendments.

Invariants:
- A draft changes only through `save_minutes`, which sends the version it
  started from; a conditional UPDATE makes the second of two concurrent
  saves fail with `MinutesConflict` instead of overwriting the first.
- Final minutes never change: every write path raises `MinutesFinal`.
  A correction is a new draft that `amends` the final one; both are kept.
- Every write leaves a history row with its user (`history_user`).
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from chibo.models import Organization
from members.models import Position, PositionKind

from .. import rules
from ..models import (
    Meeting,
    MeetingState,
    Minutes,
    MinutesState,
    ResolutionTask,
    Speech,
    TaskStatus,
)
from ..selectors.meeting_page import (
    attendance_sheet,
    carried_over_tasks,
    meeting_date,
    minutes_facts,
)

# What a draft save may change (the rest is bookkeeping or frozen at
# finalization): the people and times, and the fields the form passes as typed.
TEXT_FIELDS = [
    "party_fee_status",
    "programme",
    "news",
    "assessment",
    "criticism",
    "summary",
    "resolution",
]
TYPED_FIELDS = [
    *TEXT_FIELDS,
    "votes_for",
    "votes_against",
    "votes_abstain",
    "read_back_adopted",
]
CONTENT_FIELDS = ["chair_id", "minute_taker_id", "started_at", "ended_at", *TYPED_FIELDS]
SPEECH_FIELDS = ["member_id", "speaker_name", "text", "order"]
TASK_FIELDS = ["title", "assignee_id", "assignee_text", "due_on"]


class MinutesError(ValueError):
    """A change to minutes that the rules refuse; `messages` says why."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(str(m) for m in messages))
        self.messages = [str(m) for m in messages]


class MinutesFinal(MinutesError):
    def __init__(self):
        super().__init__(
            [_("These minutes are final and cannot be changed. Amend them to correct them.")]
        )


class MinutesConflict(MinutesError):
    """Someone saved the draft since this editor loaded it."""

    def __init__(self, current: Minutes):
        self.current = current
        who = _person(current.updated_by)
        when = timezone.localtime(current.updated_at).strftime("%H:%M %d/%m/%Y")
        super().__init__(
            [
                _(
                    "%(who)s saved these minutes at %(when)s, after you started editing. "
                    "Nothing was overwritten: compare both texts and save again."
                )
                % {"who": who, "when": when}
            ]
        )


class FinalizeRefused(MinutesError):
    def __init__(self, findings: list[rules.Finding]):
        self.findings = findings
        super().__init__([f.message for f in findings])


@dataclass(frozen=True)
class SpeechData:
    text: str
    member_id: int | None = None
    speaker_name: str = ""


@dataclass(frozen=True)
class TaskData:
    title: str
    assignee_id: int | None = None
    assignee_text: str = ""
    due_on: datetime.date | None = None


@dataclass(frozen=True)
class Assessment:
    """The result of a task carried over from an earlier month."""

    task_id: int
    status: str
    result_note: str = ""


def _person(user) -> str:
    if user is None:
        return _("someone")
    return user.get_full_name() or user.username


# Drafts ---------------------------------------------------------------------


def start_minutes(*, meeting: Meeting, by) -> Minutes:
    """The meeting's minutes in force or being written; a new draft (the cell's
    secretary in the chair) when there are none yet."""
    latest = Minutes.objects.filter(meeting=meeting).order_by("-id").first()
    if latest is not None:
        return latest
    chair = (
        Position.objects.current(meeting_date(meeting))
        .filter(cell_id=meeting.cell_id, kind=PositionKind.SECRETARY)
        .values_list("member_id", flat=True)
        .first()
    )
    minutes = Minutes(meeting=meeting, chair_id=chair, updated_by=by)
    minutes._history_user = by
    try:
        with transaction.atomic():
            minutes.save()
    except IntegrityError:
        # Two first openings at once: the other one created it.
        return Minutes.objects.get(meeting=meeting, amends__isnull=True)
    return minutes


@transaction.atomic
def save_minutes(
    *,
    minutes: Minutes,
    version: int,
    content: dict,
    speeches: list[SpeechData] = (),
    tasks: list[TaskData] = (),
    assessments: list[Assessment] = (),
    by,
) -> Minutes:
    """Save a draft edited from `version`; returns it at its new version.

    Raises MinutesFinal for final minutes and MinutesConflict when the draft
    was saved by someone else since `version` (nothing is written then).
    """
    unknown = set(content) - set(CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Not a content field of minutes: {', '.join(sorted(unknown))}")
    now = timezone.now()
    # A sort of optimistic lock: the row changes only if nobody saved since.
    claimed = Minutes.objects.filter(
        pk=minutes.pk, version=version, state=MinutesState.DRAFT
    ).update(**content, version=version + 1, updated_by=by, updated_at=now)
    if not claimed:
        current = Minutes.objects.select_related("updated_by").get(pk=minutes.pk)
        if current.is_final:
            raise MinutesFinal
        raise MinutesConflict(current)
    minutes.refresh_from_db()
    # .update() sends no signal: the history row is written here, with its user
    # (set on the instance too, which simple_history prefers to the default).
    minutes._history_user = by
    Minutes.history.bulk_history_create([minutes], update=True, default_user=by, default_date=now)
    _sync_speeches(minutes, list(speeches), by)
    _sync_tasks(minutes, list(tasks), by)
    _assess(minutes, list(assessments), by)
    return minutes


def _sync_speeches(minutes: Minutes, wanted: list[SpeechData], by) -> None:
    """Rows are matched by position: the editor sends them in order, and an
    autosave never has to learn new ids."""
    existing = list(minutes.speeches.order_by("order", "id"))
    to_create, to_update = [], []
    for order, data in enumerate(wanted):
        values = {
            "member_id": data.member_id,
            "speaker_name": data.speaker_name,
            "text": data.text,
            "order": order,
        }
        if order < len(existing):
            _changed(existing[order], values, to_update)
        else:
            to_create.append(Speech(minutes=minutes, **values))
    _apply(Speech, to_create, to_update, existing[len(wanted) :], SPEECH_FIELDS, by)


def _sync_tasks(minutes: Minutes, wanted: list[TaskData], by) -> None:
    existing = list(minutes.tasks.order_by("id"))
    to_create, to_update = [], []
    for index, data in enumerate(wanted):
        values = {
            "title": data.title,
            "assignee_id": data.assignee_id,
            "assignee_text": data.assignee_text,
            "due_on": data.due_on,
        }
        if index < len(existing):
            _changed(existing[index], values, to_update)
        else:
            to_create.append(
                ResolutionTask(minutes=minutes, cell_id=minutes.meeting.cell_id, **values)
            )
    _apply(
        ResolutionTask,
        to_create,
        to_update,
        existing[len(wanted) :],
        TASK_FIELDS,
        by,
    )


def _changed(obj, values: dict, to_update: list) -> None:
    if any(getattr(obj, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(obj, k, v)
        to_update.append(obj)


def _apply(model, to_create, to_update, to_delete, fields, by) -> None:
    if to_create:
        bulk_create_with_history(to_create, model, default_user=by)
    if to_update:
        bulk_update_with_history(to_update, model, fields, default_user=by)
    for obj in to_delete:
        # One by one, so each removal is in the history too (rarely more than one).
        obj._history_user = by
        obj.delete()


def _assess(minutes: Minutes, assessments: list[Assessment], by) -> None:
    """Mark tasks carried over from earlier months: done, late, dropped, or
    back to open; the meeting that assessed them is kept in `assessed_in`."""
    if not assessments:
        return
    tasks = {t.pk: t for t in carried_over_tasks(minutes)}
    changed = []
    for item in assessments:
        task = tasks.get(item.task_id)
        if task is None or item.status not in TaskStatus.values:
            raise MinutesError([_("A task to assess is not one carried over to this meeting.")])
        assessed_in = None if item.status == TaskStatus.OPEN else minutes.pk
        values = (item.status, item.result_note.strip(), assessed_in)
        if (task.status, task.result_note, task.assessed_in_id) != values:
            task.status, task.result_note, task.assessed_in_id = values
            changed.append(task)
    if changed:
        bulk_update_with_history(
            changed, ResolutionTask, ["status", "result_note", "assessed_in"], default_user=by
        )


# Finalization -----------------------------------------------------------------


def finalize_minutes(*, minutes: Minutes, by) -> Minutes:
    """Make draft minutes final: checked against the rules, numbered within
    the cell's congress term, frozen as a snapshot; the meeting becomes held.
    One transaction: either all of it happens or none. The PDF is printed
    from the snapshot and archived after the commit (`archive_minutes_pdf`,
    in a worker; inline without Redis), so the request never waits on it."""
    from ..snapshot import build_snapshot

    with transaction.atomic():
        locked = (
            Minutes.objects.select_for_update(of=("self",))
            .select_related("meeting__cell", "amends")
            .get(pk=minutes.pk)
        )
        if locked.is_final:
            raise MinutesFinal
        meeting = locked.meeting
        sheet = attendance_sheet(meeting)
        findings = rules.finalize_findings(minutes_facts(locked, sheet), now=timezone.now())
        if rules.blocking(findings):
            raise FinalizeRefused(rules.blocking(findings))
        locked.term = rules.term_of(meeting_date(meeting))
        locked.number = _next_number(meeting.cell_id, locked.term)
        locked.state = MinutesState.FINAL
        locked.finalized_at = timezone.now()
        locked.finalized_by = by
        snapshot = build_snapshot(locked, sheet=sheet)
        # Kept for the meeting-quality sheet: flagged, not blocked.
        snapshot["warnings"] = [f.as_stored() for f in rules.warnings(findings)]
        snapshot["duration_minutes"] = rules.duration_minutes(locked.started_at, locked.ended_at)
        locked.snapshot = snapshot
        locked.version += 1
        locked.updated_by = by
        locked._history_user = by
        locked.save()
        meeting.state = MeetingState.HELD
        meeting._history_user = by
        meeting.save(update_fields=["state"])
        # robust: the minutes are final whatever happens to the PDF; a failed
        # archive is logged and caught up by the beat (archive_pending_pdfs).
        minutes_id = locked.pk
        transaction.on_commit(lambda: _enqueue_archive(minutes_id), robust=True)
    return locked


def _enqueue_archive(minutes_id: int) -> None:
    from ..tasks import archive_minutes_pdf_task

    archive_minutes_pdf_task.delay(minutes_id=minutes_id)


def archive_minutes_pdf(*, minutes_id: int) -> bool:
    """Print final minutes from their snapshot and archive the PDF with its
    SHA-256; True when this call archived it. Idempotent: archived minutes
    are left alone, and of two concurrent runs only the first to write keeps
    its file (a conditional UPDATE); nothing else of the final minutes changes."""
    from ..pdf import render_minutes_pdf

    minutes = (
        Minutes.objects.filter(pk=minutes_id, state=MinutesState.FINAL, pdf_sha256="")
        .select_related("meeting__cell")
        .first()
    )
    if minutes is None or not minutes.snapshot:
        return False
    pdf = render_minutes_pdf(minutes)  # final: from the stored snapshot
    digest = hashlib.sha256(pdf).hexdigest()
    minutes.pdf.save(f"minutes-{minutes.pk}-{minutes.number:02d}.pdf", ContentFile(pdf), save=False)
    claimed = Minutes.objects.filter(pk=minutes.pk, state=MinutesState.FINAL, pdf_sha256="").update(
        pdf=minutes.pdf.name, pdf_sha256=digest
    )
    if not claimed:
        # Another run archived it first: keep theirs, drop this copy.
        minutes.pdf.storage.delete(minutes.pdf.name)
        return False
    return True


def pending_archives():
    """Final minutes whose PDF is not archived yet (the beat catches them up)."""
    return Minutes.objects.filter(state=MinutesState.FINAL, pdf_sha256="").order_by("pk")


def _next_number(cell_id: int, term: str) -> int:
    # Lock the cell row so two finalizations in the cell cannot share a number.
    Organization.objects.select_for_update().filter(pk=cell_id).values_list("pk").first()
    last = Minutes.objects.filter(
        meeting__cell_id=cell_id, term=term, state=MinutesState.FINAL
    ).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


# Amendments --------------------------------------------------------------------


@transaction.atomic
def amend_minutes(*, minutes: Minutes, by) -> Minutes:
    """A new draft correcting final minutes, with their content copied; the
    final ones stay as they are. Amending twice opens the same draft."""
    locked = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if not locked.is_final:
        raise MinutesError([_("Only final minutes can be amended; edit the draft instead.")])
    existing = Minutes.objects.filter(amends=locked).first()
    if existing is not None:
        if existing.is_final:
            raise MinutesError(
                [_("These minutes were already amended: amend the latest amendment instead.")]
            )
        return existing
    draft = Minutes(
        meeting_id=locked.meeting_id,
        amends=locked,
        updated_by=by,
        **{name: getattr(locked, name) for name in CONTENT_FIELDS},
    )
    draft._history_user = by
    draft.save()
    _copy_rows(locked.speeches.order_by("order", "id"), Speech, SPEECH_FIELDS, draft, by)
    # Tasks are copied with their results so far; once the amendment is final
    # its copies replace the originals in next months' assessments.
    task_fields = [*TASK_FIELDS, "cell_id", "status", "result_note", "assessed_in_id"]
    _copy_rows(locked.tasks.order_by("id"), ResolutionTask, task_fields, draft, by)
    return draft


def _copy_rows(rows, model, fields: list[str], minutes: Minutes, by) -> None:
    """Copy speeches or tasks onto other minutes, with their history."""
    copies = [model(minutes=minutes, **{f: getattr(row, f) for f in fields}) for row in rows]
    bulk_create_with_history(copies, model, default_user=by)
