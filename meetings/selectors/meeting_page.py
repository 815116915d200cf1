"""Reads behind a meeting's page: the roll on the meeting date, attendance,
cadres and guests, the minutes and the tasks carried over from earlier months.

The access check happens before these (views use chibo.access). Every
function runs a fixed number of queries whatever the size of the cell.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone

from members.models import Member, TemporaryAttendance, Transfer

from .. import rules
from ..models import (
    Assignment,
    Attendance,
    AttendanceStatus,
    CadreVisit,
    Meeting,
    Minutes,
    MinutesState,
    ResolutionTask,
    TaskStatus,
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
    candidates = (
        Member.objects.filter(
            Q(cell_id=cell_id)
            | Q(transfers__from_cell_id=cell_id)
            | Q(transfers__to_cell_id=cell_id)
        )
        .distinct()
        .select_related("cell")
        .prefetch_related(
            Prefetch("transfers", queryset=Transfer.objects.order_by("date", "id"), to_attr="moves")
        )
    )
    return [m for m in candidates if _cell_on(m, on) == cell_id and rules.is_on_roll_on(m, on)]


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


def attendance_sheet(meeting: Meeting) -> AttendanceSheet:
    """The roll with each member's attendance, members of other cells in
    temporary attendance here, the cadres assigned on that date (with their
    visit) and the free guests: seven queries."""
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


def minutes_chain(meeting: Meeting) -> list[Minutes]:
    """The meeting's minutes: the original first, then each amendment."""
    chain = list(
        Minutes.objects.filter(meeting=meeting)
        .select_related("chair", "minute_taker", "finalized_by", "updated_by")
        .order_by("id")
    )
    for minutes in chain:
        minutes.meeting = meeting
    return chain


def current_minutes(chain: list[Minutes]) -> Minutes | None:
    """The one in force (or being written): the last of the chain."""
    return chain[-1] if chain else None


def minutes_facts(minutes: Minutes, sheet: AttendanceSheet) -> rules.MinutesFacts:
    figures = sheet.figures
    return rules.MinutesFacts(
        has_thematic_part=minutes.meeting.has_thematic_part,
        started_at=minutes.started_at,
        ended_at=minutes.ended_at,
        chair_set=minutes.chair_id is not None,
        minute_taker_set=minutes.minute_taker_id is not None,
        has_resolution=has_resolution(minutes),
        votes_for=minutes.votes_for,
        votes_against=minutes.votes_against,
        votes_abstain=minutes.votes_abstain,
        read_back_adopted=minutes.read_back_adopted,
        roll=figures.total,
        official_members=figures.voting_base,
        official_present=figures.voters_present,
        attendance_counts={k: v for k, v in sheet.counts.items() if v},
    )


def has_resolution(minutes: Minutes, tasks: list | None = None) -> bool:
    """A resolution is its text or its tasks (`tasks` when already read):
    then, and only then, a vote is taken on it."""
    if minutes.resolution.strip():
        return True
    return bool(tasks) if tasks is not None else _has_tasks(minutes)


def _has_tasks(minutes: Minutes) -> bool:
    cached = getattr(minutes, "_prefetched_objects_cache", {}).get("tasks")
    if cached is not None:
        return bool(cached)
    return minutes.tasks.exists()


def carried_over_tasks(minutes: Minutes):
    """Tasks of the cell's earlier final minutes still open, plus those this
    meeting has already assessed (so a marked task stays on the page).
    Tasks of minutes replaced by a final amendment are left out: the
    amendment carries its own copy."""
    meeting = minutes.meeting
    return (
        ResolutionTask.objects.filter(
            cell_id=meeting.cell_id,
            minutes__state=MinutesState.FINAL,
            minutes__meeting__scheduled_at__lt=meeting.scheduled_at,
        )
        .exclude(minutes__amendment__state=MinutesState.FINAL)
        .filter(Q(status=TaskStatus.OPEN) | Q(assessed_in__meeting_id=meeting.pk))
        .select_related("assignee", "minutes__meeting")
        .order_by("due_on", "id")
    )


def open_tasks_of_cell(cell_id: int, *, before: datetime.datetime):
    """Open tasks of a cell's final minutes held before a moment."""
    return (
        ResolutionTask.objects.filter(
            cell_id=cell_id,
            status=TaskStatus.OPEN,
            minutes__state=MinutesState.FINAL,
            minutes__meeting__scheduled_at__lt=before,
        )
        .exclude(minutes__amendment__state=MinutesState.FINAL)
        .select_related("assignee")
    )


