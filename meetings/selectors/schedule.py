"""Reads of the meeting calendar, always starting from chibo.access."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Substr
from django.utils import timezone

from chibo import access, figures
from chibo.models import Organization, OrganizationKind
from meetings import calendar
from meetings.models import Meeting, MeetingKind, MeetingState, Minutes, MinutesState


def local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def meeting_cells(user, action: str = access.EDIT) -> QuerySet:
    """Active cells whose meetings `user` may `action`: for EDIT the cell's
    secretary and deputy (and administrators above), never office staff."""
    return access.cells(user, action, of=Meeting)


def editable_among(user, cell_ids) -> tuple[set[int], bool]:
    """Which of `cell_ids` (a page's cells) have meetings `user` may edit, and
    whether the user may edit any cell's meetings at all: one query bounded
    by the page, not a list of every cell of the scope."""
    cell_ids = set(cell_ids)
    rows = (
        meeting_cells(user, access.EDIT)
        .annotate(
            on_page=Case(When(pk__in=cell_ids, then=1), default=0, output_field=IntegerField())
        )
        .order_by("-on_page", "pk")
        .values_list("pk", "on_page")[: len(cell_ids) + 1]
    )
    found = list(rows)
    return {pk for pk, on_page in found if on_page}, bool(found)


def with_final_minutes(meetings: QuerySet) -> QuerySet:
    final = Minutes.objects.filter(meeting=OuterRef("pk"), state=MinutesState.FINAL)
    return meetings.annotate(has_final_minutes=Exists(final))


# How a meeting shows on every list: its state, except that a meeting whose
# minutes are begun or due and not final shows as held with minutes unfinished.
UNFINISHED = "unfinished"


def _minutes_in(state: str, among: QuerySet | None = None) -> Q:
    minutes = Minutes.objects.filter(meeting=OuterRef("pk"), state=state)
    if among is None or state == MinutesState.DRAFT:
        # Drafts are few (minutes_draft_meeting_idx holds them): hashing them
        # all costs less than reading `among` again for every condition.
        return Q(Exists(minutes))
    return Q(Exists(minutes.filter(meeting__in=among)))


# `among` (the pks of the meetings a report counts) bounds the final minutes
# these conditions read: PostgreSQL hashes such a subquery over every row it
# may match, so without a bound a province's month would read the whole table.


def took_place_q(now: datetime.datetime, among: QuerySet | None = None) -> Q:
    """Held, or still planned but its time has passed and its draft minutes
    are begun (the meeting happened; finalizing will mark it held)."""
    past_with_draft = Q(state=MeetingState.PLANNED, scheduled_at__lte=now) & _minutes_in(
        MinutesState.DRAFT, among
    )
    return Q(state=MeetingState.HELD) | past_with_draft


def minutes_unfinished_q(now: datetime.datetime, among: QuerySet | None = None) -> Q:
    """Took place (see took_place_q) and has no final minutes yet."""
    return took_place_q(now, among) & ~_minutes_in(MinutesState.FINAL, among)


def with_display_state(meetings: QuerySet, *, now: datetime.datetime) -> QuerySet:
    """Annotate `has_final_minutes` and `display_state`: UNFINISHED for a
    meeting whose minutes are unfinished (minutes_unfinished_q), else its state."""
    return with_final_minutes(meetings).annotate(
        display_state=Case(
            When(minutes_unfinished_q(now), then=Value(UNFINISHED)),
            default=F("state"),
            output_field=CharField(),
        )
    )


def meetings_for(user, *, cell: Organization | None = None, year: int | None = None) -> QuerySet:
    """The meetings `user` sees, newest first, optionally of one cell and year."""
    meetings = access.visible(user, Meeting).select_related("cell")
    if cell is not None:
        meetings = meetings.filter(cell=cell)
    if year is not None:
        start = local_midnight(datetime.date(year, 1, 1))
        end = local_midnight(datetime.date(year + 1, 1, 1))
        meetings = meetings.filter(scheduled_at__gte=start, scheduled_at__lt=end)
    return with_display_state(meetings, now=timezone.now()).order_by("-scheduled_at", "-pk")


def thematic_q(prefix: str = "") -> Q:
    """A thematic meeting, or a regular one with a thematic part (DOMAIN.md)."""
    return Q(**{f"{prefix}kind": MeetingKind.THEMATIC}) | Q(**{f"{prefix}has_thematic_part": True})


def thematic_meetings_q(start: datetime.date, end: datetime.date, prefix: str = "") -> Q:
    """The rule of the report: a thematic meeting (thematic_q) scheduled in
    [start, end); a cell held one if one such is held, planned one if one
    such is planned and none held. The cells' list (Exists, below) and the
    summary's figures (tallies(), counted from the meetings' side) both use it."""
    return thematic_q(prefix) & Q(
        **{
            f"{prefix}scheduled_at__gte": local_midnight(start),
            f"{prefix}scheduled_at__lt": local_midnight(end),
        }
    )


def _thematic_in(start: datetime.date, end: datetime.date) -> QuerySet:
    return Meeting.objects.filter(thematic_meetings_q(start, end), cell=OuterRef("pk"))


def thematic_held_q(start: datetime.date, end: datetime.date) -> Q:
    """A cell (the outer row) held a thematic meeting in [start, end)."""
    return Q(Exists(_thematic_in(start, end).filter(state=MeetingState.HELD)))


def thematic_planned_q(start: datetime.date, end: datetime.date) -> Q:
    """Planned one in [start, end) and held none."""
    planned = Q(Exists(_thematic_in(start, end).filter(state=MeetingState.PLANNED)))
    return planned & ~thematic_held_q(start, end)


def annotate_thematic(cells: QuerySet, start: datetime.date, end: datetime.date) -> QuerySet:
    """Each cell with `thematic_held` and `thematic_planned` (planned, none
    held) for [start, end)."""
    return cells.annotate(
        thematic_held=ExpressionWrapper(thematic_held_q(start, end), BooleanField()),
        thematic_planned=ExpressionWrapper(thematic_planned_q(start, end), BooleanField()),
    )


@dataclass(frozen=True)
class ThematicTally:
    cells: int = 0
    held: int = 0
    planned: int = 0

    @property
    def none(self) -> int:
        return self.cells - self.held - self.planned


THEMATIC_SHOWS = ("none", "planned", "held")


def _show_q(show: str, start: datetime.date, end: datetime.date) -> Q:
    held, planned = thematic_held_q(start, end), thematic_planned_q(start, end)
    return {"held": held, "planned": planned, "none": ~held & ~planned}[show]


def report_cells(user, start: datetime.date, end: datetime.date) -> QuerySet:
    """The cells `user` sees that were active at some time in [start, end)."""
    return access.visible(user, Organization).cells().filter(active_in_q(start, end))


def active_in_q(start: datetime.date, end: datetime.date) -> Q:
    """Organizations active at some time in [start, end)."""
    founded = Q(founded_on__isnull=True) | Q(founded_on__lt=end)
    return founded & (Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=start))


@dataclass
class ThematicReport:
    year: int
    quarter: int
    start: datetime.date
    end: datetime.date  # the quarter's last day
    total: ThematicTally
    rows: QuerySet  # the root's children, sub-organizations first, for the view to paginate
    show: str | None


def thematic_report(
    user, *, root: Organization, year: int, quarter: int, show: str | None = None
) -> ThematicReport:
    """The thematic report of `root`'s subtree for a quarter: the totals
    (two grouped queries), and `root`'s children active in the quarter as
    the user sees them: its
    sub-organizations (to drill down into, their figures by tallies()) and
    its own cells, each with `thematic_held` / `thematic_planned`. `show`
    (one of THEMATIC_SHOWS) keeps only the cells in that state."""
    start, end = calendar.quarter_bounds(year, quarter)
    total = _grouped(user, [root], start, end)[root.path]
    children = access.visible(user, Organization).filter(
        active_in_q(start, end), path__startswith=root.path, depth=root.depth + 1
    )
    own_cells = Q(kind=OrganizationKind.CELL)
    if show in THEMATIC_SHOWS:
        own_cells &= _show_q(show, start, end)
    else:
        show = None
    rows = (
        annotate_thematic(children.filter(~Q(kind=OrganizationKind.CELL) | own_cells), start, end)
        .annotate(
            cells_last=Case(
                When(kind=OrganizationKind.CELL, then=1), default=0, output_field=IntegerField()
            )
        )
        .order_by("cells_last", "name", "pk")
    )
    return ThematicReport(
        year=year,
        quarter=quarter,
        start=start,
        end=end - datetime.timedelta(days=1),
        total=total,
        rows=rows,
        show=show,
    )


def tallies(user, organizations, *, year: int, quarter: int) -> dict[int, ThematicTally]:
    """Per organization of `organizations` (a page of a report), its
    subtree's figures; cells are left out (their rows show their own state).
    Two queries per depth among them, bounded by these subtrees."""
    start, end = calendar.quarter_bounds(year, quarter)
    by_length = defaultdict(list)
    for organization in organizations:
        if organization.kind != OrganizationKind.CELL:
            by_length[len(organization.path)].append(organization)
    figures = {}
    for group in by_length.values():
        found = _grouped(user, group, start, end)
        figures.update({o.pk: found[o.path] for o in group})
    return figures


def _grouped(user, group, start, end) -> dict[str, ThematicTally]:
    """{path: figures} for organizations whose paths have one length: the
    cells grouped by path prefix, then their thematic meetings grouped the
    same way (one pass over the quarter's meetings, no subquery per cell)."""
    length = len(group[0].path)
    in_subtrees = Q(pk__in=[])
    for organization in group:
        in_subtrees |= Q(path__startswith=organization.path)
    cells = report_cells(user, start, end).filter(in_subtrees)
    counted = dict(
        cells.annotate(prefix=Substr("path", 1, length))
        .values("prefix")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("prefix", "n")
    )
    meetings = (
        Meeting.objects.filter(
            thematic_meetings_q(start, end),
            state__in=[MeetingState.HELD, MeetingState.PLANNED],
            cell__in=cells.values("pk"),
        )
        .annotate(prefix=Substr("cell__path", 1, length))
        .values("prefix")
        .annotate(
            held=Count("cell", distinct=True, filter=Q(state=MeetingState.HELD)),
            either=Count("cell", distinct=True),
        )
        .order_by()
    )
    met = {row["prefix"]: row for row in meetings}
    figures = {}
    for organization in group:
        row = met.get(organization.path, {"held": 0, "either": 0})
        figures[organization.path] = ThematicTally(
            cells=counted.get(organization.path, 0),
            held=row["held"],
            planned=row["either"] - row["held"],
        )
    return figures


def thematic_cells(user, *, root: Organization, year: int, quarter: int, show: str) -> QuerySet:
    """Every cell of `root`'s subtree in state `show` (of THEMATIC_SHOWS) for
    the quarter, by path: the same rule as the report's figures."""
    start, end = calendar.quarter_bounds(year, quarter)
    return (
        report_cells(user, start, end)
        .filter(path__startswith=root.path)
        .filter(_show_q(show, start, end))
        .order_by("path")
    )


def report_roots(user) -> QuerySet:
    """The organizations whose subtree `user` watches as office staff or admin."""
    return access.visible(user, Organization, access.EDIT).exclude(kind="cell")


# --- the dashboard -------------------------------------------------------------


UNFINISHED_ON_CARD = 10


def cell_month(user, *, cell: Organization, month: datetime.date, now: datetime.datetime) -> dict:
    """A secretary's widget: the regular meeting of `month`, the next planned
    meeting (not that one again), and every other meeting of the cell whose
    minutes are unfinished, oldest first, until they are final."""
    meetings = with_display_state(access.visible(user, Meeting).filter(cell=cell), now=now)
    this_month = meetings.filter(kind=MeetingKind.REGULAR, period=month).first()
    others = meetings.exclude(pk=this_month.pk) if this_month else meetings
    upcoming = (
        others.filter(state=MeetingState.PLANNED, scheduled_at__gte=now)
        .order_by("scheduled_at")
        .first()
    )
    unfinished = others.filter(minutes_unfinished_q(now)).order_by("scheduled_at")
    return {
        "this_month": this_month,
        "next": upcoming,
        "unfinished": list(unfinished[:UNFINISHED_ON_CARD]),
    }


def subtree_month(
    user, *, root: Organization, month: datetime.date, now: datetime.datetime
) -> dict:
    """`month_figures`, cached (chibo.figures) per scope, root, month and day
    until a meeting, minutes or the tree change. A planned meeting whose
    time passes with its draft begun counts as held at the latest after the
    cache's TTL."""
    return figures.memoised(
        "subtree-month",
        kinds=[figures.TREE, figures.MEETINGS],
        key=[access.scope_key(user), root.pk, root.path, month, timezone.localdate(now)],
        compute=lambda: month_figures(user, root=root, month=month, now=now),
    )


def month_figures(
    user, *, root: Organization, month: datetime.date, now: datetime.datetime
) -> dict:
    """An office's widget for `root`'s subtree and the meetings of `month`
    (their period): cells active that month, cells whose meeting took place,
    cells with minutes unfinished, cells with no thematic meeting held or
    planned that quarter; and `other_months`, the meetings of other months
    with minutes unfinished, per month, newest first. Two queries."""
    month_end = calendar.add_months(month, 1)
    q_start, q_end = calendar.quarter_bounds(*calendar.quarter_of(month))
    in_month = Meeting.objects.filter(cell=OuterRef("pk"), period=month)
    thematic = Meeting.objects.filter(
        thematic_q(),
        cell=OuterRef("pk"),
        state__in=[MeetingState.HELD, MeetingState.PLANNED],
        scheduled_at__gte=local_midnight(q_start),
        scheduled_at__lt=local_midnight(q_end),
    )
    cells = (
        access.visible(user, Organization)
        .cells()
        .filter(path__startswith=root.path)
        .filter(active_in_q(month, month_end))
    )
    # Conditions inline: annotating Exists() and then aggregating on it left
    # one annotation out of the SQL here (Django 5.2, SQLite).
    counts = cells.aggregate(
        cells=Count("pk"),
        met=Count("pk", filter=Q(Exists(in_month.filter(took_place_q(now))))),
        minutes_missing=Count("pk", filter=Q(Exists(in_month.filter(minutes_unfinished_q(now))))),
        no_thematic=Count("pk", filter=~Q(Exists(thematic))),
    )
    other_months = (
        access.visible(user, Meeting)
        .filter(cell__path__startswith=root.path)
        .filter(minutes_unfinished_q(now))
        .exclude(period=month)
        .values("period")
        .annotate(meetings=Count("pk"))
        .order_by("-period")
    )
    return {**counts, "other_months": list(other_months[:UNFINISHED_ON_CARD])}
