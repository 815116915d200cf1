"""Writing a meeting's attendance: members, temporary members, cadres, guests."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from chibo import figures

from .. import rules
from ..models import Attendance, AttendanceStatus, CadreVisit, Guest, Meeting
from ..selectors.attendance import attendance_sheet
from ..selectors.minutes_facts import attendance_locked, minutes_chain


class AttendanceError(ValueError):
    """Attendance the rules do not accept; `messages` says why, one per line."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Entry:
    member_id: int
    status: str
    reason: str = ""


@transaction.atomic
@figures.changes(figures.MEETINGS, figures.VISITS)
def save_attendance(
    *,
    meeting: Meeting,
    members: list[Entry],
    temporary: list[Entry] = (),
    cadres: dict[int, bool] | None = None,
    guests: list[tuple[str, str]] = (),
    by,
) -> None:
    """Record everyone's attendance in one go (a fixed number of queries).

    Every member on the roll on the meeting date gets exactly one status;
    only exempted members may be "exempt"; an absence with reason needs the
    reason; members in temporary attendance must be listed for this cell.
    Refused once the meeting's minutes are final (amend them first).
    """
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    if attendance_locked(minutes_chain(meeting)):
        raise AttendanceError(
            [_("The minutes of this meeting are final: amend them to correct the attendance.")]
        )
    sheet = attendance_sheet(meeting)
    rows = {row.member.pk: row for row in sheet.members}
    temporary_rows = {row.member.pk: row for row in sheet.temporary}
    errors = _check(members, rows, home=True) + _check(temporary, temporary_rows, home=False)
    counts = {}
    for entry in members:
        counts[entry.status] = counts.get(entry.status, 0) + 1
    errors += [f.message for f in rules.attendance_findings(counts=counts, roll=len(rows))]
    if errors:
        raise AttendanceError(errors)

    wanted = {e.member_id: (e, False) for e in members}
    wanted.update({e.member_id: (e, True) for e in temporary})
    _write_attendances(meeting, wanted, by)
    _write_cadre_visits(meeting, sheet, cadres or {}, by)
    meeting.guests.all().delete()
    Guest.objects.bulk_create(
        [Guest(meeting=meeting, name=name, title=title) for name, title in guests if name.strip()]
    )


def _check(entries: list[Entry], rows: dict, *, home: bool) -> list[str]:
    errors, seen = [], set()
    for entry in entries:
        row = rows.get(entry.member_id)
        if row is None or entry.member_id in seen:
            errors.append(_("A member who is not expected at this meeting was listed."))
            continue
        seen.add(entry.member_id)
        name = row.member.full_name
        if entry.status not in AttendanceStatus.values:
            errors.append(_("Choose whether %(name)s was present or absent.") % {"name": name})
        elif entry.status == AttendanceStatus.EXEMPT and not row.is_exempt:
            errors.append(
                _("%(name)s is not exempted from meetings: choose present or absent.")
                % {"name": name}
            )
        elif entry.status == AttendanceStatus.ABSENT_EXCUSED and not entry.reason.strip():
            errors.append(_("Give the reason for %(name)s's absence.") % {"name": name})
    if home:
        missing = [r.member.full_name for pk, r in rows.items() if pk not in seen]
        if missing:
            errors.append(_("Choose an attendance for: %(names)s.") % {"names": ", ".join(missing)})
    return errors


# A note is kept with any status but "present" (late by how much, why absent).
_WITH_REASON = {
    AttendanceStatus.ABSENT_EXCUSED,
    AttendanceStatus.ABSENT_UNEXCUSED,
    AttendanceStatus.LATE,
    AttendanceStatus.EXEMPT,
}


def _write_attendances(meeting, wanted: dict, by) -> None:
    existing = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting)}
    to_create, to_update = [], []
    for member_id, (entry, is_temporary) in wanted.items():
        reason = entry.reason.strip() if entry.status in _WITH_REASON else ""
        current = existing.get(member_id)
        if current is None:
            to_create.append(
                Attendance(
                    meeting=meeting,
                    member_id=member_id,
                    status=entry.status,
                    reason=reason,
                    is_temporary=is_temporary,
                )
            )
        elif (current.status, current.reason, current.is_temporary) != (
            entry.status,
            reason,
            is_temporary,
        ):
            current.status, current.reason, current.is_temporary = (
                entry.status,
                reason,
                is_temporary,
            )
            to_update.append(current)
    stale = [a.pk for member_id, a in existing.items() if member_id not in wanted]
    if stale:
        # Members no longer on the roll (data corrected since): drop their rows.
        Attendance.objects.filter(pk__in=stale).delete()
    if to_create:
        bulk_create_with_history(to_create, Attendance, default_user=by)
    if to_update:
        bulk_update_with_history(
            to_update, Attendance, ["status", "reason", "is_temporary"], default_user=by
        )


def _write_cadre_visits(meeting, sheet, cadres: dict[int, bool], by) -> None:
    """The secretary ticks which assigned cadres came. The row is the one the
    cadre edits too, so only `attended` is touched here."""
    to_create, to_update = [], []
    for row in sheet.cadres:
        attended = bool(cadres.get(row.cadre.pk, False))
        if row.visit is None:
            if attended:
                to_create.append(
                    CadreVisit(meeting=meeting, cadre=row.cadre, attended=True, updated_by=by)
                )
        elif row.visit.attended != attended:
            row.visit.attended, row.visit.updated_by = attended, by
            row.visit.updated_at = timezone.now()
            to_update.append(row.visit)
    if to_create:
        bulk_create_with_history(to_create, CadreVisit, default_user=by)
    if to_update:
        bulk_update_with_history(
            to_update, CadreVisit, ["attended", "updated_by", "updated_at"], default_user=by
        )
