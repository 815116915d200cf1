"""Celery tasks of the meeting calendar: thin wrappers around the services."""

import logging

from celery import shared_task
from django.utils import timezone

from meetings import calendar
from meetings.services.finalize import archive_minutes_pdf, pending_archives
from meetings.services.planning import plan_month
from meetings.services.reminders import send_meeting_reminders

log = logging.getLogger(__name__)


@shared_task(name="meetings.plan_month")
def plan_month_task(*, month: str | None = None) -> int:
    """Plan the regular meetings of `month` ('YYYY-MM'; default: next month,
    as beat runs this on the 20th). Idempotent: returns how many were new."""
    period = (
        calendar.parse_month(month)
        if month
        else calendar.add_months(calendar.first_of_month(timezone.localdate()), 1)
    )
    result = plan_month(period=period)
    log.info("Planned %s meetings for %s (%s existed)", result.created, period, result.existing)
    return result.created


@shared_task(name="meetings.send_reminders")
def send_reminders_task() -> int:
    """Remind secretaries, deputies and cadres of meetings in the next two
    days, through the notifications' outbox; a re-run writes nothing twice."""
    return send_meeting_reminders()


@shared_task(
    name="meetings.archive_minutes_pdf",
    acks_late=True,  # idempotent: a re-run after a lost worker archives once
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def archive_minutes_pdf_task(*, minutes_id: int) -> bool:
    """Print final minutes from their snapshot and archive the PDF (once)."""
    archived = archive_minutes_pdf(minutes_id=minutes_id)
    log.info("Minutes %s: PDF %s", minutes_id, "archived" if archived else "already archived")
    return archived


@shared_task(name="meetings.archive_pending_pdfs")
def archive_pending_pdfs_task() -> int:
    """Archive the PDF of final minutes whose task was lost (Redis was down)."""
    return sum(
        archive_minutes_pdf(minutes_id=pk) for pk in pending_archives().values_list("pk", flat=True)
    )
