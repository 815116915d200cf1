"""Demo meetings: a year of cell life in Sơn La and Hà Tĩnh.

The named cells (bản Lếch, tiểu khu Cò Nòi, bản Đông Sàn, bản Cang Mường,
thôn Hoa Ích Lâm) get their regular meetings for the twelve months up to
this one, on their schedule, and next month's planned. Past meetings are
mostly held: attendance taken, final minutes written in the order of a
regular meeting and finalized through the minutes service (numbered,
snapshot, archived PDF), last month's tasks assessed. A few meetings are
postponed or cancelled; bản Lếch, the demo secretary's cell, has exactly
one draft in progress. Thematic meetings come once a quarter, except in
tiểu khu Cò Nòi this quarter, so the staff dashboard shows a gap. Assigned
cadres visit some meetings (some meet their yearly quota, some are behind).

Hương Khê town's 25 cells are kept light for speed: the last three months,
held, attendance taken, minutes for some only ("minutes missing").

Everything goes through the meetings services, so the data obeys the rules
the pages enforce. Regular meetings are keyed by (cell, month), thematic
ones by (cell, date): a second run creates nothing. A meeting found without
attendance or minutes (an older feedback step made it) is completed when
its month's story says it was held; any other existing meeting, and
anything already recorded, is left as it is.

The story (which cells, which months, which topics) is data in
chibo/demo/stories/; the minutes' text is composed by minutes_writer.py;
this module plays the story through the services.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from chibo.models import Organization
from meetings import calendar, rules
from meetings.models import (
    AttendanceStatus,
    CadreVisit,
    Meeting,
    MeetingKind,
    MeetingState,
    Minutes,
    MinutesState,
    ResolutionTask,
)
from meetings.selectors.attendance import attendance_sheet
from meetings.selectors.schedule import local_midnight, thematic_q
from meetings.services.attendance import Entry, save_attendance
from meetings.services.finalize import archive_minutes_pdf, finalize_minutes
from meetings.services.minutes import save_minutes, start_minutes
from meetings.services.planning import (
    cancel_meeting,
    create_meeting,
    holidays_between,
    move_meeting,
    postpone_meeting,
    regular_meeting_at,
)
from meetings.services.visits import record_visit
from members.models import Member, PositionKind

from .base import Demo
from .minutes_writer import Writer
from .organizations import HUONG_KHE_TOWN, demo_organizations
from .places import Place, place_of, position_holder, reported, roll_figures, theme_of
from .stories.meetings import (
    CANCELLED,
    CELLS,
    DRAFT_CELL,
    HELD_WITHOUT_MINUTES,
    MISSED_RECORDED_AFTER_DAYS,
    MONTHS,
    NO_THEMATIC_THIS_QUARTER,
    POLICE_GUESTS,
    POSTPONED,
    THEMATIC_DAY,
    THEMATIC_PART_CELLS,
    THEMES,
    TOWN_MINUTES_SHARE,
    TOWN_MONTHS,
    VISITS,
)
from .stories.minutes import ABSENT_REASONS, AWAY_REASONS, HEARD, LATE_REASONS, TOWN_LATE_REASONS

# The plan of each meeting ---------------------------------------------------------


@dataclass
class Plan:
    """What happened at one meeting, decided before any of it is written."""

    outcome: str  # final | draft | held (no minutes yet) | planned | postponed | cancelled
    reason: str = ""
    moved_days: int | None = None  # postponed, then held so many days later
    visits: list = field(default_factory=list)  # cadre Members who attended
    away: dict = field(default_factory=dict)  # member id -> reason: at another cell tonight
    light: bool = False  # a town cell: shorter minutes


@dataclass
class Context:
    demo: Demo
    holidays: set
    by_cell: dict  # cell code -> the user who writes its records (or None)
    cadre_users: dict  # cadre member id -> user
    last_resolution: dict = field(default_factory=dict)  # cell id -> period of last final minutes

    @property
    def today(self) -> datetime.date:
        return self.demo.today


def build(demo: Demo) -> None:
    today = demo.today
    first = calendar.add_months(calendar.first_of_month(today), -(MONTHS - 1))
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["secretary"])}
    cadre_users = {
        m.pk: m.user
        for m in Member.objects.filter(user__isnull=False).select_related("user")
        if m.user.username == "cadre"
    }
    ctx = Context(
        demo=demo,
        holidays=holidays_between(first, calendar.add_months(today, 3)),
        by_cell={DRAFT_CELL: users.get("secretary")},
        cadre_users=cadre_users,
    )
    visits, away = _visit_plan(ctx)
    events = []
    for index, code in enumerate(CELLS):
        events += _cell_year(ctx, demo.org(code), index, visits, away)
    town = demo.org(HUONG_KHE_TOWN)
    cells = Organization.objects.get_children(town).cells().active(today).order_by("code")
    for cell in cells:
        events += _town_months(ctx, cell)
    # One timeline across cells (the sort is stable: a cell's own order holds),
    # so that what happens beside the meetings (the feedback stories, which
    # cross cells) happens in date order too.
    for at, meeting, plan, new, place in sorted(events, key=lambda e: e[0]):
        demo.until(at)
        _play(ctx, meeting, plan, new, place)
    _missed_visits(ctx)


def _period(ctx: Context, back: int) -> datetime.date:
    return calendar.add_months(calendar.first_of_month(ctx.today), -back)


def _visit_plan(ctx: Context) -> tuple[dict, dict]:
    """Who visits which meeting, and who is therefore away from their own
    cell's meeting that evening (Mai Sơn's cells all meet on the 24th)."""
    visits: dict[tuple, list] = {}
    away: dict[tuple, dict] = {}
    cells = {code: ctx.demo.org(code) for code in CELLS}
    for tag, code, back in VISITS:
        cadre = ctx.demo.member(tag)
        period = _period(ctx, back)
        cell = cells[code]
        visits.setdefault((cell.pk, period), []).append(cadre)
        home = cadre.cell
        if home.pk != cell.pk and home.is_cell:
            there = regular_meeting_at(cell, period, ctx.holidays)
            if regular_meeting_at(home, period, ctx.holidays) == there:
                reason = f"Dự sinh hoạt với {cell.name} theo phân công của cấp ủy"
                away.setdefault((home.pk, period), {})[cadre.pk] = reason
    return visits, away


# The named cells: a year -------------------------------------------------------------


def _cell_year(ctx: Context, cell: Organization, index: int, visits: dict, away: dict) -> list:
    place = place_of(cell)
    postponed = {(c, b): (r, d) for c, b, r, d in POSTPONED}
    cancelled = {(c, b): r for c, b, r in CANCELLED}
    draft_back = _draft_back(ctx, cell) if cell.code == DRAFT_CELL else None
    thematic = _thematic_plan(ctx, cell, index, cancelled)
    events = []
    for back in range(MONTHS - 1, -2, -1):  # next month too, planned
        period = _period(ctx, back)
        topic = thematic.get(period, "") if cell.code in THEMATIC_PART_CELLS else ""
        meeting, new = _regular(ctx, cell, period, topic)
        day = timezone.localdate(meeting.scheduled_at)
        plan = Plan(outcome="final")
        if (cell.code, back) in cancelled:
            plan = Plan(outcome="cancelled", reason=cancelled[cell.code, back])
        elif (cell.code, back) in postponed:
            reason, moved = postponed[cell.code, back]
            plan = Plan(outcome="postponed", reason=reason, moved_days=moved)
        elif day >= ctx.today:
            plan = Plan(outcome="planned")
        elif back == draft_back:
            plan.outcome = "draft"
        elif (cell.code, back) in HELD_WITHOUT_MINUTES:
            plan.outcome = "held"
        if plan.outcome in ("final", "draft", "held", "postponed"):
            plan.visits = visits.get((cell.pk, period), [])
            plan.away = away.get((cell.pk, period), {})
        events.append((meeting.scheduled_at, meeting, plan, new, place))
    if cell.code not in THEMATIC_PART_CELLS:
        for period, topic in thematic.items():
            events.append(_thematic_meeting(ctx, cell, period, topic, place))
    return sorted(events, key=lambda e: e[0])


def _draft_back(ctx: Context, cell: Organization) -> int:
    """This month's meeting when it has taken place, else last month's."""
    this_month = regular_meeting_at(cell, _period(ctx, 0), ctx.holidays)
    return 0 if timezone.localdate(this_month) < ctx.today else 1


def _regular(ctx: Context, cell, period, topic: str) -> tuple[Meeting, bool]:
    meeting = Meeting.objects.filter(cell=cell, kind=MeetingKind.REGULAR, period=period).first()
    if meeting is not None:
        return meeting, False
    # The planning service's calendar rule (holidays move the day); created
    # one by one rather than by plan_month, which plans every cell at once.
    meeting = Meeting.objects.create(
        cell=cell,
        kind=MeetingKind.REGULAR,
        period=period,
        scheduled_at=regular_meeting_at(cell, period, ctx.holidays),
        place=cell.meeting_place,
        topic=topic,
        has_thematic_part=bool(topic),
    )
    ctx.demo.created["meetings"] += 1
    return meeting, True


def _thematic_plan(ctx: Context, cell: Organization, index: int, cancelled: dict) -> dict:
    """Month -> topic: one thematic meeting per quarter of the year shown,
    none this quarter in NO_THEMATIC_THIS_QUARTER."""
    region = place_of(cell).region
    themes = [t for t in THEMES if region in t.regions]
    quarters: dict[tuple, list] = {}
    for back in range(MONTHS - 1, -1, -1):
        period = _period(ctx, back)
        if (cell.code, back) not in cancelled:
            quarters.setdefault(calendar.quarter_of(period), []).append(period)
    plan = {}
    current = calendar.quarter_of(ctx.today)
    for number, (quarter, months) in enumerate(sorted(quarters.items())):
        if quarter == current and cell.code == NO_THEMATIC_THIS_QUARTER:
            continue
        period = months[(index + number) % len(months)]
        plan[period] = themes[(index + 2 * number) % len(themes)].topic
    return plan


def _thematic_meeting(ctx: Context, cell, period, topic: str, place: Place) -> tuple:
    day = calendar.meeting_day(period, day=THEMATIC_DAY, holidays=ctx.holidays)
    at = timezone.make_aware(datetime.datetime.combine(day, cell.meeting_time))
    meeting = Meeting.objects.filter(
        cell=cell,
        kind=MeetingKind.THEMATIC,
        scheduled_at__gte=local_midnight(day),
        scheduled_at__lt=local_midnight(day + datetime.timedelta(days=1)),
    ).first()
    new = meeting is None
    if new:
        meeting = create_meeting(
            cell=cell, kind=MeetingKind.THEMATIC, scheduled_at=at, topic=topic, by=None
        )
        ctx.demo.created["meetings"] += 1
    plan = Plan(outcome="final" if day < ctx.today else "planned")
    return (meeting.scheduled_at, meeting, plan, new, place)


def _play(ctx: Context, meeting: Meeting, plan: Plan, new: bool, place: Place) -> None:
    """Walk one meeting through its story, through the services."""
    if not new:
        # Complete only a meeting nobody has recorded anything for (the
        # feedback step, or an older run of this one, made it).
        untouched = (
            meeting.state in (MeetingState.PLANNED, MeetingState.HELD)
            and not meeting.minutes.exists()
            and not meeting.attendances.exists()
        )
        if not untouched or plan.outcome not in ("final", "draft", "held"):
            return
    if plan.outcome == "planned":
        return
    if plan.outcome == "cancelled":
        cancel_meeting(meeting=meeting, reason=plan.reason, by=None)
        return
    if plan.outcome == "postponed":
        meeting = postpone_meeting(meeting=meeting, reason=plan.reason, by=None)
        if plan.moved_days is None:
            return
        moved = meeting.scheduled_at + datetime.timedelta(days=plan.moved_days)
        if timezone.localdate(moved) >= ctx.today:
            return
        meeting = move_meeting(
            meeting=meeting,
            scheduled_at=moved,
            reason=f"Tổ chức lại sau khi hoãn: {plan.reason[0].lower()}{plan.reason[1:]}",
            by=None,
        )
        plan.outcome = "final"
    by = ctx.by_cell.get(meeting.cell.code)
    # Seeded by what the meeting is, not by its id: the same story on any database.
    day = timezone.localdate(meeting.scheduled_at)
    rng = random.Random(f"chibo-demo-meeting:{meeting.cell.code}:{meeting.kind}:{day}")
    sheet, statuses = _take_attendance(ctx, meeting, plan, place, rng, by)
    # While the meeting is held, before its minutes are final: the answers
    # read back there go into them.
    ctx.demo.during(meeting)
    if plan.outcome == "held":
        meeting.state = MeetingState.HELD
        meeting.save(update_fields=["state"])
        return
    minutes = start_minutes(meeting=meeting, by=by)
    writer = Writer(ctx, meeting, minutes, sheet, statuses, plan, place, rng)
    content, speeches, tasks, assessments = writer.write(final=plan.outcome == "final")
    minutes = save_minutes(
        minutes=minutes,
        version=minutes.version,
        content=content,
        speeches=speeches,
        tasks=tasks,
        assessments=assessments,
        by=by,
    )
    ctx.demo.created["resolution tasks"] += len(tasks)
    if plan.outcome == "final":
        finalize_minutes(minutes=minutes, by=by)
        # The demo is built in one transaction: archive now rather than on commit.
        archive_minutes_pdf(minutes_id=minutes.pk)
        ctx.demo.created["final minutes"] += 1
        if meeting.kind == MeetingKind.REGULAR:
            ctx.last_resolution[meeting.cell_id] = meeting.period
    else:
        ctx.demo.created["draft minutes"] += 1


# Attendance and visits -----------------------------------------------------------------


def _take_attendance(ctx, meeting: Meeting, plan: Plan, place: Place, rng, by):
    """Most present, a few late, members away for work absent with reason,
    exempted members exempt; at least more than half of the official,
    non-exempted members there to vote."""
    sheet = attendance_sheet(meeting)
    on = sheet.on
    secretary = position_holder(meeting.cell_id, on, PositionKind.SECRETARY)
    month = meeting.period.month
    statuses: dict[int, tuple[str, str]] = {}
    for row in sorted(sheet.members, key=lambda r: (r.member.search_name, r.member.birth_date)):
        member = row.member
        roll = rng.random()
        if member.pk in plan.away:
            statuses[member.pk] = (AttendanceStatus.ABSENT_EXCUSED, plan.away[member.pk])
        elif row.is_exempt:
            # Exempted members are not expected; now and then one still comes.
            if roll < 0.04:
                statuses[member.pk] = (AttendanceStatus.PRESENT, "")
            else:
                statuses[member.pk] = (AttendanceStatus.EXEMPT, member.exempt_reason)
        elif member.pk == secretary:
            statuses[member.pk] = (AttendanceStatus.PRESENT, "")
        elif member.is_away_for_work:
            home_for_tet = month in (1, 2) and roll < 0.7
            statuses[member.pk] = (
                (AttendanceStatus.PRESENT, "")
                if home_for_tet
                else (AttendanceStatus.ABSENT_EXCUSED, rng.choice(AWAY_REASONS))
            )
        elif roll < 0.84:
            statuses[member.pk] = (AttendanceStatus.PRESENT, "")
        elif roll < 0.91:
            reasons = TOWN_LATE_REASONS if place.town else LATE_REASONS
            statuses[member.pk] = (AttendanceStatus.LATE, rng.choice(reasons))
        elif roll < 0.985:
            statuses[member.pk] = (AttendanceStatus.ABSENT_EXCUSED, rng.choice(ABSENT_REASONS))
        else:
            statuses[member.pk] = (AttendanceStatus.ABSENT_UNEXCUSED, "")
    _ensure_majority(sheet, statuses, plan)
    save_attendance(
        meeting=meeting,
        members=[Entry(pk, status, reason) for pk, (status, reason) in statuses.items()],
        cadres={cadre.pk: True for cadre in plan.visits},
        guests=_guests(meeting, place),
        by=by,
    )
    for cadre in plan.visits:
        record_visit(
            meeting=meeting,
            cadre=cadre,
            attended=True,
            reported=reported(cadre, meeting),
            heard=rng.choice(HEARD),
            by=ctx.cadre_users.get(cadre.pk),
        )
        ctx.demo.created["cadre visits"] += 1
    return sheet, statuses


def _ensure_majority(sheet, statuses: dict, plan: Plan) -> None:
    for row in sheet.members:
        figures = roll_figures(sheet, statuses)
        # One over the bare majority, so that an abstention still lets it pass.
        if 2 * figures.voters_present > figures.voting_base + 1:
            return
        status = statuses[row.member.pk][0]
        if (
            row.is_official
            and not row.is_exempt
            and not rules.is_attending(status)
            and row.member.pk not in plan.away
        ):
            statuses[row.member.pk] = (AttendanceStatus.PRESENT, "")


def _guests(meeting: Meeting, place: Place) -> list[tuple[str, str]]:
    theme = theme_of(meeting.topic)
    if theme is None or theme.reporter != "police":
        return []
    name, title = POLICE_GUESTS["son_la" if place.region == "son_la" else "ha_tinh"]
    return [(name, place.fill(title))]


def _missed_visits(ctx: Context) -> None:
    """The demo cadre records that she did not attend the older meetings of
    her cells she missed; recent ones wait on her page."""
    for cadre_id, user in ctx.cadre_users.items():
        cadre = Member.objects.get(pk=cadre_id)
        cutoff = local_midnight(ctx.today - datetime.timedelta(days=MISSED_RECORDED_AFTER_DAYS))
        start = local_midnight(_period(ctx, MONTHS - 1))
        cells = cadre.assignments.values_list("cell_id", flat=True)
        missed = (
            Meeting.objects.filter(
                cell_id__in=cells,
                state=MeetingState.HELD,
                scheduled_at__gte=start,
                scheduled_at__lt=cutoff,
            )
            .exclude(cadre_visits__cadre=cadre)
            .order_by("scheduled_at")
        )
        for meeting in missed:
            record_visit(
                meeting=meeting, cadre=cadre, attended=False, reported="", heard="", by=user
            )


# Hương Khê town: light ----------------------------------------------------------------


def _town_months(ctx: Context, cell: Organization) -> list:
    place = place_of(cell)
    events = []
    for back in range(TOWN_MONTHS - 1, -1, -1):
        period = _period(ctx, back)
        meeting, new = _regular(ctx, cell, period, "")
        if timezone.localdate(meeting.scheduled_at) >= ctx.today:
            continue
        written = random.Random(f"chibo-demo-town:{cell.code}:{period}").random()
        outcome = "final" if written < TOWN_MINUTES_SHARE[back] else "held"
        plan = Plan(outcome=outcome, light=True)
        events.append((meeting.scheduled_at, meeting, plan, new, place))
    return events


def summary() -> dict[str, int]:
    """Demo meetings now in the database (for seed_demo's output)."""
    meetings = Meeting.objects.filter(cell__in=demo_organizations().cells())
    states = dict(
        meetings.order_by().values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    minutes = Minutes.objects.filter(meeting__in=meetings)
    return {
        "meetings": sum(states.values()),
        "meetings held": states.get(MeetingState.HELD, 0),
        "meetings postponed": states.get(MeetingState.POSTPONED, 0),
        "meetings cancelled": states.get(MeetingState.CANCELLED, 0),
        "thematic meetings": meetings.filter(thematic_q()).count(),
        "final minutes": minutes.filter(state=MinutesState.FINAL).count(),
        "draft minutes": minutes.filter(state=MinutesState.DRAFT).count(),
        "resolution tasks": ResolutionTask.objects.filter(minutes__in=minutes).count(),
        "cadre visits": CadreVisit.objects.filter(Q(meeting__in=meetings), attended=True).count(),
    }
