"""Reads of the organization tree, always through chibo.access."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count

from chibo import access
from chibo.models import Organization, OrganizationKind

STEP = Organization.steplen


@dataclass
class TreeRow:
    organization: Organization
    cells: int = 0
    members: int = 0
    children: list["TreeRow"] = field(default_factory=list)


def organization_tree(user, *, on: datetime.date | None = None) -> list[TreeRow]:
    """The user's visible, active organizations as a tree, each with the
    number of cells and of members on the roll in its subtree (two queries,
    whatever the size of the tree)."""
    from members.models import Member

    orgs = list(access.visible(user, Organization).active(on).order_by("path"))
    cell_ids = [o.pk for o in orgs if o.kind == OrganizationKind.CELL]
    members_per_cell = dict(
        Member.objects.on_roll()
        .filter(cell_id__in=cell_ids)
        .values_list("cell_id")
        .annotate(n=Count("id"))
        .order_by()
    )
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


def organization_page(user, organization: Organization) -> dict:
    """What an organization's page shows: children or members, and history."""
    from members.models import Member

    today = datetime.date.today()
    context = {
        "organization": organization,
        "ancestors": access.visible(user, Organization).filter(
            path__in=[organization.path[:end] for end in range(STEP, len(organization.path), STEP)]
        ),
        "versions": organization.versions.select_related("parent").order_by("-valid_from"),
        "events": organization.reorganizations.select_related("target", "recorded_by"),
    }
    if organization.is_cell:
        context["members"] = (
            access.visible(user, Member).filter(cell=organization).on_roll().order_by("search_name")
        )
        context["positions"] = organization.positions.current(today).select_related("member")
        context["assignments"] = organization.assignments.current(today).select_related("cadre")
    else:
        context["children"] = _children_of(organization_tree(user), organization.pk)
    return context


def _children_of(roots: list[TreeRow], pk: int) -> list[TreeRow]:
    """The children rows of one organization in the user's tree."""
    stack = list(roots)
    while stack:
        row = stack.pop()
        if row.organization.pk == pk:
            return row.children
        stack.extend(row.children)
    return []
