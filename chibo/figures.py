"""Figures over a subtree, cached until the data behind them changes.

Each kind of data has a version in the cache; a figure is stored under the
versions of the kinds it reads, so a write bumps its kind's version and
every figure that read it is simply never found again (no key to hunt
down). The services that write a kind call `changed(kind)`: bumped at once,
so the rest of the request reads fresh figures, and again at commit, so
nothing another request read before the commit outlives it. Writes that
bypass the services (a bulk load, a console) are caught by the TTL.

The figures are computed by the caller's own function, only memoised here:
the rule stays in one place. When the cache is down, they are computed.
"""

import hashlib
import logging
import time
from collections.abc import Callable, Hashable, Iterable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

# What each kind covers (the writers of each call `changed` with it).
TREE = "tree"  # organizations, members and their rolls, seats, roles
MEETINGS = "meetings"  # meetings, minutes, attendance
VISITS = "visits"  # cadre visits, assignments, quota rules, holidays
FEEDBACK = "feedback"  # feedback items, their moves, answering bodies
KINDS = (TREE, MEETINGS, VISITS, FEEDBACK)
# The safety net for writes that bypass the services: figures are at most this old.
TTL_SECONDS = 600


def version_key(kind: str) -> str:
    return f"chibo:figures:{kind}:version"


def version(kind: str) -> int:
    """The current version of `kind` (raises if the cache is down)."""
    return versions([kind])[0]


def stamp(kinds: Iterable[str]) -> str:
    """The versions of `kinds` as one text: what a figure, a drawing or a
    stored file read of these kinds is keyed by (raises when the cache is down)."""
    return ".".join(str(v) for v in versions(kinds))


def versions(kinds: Iterable[str]) -> list[int]:
    kinds = list(kinds)
    keys = [version_key(kind) for kind in kinds]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # Not 1: a version lost (evicted, flushed) must never meet old keys again.
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key)
    return [found[key] for key in keys]


def changed(*kinds: str) -> None:
    """Drop every figure that read one of these kinds: call it from each
    service that writes them, inside its transaction."""
    _check(kinds)
    _bump(kinds)
    transaction.on_commit(lambda: _bump(kinds))


def changes(*kinds: str) -> Callable:
    """Decorate a service: `changed(*kinds)` once it has written."""
    _check(kinds)

    def decorator(service: Callable) -> Callable:
        @wraps(service)
        def wrapper(*args, **kwargs):
            result = service(*args, **kwargs)
            changed(*kinds)
            return result

        return wrapper

    return decorator


def memoised(
    name: str, *, kinds: Iterable[str], key: Iterable[Any], compute: Callable[[], Any]
) -> Any:
    """`compute()`, cached under `name`, the parts of `key` (what the figure
    depends on besides the data: organization, month, scope...) and the
    versions of `kinds`. The value must pickle."""
    kinds = list(kinds)
    _check(kinds)
    try:
        cache_key = f"chibo:figures:{name}:{stamp(kinds)}:{_digest(key)}"
        value = cache.get(cache_key)
    except Exception:  # the cache is down: compute
        logger.warning("Figures' cache unavailable", exc_info=True)
        return compute()
    if value is not None:
        return value
    value = compute()
    try:
        cache.set(cache_key, value, timeout=TTL_SECONDS)
    except Exception:
        logger.warning("Figures' cache unavailable", exc_info=True)
    return value


def memoised_many(
    name: str,
    *,
    kinds: Iterable[str],
    keys: dict[Hashable, Iterable[Any]],
    compute: Callable[[list[Hashable]], dict[Hashable, Any]],
) -> dict[Hashable, Any]:
    """`memoised` for many figures at once (one per node of a list): `keys`
    maps each wanted id to the parts of its key, and `compute(ids)` returns
    the figures of the ids not found, in one go. Two cache round trips."""
    kinds = list(kinds)
    _check(kinds)
    if not keys:
        return {}
    try:
        versioned = stamp(kinds)
        cache_keys = {
            wanted: f"chibo:figures:{name}:{versioned}:{_digest(parts)}"
            for wanted, parts in keys.items()
        }
        stored = cache.get_many(list(cache_keys.values()))
    except Exception:  # the cache is down: compute
        logger.warning("Figures' cache unavailable", exc_info=True)
        return compute(list(keys))
    found = {wanted: stored[key] for wanted, key in cache_keys.items() if key in stored}
    missing = [wanted for wanted in keys if wanted not in found]
    if not missing:
        return found
    fresh = compute(missing)
    try:
        cache.set_many(
            {cache_keys[wanted]: fresh[wanted] for wanted in missing if wanted in fresh},
            timeout=TTL_SECONDS,
        )
    except Exception:
        logger.warning("Figures' cache unavailable", exc_info=True)
    return {**found, **fresh}


def _digest(parts: Iterable[Any]) -> str:
    text = "|".join(str(part) for part in parts)
    if len(text) <= 120:
        return text.replace(" ", "_")
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _check(kinds) -> None:
    unknown = set(kinds) - set(KINDS)
    if unknown or not kinds:
        raise ValueError(f"Unknown kinds of figures: {sorted(unknown) or 'none'}")


def _bump(kinds) -> None:
    for kind in kinds:
        key = version_key(kind)
        try:
            cache.incr(key)
        except ValueError:  # no version yet: any new one is unseen
            cache.add(key, time.time_ns(), timeout=None)
        except Exception:  # the cache is down: nothing cached can be read either
            logger.warning("Could not bump the %s figures' version", kind, exc_info=True)


class AdminChanges:
    """A ModelAdmin mixin: edits in the Django admin bypass the services, so
    they bump `figure_kinds` themselves (list_editable saves too)."""

    figure_kinds: tuple[str, ...] = ()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed(*self.figure_kinds)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        changed(*self.figure_kinds)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        changed(*self.figure_kinds)
