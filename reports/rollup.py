"""The roll-up of a report: for an organization and a period, the figures of
every cell of its subtree totalled per sub-organization, and the exceptions
an office must act on.

Every figure is aggregated in SQL, grouped by the prefix of the cells' paths
that names the root's child they lie under (a child cell is its own group):
a fixed number of queries whatever the number of cells. The rules are the
meetings' and the feedback's own (took place, minutes unfinished, thematic,
short, overdue), used here as SQL conditions.
"""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, fields

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce, Lag, Substr
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from chibo import access, figures
from chibo.access import Capability
from chibo.models import Organization, OrganizationKind
from feedback.models import FeedbackEvent, FeedbackItem, FeedbackState, ReadBack, overdue_q
from meetings.models import (
    Attendance,
    AttendanceStatus,
    CadreVisit,
    Meeting,
    MeetingKind,
    MeetingState,
    ResolutionTask,
    TaskStatus,
)
from meetings.rules import UNEXCUSED_IN_A_ROW
from meetings.selectors.cadres import quota_rows
from meetings.selectors.outcomes import final_minutes_q, minutes_on_time_q, short_q
from meetings.selectors.schedule import (
    active_in_q,
    local_midnight,
    minutes_unfinished_q,
    report_cells,
    thematic_q,
    took_place_q,
)

from .periods import Period
from .periods import year as year_of
from .then import NOW, THEN, then_scope, versions_in

STEP = Organization.steplen
# How many lines of each list of exceptions the page and the PDF show (the XLSX has them all).
SHOWN = 20


@dataclass
class Figures:
    """One group's figures (a sub-organization, a cell, or the whole root)."""

    cells: int = 0
    regular_owed: int = 0  # one regular meeting per cell and month it was active
    regular_held: int = 0
    planned: int = 0
    held: int = 0
    postponed: int = 0
    cancelled: int = 0
    thematic_held: int = 0
    no_thematic: int = 0  # cells times the quarters without a thematic meeting held
    short: int = 0
    minutes_on_time: int = 0
    minutes_late: int = 0
    minutes_missing: int = 0
    with_cadre: int = 0
    expected: int = 0  # attendance rows of held meetings, the exempted aside
    attended: int = 0
    absent_excused: int = 0
    absent_unexcused: int = 0
    absent_in_a_row: int = 0  # members absent without reason from UNEXCUSED_IN_A_ROW meetings
    feedback_raised: int = 0
    feedback_forwarded: int = 0
    feedback_answered: int = 0
    feedback_overdue: int = 0
    feedback_read_back: int = 0
    feedback_satisfied: int = 0
    feedback_reopened: int = 0
    cadres: int = 0  # assigned cadres whose home cell lies here, and their yearly quota:
    cadres_behind: int = 0
    cadres_at_risk: int = 0
    tasks_due: int = 0
    tasks_done: int = 0
    tasks_late: int = 0
    tasks_dropped: int = 0
    tasks_open: int = 0

    @property
    def regular_missing(self) -> int:
        return max(self.regular_owed - self.regular_held, 0)

    @property
    def attendance_rate(self) -> float | None:
        """Attended among the members expected, as a percentage (None without any)."""
        return round(100 * self.attended / self.expected, 1) if self.expected else None

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


# Every figure as the page's table, the summary and the spreadsheet name it, in order.
LABELS = [
    ("cells", _("Cells")),
    ("regular_owed", _("Regular meetings due")),
    ("regular_held", _("Regular meetings held")),
    ("regular_missing", _("Regular meetings missing")),
    ("held", _("Meetings held")),
    ("planned", _("Meetings planned")),
    ("postponed", _("Meetings postponed")),
    ("cancelled", _("Meetings cancelled")),
    ("thematic_held", _("Thematic meetings held")),
    ("no_thematic", _("Cells without a thematic meeting (per quarter)")),
    ("short", _("Meetings that ran short")),
    ("minutes_on_time", _("Minutes final within two days")),
    ("minutes_late", _("Minutes final later")),
    ("minutes_missing", _("Minutes unfinished")),
    ("with_cadre", _("Meetings attended by an assigned cadre")),
    ("expected", _("Members expected")),
    ("attended", _("Members present")),
    ("attendance_rate", _("Attendance rate (%)")),
    ("absent_excused", _("Absent with reason")),
    ("absent_unexcused", _("Absent without reason")),
    ("absent_in_a_row", _("Members absent without reason three meetings in a row")),
    ("feedback_raised", _("Feedback raised")),
    ("feedback_forwarded", _("Feedback forwarded")),
    ("feedback_answered", _("Feedback answered")),
    ("feedback_overdue", _("Feedback overdue")),
    ("feedback_read_back", _("Feedback read back")),
    ("feedback_satisfied", _("Feedback answers that satisfied")),
    ("feedback_reopened", _("Feedback reopened")),
    ("cadres", _("Assigned cadres")),
    ("cadres_behind", _("Cadres behind on their quota")),
    ("cadres_at_risk", _("Cadres at risk on their quota")),
    ("tasks_due", _("Resolution tasks due")),
    ("tasks_done", _("Tasks done")),
    ("tasks_late", _("Tasks done late")),
    ("tasks_dropped", _("Tasks dropped")),
    ("tasks_open", _("Tasks still open")),
]


