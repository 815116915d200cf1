"""Where a user's tree opens and what one of its nodes unfolds into.

The tree a user sees is made of the active organizations they may see; a
node's children there are the visible active organizations below it with no
visible active one in between (a cadre's assigned cell shows right under the
commune the cadre holds a role at). Both are read from the grants' anchors
(the organizations the roles are held at and the assigned cells) and the
materialized path, never by loading the visible tree: a bounded number of
queries whatever the size of the scope.
"""

import datetime

from django.db.models import Q, QuerySet

from chibo.models import Organization, active_q

from . import _active
from .roles import SUBTREE_ROLES, Grants, grants_for

STEP = Organization.steplen


def sees_subtree(user, organization: Organization) -> bool:
    """Whether the user sees every organization below `organization` (a
    superuser, or admin or staff of it or of an organization above it)."""
    if not _active(user):
        return False
    grants = grants_for(user)
    return grants.is_superuser or any(
        organization.path.startswith(path) for path in grants.paths_of(*SUBTREE_ROLES)
    )


def roots(user, *, on: datetime.date | None = None) -> QuerySet:
    """The visible active organizations with no visible active one above."""
    if not _active(user):
        return Organization.objects.none()
    grants = grants_for(user)
    if grants.is_superuser:
        return Organization.objects.filter(_first_active_below("", 0, on))
    return Organization.objects.filter(pk__in=_nearest(grants, None, on))


def children(user, organization: Organization, *, on: datetime.date | None = None) -> QuerySet:
    """The organizations `organization` unfolds into in the user's tree (the
    caller has checked that the user sees it)."""
    if not _active(user):
        return Organization.objects.none()
    if sees_subtree(user, organization):
        return Organization.objects.filter(
            _first_active_below(organization.path, organization.depth, on)
        )
    return Organization.objects.filter(pk__in=_nearest(grants_for(user), organization, on))


def _nearest(grants: Grants, below: Organization | None, on) -> list[int]:
    """Ids of the visible active organizations under `below` (or anywhere)
    with no visible active one between: the active anchors, and what an
    inactive subtree anchor lifts up; then those under another one drop."""
    anchors = Organization.objects.filter(
        pk__in=grants.ids_of(*grants.org_ids) + grants.assigned_cell_ids
    )
    if below is not None:
        anchors = anchors.filter(path__startswith=below.path, depth__gt=below.depth)
    subtree_ids = set(grants.ids_of(*SUBTREE_ROLES))
    found = {}
    day = on or datetime.date.today()
    for anchor in anchors:
        if anchor.is_active_on(day):
            found[anchor.pk] = anchor.path
        elif anchor.pk in subtree_ids:
            lifted = Organization.objects.filter(
                _first_active_below(anchor.path, anchor.depth, on)
            ).values_list("pk", "path")
            found.update(lifted)
    paths = set(found.values())
    return [
        pk
        for pk, path in found.items()
        if not any(path[:end] in paths for end in range(STEP, len(path), STEP))
    ]


def _first_active_below(path: str, depth: int, on) -> Q:
    """Q for the active organizations under `path` with no active one in
    between: its active children, and, under an inactive (dissolved or not
    yet founded) child that still has children, what lies below it."""
    q = Q(path__startswith=path, depth=depth + 1) & active_q(on)
    inactive = set(
        Organization.objects.filter(path__startswith=path, depth__gt=depth, numchild__gt=0)
        .exclude(active_q(on))
        .values_list("path", flat=True)
    )
    if not inactive:
        return q
    lifted = []
    below = Q(pk__in=[])
    for inner in inactive:
        below |= Q(path__startswith=inner, depth=len(inner) // STEP + 1)
    for pk, found in Organization.objects.filter(below & active_q(on)).values_list("pk", "path"):
        between = range(len(path) + STEP, len(found), STEP)
        if all(found[:end] in inactive for end in between):
            lifted.append(pk)
    return q | Q(pk__in=lifted)
