"""What the meeting services tell people (chibo.notifications):

- a meeting coming (meetings.services.reminders, from the beat): the cell's
  secretary and deputy and the cadres assigned on its date;
- a meeting moved, postponed or cancelled: the cadres assigned on its date,
  who plan their visits by it, never the one who changed it.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo import notifications

from .models import Assignment, Meeting, MeetingKind, MeetingState

COMING = "meeting_coming"
CHANGED = "meeting_changed"


def _coming_text(p: dict) -> str:
    text = _("The %(kind)s of %(cell)s is planned on %(day)s at %(place)s.") % {
        **p,
        "kind": MeetingKind(p["kind"]).label,
        "place": p["place"] or "—",
    }
    if p.get("topic"):
        text += " " + _("Topic: %(topic)s.") % p
    papers = _("Papers go to members and to the assigned cadre at least a day before the meeting.")
    return f"{text} {papers}"


notifications.register(
    notifications.Kind(
        name=COMING,
        label=gettext_lazy("Meeting coming"),
        subject=lambda p: _("Reminder: %(cell)s meets on %(day)s") % p,
        text=_coming_text,
    )
)


def _subject(p: dict) -> str:
    if p["state"] == MeetingState.CANCELLED:
        return _("The meeting of %(cell)s on %(day)s is cancelled") % p
    if p["state"] == MeetingState.POSTPONED:
        return _("The meeting of %(cell)s on %(day)s is postponed") % p
    return _("The meeting of %(cell)s moves to %(day)s") % p


notifications.register(
    notifications.Kind(
        name=CHANGED,
        label=gettext_lazy("Meeting moved, postponed or cancelled"),
        subject=_subject,
        text=lambda p: _("Reason: %(reason)s") % p,
    )
)


def changed(meeting: Meeting, *, by) -> int:
    """After move_meeting, postpone_meeting or cancel_meeting."""
    at = timezone.localtime(meeting.scheduled_at)
    cadres = (
        Assignment.objects.current(at.date())
        .filter(cell_id=meeting.cell_id, cadre__user__isnull=False)
        .values_list("cadre__user_id", flat=True)
        .order_by()
    )
    return _tell(
        CHANGED,
        meeting,
        set(cadres) - {getattr(by, "pk", None)},
        event=timezone.now().isoformat(),
        state=meeting.state,
        reason=meeting.state_reason,
    )


def coming(meeting: Meeting, users, *, day) -> int:
    """The reminder of `meeting` on `day` (its local date: a meeting moved to
    another day is announced again); returns the rows that are new."""
    return _tell(
        COMING,
        meeting,
        users,
        event=day.isoformat(),
        kind=meeting.kind,
        place=meeting.place,
        topic=meeting.topic,
    )


def _tell(notice: str, meeting: Meeting, users, *, event: str, **params) -> int:
    """Notify about `meeting`: its cell and local time, its page, and `params`."""
    at = timezone.localtime(meeting.scheduled_at)
    return notifications.notify(
        notice,
        users,
        event=f"{meeting.pk}:{event}",
        params={"cell": meeting.cell.name, "day": at.strftime("%d/%m/%Y %H:%M"), **params},
        link=reverse("meeting_detail", args=[meeting.pk]),
    )
