"""Writes to the organization tree. Every change is a dated Reorganization.

The tree (treebeard, materialized path) always shows today's shape; each
change closes the current OrganizationVersion and opens a new one, so the
names and parents valid on any earlier date can still be shown.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from .models import Organization, OrganizationVersion, Reorganization, ReorganizationKind
from .selectors import tree_changed


class TreeError(ValueError):
    """A reorganization that the rules do not allow."""


@transaction.atomic
def create_organization(
    *, parent: Organization | None, by=None, founded_on: datetime.date | None = None, **fields
) -> Organization:
    """Add a node under parent (or a root) with its first version and event."""
    if parent is not None and parent.is_cell:
        raise TreeError(_("A party cell cannot contain other organizations."))
    node = Organization(founded_on=founded_on, **fields)
    manager = Organization.objects
    node = manager.add_child(parent, instance=node) if parent else manager.add_root(instance=node)
    OrganizationVersion.objects.create(
        organization=node, name=node.name, kind=node.kind, parent=parent, valid_from=founded_on
    )
    _record(
        ReorganizationKind.FOUNDED,
        node,
        on=founded_on or datetime.date.today(),
        by=by,
        target=parent,
        new_name=node.name,
    )
    tree_changed()
    return node


# What an organization's page may change without a reorganization: its
# code, its place name and (for a cell) its regular meeting.
MEETING_FIELDS = (
    "meeting_day",
    "meeting_week",
    "meeting_weekday",
    "meeting_time",
    "meeting_place",
)
DETAIL_FIELDS = ("code", "place_name", *MEETING_FIELDS)


def update_organization_details(*, organization: Organization, by, **details) -> Organization:
    """Change details that are not reorganizations (no dated event; the
    history row records who). A name or a parent changes only through a
    reorganization, so any other field is refused."""
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"Not a detail of an organization: {', '.join(sorted(unknown))}")
    for name, value in details.items():
        setattr(organization, name, value)
    organization._history_user = by
    organization.save()
    return organization


def _open_new_version(org: Organization, *, on: datetime.date, **changes) -> None:
    current = org.versions.filter(valid_to__isnull=True).first()
    if current is None:  # created outside create_organization (admin, fixtures)
        current = OrganizationVersion.objects.create(
            organization=org,
            name=org.name,
            kind=org.kind,
            parent=Organization.objects.get_parent(org),
        )
    if current.valid_from and on <= current.valid_from:
        raise TreeError(
            _("The date must be after %(date)s.") % {"date": f"{current.valid_from:%d/%m/%Y}"}
        )
    current.valid_to = on
    current.save(update_fields=["valid_to"])
    values = {"name": current.name, "kind": current.kind, "parent": current.parent, **changes}
    OrganizationVersion.objects.create(organization=org, valid_from=on, **values)


def _refuse_if_dissolved(org: Organization, on: datetime.date | None = None) -> None:
    """Refuse a dissolved organization: as a target when dissolved by `on`;
    as the one changed (on=None) at all, since a change dated before its
    dissolution would open a version after the closed one."""
    if org.dissolved_on is not None and (on is None or org.dissolved_on <= on):
        raise TreeError(
            _("%(name)s was dissolved on %(date)s.")
            % {"name": org.name, "date": f"{org.dissolved_on:%d/%m/%Y}"}
        )


@transaction.atomic
def rename_organization(
    *, organization: Organization, name: str, on: datetime.date, by=None, decision: str = ""
) -> Organization:
    _refuse_if_dissolved(organization)
    old = organization.name
    _open_new_version(organization, on=on, name=name)
    organization.name = name
    organization.save()
    _record(
        ReorganizationKind.RENAMED,
        organization,
        on=on,
        by=by,
        old_name=old,
        new_name=name,
        decision=decision,
    )
    return organization


@transaction.atomic
def move_organization(
    *,
    organization: Organization,
    new_parent: Organization,
    on: datetime.date,
    by=None,
    decision: str = "",
) -> Organization:
    """Place organization (with its subtree) under new_parent from `on`."""
    _refuse_if_dissolved(organization)
    _refuse_if_dissolved(new_parent, on)
    if new_parent.is_cell:
        raise TreeError(_("A party cell cannot contain other organizations."))
    if new_parent.path.startswith(organization.path):
        raise TreeError(_("An organization cannot be moved under itself."))
    _open_new_version(organization, on=on, parent=new_parent)
    Organization.objects.move(organization, new_parent, pos="sorted-child")
    _record(
        ReorganizationKind.MOVED,
        organization,
        on=on,
        by=by,
        target=new_parent,
        old_name=organization.name,
        decision=decision,
    )
    tree_changed()
    return Organization.objects.get(pk=organization.pk)


@transaction.atomic
def dissolve_organization(
    *,
    organization: Organization,
    on: datetime.date,
    by=None,
    decision: str = "",
    merged_into: Organization | None = None,
) -> Organization:
    """Close an organization on `on`. Its children must have been moved first."""
    _refuse_if_dissolved(organization)
    organization = Organization.objects.get(pk=organization.pk)
    live_children = Organization.objects.get_children(organization).active(on)
    if live_children.exists():
        raise TreeError(
            _("Move or dissolve its %(count)d organizations first.")
            % {"count": live_children.count()}
        )
    current = organization.versions.filter(valid_to__isnull=True).first()
    if current and current.valid_from and on <= current.valid_from:
        # A version may not end before it began.
        raise TreeError(
            _("The date must be after %(date)s.") % {"date": f"{current.valid_from:%d/%m/%Y}"}
        )
    if current:
        current.valid_to = on
        current.save(update_fields=["valid_to"])
    organization.dissolved_on = on
    organization.save()
    _record(
        ReorganizationKind.MERGED if merged_into else ReorganizationKind.DISSOLVED,
        organization,
        on=on,
        by=by,
        target=merged_into,
        old_name=organization.name,
        decision=decision,
    )
    tree_changed()
    return organization


@transaction.atomic
def merge_organizations(
    *, source: Organization, into: Organization, on: datetime.date, by=None, decision: str = ""
) -> Organization:
    """Move every live child of source under `into`, then close source.

    Members of a merged cell are moved by members.services.dissolve_cell.
    """
    if source.pk == into.pk:
        raise TreeError(_("An organization cannot be merged into itself."))
    _refuse_if_dissolved(into, on)
    for child in list(Organization.objects.get_children(source).active(on)):
        move_organization(organization=child, new_parent=into, on=on, by=by, decision=decision)
    return dissolve_organization(
        organization=source, on=on, by=by, decision=decision, merged_into=into
    )


@dataclass
class HistoricNode:
    organization: Organization
    name: str
    kind: str
    children: list["HistoricNode"] = field(default_factory=list)


def tree_on(on: datetime.date, root: Organization | None = None) -> list[HistoricNode]:
    """The tree as it stood on a date, with the names of then, in one query."""
    rows = (
        OrganizationVersion.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .select_related("organization")
        .order_by("name")
    )
    nodes = {v.organization_id: HistoricNode(v.organization, v.name, v.kind) for v in rows}
    parents = {v.organization_id: v.parent_id for v in rows}
    roots = []
    for org_id, node in nodes.items():
        parent = nodes.get(parents[org_id])
        (parent.children if parent else roots).append(node)
    if root is not None:
        found = _find(roots, root.pk)
        return [found] if found else []
    return roots


def _find(nodes: list[HistoricNode], pk: int) -> HistoricNode | None:
    for node in nodes:
        if node.organization.pk == pk:
            return node
        found = _find(node.children, pk)
        if found:
            return found
    return None


def historic_level(on: datetime.date, visible: QuerySet, *, parent: Organization | None = None):
    """One level of the tree as it stood on `on`, among the `visible`
    organizations: the versions valid then of `parent`'s children, or of the
    roots (those whose parent then is out of sight), each with `has_children`
    (visible children then). A page shows a level and links to the next, so
    the cost follows the level, not the user's scope."""
    valid = OrganizationVersion.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on),
        Q(valid_to__isnull=True) | Q(valid_to__gt=on),
    )
    level = valid.filter(organization__in=visible)
    level = level.exclude(parent__in=visible) if parent is None else level.filter(parent=parent)
    return (
        level.annotate(
            has_children=Exists(
                valid.filter(parent=OuterRef("organization"), organization__in=visible)
            )
        )
        .select_related("organization")
        .order_by("name", "organization_id")
    )


def _record(kind: str, organization: Organization, *, on: datetime.date, by, **details):
    """The register's line for a change of the tree (old and new name, target, decision)."""
    return Reorganization.objects.create(
        kind=kind, date=on, organization=organization, recorded_by=by, **details
    )
