"""Reads of the meeting calendar, always starting from chibo.access."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from chibo import access, figures
from chibo.models import Organization
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


def _minutes_in(state: str) -> Q:
    return Q(Exists(Minutes.objects.filter(meeting=OuterRef("pk"), state=state)))


def took_place_q(now: datetime.datetime) -> Q:
    """Held, or still planned but its time has passed and its draft minutes
    are begun (the meeting happened; finalizing will mark it held)."""
    past_with_draft = Q(state=MeetingState.PLANNED, scheduled_at__lte=now) & _minutes_in(
        MinutesState.DRAFT
    )
    return Q(state=MeetingState.HELD) | past_with_draft


def minutes_unfinished_q(now: datetime.datetime) -> Q:
    """Took place (see took_place_q) and has no final minutes yet."""
    return took_place_q(now) & ~_minutes_in(MinutesState.FINAL)


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


def annotate_thematic(cells: QuerySet, start: datetime.date, end: datetime.date) -> QuerySet:
    """Each cell with `thematic_held` and `thematic_planned` for [start, end)."""
    in_range = Meeting.objects.filter(
        thematic_q(),
        cell=OuterRef("pk"),
        scheduled_at__gte=local_midnight(start),
        scheduled_at__lt=local_midnight(end),
    )
    return cells.annotate(
        thematic_held=Exists(in_range.filter(state=MeetingState.HELD)),
        thematic_planned=Exists(in_range.filter(state=MeetingState.PLANNED)),
    )


@dataclass
class ThematicReport:
    year: int
    quarter: int
    start: datetime.date
    end: datetime.date
    cells: int
    held: int
    planned: list
    missing: list


def thematic_report(user, *, root: Organization, year: int, quarter: int) -> ThematicReport:
    """Cells of `root`'s subtree (as `user` sees them) and their thematic
    meetings in the quarter: those with none held or planned, and those with
    one planned but not yet held. Two queries, whatever the subtree's size."""
    start, end = calendar.quarter_bounds(year, quarter)
    cells = (
        access.visible(user, Organization)
        .cells()
        .filter(path__startswith=root.path)
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lt=end))
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=start))
    )
    rows = list(annotate_thematic(cells, start, end).order_by("path"))
    parents = _parent_names([c.path for c in rows])
    for row in rows:
        row.parent_name = parents.get(row.path[: -Organization.steplen], "")
    return ThematicReport(
        year=year,
        quarter=quarter,
        start=start,
        end=end - datetime.timedelta(days=1),
        cells=len(rows),
        held=sum(1 for r in rows if r.thematic_held),
        planned=[r for r in rows if r.thematic_planned and not r.thematic_held],
        missing=[r for r in rows if not r.thematic_held and not r.thematic_planned],
    )


def _parent_names(paths: list[str]) -> dict[str, str]:
    parent_paths = {p[: -Organization.steplen] for p in paths}
    return dict(Organization.objects.filter(path__in=parent_paths).values_list("path", "name"))


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
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lt=month_end))
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=month))
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
