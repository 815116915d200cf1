"""What the meeting services tell people (chibo.notifications): a meeting
moved, postponed or cancelled reaches the cadres assigned to the cell on its
date, who plan their visits by it. The actor is never told of their own change."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo import notifications

from .models import Assignment, Meeting, MeetingState

CHANGED = "meeting_changed"


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
    return notifications.notify(
        CHANGED,
        set(cadres) - {getattr(by, "pk", None)},
        event=f"{meeting.pk}:{timezone.now().isoformat()}",
        params={
            "cell": meeting.cell.name,
            "day": at.strftime("%d/%m/%Y %H:%M"),
            "state": meeting.state,
            "reason": meeting.state_reason,
        },
        link=reverse("meeting_detail", args=[meeting.pk]),
    )
