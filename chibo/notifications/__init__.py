"""Notifications: an outbox in the database, an inbox on screen, e-mail by a
worker (shared/DESIGN.md).

An app that has something to tell registers a Kind (its subject and text,
drawn from the row's params in the reader's language) and calls `notify`
inside the transaction of the event: the rows commit with the event or not at
all. After the commit a task is asked to send the e-mails (chibo.tasks); if
the broker is down the request still succeeds and the beat's next run of the
same task sends them (relay.deliver_pending). No Django signals: the services
that make the event call `notify` themselves.
"""

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from chibo.models import EmailState, Notification

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kind:
    name: str
    label: object  # a lazy text: the inbox's filter
    subject: Callable[[dict], str]
    text: Callable[[dict], str]


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    _kinds[kind.name] = kind
    return kind


def kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda kind: kind.name)


def kind_of(name: str) -> Kind | None:
    return _kinds.get(name)


def subject_of(notification: Notification) -> str:
    kind = kind_of(notification.kind)
    return _drawn(kind and kind.subject, notification) or str(kind.label if kind else "")


def text_of(notification: Notification) -> str:
    kind = kind_of(notification.kind)
    return _drawn(kind and kind.text, notification)


def _drawn(draw, notification: Notification) -> str:
    """The text, or "" when a row's params no longer fit its kind's text (a
    kind's wording changed): the inbox still lists it, by its kind."""
    if draw is None:
        return ""
    try:
        return draw(notification.params)
    except (KeyError, TypeError, ValueError):
        logger.warning("Notification %s: params do not fit its kind", notification.pk)
        return ""


def _key(kind: str, event: str, recipient_id: int) -> str:
    key = f"{kind}:{event}:{recipient_id}"
    if len(key) <= 200:
        return key
    return f"{kind}:{hashlib.sha256(event.encode()).hexdigest()}:{recipient_id}"


def notify(kind: str, recipients: Iterable, *, event: str, params: dict, link: str = "") -> int:
    """Tell `recipients` (users or their ids; inactive ones are left out)
    about `event`, a text naming what happened to which object and when
    ("item 12 forwarded at …"): the same event written twice stays one row
    per recipient. Returns how many rows are new. Call it inside the event's
    transaction."""
    if kind not in _kinds:
        raise ValueError(f"unknown notification kind {kind!r}")
    ids = {getattr(user, "pk", user) for user in recipients} - {None}
    if not ids:
        return 0
    emails = dict(
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .values_list("pk", "email")
        .order_by()
    )
    now = timezone.now()
    keys = {pk: _key(kind, event, pk) for pk in emails}
    # Rows already written are left out of the count; one written meanwhile
    # by a concurrent run is left out of the table by the unique key.
    known = set(Notification.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    rows = [
        Notification(
            recipient_id=pk,
            kind=kind,
            key=keys[pk],
            params=params,
            link=link,
            created_at=now,
            email_state=EmailState.PENDING if email else EmailState.NONE,
        )
        for pk, email in sorted(emails.items())
        if keys[pk] not in known
    ]
    if not rows:
        return 0
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    by_email = any(row.email_state == EmailState.PENDING for row in rows)
    transaction.on_commit(partial(_after_commit, [row.recipient_id for row in rows], by_email))
    return len(rows)


def _after_commit(recipient_ids: list[int], by_email: bool) -> None:
    forget_unread(recipient_ids)
    if by_email:
        deliver_soon()


def deliver_soon() -> None:
    """Ask a worker to send the pending e-mails now. The broker being down
    costs the request at most the broker's connection timeout (settings),
    never the notification: the beat runs the same task every minute."""
    from chibo.tasks import deliver_notifications_task

    try:
        deliver_notifications_task.apply_async(retry=False)
    except Exception:  # the broker's errors vary by transport
        logger.warning("Could not queue the e-mail delivery; the beat will", exc_info=True)


# The bell: an unread count per user, cached until a notification is written
# or read, so a page pays a cache read, not a query.


def _unread_key(user_id: int) -> str:
    return f"chibo:notifications:unread:{user_id}"


def unread_count(user) -> int:
    key = _unread_key(user.pk)
    try:
        found = cache.get(key)
    except Exception:  # the cache is down: count
        found = None
    if found is not None:
        return found
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    try:
        cache.set(key, count, timeout=600)
    except Exception:
        logger.warning("Could not cache the unread count", exc_info=True)
    return count


def forget_unread(user_ids: Iterable[int]) -> None:
    try:
        cache.delete_many([_unread_key(pk) for pk in user_ids])
    except Exception:  # the TTL ends a stale count
        logger.warning("Could not drop the unread counts", exc_info=True)


def mark_read(user, *, pks: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (`pks`, or all of them)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pks is not None:
        unread = unread.filter(pk__in=list(pks))
    done = unread.update(read_at=timezone.now())
    transaction.on_commit(partial(forget_unread, [user.pk]))
    return done