@dataclass(frozen=True)
class Grouping:
    """How the cells' figures are grouped: by the first `length` characters
    of their paths (the root's child each lies under), or each cell alone
    (`length` None: grouped by its whole path), then, with `regroup` (the
    tree as it was then: reports.then), each cell's path to its group's."""

    length: int | None
    regroup: dict | None = field(default=None, compare=False, hash=False)

    def key(self, path: str):
        return F(path) if self.length is None else Substr(path, 1, self.length)

    def of(self, path: str) -> str:
        return path if self.length is None else path[: self.length]

    def target(self, key: str) -> str | None:
        return key if self.regroup is None else self.regroup.get(key)


EACH_CELL = Grouping(None)


@dataclass
class Row:
    organization: Organization
    figures: Figures


@dataclass
class Exceptions:
    """What needs action, each list cut at SHOWN with its full length."""

    no_regular: list = field(default_factory=list)  # (cell, months missing)
    unfinished: list = field(default_factory=list)  # meetings with minutes unfinished
    short: list = field(default_factory=list)  # meetings that ran short
    no_thematic: list = field(default_factory=list)  # (cell, quarter's first day)
    overdue: list = field(default_factory=list)  # feedback items overdue today
    absent_in_a_row: list = field(default_factory=list)  # Absentee
    cadres_at_risk: list = field(default_factory=list)  # CadreRow, at risk or behind


@dataclass
class Rollup:
    root: Organization
    period: Period
    total: Figures
    rows: list[Row]
    exceptions: Exceptions
    today: datetime.date
    # Days from forwarding to answer of the period's feedback answered (None without any).
    median_answer_days: float | None = None
    tree: str = NOW  # today's tree, or THEN: the tree of the period (reports.then)


def report_root(user, pk) -> Organization:
    """The organization of a report: 404 out of sight, 403 without the right
    to read its reports (office staff and administrators of a subtree)."""
    organization = access.get_or_deny(user, Organization, access.EDIT, pk=pk)
    access.require(user, Capability.READ_REPORTS, organization)
    return organization


# What a report reads: a change to any of them makes its figures and stored files stale.
KINDS = [figures.TREE, figures.MEETINGS, figures.VISITS, figures.FEEDBACK]


def data_version(*, user, parameters: dict) -> str:
    """The state of the data a report file shows (chibo.exports' Builder.version):
    the figures' versions, the day (overdue counts by day) and the owner's scope.
    Empty, so never served again, when the cache cannot say."""
    try:
        versioned = figures.stamp(KINDS)
    except Exception:  # the cache is down: build afresh
        return ""
    text = f"{versioned}|{timezone.localdate()}|{access.scope_key(user)}"
    return hashlib.sha256(text.encode()).hexdigest()


def cells_in(user, organization: Organization, period: Period) -> int:
    """How many cells a report covers: small ones are built in the request."""
    return (
        report_cells(user, period.start, period.end)
        .filter(path__startswith=organization.path)
        .count()
    )


def _memo_key(user, root: Organization, period: Period, tree: str, day: datetime.date) -> list:
    """What a report's memoised figures depend on besides the data."""
    return [access.scope_key(user), root.pk, root.path, period.code, tree, day]


