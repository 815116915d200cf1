"""Reads of the organization tree, always through chibo.access.

The base imports no app: what the apps know about each cell (members on the
roll) is given by the caller (the tree's pages, in the top layer).

Counts come from SQL over the materialized path: for a bounded list of
nodes, one aggregate of the organizations and one of the members, grouped by
the path prefix of each node. A node whose whole subtree the user sees has
the same counts for everyone, so they are cached (Django's cache, Redis in
production) under the "tree" version of chibo.figures, which
`tree_changed()` bumps whenever the services change the tree or a roll; a
node seen only in part (a cadre's commune) is counted live, which is cheap
since the user sees little of it.
"""

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from chibo import access, figures
from chibo.models import Organization, OrganizationKind

STEP = Organization.steplen


@dataclass(frozen=True)
class Counts:
    cells: int = 0
    members: int = 0
    below: int = 0  # visible active organizations under the node


@dataclass
class TreeRow:
    organization: Organization
    cells: int = 0
    members: int = 0
    below: int = 0

    @property
    def expandable(self) -> bool:
        return self.below > 0


def subtree_counts(
    user,
    organizations: Iterable[Organization],
    *,
    on: datetime.date | None = None,
    members: QuerySet | None = None,
) -> dict[int, Counts]:
    """For each of these organizations (a bounded list the user sees): the
    active cells, the members and the organizations the user sees in its
    subtree. `members` is the caller's roll, a queryset of rows with a `cell`;
    without it members count 0. At most two queries per depth among the
    organizations, none when the counts are cached."""
    on = on or datetime.date.today()
    organizations = list(organizations)
    by_pk = {org.pk: org for org in organizations}
    shared = [org for org in organizations if access.sees_subtree(user, org)]
    tag = _members_tag(members)

    def count(pks) -> dict[int, Counts]:
        # Grouped by depth: one prefix length per aggregate.
        wanted = sorted((by_pk[pk] for pk in pks), key=lambda org: org.depth)
        counted = {}
        for depth, group in groupby(wanted, key=lambda org: org.depth):
            counted.update(_count(user, list(group), depth * STEP, on, members))
        return counted

    found = figures.memoised_many(
        "tree-counts",
        kinds=[figures.TREE],
        keys={org.pk: (f"{on:%Y%m%d}", tag, org.pk) for org in shared},
        compute=count,
    )
    return {**found, **count([pk for pk in by_pk if pk not in found])}


def _count(user, organizations, length, on, members) -> dict[int, Counts]:
    in_subtrees = Q(pk__in=[])
    for org in organizations:
        in_subtrees |= Q(path__startswith=org.path)
    scope = access.visible(user, Organization).active(on).filter(in_subtrees)
    nodes = {
        row["prefix"]: row
        for row in scope.annotate(prefix=Substr("path", 1, length))
        .values("prefix")
        .annotate(cells=Count("pk", filter=Q(kind=OrganizationKind.CELL)), nodes=Count("pk"))
        .order_by()
    }
    on_roll = {}
    if members is not None:
        on_roll = dict(
            members.filter(cell__in=scope.filter(kind=OrganizationKind.CELL).values("pk"))
            .annotate(prefix=Substr("cell__path", 1, length))
            .values_list("prefix")
            .annotate(n=Count("pk"))
            .order_by()
        )
    counts = {}
    for org in organizations:
        row = nodes.get(org.path, {"cells": 0, "nodes": 0})
        itself = 1 if org.is_active_on(on) else 0
        counts[org.pk] = Counts(row["cells"], on_roll.get(org.path, 0), row["nodes"] - itself)
    return counts


def rows(user, organizations, *, on=None, members: QuerySet | None = None) -> list[TreeRow]:
    """TreeRows for these organizations, in their order, with their counts."""
    organizations = list(organizations)
    counts = subtree_counts(user, organizations, on=on, members=members)
    return [TreeRow(org, **vars(counts[org.pk])) for org in organizations]


def tree_changed() -> None:
    """Drop every cached count (and every figure that read the tree): call
    it from each service that changes the tree or a roll."""
    figures.changed(figures.TREE)


def _members_tag(members: QuerySet | None) -> str:
    if members is None:
        return "-"
    return hashlib.md5(str(members.query).encode(), usedforsecurity=False).hexdigest()[:12]
