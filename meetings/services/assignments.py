"""Assigning cadres to cells, singly or in bulk, and ending assignments."""

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from chibo import figures
from chibo.models import Organization, Role, RoleKind
from meetings.models import Assignment
from members.models import CommitteeSeat, Member


class AssignmentError(Exception):
    """An assignment the rules refuse; the message is for the user."""


def overlapping(
    pairs: Sequence[tuple[Member, Organization]],
    *,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
) -> list[Assignment]:
    """Existing assignments of the same cadre to the same cell whose period
    meets [starts_on, ends_on) (ends exclusive, None = open). One query."""
    if not pairs:
        return []
    same_pair = Q(pk__in=[])
    for cadre, cell in pairs:
        same_pair |= Q(cadre=cadre, cell=cell)
    period = Q(ends_on__isnull=True) | Q(ends_on__gt=starts_on)
    if ends_on is not None:
        period &= Q(starts_on__lt=ends_on)
    return list(
        Assignment.objects.filter(same_pair)
        .filter(period)
        .select_related("cadre", "cell")
        .order_by("cadre__search_name", "cell__name")
    )


def _refuse_overlaps(pairs, *, starts_on, ends_on) -> None:
    clashes = overlapping(pairs, starts_on=starts_on, ends_on=ends_on)
    if clashes:
        raise AssignmentError(
            _("Already assigned, nothing was saved: %(list)s.")
            % {
                "list": "; ".join(
                    _("%(cadre)s to %(cell)s since %(date)s")
                    % {"cadre": a.cadre, "cell": a.cell, "date": f"{a.starts_on:%d/%m/%Y}"}
                    for a in clashes
                )
            }
        )


def _check_period(starts_on, ends_on) -> None:
    if ends_on is not None and ends_on <= starts_on:
        raise AssignmentError(_("The end date must be after the start date."))


def _give_cadre_roles(cadres: Sequence[Member], cells: Sequence[Organization]) -> None:
    """An assigned cadre reaches the cell through a cadre role (chibo.access):
    give one, on the committee where the cadre sits (else the cell's parent),
    to accounts that lack it."""
    user_ids = [c.user_id for c in cadres if c.user_id]
    has_role = set(
        Role.objects.filter(user_id__in=user_ids, kind=RoleKind.CADRE).values_list(
            "user_id", flat=True
        )
    )
    missing = [c for c in cadres if c.user_id and c.user_id not in has_role]
    if not missing:
        return
    seat_orgs = dict(
        CommitteeSeat.objects.current()
        .filter(member__in=missing)
        .order_by("-organization__depth")
        .values_list("member_id", "organization_id")
    )
    cell = cells[0]
    fallback = Organization.objects.filter(path=cell.path[: -Organization.steplen]).first() or cell
    for cadre in missing:
        Role.objects.get_or_create(
            user_id=cadre.user_id,
            organization_id=seat_orgs.get(cadre.pk, fallback.pk),
            kind=RoleKind.CADRE,
        )


@transaction.atomic
@figures.changes(figures.TREE, figures.VISITS)
def assign_cadre(
    *,
    cadre: Member,
    cell: Organization,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    by,
) -> Assignment:
    """Assign one cadre to one cell; refused when it overlaps an assignment
    of the same cadre to the same cell."""
    return assign_in_bulk(
        cadres=[cadre], cells=[cell], starts_on=starts_on, ends_on=ends_on, by=by
    )[0]


def deal_cells(
    cadres: Sequence[Member], cells: Sequence[Organization], per_cadre: int | None
) -> tuple[list[tuple[Member, Organization]], list[Organization]]:
    """Deal cells to cadres round-robin, at most `per_cadre` each (no limit
    when None): the pairs, and the cells left over when the cadres are full."""
    if not cadres:
        return [], list(cells)
    limit = len(cells) if per_cadre is None else per_cadre * len(cadres)
    pairs = [(cadres[i % len(cadres)], cell) for i, cell in enumerate(cells[:limit])]
    return pairs, list(cells[limit:])


@transaction.atomic
@figures.changes(figures.TREE, figures.VISITS)
def assign_in_bulk(
    *,
    cadres: Sequence[Member],
    cells: Sequence[Organization],
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    per_cadre: int | None = None,
    by,
) -> list[Assignment]:
    """Deal `cells` to `cadres` round-robin, `per_cadre` each (Liên Khê: each
    standing-committee member takes 5 cells); one cadre takes them all. All
    or nothing: any overlap with an existing assignment refuses the batch.
    Cells left over when every cadre has `per_cadre` are refused too."""
    _check_period(starts_on, ends_on)
    if not cadres or not cells:
        raise AssignmentError(_("Choose at least one cadre and one cell."))
    if per_cadre is not None and per_cadre < 1:
        raise AssignmentError(_("Each cadre takes at least one cell."))
    pairs, left_over = deal_cells(list(cadres), list(cells), per_cadre)
    if left_over:
        raise AssignmentError(
            _("%(n)s cells are left over: choose more cadres or more cells per cadre (%(cells)s).")
            % {"n": len(left_over), "cells": ", ".join(c.name for c in left_over)}
        )
    inactive = [cell.name for cell in cells if not cell.is_cell or not cell.is_active_on(starts_on)]
    if inactive:
        raise AssignmentError(
            _("Not an active cell on the start date: %(cells)s.") % {"cells": ", ".join(inactive)}
        )
    _refuse_overlaps(pairs, starts_on=starts_on, ends_on=ends_on)
    created = bulk_create_with_history(
        [
            Assignment(cadre=cadre, cell=cell, starts_on=starts_on, ends_on=ends_on, assigned_by=by)
            for cadre, cell in pairs
        ],
        Assignment,
        default_user=by,
    )
    _give_cadre_roles(list(cadres), list(cells))
    return created


@transaction.atomic
@figures.changes(figures.TREE, figures.VISITS)
def end_assignment(*, assignment: Assignment, ends_on: datetime.date, by) -> Assignment:
    """End an assignment on `ends_on` (exclusive: the cadre's last day is the
    day before)."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.ends_on is not None and assignment.ends_on <= ends_on:
        raise AssignmentError(
            _("This assignment already ends on %(date)s.")
            % {"date": f"{assignment.ends_on:%d/%m/%Y}"}
        )
    if ends_on <= assignment.starts_on:
        raise AssignmentError(_("The end date must be after the start date."))
    assignment.ends_on = ends_on
    assignment._history_user = by
    assignment.save(update_fields=["ends_on"])
    return assignment
