"""The policies of the base: organizations, and the Q helpers the apps'
policies build on. Each scope returns a queryset for (grants, action)."""

from django.db.models import Q

from chibo.models import ExportFile, Notification, Organization, RoleKind

from . import register, register_capability, subtree_q, visible
from .capabilities import Capability
from .roles import EDIT, VIEW, Grants

R = RoleKind


def organization_q(grants: Grants, action: str, prefix: str = "") -> Q:
    """Organizations (reached through `prefix`) the grants cover for `action`."""
    if grants.is_superuser:
        return Q()
    if action == VIEW:
        q = subtree_q(grants.paths_of(R.ADMIN, R.STAFF), prefix)
        node_ids = grants.ids_of(R.SECRETARY, R.DEPUTY, R.CADRE, R.ANSWERER)
        return q | Q(**{f"{prefix}pk__in": node_ids + grants.assigned_cell_ids})
    if action == EDIT:
        return subtree_q(grants.paths_of(R.ADMIN, R.STAFF), prefix)
    return Q(pk__in=[])


def cell_q(grants: Grants, action: str, prefix: str = "cell__") -> Q:
    """Cells whose records (members, meetings) the grants cover for `action`.

    Secretaries keep their cell's records; deputies and cadres read them.
    """
    if grants.is_superuser:
        return Q()
    q = subtree_q(grants.paths_of(R.ADMIN, R.STAFF), prefix)
    if action == VIEW:
        cells = grants.ids_of(R.SECRETARY, R.DEPUTY) + grants.assigned_cell_ids
    else:
        cells = grants.ids_of(R.SECRETARY)
    return q | Q(**{f"{prefix}pk__in": cells})


def cells_q(grants: Grants, action: str) -> Q:
    """The cells themselves whose records the grants cover (`access.cells`)."""
    return cell_q(grants, action, prefix="")


def admin_subtrees_q(grants: Grants, prefix: str = "cell__") -> Q:
    """Cells (through `prefix`) in the subtrees the grants administer."""
    return subtree_q(grants.paths_of(R.ADMIN), prefix)


def own_cell_ids(grants: Grants) -> list[int]:
    """The cells where the grants hold the secretary's or deputy's seat."""
    return grants.ids_of(R.SECRETARY, R.DEPUTY)


def is_cadre(grants: Grants) -> bool:
    """An assigned cadre's account: a cadre role and a party member behind it."""
    return bool(grants.member_id) and R.CADRE in grants.paths


@register(Organization)
def organizations(grants: Grants, action: str):
    return Organization.objects.filter(organization_q(grants, action))


@register(ExportFile)
def export_files(grants: Grants, action: str):
    """A background file is its owner's alone: not even a superuser sees
    another's (it holds what the owner's scope held when it was built)."""
    return ExportFile.objects.filter(owner_id=grants.user_id)


@register(Notification)
def notifications(grants: Grants, action: str):
    """A notification is its recipient's alone, to read and to mark read."""
    return Notification.objects.filter(recipient_id=grants.user_id)


@register_capability(Capability.IMPORT_ORGANIZATIONS)
def import_organizations(user, grants: Grants, organization, on) -> bool:
    return visible(user, Organization, EDIT).exists()
