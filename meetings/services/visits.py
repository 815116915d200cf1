"""The cadre's record of a visit: the same CadreVisit row the secretary's
attendance screen edits, so the two always agree."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo import figures
from meetings.models import CadreVisit, Meeting, MeetingState
from members.models import Member

from ..selectors.cadres import assigned_on


class VisitError(Exception):
    """A visit record the rules refuse; the message is for the user."""


def check_visit_allowed(*, meeting: Meeting, cadre: Member) -> None:
    """A cadre records visits only to cells they were assigned to on the
    meeting's date, and only once the meeting has taken place."""
    day = timezone.localdate(meeting.scheduled_at)
    if not assigned_on(cadre, meeting.cell_id, day):
        raise VisitError(_("You were not assigned to this cell on the day of the meeting."))
    if meeting.state in (MeetingState.CANCELLED, MeetingState.POSTPONED):
        raise VisitError(
            _("This meeting is %(state)s: there is no visit to record.")
            % {"state": meeting.get_state_display()}
        )
    if meeting.state != MeetingState.HELD and meeting.scheduled_at > timezone.now():
        raise VisitError(_("The meeting has not taken place yet."))


@transaction.atomic
@figures.changes(figures.VISITS)
def record_visit(
    *, meeting: Meeting, cadre: Member, attended: bool, reported: str, heard: str, by
) -> CadreVisit:
    """Create or update the cadre's own visit to `meeting`."""
    check_visit_allowed(meeting=meeting, cadre=cadre)
    visit, _created = CadreVisit.objects.select_for_update().get_or_create(
        meeting=meeting,
        cadre=cadre,
        defaults={"attended": attended, "reported": reported, "heard": heard, "updated_by": by},
    )
    if not _created:
        visit.attended, visit.reported, visit.heard, visit.updated_by = (
            attended,
            reported,
            heard,
            by,
        )
        visit.save(update_fields=["attended", "reported", "heard", "updated_by", "updated_at"])
    return visit