def meeting_page(meeting: Meeting, *, may_edit: bool) -> dict:
    """Everything the meeting's hub page shows, in a fixed number of queries."""
    sheet = attendance_sheet(meeting)
    chain = minutes_chain(meeting)
    current = current_minutes(chain)
    findings, speeches, tasks, assessed = [], [], [], []
    if current is not None:
        speeches = list(current.speeches.select_related("member"))
        tasks = list(current.tasks.select_related("assignee"))
        current._prefetched_objects_cache = {"tasks": tasks}
        assessed = list(carried_over_tasks(current))
        if not current.is_final:
            findings = rules.draft_findings(minutes_facts(current, sheet))
    duration = rules.duration_minutes(current.started_at, current.ended_at) if current else None
    return {
        "meeting": meeting,
        "sheet": sheet,
        "summary": sheet.summary(),
        "chain": chain,
        "minutes": current,
        "speeches": speeches,
        "tasks": tasks,
        "assessed_tasks": assessed,
        "findings": findings,
        "stored_warnings": _stored_warnings(current),
        "duration": duration,
        "adopted": current is not None
        and rules.resolution_adopted(
            votes_for=current.votes_for, official_members=sheet.official_members
        ),
        "majority_needed": rules.majority_needed(sheet.official_members),
        "may_edit": may_edit,
        "attendance_locked": attendance_locked(chain),
    }


def _stored_warnings(minutes: Minutes | None) -> list[str]:
    if minutes is None or not minutes.snapshot:
        return []
    return [rules.describe_stored(w) for w in minutes.snapshot.get("warnings", [])]


def attendance_locked(chain: list[Minutes]) -> bool:
    """Attendance is part of what final minutes printed: it changes only
    while no minutes are final or through a draft amendment."""
    current = current_minutes(chain)
    return current is not None and current.is_final


# History ---------------------------------------------------------------------

HISTORY_HIDDEN = {
    "version",
    "updated_at",
    "updated_by",
    "pdf_sha256",
    "order",
    "cell",
    "minutes",
    "meeting",
    # Links the services keep between minutes, not something anyone typed.
    "amends",
    "assessed_in",
}


@dataclass
class HistoryEntry:
    at: datetime.datetime
    user: object
    subject: str
    kind: str  # "+" created, "~" changed, "-" removed
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # label, old, new


def minutes_history(minutes: Minutes) -> list[HistoryEntry]:
    """Every saved change of the minutes, their speeches and tasks: who, when,
    what (field, before, after), newest first. Four queries, and one per kind
    of record the changes point at (members, users)."""
    from django.utils.translation import gettext as _

    from ..models import Speech

    groups = [
        (_("Minutes"), minutes.history.all()),
        (_("Speech"), Speech.history.filter(minutes_id=minutes.pk)),
        (_("Task"), ResolutionTask.history.filter(minutes_id=minutes.pk)),
    ]
    raw = []
    for subject, queryset in groups:
        previous = {}
        for record in queryset.select_related("history_user").order_by(
            "history_date", "history_id"
        ):
            before = previous.get(record.id)
            changes = []
            if before is not None:
                delta = record.diff_against(before, excluded_fields=HISTORY_HIDDEN)
                changes = [(c.field, c.old, c.new) for c in delta.changes]
            elif record.history_type == "+":
                changes = [
                    (f.name, None, getattr(record, f.attname))
                    for f in _tracked(record)
                    if getattr(record, f.attname) not in (None, "", False)
                ]
            previous[record.id] = record
            raw.append((subject, record, changes))
    names = _related_names(raw)
    entries = []
    for subject, record, changes in raw:
        fields = [record.instance_type._meta.get_field(name) for name, _old, _new in changes]
        entries.append(
            HistoryEntry(
                at=record.history_date,
                user=record.history_user,
                subject=subject,
                kind=record.history_type,
                changes=[
                    (str(f.verbose_name), _shown(f, old, names), _shown(f, new, names))
                    for f, (_name, old, new) in zip(fields, changes, strict=True)
                ],
            )
        )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


def _tracked(record) -> list:
    return [
        f for f in record.tracked_fields if f.editable and f.name not in HISTORY_HIDDEN | {"id"}
    ]


def display_name(obj) -> str:
    """How a person or record is named on a page: a user by full name (or
    username), a member by full name, anything else by its own text."""
    if hasattr(obj, "get_full_name"):
        return obj.get_full_name() or obj.get_username()
    return getattr(obj, "full_name", None) or str(obj)


def _related_names(raw) -> dict[tuple[type, int], str]:
    """The names of every record a change points at (members, users): one
    query per kind of record, so the history never shows a bare id."""
    wanted: dict[type, set] = {}
    for _subject, record, changes in raw:
        for name, old, new in changes:
            f = record.instance_type._meta.get_field(name)
            if f.many_to_one or f.one_to_one:
                wanted.setdefault(f.related_model, set()).update(v for v in (old, new) if v)
    return {
        (model, obj.pk): display_name(obj)
        for model, ids in wanted.items()
        for obj in model._default_manager.filter(pk__in=ids)
    }


def _shown(f, value, names: dict[tuple[type, int], str]) -> str:
    """A recorded value as the page shows it: names for links, the choice's
    label for a coded value, dates as dd/mm/yyyy."""
    from django.utils.translation import gettext as _

    if value in (None, ""):
        return "—"
    if f.many_to_one or f.one_to_one:
        return names.get((f.related_model, value), _("(deleted)"))
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    text = str(value)
    return text if len(text) <= 300 else text[:300] + "…"
