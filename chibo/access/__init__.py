"""Who may see or change what: the one place that decides.

Every queryset a view shows starts from `visible(user, Model, action)`.
Rules are per model (registered by the modules of this package) and built
on the organization tree: a role on a node reaches that node's subtree
(admin, staff), the node itself (secretary, deputy, answerer), or the
cells the cadre is assigned to. Out of scope answers 404, so existence does
not leak; in scope but not allowed answers 403.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied  # noqa: F401 - re-exported for views
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .roles import EDIT, VIEW, Grants, grants_for

__all__ = ["VIEW", "EDIT", "visible", "get_or_deny", "can", "cells", "grants_for", "register"]

Rule = Callable[[Grants, str], QuerySet]
_RULES: dict[type[Model], Rule] = {}


def register(model: type[Model]):
    """Declare the rule that scopes `model` (used by this package's modules)."""

    def decorator(rule: Rule) -> Rule:
        _RULES[model] = rule
        return rule

    return decorator


def visible(user, model: type[Model], action: str = VIEW) -> QuerySet:
    """All objects of `model` that `user` may `action`; empty for strangers."""
    _load_rules()
    if model not in _RULES:
        raise LookupError(f"No access rule for {model.__name__}")
    if not user.is_authenticated or not user.is_active:
        return model._default_manager.none()
    return _RULES[model](grants_for(user), action)


def get_or_deny(user, model: type[Model], action: str = VIEW, *, related=(), **lookup):
    """The object, or 404 when the user may not see it, or 403 when they may
    see it but not `action` it."""
    obj = visible(user, model, VIEW).select_related(*related).filter(**lookup).first()
    if obj is None:
        raise Http404
    if action != VIEW and not can(user, action, obj):
        raise PermissionDenied
    return obj


def cells(user, action: str = VIEW) -> QuerySet:
    """Active cells whose records (members, meetings) the user may `action`:
    the choices of every cell field and filter."""
    from chibo.models import Organization

    from .rules import cells as cells_rule

    if not user.is_authenticated or not user.is_active:
        return Organization.objects.none()
    return cells_rule(grants_for(user), action)


def can(user, action: str, obj: Model) -> bool:
    return visible(user, type(obj), action).filter(pk=obj.pk).exists()


def subtree_q(paths: list[str], prefix: str = "") -> Q:
    """Q for organizations (through `prefix`) lying in any of these subtrees."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


_loaded = False


def _load_rules() -> None:
    # The rule modules import every app's models; loading them lazily keeps
    # this package importable from anywhere (apps, models, settings).
    global _loaded
    if not _loaded:
        from . import feedback, rules  # noqa: F401

        _loaded = True
