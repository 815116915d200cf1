"""Reads of the organization tree, always through chibo.access.

The base imports no app: what the apps know about each cell (members on the
roll) is given by the caller (the tree's pages, in the top layer)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from chibo import access
from chibo.models import Organization, OrganizationKind

STEP = Organization.steplen


@dataclass
class TreeRow:
    organization: Organization
    cells: int = 0
    members: int = 0
    children: list["TreeRow"] = field(default_factory=list)


def _no_members(cell_ids: list[int]) -> dict[int, int]:
    return {}


def organization_tree(
    user,
    *,
    on: datetime.date | None = None,
    count_members: Callable[[list[int]], dict[int, int]] = _no_members,
) -> list[TreeRow]:
    """The user's visible, active organizations as a tree, each with the
    number of cells and of members in its subtree; `count_members(cell_ids)`
    gives the members per cell (the members app's roll). Two queries,
    whatever the size of the tree."""
    orgs = list(access.visible(user, Organization).active(on).order_by("path"))
    cell_ids = [o.pk for o in orgs if o.kind == OrganizationKind.CELL]
    members_per_cell = count_members(cell_ids)
    rows = {o.path: TreeRow(o) for o in orgs}
    roots = []
    for org in orgs:
        row = rows[org.path]
        parent = _nearest_visible_ancestor(org.path, rows)
        (parent.children if parent else roots).append(row)
        if org.kind == OrganizationKind.CELL:
            for ancestor in _ancestors_and_self(org.path, rows):
                ancestor.cells += 1
                ancestor.members += members_per_cell.get(org.pk, 0)
    return roots


def _ancestors_and_self(path: str, rows: dict[str, TreeRow]):
    for end in range(STEP, len(path) + 1, STEP):
        if path[:end] in rows:
            yield rows[path[:end]]


def _nearest_visible_ancestor(path: str, rows: dict[str, TreeRow]) -> TreeRow | None:
    for end in range(len(path) - STEP, 0, -STEP):
        if path[:end] in rows:
            return rows[path[:end]]
    return None


def children_of(roots: list[TreeRow], pk: int) -> list[TreeRow]:
    """The children rows of one organization in the user's tree."""
    stack = list(roots)
    while stack:
        row = stack.pop()
        if row.organization.pk == pk:
            return row.children
        stack.extend(row.children)
    return []
