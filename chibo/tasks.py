"""Project-wide Celery tasks."""

import logging

from celery import shared_task
from django.conf import settings

from chibo import exports
from chibo.notifications import relay

log = logging.getLogger(__name__)


@shared_task(name="chibo.ping")
def ping(*, value: str) -> str:
    """Answers with its argument: proves a worker and the result backend work."""
    return f"pong:{value}"


@shared_task(
    name="chibo.build_export",
    # A runaway build is stopped; its row says so (SoftTimeLimitExceeded).
    soft_time_limit=settings.EXPORT_TIME_LIMIT,
    time_limit=settings.EXPORT_TIME_LIMIT + 60,
)
def build_export_task(*, export_id: int) -> bool:
    """Build one background file (chibo.exports.run); a re-run builds nothing."""
    return exports.run(export_id=export_id)


@shared_task(name="chibo.fail_stalled_exports")
def fail_stalled_exports_task() -> int:
    """Background files whose worker died are marked failed, so they can be retried."""
    count = exports.fail_stalled()
    if count:
        log.warning("%s background files stopped moving: marked failed", count)
    return count


@shared_task(name="chibo.delete_expired_exports")
def delete_expired_exports_task() -> int:
    """Background files older than EXPORT_KEEP_DAYS are deleted with their rows."""
    return exports.delete_expired()


@shared_task(
    name="chibo.deliver_notifications",
    # Each e-mail commits on its own: a worker killed mid-run loses its one
    # locked row's transaction, and the next run sends what is left.
    acks_late=True,
    soft_time_limit=240,
    time_limit=300,
)
def deliver_notifications_task() -> int:
    """Send the outbox's pending e-mails (chibo.notifications.relay)."""
    return relay.deliver_pending()