def drawn_key(user, result: "Rollup") -> list:
    """What a drawing of a report (its charts, the page's figures) depends on
    besides the data: the roll-up's own key, and the language it is written in."""
    key = _memo_key(user, result.root, result.period, result.tree, result.today)
    return [*key, translation.get_language()]


def cached_rollup(user, *, root: Organization, period: Period, tree: str = NOW) -> Rollup:
    """`rollup`, memoised (chibo.figures) per scope, root, period and day until
    a meeting, minutes, attendance, visit, feedback item or the tree changes:
    a province's month costs seconds of SQL once, then a cache read."""
    now = timezone.now()
    return figures.memoised(
        "report-rollup",
        kinds=KINDS,
        key=_memo_key(user, root, period, tree, timezone.localdate(now)),
        compute=lambda: rollup(user, root=root, period=period, now=now, tree=tree),
    )


def rollup(
    user,
    *,
    root: Organization,
    period: Period,
    now: datetime.datetime | None = None,
    every_line: bool = False,
    tree: str = NOW,
) -> Rollup:
    """The report of `root`'s subtree for `period`, as `user` sees it (the
    caller has checked that they may read reports of `root`); its lists of
    exceptions cut at SHOWN lines, or whole with `every_line` (the XLSX);
    over today's tree, or with `tree` THEN the tree of the period."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    cells, groups, grouping, shown_root = _scope(user, root, period, tree)
    people = _people(user, root, cells, period, today)
    found = _collect(cells, period, now, grouping, [org.path for org in groups], people)
    rows = [Row(org, found[org.path]) for org in groups]
    total = sum((row.figures for row in rows), Figures())
    limit = None if every_line else SHOWN
    return Rollup(
        root=shown_root,
        period=period,
        total=total,
        rows=rows,
        exceptions=exceptions(cells, period, now, limit=limit, people=people),
        today=today,
        median_answer_days=median_answer_days(_items(cells, period)),
        tree=tree,
    )


def _scope(user, root: Organization, period: Period, tree: str):
    """The cells a report counts, its rows, how the one goes into the other,
    and the root as the report names it."""
    if tree == THEN:
        then = then_scope(user, root, period)
        cells = report_cells(user, period.start, period.end).filter(pk__in=then.cell_ids)
        return cells, then.groups, Grouping(None, regroup=then.group_of), then.root
    length = len(root.path) if root.kind == OrganizationKind.CELL else len(root.path) + STEP
    return _cells_of(user, root, period, NOW), _groups(user, root, period), Grouping(length), root


def _cells_of(user, root: Organization, period: Period, tree: str) -> QuerySet:
    """The cells a report counts (see _scope), without its rows."""
    cells = report_cells(user, period.start, period.end)
    if tree == THEN:
        return cells.filter(pk__in=then_scope(user, root, period).cell_ids)
    return cells.filter(path__startswith=root.path)


def cell_figures(
    user,
    *,
    root: Organization,
    period: Period,
    now: datetime.datetime | None = None,
    tree: str = NOW,
) -> list[Row]:
    """A row for every cell of `root`'s subtree active in the period, by path:
    the spreadsheet's sheet of cells (the page and the PDF summarise)."""
    now = now or timezone.now()
    scope = _cells_of(user, root, period, tree)
    cells = list(scope.order_by("path"))
    if tree == THEN:
        names = {pk: name for pk, (_parent, name, _kind) in versions_in(period).items()}
        for cell in cells:
            cell.name = names.get(cell.pk, cell.name)
    people = _people(user, root, scope, period, timezone.localdate(now))
    found = _collect(scope, period, now, EACH_CELL, [cell.path for cell in cells], people)
    return [Row(cell, found[cell.path]) for cell in cells]


# Three meetings of a cell that meets every month lie within three months:
# half a year back finds every row of three that ends in the period.
LOOK_BACK = datetime.timedelta(days=183)


@dataclass(frozen=True)
class Absentee:
    """A member absent without reason from UNEXCUSED_IN_A_ROW meetings in a
    row, the last of them in the period."""

    member_id: int
    full_name: str
    cell_id: int
    cell_name: str
    cell_path: str
    meeting_id: int
    scheduled_at: datetime.datetime


@dataclass
class People:
    """The figures counted per person rather than per row: members absent in a
    row, and the cadres with their quota (by their home cell)."""

    absentees: list[Absentee]
    cadres: list  # meetings.selectors.cadres.CadreRow


