"""Reads about assigned cadres: their cells, meetings, visits and quotas."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from chibo import access
from chibo.models import Organization, RoleKind
from meetings.models import Assignment, CadreVisit, Meeting, MeetingState, QuotaRule
from members.models import CommitteeSeat, Member

from .schedule import local_midnight

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
    seated = CommitteeSeat.objects.current(on).filter(organization__in=scope).values("member_id")
    cadre_role = Q(
        user__chibo_roles__kind=RoleKind.CADRE, user__chibo_roles__organization__in=scope
    )
    ids = Member.objects.filter(Q(pk__in=seated) | cadre_role).on_roll().values("pk")
    return Member.objects.filter(pk__in=ids).order_by("search_name", "pk")


def assignments_for(user, *, current_only: bool = True, on: datetime.date | None = None):
    assignments = access.visible(user, Assignment).select_related("cadre", "cell")
    if current_only:
        assignments = assignments.current(on or timezone.localdate())
    return assignments.order_by("cadre__search_name", "cell__name", "starts_on")


# --- quotas --------------------------------------------------------------------


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    return local_midnight(datetime.date(year, 1, 1)), local_midnight(datetime.date(year + 1, 1, 1))


def quota_subquery(on: datetime.date, member_ref: str = "pk") -> Subquery:
    """Visits a year owed by the member: per current seat the rule for that
    very committee, else the rule for its level; with several seats, the
    highest. NULL when no rule applies."""
    rules = QuotaRule.objects.filter(seat_kind=OuterRef("kind")).values("visits_per_year")
    per_seat = Coalesce(
        Subquery(rules.filter(organization=OuterRef("organization"))[:1]),
        Subquery(
            rules.filter(
                organization__isnull=True, organization_kind=OuterRef("organization__kind")
            )[:1]
        ),
    )
    seats = (
        CommitteeSeat.objects.current(on)
        .filter(member=OuterRef(member_ref))
        .annotate(quota=per_seat)
        .values("member")
        .annotate(highest=Max("quota"))
        .values("highest")
    )
    return Subquery(seats, output_field=IntegerField())


def with_quota_progress(members: QuerySet, *, year: int, on: datetime.date) -> QuerySet:
    """Annotate `visits_done` (attended, at meetings held in `year`) and `quota`."""
    start, end = _year_bounds(year)
    done = (
        CadreVisit.objects.filter(
            cadre=OuterRef("pk"),
            attended=True,
            meeting__state=MeetingState.HELD,
            meeting__scheduled_at__gte=start,
            meeting__scheduled_at__lt=end,
        )
        .values("cadre")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return members.annotate(
        visits_done=Coalesce(Subquery(done, output_field=IntegerField()), Value(0)),
        quota=quota_subquery(on),
    )


def expected_by(quota: int | None, *, year: int, today: datetime.date) -> int:
    """Visits that should be done by `today` at an even pace (whole visits)."""
    if not quota:
        return 0
    if today.year != year:
        return quota if today.year > year else 0
    elapsed = (today - datetime.date(year, 1, 1)).days + 1
    length = (datetime.date(year + 1, 1, 1) - datetime.date(year, 1, 1)).days
    return quota * elapsed // length


@dataclass
class QuotaProgress:
    done: int
    quota: int | None
    expected: int

    @property
    def is_behind(self) -> bool:
        return self.quota is not None and self.done < self.expected

    @property
    def is_met(self) -> bool:
        return self.quota is not None and self.done >= self.quota


def progress_of(member: Member, *, year: int, today: datetime.date) -> QuotaProgress:
    row = with_quota_progress(Member.objects.filter(pk=member.pk), year=year, on=today).get()
    return QuotaProgress(row.visits_done, row.quota, expected_by(row.quota, year=year, today=today))


def quota_report(user, *, year: int, today: datetime.date) -> list:
    """Every cadre in `user`'s scope with their progress for `year`, one query.
    A cadre is 'behind' when fewer visits are done than an even pace through
    the year would have by today (all of the quota, for a past year)."""
    on = min(today, datetime.date(year, 12, 31))
    rows = list(with_quota_progress(cadre_choices(user, on=on), year=year, on=on))
    for row in rows:
        row.progress = QuotaProgress(
            row.visits_done, row.quota, expected_by(row.quota, year=year, today=today)
        )
    return rows


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
