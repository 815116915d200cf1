"""Celery tasks of the meeting calendar: thin wrappers around the services."""

import logging

from celery import shared_task
from django.utils import timezone

from meetings import calendar
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
    """Remind secretaries and cadres of meetings in the next two days; a
    re-run sends nothing twice (ReminderLog)."""
    return send_meeting_reminders()
