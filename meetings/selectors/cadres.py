"""Reads about assigned cadres: their cells, meetings, visits and quotas."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from chibo import access, figures
from chibo.models import Organization, RoleKind
from chibo.pagination import Slice
from meetings import calendar
from meetings.models import (
    Assignment,
    CadreVisit,
    Holiday,
    Meeting,
    MeetingKind,
    MeetingState,
    QuotaRule,
)
from meetings.quota import QuotaProgress, QuotaTally, quota_progress, tally
from members.models import CommitteeSeat, Member

from .schedule import local_midnight, report_roots

UPCOMING_DAYS = 60
RECENT_DAYS = 120


def assignable_cells(user) -> QuerySet:
    """Active cells in the subtrees where `user` assigns cadres (staff, admin)."""
    return access.visible(user, Organization, access.EDIT).cells().active()


def cadre_choices(user, *, on: datetime.date | None = None) -> QuerySet:
    """Members `user` may assign: those with a current seat on a committee in
    the user's scope, and those whose account holds a cadre role there (a
    commune's civil servants take a cell too, as in Liên Khê)."""
    on = on or timezone.localdate()
    scope = access.visible(user, Organization, access.EDIT)
    seated = (
        CommitteeSeat.objects.current(on)
        .filter(organization__in=scope)
        .order_by()
        .values("member_id")
    )
    cadre_role = (
        Member.objects.filter(
            user__chibo_roles__kind=RoleKind.CADRE, user__chibo_roles__organization__in=scope
        )
        .order_by()
        .values("pk")
    )
    # A UNION of the two small sets, not an OR across joins: the planner
    # starts from the scope's seats and roles instead of scanning every member.
    ids = seated.union(cadre_role)
    return Member.objects.on_roll().filter(pk__in=ids).order_by("search_name", "pk")


def assignments_for(user, *, current_only: bool = True, on: datetime.date | None = None):
    assignments = access.visible(user, Assignment).select_related("cadre", "cell")
    if current_only:
        assignments = assignments.current(on or timezone.localdate())
    return assignments.order_by("cadre__search_name", "cell__name", "starts_on")


# --- quotas --------------------------------------------------------------------


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    return local_midnight(datetime.date(year, 1, 1)), local_midnight(datetime.date(year + 1, 1, 1))