def _people(user, root, cells: QuerySet, period: Period, today: datetime.date) -> People:
    on = min(today, period.last_day)
    cadres = quota_rows(user, year=on.year, today=on, within=root)
    return People(absentees=absent_in_a_row(cells, period), cadres=cadres)


def absent_in_a_row(cells: QuerySet, period: Period) -> list[Absentee]:
    """Members absent without reason from UNEXCUSED_IN_A_ROW held meetings in
    a row (by time, whatever the cell), the last in the period: one query.

    Only members absent without reason in the period are read, and only
    LOOK_BACK of their meetings before it: a window (LAG) over their attendance gives each
    row the statuses before it. Filters on the window run outside it (Django
    puts them in an outer query), so the inner query must not drop the rows
    in between: the status and the period are checked here instead."""
    unexcused = AttendanceStatus.ABSENT_UNEXCUSED
    # A join from the month's meetings into the partial index of absences, not a
    # semi-join of every absence against them.
    absent_now = Attendance.objects.filter(
        status=unexcused,
        meeting__cell__in=cells.values("pk"),
        meeting__state=MeetingState.HELD,
        meeting__period__gte=period.start,
        meeting__period__lt=period.end,
    ).values("member")
    order = [F("meeting__scheduled_at").asc(), F("meeting_id").asc()]
    before = {
        f"before_{n}": Window(Lag("status", n), partition_by=[F("member_id")], order_by=order)
        for n in range(1, UNEXCUSED_IN_A_ROW)
    }
    rows = (
        Attendance.objects.filter(
            member__in=absent_now,
            meeting__state=MeetingState.HELD,
            meeting__scheduled_at__gte=local_midnight(period.start - LOOK_BACK),
            meeting__scheduled_at__lt=local_midnight(period.end),
        )
        .annotate(**before)
        .filter(**dict.fromkeys(before, unexcused))
        .values(
            "status",
            "member_id",
            "member__full_name",
            "meeting_id",
            "meeting__period",
            "meeting__scheduled_at",
            "meeting__cell_id",
            "meeting__cell__name",
            "meeting__cell__path",
        )
    )
    latest = {}
    for row in rows:
        if row["status"] == unexcused and period.start <= row["meeting__period"] < period.end:
            seen = latest.get(row["member_id"])
            if seen is None or row["meeting__scheduled_at"] > seen.scheduled_at:
                latest[row["member_id"]] = Absentee(
                    member_id=row["member_id"],
                    full_name=row["member__full_name"],
                    cell_id=row["meeting__cell_id"],
                    cell_name=row["meeting__cell__name"],
                    cell_path=row["meeting__cell__path"],
                    meeting_id=row["meeting_id"],
                    scheduled_at=row["meeting__scheduled_at"],
                )
    return sorted(latest.values(), key=lambda a: (a.cell_path, a.full_name, a.member_id))


