"""Finalizing minutes (checked, numbered, frozen as a snapshot; the PDF
archived after the commit) and amending final minutes with a new draft.

Above the editing services (meetings.services.minutes), whose errors and
content fields it uses; the editing never reaches up here."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from chibo import figures
from chibo.models import Organization

from .. import rules
from ..models import MeetingState, Minutes, MinutesState, ResolutionTask, Speech
from ..selectors.attendance import attendance_sheet, meeting_date
from ..selectors.minutes_facts import minutes_facts
from .minutes import (
    CONTENT_FIELDS,
    SPEECH_FIELDS,
    TASK_FIELDS,
    FinalizeRefused,
    MinutesError,
    MinutesFinal,
)

# Finalization -----------------------------------------------------------------


@figures.changes(figures.MEETINGS)
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
@figures.changes(figures.MEETINGS)
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
