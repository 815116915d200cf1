"""Sending the outbox's e-mails (run by chibo.tasks.deliver_notifications_task,
after each commit that notifies and every minute from the beat).

Each e-mail is sent in its own short transaction holding its row locked
(SKIP LOCKED: two workers or two beats never take the same row), and the row
is marked sent before that transaction commits. A refusal is retried later
with a growing wait; after the last try the row is failed, with the error,
for the operators' admin page, where it can be sent again.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from chibo.models import EmailState, Notification

from . import subject_of, text_of

logger = logging.getLogger(__name__)

# Waits before the second, third, … try; after the last one the row fails.
BACKOFF_MINUTES = (1, 5, 15, 60)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1


def deliver_pending(*, limit: int = 500, now: datetime.datetime | None = None) -> int:
    """Send up to `limit` pending e-mails that are due; returns how many went."""
    sent = 0
    for _ in range(limit):
        with transaction.atomic():
            notification = _next_due(now or timezone.now())
            if notification is None:
                break
            sent += _send(notification, now or timezone.now())
    return sent


def _next_due(now: datetime.datetime) -> Notification | None:
    due = Q(email_not_before__isnull=True) | Q(email_not_before__lte=now)
    return (
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(due, email_state=EmailState.PENDING)
        .select_related("recipient")
        .order_by("id")
        .first()
    )


def message(notification: Notification) -> tuple[str, str, str]:
    """Subject, text and HTML of the e-mail, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(subject_of(notification).split())
        context = {
            "subject": subject,
            "text": text_of(notification),
            "url": f"{settings.SITE_URL}{notification.link}" if notification.link else "",
        }
        text = render_to_string("chibo/notifications/email.txt", context)
        html = render_to_string("chibo/notifications/email.html", context)
    return subject, text, html


def _send(notification: Notification, now: datetime.datetime) -> int:
    email = notification.recipient.email
    notification.email_attempts += 1
    if not email:
        notification.email_state = EmailState.NONE
        notification.save(update_fields=["email_state", "email_attempts"])
        return 0
    subject, text, html = message(notification)
    try:
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [email], html_message=html)
    except (smtplib.SMTPException, OSError) as error:
        _refused(notification, error, now)
        return 0
    notification.email_state = EmailState.SENT
    notification.emailed_at = now
    notification.email_error = ""
    notification.save(update_fields=["email_state", "emailed_at", "email_error", "email_attempts"])
    return 1


def _is_permanent(error: Exception) -> bool:
    """A 5xx answer: trying again will not help (a 4xx or a dropped link may)."""
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _message in error.recipients.values())
    return False


def _refused(notification: Notification, error: Exception, now: datetime.datetime) -> None:
    permanent = _is_permanent(error)
    notification.email_error = f"{type(error).__name__}: {error}"[:2000]
    if permanent or notification.email_attempts >= MAX_ATTEMPTS:
        notification.email_state = EmailState.FAILED
        logger.warning("E-mail of notification %s failed: %s", notification.pk, error)
    else:
        wait = BACKOFF_MINUTES[notification.email_attempts - 1]
        notification.email_not_before = now + datetime.timedelta(minutes=wait)
    notification.save(
        update_fields=["email_state", "email_error", "email_attempts", "email_not_before"]
    )


def resend(notifications) -> int:
    """Queue failed e-mails again (the admin's action)."""
    return notifications.filter(email_state=EmailState.FAILED).update(
        email_state=EmailState.PENDING, email_attempts=0, email_not_before=None, email_error=""
    )
