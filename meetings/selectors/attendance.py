"""Who a meeting expects and who came: the roll on the meeting date, the
attendance marks, the assigned cadres and the guests (one AttendanceSheet).

The access check happens before these (views use chibo.access). Every
function runs a fixed number of queries whatever the size of the cell.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, F, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from members.models import Member, TemporaryAttendance, Transfer

from .. import rules
from ..models import (
    Assignment,
    Attendance,
    AttendanceStatus,
    CadreVisit,
    Meeting,
)

ABSENT = (AttendanceStatus.ABSENT_EXCUSED, AttendanceStatus.ABSENT_UNEXCUSED)


def meeting_date(meeting: Meeting) -> datetime.date:
    """The day a meeting is held: the roll, the term and the numbering use it.
    (A meeting held on another day is rescheduled first.)"""
    return timezone.localdate(meeting.scheduled_at)


def roll_on(cell_id: int, on: datetime.date) -> list[Member]:
    """Members whose home cell on `on` was this cell and who were on the roll
    then: today's members, minus those who came later, plus those who have
    moved away since (two queries)."""
    # The transfers as a list computed once (`in_array`, chibo.access), not a
    # join: the OR then stays two index lookups instead of a scan of every
    # member of the province.
    moved = Transfer.objects.filter(Q(from_cell_id=cell_id) | Q(to_cell_id=cell_id))
    candidates = (
        Member.objects.filter(Q(cell_id=cell_id) | Q(pk__in_array=moved.values("member_id")))
        .select_related("cell")
        .prefetch_related(
            Prefetch("transfers", queryset=Transfer.objects.order_by("date", "id"), to_attr="moves")
        )
    )
    return [m for m in candidates if _cell_on(m, on) == cell_id and rules.is_on_roll_on(m, on)]


def people_among(meeting: Meeting, ids) -> set[int]:
    """The members among `ids` whom the minutes may name (chair, minute-taker,
    speakers, assignees): on the meeting's roll or in temporary attendance
    there, as `attendance_sheet` lists them, in one query. The autosave
    checks with it only the people a post names anew."""
    ids = set(ids)
    if not ids:
        return set()
    on = meeting_date(meeting)
    cell_id = meeting.cell_id
    # _cell_on in SQL: the first transfer after `on` tells where they were.
    later_move = (
        Transfer.objects.filter(member_id=OuterRef("pk"), date__gt=on)
        .order_by("date", "id")
        .values("from_cell_id")[:1]
    )
    stays = TemporaryAttendance.objects.current(on).filter(
        host_cell_id=cell_id, member_id=OuterRef("pk")
    )
    recorded = Attendance.objects.filter(
        meeting_id=meeting.pk, member_id=OuterRef("pk"), is_temporary=True
    )
    members = Member.objects.filter(pk__in=ids).annotate(
        home=Coalesce(Subquery(later_move), F("cell_id"), output_field=IntegerField()),
        visiting=Exists(stays) | Exists(recorded),
    )
    return {
        m.pk
        for m in members.only("pk", "cell_id", "joined_on", "left_on")
        if m.visiting or (m.home == cell_id and rules.is_on_roll_on(m, on))
    }


def _cell_on(member: Member, on: datetime.date) -> int:
    # A transfer takes effect on its date; the first one after `on` tells
    # where the member was before it.
    for move in member.moves:
        if move.date > on:
            return move.from_cell_id
    return member.cell_id


@dataclass
class AttendanceRow:
    member: Member
    attendance: Attendance | None
    is_official: bool
    is_exempt: bool
    is_temporary: bool = False

    @property
    def status(self) -> str:
        if self.attendance is not None:
            return self.attendance.status
        return AttendanceStatus.EXEMPT if self.is_exempt else ""

    @property
    def reason(self) -> str:
        return self.attendance.reason if self.attendance else ""


@dataclass
class CadreRow:
    cadre: Member
    visit: CadreVisit | None

    @property
    def attended(self) -> bool:
        return bool(self.visit and self.visit.attended)


@dataclass
class AttendanceSheet:
    """Everyone a meeting concerns, on its date."""

    meeting: Meeting
    on: datetime.date
    members: list[AttendanceRow] = field(default_factory=list)
    temporary: list[AttendanceRow] = field(default_factory=list)
    cadres: list[CadreRow] = field(default_factory=list)
    guests: list = field(default_factory=list)

    @property
    def is_taken(self) -> bool:
        return any(row.attendance is not None for row in self.members + self.temporary)

    @property
    def counts(self) -> dict[str, int]:
        """Home members per recorded status (the rule: they add up to the roll)."""
        counts = dict.fromkeys(AttendanceStatus.values, 0)
        for row in self.members:
            if row.attendance is not None:
                counts[row.attendance.status] += 1
        return counts

    @property
    def figures(self) -> rules.RollCount:
        """The attendance figures (rules.count_roll), the same wherever shown."""
        return rules.count_roll(self.members, self.temporary)

    @property
    def roll(self) -> int:
        return len(self.members)

    @property
    def official_members(self) -> int:
        """The base of the majority (rules.RollCount.voting_base)."""
        return self.figures.voting_base

    @property
    def official_present(self) -> int:
        return self.figures.voters_present

    @property
    def cadres_present(self) -> int:
        return sum(1 for row in self.cadres if row.attended)

    @property
    def guest_names(self) -> list[str]:
        """Who attended from outside the cell: the cadres who came, then the guests."""
        return [row.cadre.full_name for row in self.cadres if row.attended] + [
            guest.name for guest in self.guests
        ]

    def summary(self) -> dict:
        figures = self.figures
        return {
            "roll": figures.total,
            "expected": figures.expected,
            "present": figures.present,
            "late": figures.late,
            "absent_excused": figures.absent_excused,
            "absent_unexcused": figures.absent_unexcused,
            "exempt": figures.exempt,
            "exempt_present": figures.exempt_present,
            "official": figures.official,
            "probationary": figures.probationary,
            "official_members": figures.voting_base,
            "official_present": figures.voters_present,
            "temporary_present": figures.temporary_present,
            "cadres": len(self.cadres),  # the cadres the page lists, present or not
            "cadres_present": self.cadres_present,
            "guests": len(self.guests),
        }


def attendance_sheet(meeting: Meeting, *, visitors: bool = True) -> AttendanceSheet:
    """The roll with each member's attendance, members of other cells in
    temporary attendance here, the cadres assigned on that date (with their
    visit) and the free guests: seven queries. Without `visitors` (the
    cadres and guests, which the minutes editor's checks do not read): four."""
    on = meeting_date(meeting)
    recorded = {
        a.member_id: a
        for a in Attendance.objects.filter(meeting=meeting).select_related("member__cell")
    }
    sheet = AttendanceSheet(meeting=meeting, on=on)
    for member in roll_on(meeting.cell_id, on):
        sheet.members.append(
            AttendanceRow(
                member=member,
                attendance=recorded.get(member.pk),
                is_official=rules.is_official_on(member, on),
                is_exempt=rules.is_exempt_on(member, on),
            )
        )
    home = {row.member.pk for row in sheet.members}
    stays = TemporaryAttendance.objects.current(on).filter(host_cell_id=meeting.cell_id)
    guests_from_elsewhere = {
        stay.member_id: stay.member
        for stay in stays.select_related("member__cell").order_by("member__search_name")
    }
    # Someone recorded here while their stay was current stays listed.
    for member_id, attendance in recorded.items():
        if attendance.is_temporary and member_id not in guests_from_elsewhere:
            guests_from_elsewhere[member_id] = attendance.member
    for member_id, member in guests_from_elsewhere.items():
        if member_id in home:
            continue
        sheet.temporary.append(
            AttendanceRow(
                member=member,
                attendance=recorded.get(member_id),
                is_official=rules.is_official_on(member, on),
                is_exempt=False,
                is_temporary=True,
            )
        )
    if visitors:
        sheet.cadres = _cadre_rows(meeting, on)
        sheet.guests = list(meeting.guests.order_by("id"))
    return sheet


def _cadre_rows(meeting: Meeting, on: datetime.date) -> list[CadreRow]:
    visits = {
        v.cadre_id: v for v in CadreVisit.objects.filter(meeting=meeting).select_related("cadre")
    }
    cadres = {
        a.cadre_id: a.cadre
        for a in Assignment.objects.current(on)
        .filter(cell_id=meeting.cell_id)
        .select_related("cadre")
        .order_by("cadre__search_name")
    }
    for cadre_id, visit in visits.items():
        cadres.setdefault(cadre_id, visit.cadre)
    return [CadreRow(cadre=c, visit=visits.get(pk)) for pk, c in cadres.items()]


# Minutes -------------------------------------------------------------------
