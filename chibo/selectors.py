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
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from chibo import access, figures
from chibo.models import Organization, OrganizationKind

STEP = Organization.steplen
VERSION_KEY = figures.version_key(figures.TREE)
# A safety net for writes that bypass the services (a bulk load): cached
# counts are at most this old.
CACHE_SECONDS = figures.TTL_SECONDS
logger = logging.getLogger(__name__)


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
    tag = _members_tag(members)
    keys = {
        org.pk: f"chibo:tree-counts:{{}}:{on:%Y%m%d}:{tag}:{org.pk}"
        for org in organizations
        if access.sees_subtree(user, org)
    }
    found = _cached(keys)
    missing = sorted(
        (org for org in organizations if org.pk not in found), key=lambda org: org.depth
    )
    fresh = {}
    for depth, group in groupby(missing, key=lambda org: org.depth):
        fresh.update(_count(user, list(group), depth * STEP, on, members))
    _store({keys[pk]: counts for pk, counts in fresh.items() if pk in keys})
    return {**found, **fresh}


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


def _version() -> int:
    return figures.version(figures.TREE)


def _cached(keys: dict[int, str]) -> dict[int, Counts]:
    if not keys:
        return {}
    try:
        version = _version()
        for pk, key in keys.items():
            keys[pk] = key.format(version)
        values = cache.get_many(list(keys.values()))
    except Exception:  # the cache is down: count in SQL
        logger.warning("Tree counts' cache unavailable", exc_info=True)
        keys.clear()
        return {}
    return {pk: Counts(*values[key]) for pk, key in keys.items() if key in values}


def _store(values: dict[str, Counts]) -> None:
    if not values:
        return
    try:
        packed = {key: (c.cells, c.members, c.below) for key, c in values.items()}
        cache.set_many(packed, timeout=CACHE_SECONDS)
    except Exception:
        logger.warning("Tree counts' cache unavailable", exc_info=True)
