"""The builders the apps register, and the progress they report."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.utils import timezone


class Progress:
    """Counts what a builder has written and records it every `every` items,
    so that a 200,000-row file costs about a hundred small UPDATEs, not one
    per row."""

    def __init__(self, export_id: int | None = None, *, every: int | None = None):
        self.export_id = export_id
        self.every = every or settings.EXPORT_PROGRESS_EVERY
        self.done = 0
        self._written = 0

    def start(self, total: int) -> None:
        self._save(total=total)

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.done - self._written >= self.every:
            self._save(done=self.done)

    def track(self, items: Iterable) -> Iterator:
        """`items`, counted as they are taken."""
        for item in items:
            yield item
            self.advance()

    def _save(self, **fields) -> None:
        self._written = self.done
        if self.export_id is None:  # an immediate export: nobody watches
            return
        from chibo.models import ExportFile, ExportStatus

        ExportFile.objects.filter(pk=self.export_id, status=ExportStatus.RUNNING).update(
            updated_at=timezone.now(), **fields
        )

    def __repr__(self):
        return f"Progress({self.export_id}, done={self.done})"


@dataclass(frozen=True)
class Builder:
    """How to build one kind of file.

    `build(user=, parameters=, progress=)` returns a binary file positioned at
    its start. It scopes everything through chibo.access with `user` (the
    owner, read afresh when the task runs) and raises Http404 or
    PermissionDenied when the parameters are out of the owner's sight.
    It calls `progress.start(total)` once it knows the size, then
    `progress.advance()` (or wraps its rows in `progress.track()`).

    `version(user=, parameters=)`, when given, names the state of the data
    the file would show (a report: the figures' versions, the day, the
    owner's scope): asked again while it is unchanged, the stored file is
    served instead of building it again.
    """

    kind: str
    title: object  # a lazy string: "Party members"
    build: Callable[..., IO[bytes]]
    content_type: str
    suffix: str
    version: Callable[..., str] | None = None


_BUILDERS: dict[str, Builder] = {}


def register(new: Builder) -> Builder:
    if new.kind in _BUILDERS and _BUILDERS[new.kind] != new:
        raise ValueError(f"Two builders for {new.kind!r}")
    _BUILDERS[new.kind] = new
    return new


def builder(kind: str) -> Builder:
    try:
        return _BUILDERS[kind]
    except KeyError:
        raise LookupError(f"No builder for {kind!r}") from None
