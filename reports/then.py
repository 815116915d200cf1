"""A report's tree "as it was then": the organizations, names and parents of
the period, from the dated versions the reorganizations left
(chibo.models.OrganizationVersion), instead of today's tree.

A cell moved to another commune after the period counts, in a report of the
period, under the commune it belonged to then, with that commune's name of
then. The figures are still counted in SQL per cell (the rules do not
change); only which row a cell adds to is decided here, from one query of
the versions that overlap the period.
"""

import copy
from dataclasses import dataclass

from django.db.models import F, Q

from chibo.models import Organization, OrganizationKind, OrganizationVersion
from meetings.selectors.schedule import report_cells

from .periods import Period

NOW, THEN = "now", "then"
MODES = (NOW, THEN)


@dataclass
class ThenScope:
    root: Organization  # a copy named as it was then
    groups: list[Organization]  # the root's children then (copies, named as then)
    group_of: dict[str, str]  # a cell's path (today's) -> its group's path (today's)
    cell_ids: list[int]  # the cells under the root then that the user sees


def versions_in(period: Period) -> dict[int, tuple[int | None, str, str]]:
    """{organization: (parent, name, kind)} as each stood in the period: of the
    versions that overlap it, the latest (a rename inside the period gives the
    new name). One query."""
    overlapping = (
        OrganizationVersion.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lt=period.end),
            Q(valid_to__isnull=True) | Q(valid_to__gt=period.start),
        )
        .order_by("organization_id", F("valid_from").asc(nulls_first=True), "pk")
        .values_list("organization_id", "parent_id", "name", "kind")
    )
    return {org: (parent, name, kind) for org, parent, name, kind in overlapping}


def then_scope(user, root: Organization, period: Period) -> ThenScope:
    """Which of the cells the user sees lay under `root` in the period, and
    under which of its children then."""
    versions = versions_in(period)
    below: dict[int, int | None] = {}  # organization -> the root's child it lay under

    def child_of_root(org_id: int | None, seen: int = 0) -> int | None:
        if org_id is None or seen > 64 or org_id not in versions:
            return None
        if org_id in below:
            return below[org_id]
        parent = versions[org_id][0]
        found = org_id if parent == root.pk else child_of_root(parent, seen + 1)
        below[org_id] = found
        return found

    visible = report_cells(user, period.start, period.end).values_list("pk", "path")
    group_pk_of, cell_ids = {}, []
    for pk, path in visible:
        group = pk if pk == root.pk else child_of_root(pk)  # a cell's report: itself
        if group is not None:
            group_pk_of[path] = group
            cell_ids.append(pk)
    by_pk = Organization.objects.in_bulk(set(group_pk_of.values()) | {root.pk})
    groups = {pk: _named_then(org, versions) for pk, org in by_pk.items()}
    rows = [groups[pk] for pk in set(group_pk_of.values())]
    rows.sort(key=lambda org: (org.kind == OrganizationKind.CELL, org.name, org.pk))
    return ThenScope(
        root=groups[root.pk],
        groups=rows,
        group_of={path: groups[pk].path for path, pk in group_pk_of.items()},
        cell_ids=cell_ids,
    )


def _named_then(organization: Organization, versions) -> Organization:
    """A copy of `organization` that carries its name of then (never saved)."""
    shown = copy.copy(organization)
    if organization.pk in versions:
        shown.name = versions[organization.pk][1]
    return shown
