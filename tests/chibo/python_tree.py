"""The tree as chibo built it before it turned lazy: the user's whole
visible tree in Python, each row counting its subtree. Kept for the tests
only, as the reference the SQL counts must equal."""

from dataclasses import dataclass, field

from chibo import access
from chibo.models import Organization, OrganizationKind
from members.selectors import on_roll_per_cell

STEP = Organization.steplen


@dataclass
class Row:
    organization: Organization
    cells: int = 0
    members: int = 0
    children: list["Row"] = field(default_factory=list)


def python_tree(user, on=None) -> list[Row]:
    orgs = list(access.visible(user, Organization).active(on).order_by("path"))
    members = on_roll_per_cell([o.pk for o in orgs if o.kind == OrganizationKind.CELL])
    rows = {o.path: Row(o) for o in orgs}
    roots = []
    for org in orgs:
        row = rows[org.path]
        parent = next(
            (
                rows[org.path[:end]]
                for end in range(len(org.path) - STEP, 0, -STEP)
                if org.path[:end] in rows
            ),
            None,
        )
        (parent.children if parent else roots).append(row)
        if org.kind == OrganizationKind.CELL:
            for end in range(STEP, len(org.path) + 1, STEP):
                if org.path[:end] in rows:
                    rows[org.path[:end]].cells += 1
                    rows[org.path[:end]].members += members.get(org.pk, 0)
    return roots