def median_answer_days(items: QuerySet) -> float | None:
    """The median of the days from forwarding to answer, in SQL (the middle
    one or two by duration): two queries."""
    timed = (
        items.filter(answered_at__isnull=False, forwarded_at__isnull=False)
        .annotate(taken=ExpressionWrapper(F("answered_at") - F("forwarded_at"), DurationField()))
        .order_by("taken", "pk")
    )
    count = timed.count()
    if not count:
        return None
    middle = list(timed.values_list("taken", flat=True)[(count - 1) // 2 : count // 2 + 1])
    days = sum(taken.total_seconds() for taken in middle) / len(middle) / 86400
    return round(days, 1)


def _items(cells: QuerySet, period: Period) -> QuerySet:
    return FeedbackItem.objects.filter(
        cell__in=cells.values("pk"), raised_on__gte=period.start, raised_on__lt=period.end
    )


def _collect(
    cells: QuerySet, period: Period, now, grouping: Grouping, paths, people: People
) -> dict:
    """{path: Figures} for the groups named by `paths`; what falls in no group
    (a part the user does not see) counts nowhere."""
    found = {path: Figures() for path in paths}
    for counts in [
        *_figure_queries(cells, period, now, grouping),
        _people_counts(people, grouping),
    ]:
        for prefix, values in counts.items():
            target = found.get(grouping.target(prefix))
            if target is not None:
                for name, value in values.items():
                    setattr(target, name, getattr(target, name) + (value or 0))
    return found


def _people_counts(people: People, grouping: Grouping) -> dict:
    counts = defaultdict(lambda: defaultdict(int))
    for absentee in people.absentees:
        counts[grouping.of(absentee.cell_path)]["absent_in_a_row"] += 1
    for cadre in people.cadres:
        group = counts[grouping.of(cadre.cell_path)]
        group["cadres"] += 1
        group["cadres_behind"] += cadre.progress.is_behind
        group["cadres_at_risk"] += cadre.progress.is_at_risk
    return counts


def _groups(user, root: Organization, period: Period) -> list[Organization]:
    """The rows of the report: the root's children active in the period
    (sub-organizations first, then cells, by name), or the cell itself."""
    if root.kind == OrganizationKind.CELL:
        return [root]
    children = access.visible(user, Organization).filter(
        active_in_q(period.start, period.end), path__startswith=root.path, depth=root.depth + 1
    )
    return sorted(children, key=lambda org: (org.kind == OrganizationKind.CELL, org.name, org.pk))


def _by_prefix(queryset: QuerySet, path: str, grouping: Grouping, **aggregates) -> dict:
    rows = (
        queryset.annotate(prefix=grouping.key(path))
        .values("prefix")
        .annotate(**aggregates)
        .order_by()
    )
    return {row.pop("prefix"): row for row in rows}


def _figure_queries(cells: QuerySet, period: Period, now, grouping: Grouping):
    """Each figure query's {prefix: {figure: value}}: one query apiece."""
    in_cells = cells.values("pk")
    yield _by_prefix(cells, "path", grouping, cells=Count("pk"))
    yield _regular_owed(cells, period, grouping)
    meetings = Meeting.objects.filter(
        cell__in=in_cells, period__gte=period.start, period__lt=period.end
    )
    among = meetings.values("pk")
    took_place = took_place_q(now, among)
    held = Q(state=MeetingState.HELD)
    by_meeting = _by_prefix(
        meetings,
        "cell__path",
        grouping,
        regular_held=Count("pk", filter=took_place & Q(kind=MeetingKind.REGULAR)),
        planned=Count("pk", filter=Q(state=MeetingState.PLANNED) & ~took_place),
        held=Count("pk", filter=took_place),
        postponed=Count("pk", filter=Q(state=MeetingState.POSTPONED)),
        cancelled=Count("pk", filter=Q(state=MeetingState.CANCELLED)),
        thematic_held=Count("pk", filter=held & thematic_q()),
        short=Count("pk", filter=held & short_q(among)),
        minutes_on_time=Count("pk", filter=took_place & minutes_on_time_q()),
        with_final=Count("pk", filter=took_place & final_minutes_q(among)),
        with_cadre=Count(
            "pk",
            filter=took_place
            & Q(Exists(CadreVisit.objects.filter(meeting=OuterRef("pk"), attended=True))),
        ),
    )
    for values in by_meeting.values():
        # On time implies final, and unfinished is took place without final minutes
        # (minutes_unfinished_q): two differences instead of two more conditions,
        # each a subquery PostgreSQL would run again (100 ms for a province).
        with_final = values.pop("with_final")
        values["minutes_late"] = with_final - values["minutes_on_time"]
        values["minutes_missing"] = values["held"] - with_final
    yield by_meeting
    # A join through the month's held meetings (the period index), not a semi-join.
    attendance = Attendance.objects.filter(
        meeting__cell__in=in_cells,
        meeting__state=MeetingState.HELD,
        meeting__period__gte=period.start,
        meeting__period__lt=period.end,
    )
    status = AttendanceStatus
    yield _by_prefix(
        attendance,
        "meeting__cell__path",
        grouping,
        expected=Count("pk", filter=~Q(status=status.EXEMPT)),
        attended=Count("pk", filter=Q(status__in=[status.PRESENT, status.LATE])),
        absent_excused=Count("pk", filter=Q(status=status.ABSENT_EXCUSED)),
        absent_unexcused=Count("pk", filter=Q(status=status.ABSENT_UNEXCUSED)),
    )
    yield from _no_thematic(cells, period, now, grouping)
    read_back = ReadBack.objects.filter(item=OuterRef("pk"))
    reopened = FeedbackEvent.objects.filter(item=OuterRef("pk"), to_state=FeedbackState.REOPENED)
    yield _by_prefix(
        _items(cells, period),
        "cell__path",
        grouping,
        feedback_raised=Count("pk"),
        feedback_forwarded=Count("pk", filter=Q(forwarded_at__isnull=False)),
        feedback_answered=Count("pk", filter=Q(answered_at__isnull=False)),
        feedback_overdue=Count("pk", filter=overdue_q(timezone.localdate(now))),
        feedback_read_back=Count("pk", filter=Q(Exists(read_back))),
        feedback_satisfied=Count("pk", filter=Q(Exists(read_back.filter(is_satisfied=True)))),
        feedback_reopened=Count("pk", filter=Q(Exists(reopened))),
    )
    tasks = ResolutionTask.objects.filter(
        cell__in=in_cells, due_on__gte=period.start, due_on__lt=period.end
    )
    yield _by_prefix(
        tasks,
        "cell__path",
        grouping,
        tasks_due=Count("pk"),
        tasks_done=Count("pk", filter=Q(status=TaskStatus.DONE)),
        tasks_late=Count("pk", filter=Q(status=TaskStatus.LATE)),
        tasks_dropped=Count("pk", filter=Q(status=TaskStatus.DROPPED)),
        tasks_open=Count("pk", filter=Q(status=TaskStatus.OPEN)),
    )


def _whole_period_q(period: Period) -> Q:
    founded = Q(founded_on__isnull=True) | Q(founded_on__lte=period.start)
    return founded & (Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=period.end))


def active_months(cell: Organization, period: Period) -> int:
    """The months of the period in which the cell existed at some time."""
    return sum(
        1
        for month in period.months
        if (cell.founded_on is None or cell.founded_on < _next_month(month, period))
        and (cell.dissolved_on is None or cell.dissolved_on > month)
    )


def _next_month(month: datetime.date, period: Period) -> datetime.date:
    later = [m for m in period.months if m > month]
    return later[0] if later else period.end


def _regular_owed(cells: QuerySet, period: Period, grouping: Grouping) -> dict[str, dict]:
    """One regular meeting per cell and month: cells of the whole period owe
    every month (one grouped count); the few founded or dissolved inside it
    are read one by one."""
    whole = _by_prefix(cells.filter(_whole_period_q(period)), "path", grouping, n=Count("pk"))
    months = len(period.months)
    owed = {prefix: {"regular_owed": row["n"] * months} for prefix, row in whole.items()}
    for cell in cells.exclude(_whole_period_q(period)).only("path", "founded_on", "dissolved_on"):
        entry = owed.setdefault(grouping.of(cell.path), {"regular_owed": 0})
        entry["regular_owed"] += active_months(cell, period)
    return owed


def _begun_quarters(period: Period, now) -> list[tuple[datetime.date, datetime.date]]:
    """The quarters of the period that have begun: a quarter not yet begun owes nothing."""
    today = timezone.localdate(now)
    return [bounds for bounds in period.quarters if bounds[0] <= today]


def _thematic_held_in(start: datetime.date, end: datetime.date) -> Q:
    meetings = Meeting.objects.filter(
        thematic_q(),
        cell=OuterRef("pk"),
        state=MeetingState.HELD,
        scheduled_at__gte=local_midnight(start),
        scheduled_at__lt=local_midnight(end),
    )
    return Q(Exists(meetings))


def _no_thematic(cells: QuerySet, period: Period, now, grouping: Grouping):
    """Per begun quarter, the cells active in it that held no thematic meeting."""
    for start, end in _begun_quarters(period, now):
        without = cells.filter(active_in_q(start, end)).exclude(_thematic_held_in(start, end))
        yield _by_prefix(without, "path", grouping, no_thematic=Count("pk"))


def exceptions(
    cells: QuerySet, period: Period, now, *, limit: int | None, people: People
) -> Exceptions:
    """The lists of what needs action, `limit` lines each (None: all)."""

    def cut(queryset):
        return list(queryset[:limit] if limit is not None else queryset)

    in_cells = cells.values("pk")
    meetings = Meeting.objects.filter(
        cell__in=in_cells, period__gte=period.start, period__lt=period.end
    ).select_related("cell")
    among = meetings.values("pk")
    regular = Meeting.objects.filter(
        took_place_q(now),
        cell=OuterRef("pk"),
        kind=MeetingKind.REGULAR,
        period__gte=period.start,
        period__lt=period.end,
    )
    held_months = regular.order_by().values("cell").annotate(n=Count("pk")).values("n")
    lacking = cells.annotate(held_months=Coalesce(Subquery(held_months), 0))
    no_regular = [
        (cell, missing)
        for cell in cut(lacking.filter(held_months__lt=len(period.months)).order_by("path"))
        if (missing := active_months(cell, period) - cell.held_months) > 0
    ]
    no_thematic = []
    for start, end in _begun_quarters(period, now):
        # The same cells as _no_thematic counts: those active in the quarter.
        without = cells.filter(active_in_q(start, end)).exclude(_thematic_held_in(start, end))
        no_thematic += [(cell, start) for cell in cut(without.order_by("path"))]
    overdue = (
        FeedbackItem.objects.filter(overdue_q(timezone.localdate(now)), cell__in=in_cells)
        .select_related("cell")
        .order_by("due_on", "pk")
    )
    return Exceptions(
        no_regular=no_regular,
        # By month, then by date (the same as by date within a month): a limit by date
        # alone walks the whole date index of the province from its oldest meeting.
        unfinished=cut(
            meetings.filter(minutes_unfinished_q(now, among)).order_by(
                "period", "scheduled_at", "pk"
            )
        ),
        short=cut(
            meetings.filter(Q(state=MeetingState.HELD) & short_q(among)).order_by(
                "period", "scheduled_at", "pk"
            )
        ),
        no_thematic=no_thematic[:limit] if limit is not None else no_thematic,
        overdue=cut(overdue),
        absent_in_a_row=people.absentees[:limit],
        cadres_at_risk=_cadres_to_act_on(people.cadres)[:limit],
    )


def _cadres_to_act_on(cadres: list) -> list:
    """Cadres at risk (the quota can no longer be met) first, then those behind."""
    flagged = [c for c in cadres if c.progress.is_at_risk or c.progress.is_behind]
    return sorted(flagged, key=lambda c: (not c.progress.is_at_risk, c.full_name, c.pk))


@dataclass
class Trends:
    """What the charts show beyond the roll-up: the regular and thematic
    meetings held in each month of the period's year, and the feedback
    raised in the period by its state today."""

    year: int
    by_month: list[tuple[datetime.date, int, int]]  # (month, regular held, thematic held)
    by_state: list[tuple[str, int]]  # (FeedbackState value, items), in the workflow's order


def cached_trends(user, *, root: Organization, period: Period, tree: str = NOW) -> Trends:
    now = timezone.now()
    return figures.memoised(
        "report-trends",
        kinds=[figures.TREE, figures.MEETINGS, figures.FEEDBACK],
        key=_memo_key(user, root, period, tree, timezone.localdate(now)),
        compute=lambda: trends(user, root=root, period=period, now=now, tree=tree),
    )


def trends(user, *, root: Organization, period: Period, now=None, tree: str = NOW) -> Trends:
    """Two grouped queries, whatever the number of cells (with the tree of
    then, the year's chart follows the cells the period's tree holds)."""
    now = now or timezone.now()
    whole_year = year_of(period.start.year)
    start, end = whole_year.start, whole_year.end
    in_period = _cells_of(user, root, period, tree)
    if tree == THEN:
        cells = in_period.values("pk")
    else:
        cells = report_cells(user, start, end).filter(path__startswith=root.path).values("pk")
    meetings = Meeting.objects.filter(cell__in=cells, period__gte=start, period__lt=end)
    took_place = took_place_q(now, meetings.values("pk"))
    counted = {
        row["period"]: row
        for row in meetings.values("period")
        .annotate(
            regular=Count("pk", filter=took_place & Q(kind=MeetingKind.REGULAR)),
            thematic=Count("pk", filter=Q(state=MeetingState.HELD) & thematic_q()),
        )
        .order_by()
    }
    by_month = [
        (month, counted.get(month, {}).get("regular", 0), counted.get(month, {}).get("thematic", 0))
        for month in whole_year.months
    ]
    states = dict(
        FeedbackItem.objects.filter(
            cell__in=in_period.values("pk"),
            raised_on__gte=period.start,
            raised_on__lt=period.end,
        )
        .values_list("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Trends(
        year=whole_year.start.year,
        by_month=by_month,
        by_state=[(state, states.get(state, 0)) for state in FeedbackState.values],
    )
