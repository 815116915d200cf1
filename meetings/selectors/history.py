"""The minutes' history: every saved change of the minutes, their speeches
and tasks, with the names of what the changes point at."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from chibo.text import display_name

from ..models import (
    Minutes,
    ResolutionTask,
)

HISTORY_HIDDEN = {
    "version",
    "updated_at",
    "updated_by",
    "pdf_sha256",
    "order",
    "cell",
    "minutes",
    "meeting",
    # Links the services keep between minutes, not something anyone typed.
    "amends",
    "assessed_in",
}


@dataclass
class HistoryEntry:
    at: datetime.datetime
    user: object
    subject: str
    kind: str  # "+" created, "~" changed, "-" removed
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # label, old, new
    # The last save of an entry that several autosaves of one page joined
    # (services.minutes._record_history); None for a single save.
    until: datetime.datetime | None = None


def minutes_history(minutes: Minutes) -> list[HistoryEntry]:
    """Every saved change of the minutes, their speeches and tasks: who, when,
    what (field, before, after), newest first. Four queries, and one per kind
    of record the changes point at (members, users)."""
    from django.utils.translation import gettext as _

    from ..models import Speech

    groups = [
        (_("Minutes"), minutes.history.all()),
        (_("Speech"), Speech.history.filter(minutes_id=minutes.pk)),
        (_("Task"), ResolutionTask.history.filter(minutes_id=minutes.pk)),
    ]
    raw = []
    for subject, queryset in groups:
        previous = {}
        for record in queryset.select_related("history_user").order_by(
            "history_date", "history_id"
        ):
            before = previous.get(record.id)
            changes = []
            if before is not None:
                delta = record.diff_against(before, excluded_fields=HISTORY_HIDDEN)
                changes = [(c.field, c.old, c.new) for c in delta.changes]
            elif record.history_type == "+":
                changes = [
                    (f.name, None, getattr(record, f.attname))
                    for f in _tracked(record)
                    if getattr(record, f.attname) not in (None, "", False)
                ]
            previous[record.id] = record
            raw.append((subject, record, changes))
    names = _related_names(raw)
    entries = []
    for subject, record, changes in raw:
        fields = [record.instance_type._meta.get_field(name) for name, _old, _new in changes]
        entries.append(
            HistoryEntry(
                at=record.history_date,
                user=record.history_user,
                subject=subject,
                kind=record.history_type,
                until=_until(record),
                changes=[
                    (str(f.verbose_name), _shown(f, old, names), _shown(f, new, names))
                    for f, (_name, old, new) in zip(fields, changes, strict=True)
                ],
            )
        )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


def _until(record) -> datetime.datetime | None:
    last = getattr(record, "updated_at", None) if record.instance_type is Minutes else None
    if last is None or last - record.history_date < datetime.timedelta(seconds=1):
        return None
    return last


def _tracked(record) -> list:
    return [
        f for f in record.tracked_fields if f.editable and f.name not in HISTORY_HIDDEN | {"id"}
    ]


def _related_names(raw) -> dict[tuple[type, int], str]:
    """The names of every record a change points at (members, users): one
    query per kind of record, so the history never shows a bare id."""
    wanted: dict[type, set] = {}
    for _subject, record, changes in raw:
        for name, old, new in changes:
            f = record.instance_type._meta.get_field(name)
            if f.many_to_one or f.one_to_one:
                wanted.setdefault(f.related_model, set()).update(v for v in (old, new) if v)
    return {
        (model, obj.pk): display_name(obj)
        for model, ids in wanted.items()
        for obj in model._default_manager.filter(pk__in=ids)
    }


def _shown(f, value, names: dict[tuple[type, int], str]) -> str:
    """A recorded value as the page shows it: names for links, the choice's
    label for a coded value, dates as dd/mm/yyyy."""
    from django.utils.translation import gettext as _

    if value in (None, ""):
        return "—"
    if f.many_to_one or f.one_to_one:
        return names.get((f.related_model, value), _("(deleted)"))
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    text = str(value)
    return text if len(text) <= 300 else text[:300] + "…"
