"""Who may see or change what: the one place that decides.

Every queryset a view shows starts from `visible(user, Model, action)`;
every page-level permission is a named capability asked with `has()` or
required with `require()`. The policies are per model and per capability,
registered here by the app that owns the model (`<app>/policies.py`, loaded
by its AppConfig.ready()), so this package imports no app. They are built on
the organization tree: a role on a node reaches that node's subtree (admin,
staff), the node itself (secretary, deputy, answerer), or the cells the
cadre is assigned to. Out of scope answers 404, so existence does not leak;
in scope but not allowed answers 403.
"""

import datetime
import hashlib
import json
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Field, ForeignObject, Lookup, Model, Q, QuerySet
from django.http import Http404

from .capabilities import Capability
from .roles import EDIT, VIEW, Grants, grants_for

__all__ = [
    "VIEW",
    "EDIT",
    "Capability",
    "PermissionDenied",
    "visible",
    "get_or_deny",
    "can",
    "cells",
    "has",
    "require",
    "member_id",
    "role_kinds",
    "register",
    "register_cells",
    "register_capability",
    "tree_roots",
    "tree_children",
    "sees_subtree",
    "scope_key",
]

Scope = Callable[[Grants, str], QuerySet]
CellScope = Callable[[Grants, str], Q]
# (user, their grants, organization or None, day or None) -> bool
Check = Callable[[object, Grants, Model | None, datetime.date | None], bool]
_SCOPES: dict[type[Model], Scope] = {}
_CELL_SCOPES: dict[type[Model], CellScope] = {}
_CAPABILITIES: dict[Capability, Check] = {}


def register(model: type[Model]):
    """Declare the scope of `model` (used by the apps' policies modules)."""

    def decorator(scope: Scope) -> Scope:
        _SCOPES[model] = scope
        return scope

    return decorator


def register_cells(model: type[Model]):
    """Declare which cells' `model` records the grants cover, as a Q on the
    cells (for `cells(user, action, of=model)`)."""

    def decorator(scope: CellScope) -> CellScope:
        _CELL_SCOPES[model] = scope
        return scope

    return decorator


def register_capability(capability: Capability):
    """Declare the check behind a capability (used by the policies modules)."""

    def decorator(check: Check) -> Check:
        _CAPABILITIES[capability] = check
        return check

    return decorator


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def visible(user, model: type[Model], action: str = VIEW) -> QuerySet:
    """All objects of `model` that `user` may `action`; empty for strangers."""
    if model not in _SCOPES:
        raise LookupError(f"No access scope for {model.__name__}")
    if not _active(user):
        return model._default_manager.none()
    return _SCOPES[model](grants_for(user), action)


def get_or_deny(user, model: type[Model], action: str = VIEW, *, related=(), **lookup):
    """The object, or 404 when the user may not see it, or 403 when they may
    see it but not `action` it."""
    obj = visible(user, model, VIEW).select_related(*related).filter(**lookup).first()
    if obj is None:
        raise Http404
    if action != VIEW and not can(user, action, obj):
        raise PermissionDenied
    return obj


def cells(user, action: str = VIEW, *, of: type[Model] | None = None) -> QuerySet:
    """Active cells whose records the user may `action`: by default their
    members (the choices of every cell field and filter); `of=Meeting` the
    cells the user sees whose meetings they may `action`, and so on for each
    model that registered a cell scope."""
    from chibo.models import Organization

    from .policies import cells_q

    if not _active(user):
        return Organization.objects.none()
    grants = grants_for(user)
    found = Organization.objects.cells().active()
    if of is None:
        return found.filter(cells_q(grants, action))
    return found.filter(cells_q(grants, VIEW)).filter(_CELL_SCOPES[of](grants, action))


def can(user, action: str, obj: Model) -> bool:
    return visible(user, type(obj), action).filter(pk=obj.pk).exists()


