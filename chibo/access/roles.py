"""A user's roles, read once per request and reduced to what access needs."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist

from chibo.models import RoleKind

VIEW = "view"
EDIT = "edit"

# Which roles reach a whole subtree, which only their own node.
SUBTREE_ROLES = {RoleKind.ADMIN, RoleKind.STAFF}
NODE_ROLES = {RoleKind.SECRETARY, RoleKind.DEPUTY, RoleKind.CADRE, RoleKind.ANSWERER}


@dataclass
class Grants:
    user_id: int
    is_superuser: bool = False
    # role kind -> materialized paths / organization ids where it is held
    paths: dict[str, list[str]] = field(default_factory=dict)
    org_ids: dict[str, list[int]] = field(default_factory=dict)
    member_id: int | None = None
    assigned_cell_ids: list[int] = field(default_factory=list)
    # What an app's policy reads once per request beyond the roles (see once).
    _once: dict = field(default_factory=dict, repr=False, compare=False)

    def once(self, key: str, compute: Callable[[], object]):
        """`compute()`, kept with the grants: the apps' own short lists (the
        bodies a user answers for, say) are read once per request, and only
        by the requests that need them."""
        if key not in self._once:
            self._once[key] = compute()
        return self._once[key]

    def paths_of(self, *kinds: str) -> list[str]:
        return [p for kind in kinds for p in self.paths.get(kind, [])]

    def ids_of(self, *kinds: str) -> list[int]:
        return [i for kind in kinds for i in self.org_ids.get(kind, [])]

    @property
    def is_anything(self) -> bool:
        return self.is_superuser or bool(self.paths)


# member id -> ids of the cells the cadre is assigned to today; registered by
# the app that keeps the assignments (meetings/policies.py).
_providers: dict[str, Callable[[int], list[int]]] = {}


def register_assigned_cells(provider: Callable[[int], list[int]]) -> None:
    _providers["assigned_cells"] = provider


def _assigned_cells(member_id: int) -> list[int]:
    provider = _providers.get("assigned_cells")
    return provider(member_id) if provider else []


def grants_for(user) -> Grants:
    """Cached on the user object, so one request reads the roles once."""
    cached = getattr(user, "_chibo_grants", None)
    if cached is not None:
        return cached
    grants = Grants(user_id=user.pk, is_superuser=user.is_superuser)
    for kind, org_id, path in user.chibo_roles.values_list(
        "kind", "organization_id", "organization__path"
    ):
        grants.paths.setdefault(kind, []).append(path)
        grants.org_ids.setdefault(kind, []).append(org_id)
    member_id = getattr(getattr(user, "member", None), "pk", None) if _has_member(user) else None
    grants.member_id = member_id
    if member_id and RoleKind.CADRE in grants.paths:
        grants.assigned_cell_ids = list(_assigned_cells(member_id))
    user._chibo_grants = grants
    return grants


def _has_member(user) -> bool:
    try:
        return user.member is not None
    except ObjectDoesNotExist:  # the account has no party member behind it
        return False


def forget(user) -> None:
    """Drop the cached grants (after roles or assignments change)."""
    user.__dict__.pop("_chibo_grants", None)