def quota_figures(member_ids, *, year: int, on: datetime.date) -> dict[int, tuple[int, int | None]]:
    """Per member: (visits done at meetings held in `year`, visits a year owed).

    The quota: per current seat the rule for that very committee, else the
    rule for its level; with several seats, the highest; None when no rule
    applies. Two queries whatever the number of members, with no
    correlated subquery, so the plan's cost follows the members asked for.
    """
    asked = _asked(member_ids)
    start, end = _year_bounds(year)
    done = dict(
        CadreVisit.objects.filter(
            cadre_id__in_array=member_ids,
            attended=True,
            meeting__state=MeetingState.HELD,
            meeting__scheduled_at__gte=start,
            meeting__scheduled_at__lt=end,
        )
        .values_list("cadre_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rules = QuotaRule.objects.filter(seat_kind=OuterRef("kind")).values("visits_per_year")
    # Per seat, a look-up in the small rules table: correlated over the
    # members' seats only, never over the member table.
    per_seat = Coalesce(
        Subquery(rules.filter(organization=OuterRef("organization"))[:1]),
        Subquery(
            rules.filter(
                organization__isnull=True, organization_kind=OuterRef("organization__kind")
            )[:1]
        ),
    )
    quota: dict[int, int] = {}
    seats = CommitteeSeat.objects.current(on).filter(member_id__in_array=member_ids)
    for member_id, visits in seats.annotate(quota=per_seat).values_list("member_id", "quota"):
        if visits is not None:
            quota[member_id] = max(quota.get(member_id, visits), visits)
    if asked is None:
        return {pk: (done.get(pk, 0), quota.get(pk)) for pk in {*done, *quota}}
    return {pk: (done.get(pk, 0), quota.get(pk)) for pk in asked}


def _asked(member_ids) -> list | None:
    """The ids asked for, or None for a subquery. Answers for a subquery
    leave out the members with nothing. A list, however long, is one
    parameter (`in_array`)."""
    return None if isinstance(member_ids, QuerySet) else list(member_ids)


_SCHEDULE_FIELDS = ("meeting_day", "meeting_week", "meeting_weekday", "founded_on", "dissolved_on")


@dataclass(frozen=True)
class _CellSchedule:
    """What the days left need of a cell (the rules stay on Organization)."""

    meeting_day: int
    meeting_week: int | None
    meeting_weekday: int | None
    founded_on: datetime.date | None
    dissolved_on: datetime.date | None

    def is_active_on(self, on: datetime.date) -> bool:
        return Organization.is_active_on(self, on)


def meetings_left(member_ids, *, year: int, today: datetime.date) -> dict[int, int]:
    """Per cadre, the meetings of their current cells still to come in `year`
    from `today` on: every planned meeting dated from today, and, for a month
    whose regular meeting is not in the calendar yet, the day the cell's
    schedule gives (holidays shifted) when it falls in the year, from today,
    while the cell is active and the assignment runs. Held, cancelled and
    postponed meetings (no date yet) do not count. Three queries."""
    asked = _asked(member_ids)
    left = defaultdict(int, dict.fromkeys(asked or (), 0))
    start, end = max(today, datetime.date(year, 1, 1)), datetime.date(year + 1, 1, 1)
    if start >= end or asked == []:
        return left
    runs: dict[tuple[int, int], datetime.date | None] = {}
    cells = {}
    # Plain rows, not model instances: a province's report reads ten
    # thousand assignments, and building the objects cost seconds.
    assignments = Assignment.objects.current(today).filter(cadre_id__in_array=member_ids).order_by()
    for cadre_id, cell_id, ends_on, *schedule in assignments.values_list(
        "cadre_id", "cell_id", "ends_on", *(f"cell__{name}" for name in _SCHEDULE_FIELDS)
    ):
        if cell_id not in cells:
            cells[cell_id] = _CellSchedule(*schedule)
        key = (cadre_id, cell_id)
        earlier = runs.get(key, ends_on)
        runs[key] = None if None in (earlier, ends_on) else max(earlier, ends_on)
    days = _meeting_days(cells, start=start, end=end)
    for (cadre_id, cell_id), ends_on in runs.items():
        left[cadre_id] += sum(1 for day in days[cell_id] if ends_on is None or day < ends_on)
    return left


def _meeting_days(cells: dict, *, start: datetime.date, end: datetime.date) -> dict[int, list]:
    """The days of each cell's meetings still to come in [start, end)."""
    first_month = calendar.first_of_month(start)
    # Every meeting dated in the window, and every regular one of its months
    # (wherever a move put it), so a month already in the calendar is not
    # counted again by the schedule.
    rows = Meeting.objects.filter(cell_id__in_array=list(cells)).filter(
        Q(scheduled_at__gte=local_midnight(start), scheduled_at__lt=local_midnight(end))
        | Q(kind=MeetingKind.REGULAR, period__gte=first_month, period__lt=end)
    )
    planned, in_calendar = defaultdict(list), set()
    for cell_id, kind, period, state, at in rows.values_list(
        "cell_id", "kind", "period", "state", "scheduled_at"
    ):
        if kind == MeetingKind.REGULAR:
            in_calendar.add((cell_id, period))
        day = timezone.localdate(at)
        if state == MeetingState.PLANNED and start <= day < end:
            planned[cell_id].append(day)
    horizon = end + datetime.timedelta(days=calendar.MAX_SHIFT_DAYS)
    holidays = set(
        Holiday.objects.filter(date__gte=first_month, date__lt=horizon).values_list(
            "date", flat=True
        )
    )
    months = []
    while first_month < end:
        months.append(first_month)
        first_month = calendar.add_months(first_month, 1)
    days = {}
    for cell_id, cell in cells.items():
        by_schedule = [
            calendar.meeting_day(
                period,
                day=cell.meeting_day,
                week=cell.meeting_week,
                weekday=cell.meeting_weekday,
                holidays=holidays,
            )
            for period in months
            if (cell_id, period) not in in_calendar
        ]
        days[cell_id] = planned[cell_id] + [
            day for day in by_schedule if start <= day < end and cell.is_active_on(day)
        ]
    return days


def progress_of(member: Member, *, year: int, today: datetime.date) -> QuotaProgress:
    done, quota = quota_figures([member.pk], year=year, on=today)[member.pk]
    left = meetings_left([member.pk], year=year, today=today)[member.pk]
    return quota_progress(done=done, quota=quota, meetings_left=left, year=year, today=today)


@dataclass(frozen=True)
class CadreRow:
    pk: int
    full_name: str
    # The home cell's path: which sub-organization's summary the cadre counts in.
    cell_path: str
    progress: QuotaProgress


def quota_rows(
    user, *, year: int, today: datetime.date, within: Organization | None = None
) -> list[CadreRow]:
    """`cadre_rows`, cached (chibo.figures) per scope, organization, year and
    day until the tree, a meeting, a visit or an assignment change: the
    summary of a province reads thousands of cadres and tens of thousands
    of visits."""
    return figures.memoised(
        "quota-rows",
        kinds=[figures.TREE, figures.MEETINGS, figures.VISITS],
        key=[access.scope_key(user), within and within.pk, within and within.path, year, today],
        compute=lambda: cadre_rows(user, year=year, today=today, within=within),
    )


def cadre_rows(
    user, *, year: int, today: datetime.date, within: Organization | None = None
) -> list[CadreRow]:
    """Every cadre in `user`'s scope (with a home cell under `within`, when
    given) and their progress for `year` (behind, at risk: see
    meetings.quota), by name, in a fixed number of queries."""
    on = min(today, datetime.date(year, 12, 31))
    cadres = cadre_choices(user, on=on)
    if within is not None:
        cadres = cadres.filter(cell__path__startswith=within.path)
    found = list(cadres.values_list("pk", "full_name", "cell__path"))
    # The ids read, not the scope's query again: each figure's query is then
    # planned for the cadres it counts (a province's reran that query thrice).
    asked = [pk for pk, _name, _path in found]
    figures = quota_figures(asked, year=year, on=on)
    left = meetings_left(asked, year=year, today=today)
    return [
        CadreRow(
            pk=pk,
            full_name=name,
            cell_path=path,
            progress=quota_progress(
                done=figures.get(pk, (0, None))[0],
                quota=figures.get(pk, (0, None))[1],
                meetings_left=left[pk],
                year=year,
                today=today,
            ),
        )
        for pk, name, path in found
    ]


@dataclass(frozen=True)
class QuotaGroup:
    organization: Organization
    tally: QuotaTally


def quota_groups(rows: list[CadreRow], groups) -> list[QuotaGroup]:
    """The summary: per organization of `groups` (disjoint subtrees), its
    cadres counted by the rule of meetings.quota; groups without a cadre
    are left out, so the summary grows with the cadres, not the cells.
    Cadres whose home cell lies in none of the groups are not counted."""
    by_path = {o.path: o for o in groups}
    lengths = sorted({len(path) for path in by_path})
    members = defaultdict(list)
    for row in rows:
        for length in lengths:
            group = by_path.get(row.cell_path[:length])
            if group is not None:
                members[group.pk].append(row.progress)
                break
    return sorted(
        (QuotaGroup(organization=o, tally=tally(members[o.pk])) for o in groups if o.pk in members),
        key=lambda g: (g.organization.name, g.organization.pk),
    )


def quota_subgroups(user, within: Organization | None) -> list[Organization]:
    """The organizations a quota summary is broken down by: the children of
    `within` that the user watches; without `within`, the roots of the
    user's reports (the topmost organizations they watch)."""
    if within is not None:
        watched = access.visible(user, Organization, access.EDIT)
        return list(watched.filter(path__startswith=within.path, depth=within.depth + 1))
    roots = []
    # By path, a subtree's nodes follow its root: only the last root can cover the next node.
    for organization in report_roots(user).order_by("path"):
        if not roots or not organization.path.startswith(roots[-1].path):
            roots.append(organization)
    return roots


QUOTA_SHOWS = {
    "behind": lambda progress: progress.is_behind,
    "at_risk": lambda progress: progress.is_at_risk,
    "met": lambda progress: progress.is_met,
}


def quota_report(user, *, year: int, today: datetime.date) -> list[CadreRow]:
    """Every cadre in `user`'s scope with their progress for `year`."""
    return quota_rows(user, year=year, today=today)


def quota_page(
    user,
    *,
    year: int,
    today: datetime.date,
    within: Organization | None = None,
    show: str | None = None,
) -> dict:
    """The quota report of `within` (else of the user's whole scope; a scope
    with one root is that root's report): totals, the summary per
    sub-organization, and the cadres, only those flagged `show` (a key of
    QUOTA_SHOWS) when given, for the view to paginate."""
    groups = quota_subgroups(user, within)
    if within is None and len(groups) == 1:
        within = groups[0]
        groups = quota_subgroups(user, within)
    rows = quota_rows(user, year=year, today=today, within=within)
    wanted = QUOTA_SHOWS.get(show)
    return {
        "organization": within,
        "total": tally(row.progress for row in rows),
        "summary": quota_groups(rows, groups),
        "cadres": [row for row in rows if wanted is None or wanted(row.progress)],
        "show": show if wanted else None,
    }


def quota_view(
    user,
    *,
    year: int,
    today: datetime.date,
    within: Organization | None,
    show: str | None,
    page,
    orgs,
    per_page: int,
) -> dict:
    """`quota_page` cut to the page of cadres and the page of the summary
    shown (chibo.pagination.Slice), memoised per page: a cached page then
    costs what it shows, not the scope's thousands of cadres."""

    def compute() -> dict:
        report = quota_page(user, year=year, today=today, within=within, show=show)
        return {
            **report,
            "cadres": Slice.of(report["cadres"], per_page, page),
            "summary": Slice.of(report["summary"], per_page, orgs),
        }

    return figures.memoised(
        "quota-view",
        kinds=[figures.TREE, figures.MEETINGS, figures.VISITS],
        key=[
            access.scope_key(user),
            within and within.pk,
            within and within.path,
            year,
            today,
            show,
            str(page)[:12],
            str(orgs)[:12],
            per_page,
        ],
        compute=compute,
    )


# --- the cadre's own page ------------------------------------------------------


def current_cell_ids(member: Member, on: datetime.date) -> list[int]:
    return list(
        Assignment.objects.current(on).filter(cadre=member).values_list("cell_id", flat=True)
    )


def assigned_on(member: Member, cell_id: int, day: datetime.date) -> bool:
    return Assignment.objects.current(day).filter(cadre=member, cell_id=cell_id).exists()


def cadre_page(user, member: Member, *, today: datetime.date) -> dict:
    """Upcoming meetings of the cadre's cells (next 60 days), recent held
    meetings still without the cadre's visit record, and quota progress.
    A fixed number of queries."""
    now = timezone.now()
    cell_ids = current_cell_ids(member, today)
    meetings = access.visible(user, Meeting).filter(cell_id__in=cell_ids).select_related("cell")
    upcoming = meetings.filter(
        state=MeetingState.PLANNED,
        scheduled_at__gte=now,
        scheduled_at__lt=local_midnight(today + datetime.timedelta(days=UPCOMING_DAYS + 1)),
    ).order_by("scheduled_at")
    # Only meetings held while the cadre was assigned to the cell count.
    assigned_then = Assignment.objects.filter(
        cadre=member, cell=OuterRef("cell"), starts_on__lte=OuterRef("scheduled_at__date")
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=OuterRef("scheduled_at__date")))
    unrecorded = (
        meetings.filter(
            state=MeetingState.HELD,
            scheduled_at__gte=now - datetime.timedelta(days=RECENT_DAYS),
            scheduled_at__lte=now,
        )
        .filter(Exists(assigned_then))
        .exclude(Exists(CadreVisit.objects.filter(meeting=OuterRef("pk"), cadre=member)))
        .order_by("-scheduled_at")
    )
    return {
        "member": member,
        "cells": Organization.objects.filter(pk__in=cell_ids).order_by("name"),
        "upcoming": upcoming,
        "unrecorded": unrecorded,
        "progress": progress_of(member, year=today.year, today=today),
        "year": today.year,
    }