def has(
    user,
    capability: Capability,
    organization: Model | None = None,
    *,
    on: datetime.date | None = None,
) -> bool:
    """Whether `user` holds `capability` (at `organization`, on day `on`)."""
    if not _active(user):
        return False
    return _CAPABILITIES[capability](user, grants_for(user), organization, on)


def require(
    user,
    capability: Capability,
    organization: Model | None = None,
    *,
    on: datetime.date | None = None,
) -> None:
    """Raise 404 when `organization` is out of the user's sight, 403 when the
    user sees it (or none is given) but lacks `capability`."""
    if organization is not None:
        from chibo.models import Organization

        if not visible(user, Organization).filter(pk=organization.pk).exists():
            raise Http404
    if not has(user, capability, organization, on=on):
        raise PermissionDenied


def member_id(user) -> int | None:
    """The id of the party member behind the account, if any."""
    return grants_for(user).member_id if _active(user) else None


def role_kinds(user) -> set[str]:
    """The kinds of role the user holds (for the navigation, not for access);
    a superuser counts as an administrator."""
    if not _active(user):
        return set()
    grants = grants_for(user)
    return set(grants.paths) | ({"admin"} if grants.is_superuser else set())


def scope_key(user) -> str:
    """A short text that is the same for two users exactly when their grants
    are (roles at the same nodes, the same assigned cells): what a figure
    cached per scope is keyed by, so a changed role never meets old figures."""
    if not _active(user):
        return "none"
    grants = grants_for(user)
    if grants.is_superuser:
        return "superuser"
    roles = sorted((kind, path) for kind, paths in grants.paths.items() for path in paths)
    text = repr((roles, sorted(grants.assigned_cell_ids), grants.member_id))
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def subtree_q(paths: list[str], prefix: str = "") -> Q:
    """Q for organizations (through `prefix`) lying in any of these subtrees."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


@ForeignObject.register_lookup
@Field.register_lookup
class InArray(Lookup):
    """`field__in_array=subquery`: `field IN (subquery)`, written on
    PostgreSQL as `field = ANY(ARRAY(subquery))`. The array is computed once
    (an InitPlan), so a condition OR-ed with others stays a plain indexable
    test on the table: the planner may walk the list's ordering index and
    stop at the page for a wide scope, or combine the indexes of each arm
    (BitmapOr) for a narrow one. With IN, each arm is a hashed subplan or a
    join and the OR can only filter every row of the table.

    `field__in_array=[ids]` (a list of integers) sends the list as one
    parameter (`= ANY(%s)`, an array; json_each on SQLite): a province's
    thousands of ids cost no more to send than a handful, and the planner
    sees how many there are."""

    lookup_name = "in_array"
    prepare_rhs = False

    def _sides(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if self._is_list:
            return lhs, "%s", (*lhs_params, [int(pk) for pk in self.rhs])
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if not rhs.startswith("("):
            rhs = f"({rhs})"
        return lhs, rhs, (*lhs_params, *rhs_params)

    @property
    def _is_list(self) -> bool:
        return isinstance(self.rhs, list | tuple | set | frozenset)

    def as_sql(self, compiler, connection):
        lhs, rhs, params = self._sides(compiler, connection)
        if self._is_list:
            *params, ids = params
            return f"{lhs} IN (SELECT value FROM json_each(%s))", (*params, json.dumps(ids))
        return f"{lhs} IN {rhs}", params

    def as_postgresql(self, compiler, connection):
        lhs, rhs, params = self._sides(compiler, connection)
        if self._is_list:
            return f"{lhs} = ANY({rhs}::bigint[])", params
        return f"{lhs} = ANY(ARRAY{rhs})", params


# The tree as a user sees it (roots, a node's children); after the helpers
# above, which it uses.
from .tree import children as tree_children  # noqa: E402
from .tree import roots as tree_roots  # noqa: E402
from .tree import sees_subtree  # noqa: E402
