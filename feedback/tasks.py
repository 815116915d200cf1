"""Thin Celery wrappers around feedback services."""

from celery import shared_task

from .services import mark_overdue


@shared_task(name="feedback.mark_overdue")
def mark_overdue_task() -> int:
    """Daily: record each newly overdue item once (idempotent, see the service)."""
    return mark_overdue()
