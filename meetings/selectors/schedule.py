"""Reads of the meeting calendar, always starting from chibo.access."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from chibo import access
from chibo.access import rules
from chibo.models import Organization
from meetings import calendar
from meetings.models import Meeting, MeetingKind, MeetingState, Minutes, MinutesState


def local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def meeting_cells(user, action: str = access.EDIT) -> QuerySet:
    """Active cells whose meetings `user` may `action`: for EDIT the cell's
    secretary and deputy (and administrators above), never office staff."""
    if not user.is_authenticated or not user.is_active:
        return Organization.objects.none()
    grants = access.grants_for(user)
    return access.cells(user).filter(rules.meeting_cell_q(grants, action, prefix=""))


def with_final_minutes(meetings: QuerySet) -> QuerySet:
    final = Minutes.objects.filter(meeting=OuterRef("pk"), state=MinutesState.FINAL)
    return meetings.annotate(has_final_minutes=Exists(final))


def meetings_for(user, *, cell: Organization | None = None, year: int | None = None) -> QuerySet:
    """The meetings `user` sees, newest first, optionally of one cell and year."""
    meetings = access.visible(user, Meeting).select_related("cell")
    if cell is not None:
        meetings = meetings.filter(cell=cell)
    if year is not None:
        start = local_midnight(datetime.date(year, 1, 1))
        end = local_midnight(datetime.date(year + 1, 1, 1))
        meetings = meetings.filter(scheduled_at__gte=start, scheduled_at__lt=end)
    return with_final_minutes(meetings).order_by("-scheduled_at", "-pk")


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


def cell_month(user, *, cell: Organization, today: datetime.date) -> dict:
    """A secretary's widget: this month's regular meeting and the next one."""
    meetings = with_final_minutes(access.visible(user, Meeting).filter(cell=cell))
    this_month = meetings.filter(
        kind=MeetingKind.REGULAR, period=calendar.first_of_month(today)
    ).first()
    upcoming = (
        meetings.filter(state=MeetingState.PLANNED, scheduled_at__gte=timezone.now())
        .order_by("scheduled_at")
        .first()
    )
    return {"this_month": this_month, "next": upcoming}


def subtree_month(user, *, root: Organization, today: datetime.date) -> dict:
    """An office's widget for `root`'s subtree: cells that met this month,
    cells with a meeting held this month but no final minutes, cells with no
    thematic meeting held or planned this quarter. One query for all three."""
    month = calendar.first_of_month(today)
    month_start, month_end = local_midnight(month), local_midnight(calendar.add_months(month, 1))
    q_start, q_end = calendar.quarter_bounds(*calendar.quarter_of(today))
    held_this_month = Meeting.objects.filter(
        cell=OuterRef("pk"),
        state=MeetingState.HELD,
        scheduled_at__gte=month_start,
        scheduled_at__lt=month_end,
    )
    without_minutes = held_this_month.exclude(
        Exists(Minutes.objects.filter(meeting=OuterRef("pk"), state=MinutesState.FINAL))
    )
    thematic = Meeting.objects.filter(
        thematic_q(),
        cell=OuterRef("pk"),
        state__in=[MeetingState.HELD, MeetingState.PLANNED],
        scheduled_at__gte=local_midnight(q_start),
        scheduled_at__lt=local_midnight(q_end),
    )
    cells = access.visible(user, Organization).cells().active(today)
    # Conditions inline: annotating Exists() and then aggregating on it left
    # one annotation out of the SQL here (Django 5.2, SQLite).
    return cells.filter(path__startswith=root.path).aggregate(
        cells=Count("pk"),
        met=Count("pk", filter=Q(Exists(held_this_month))),
        minutes_missing=Count("pk", filter=Q(Exists(without_minutes))),
        no_thematic=Count("pk", filter=~Q(Exists(thematic))),
    )
