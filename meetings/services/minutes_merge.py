"""Merging two editors' saves of one draft (a three-way merge).

When a save starts from version V and someone else has saved since, the
minutes as they were at V (the base, rebuilt from the history), the editor's
text (mine) and what is saved now (theirs) are compared part by part: every
text and number, every speech and task (by its row key) and every result of
last month's tasks. A part changed on one side only takes that side; rows
added on either side are all kept; a part changed differently on both sides
is a `Conflict` that the editor settles with a choice (mine, theirs, or both
kept). Nothing either side typed is dropped without that choice.
"""

import dataclasses
import datetime
import uuid
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Minutes, ResolutionTask, Speech

MINE, THEIRS, BOTH = "mine", "theirs", "both"
UNKNOWN = object()  # the base is not in the history (older data): assume nothing


@dataclass
class DraftState:
    """Everything a draft save writes: `content` by CONTENT_FIELDS name,
    speeches and tasks in order (SpeechData, TaskData, each with its key),
    and the results of carried-over tasks by task id: (status, note)."""

    content: dict
    speeches: list
    tasks: list
    assessments: dict[int, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Conflict:
    key: str  # "field:news", "speech:<row key>", "task:<row key>", "assess:<task id>"
    label: str
    mine: str
    theirs: str
    choices: tuple[str, ...] = (MINE, THEIRS)


@dataclass
class Merge:
    """The merged state (mine where in conflict), the conflicts left, and
    what was taken from the other side."""

    state: DraftState
    conflicts: list[Conflict]
    taken: list[str]
    by: object = None  # the user whose save this one was merged with


def row_key(row) -> str:
    """A row's identity: its key, or one made from its id for rows older than keys."""
    return row.key or f"row{row.pk}"


def new_key() -> str:
    return uuid.uuid4().hex


def merge_states(
    *,
    base: DraftState | None,
    mine: DraftState,
    theirs: DraftState,
    labels: dict,
    text_fields,
    people: dict[int, str],
) -> Merge:
    """`labels`: content field -> label; `people`: member id -> name (for display)."""
    conflicts, taken = [], []

    def shown(name, value):
        return people.get(value, "—") if name.endswith("_id") else _shown(value)

    content = {}
    for name, their_value in theirs.content.items():
        base_value = base.content.get(name, UNKNOWN) if base else UNKNOWN
        my_value = mine.content.get(name, base_value if base else their_value)
        value, outcome = _three_way(base_value, my_value, their_value)
        content[name] = value
        if outcome == THEIRS:
            taken.append(str(labels[name]))
        elif outcome == "conflict":
            conflicts.append(
                Conflict(
                    f"field:{name}",
                    str(labels[name]),
                    shown(name, my_value),
                    shown(name, their_value),
                    (MINE, THEIRS, BOTH) if name in text_fields else (MINE, THEIRS),
                )
            )
    speeches = _merge_rows("speech", base and base.speeches, mine.speeches, theirs.speeches, people)
    tasks = _merge_rows("task", base and base.tasks, mine.tasks, theirs.tasks, people)
    assessments = {}
    for task_id, their_value in theirs.assessments.items():
        base_value = base.assessments.get(task_id, UNKNOWN) if base else UNKNOWN
        my_value = mine.assessments.get(task_id, their_value)
        value, outcome = _three_way(base_value, my_value, their_value)
        assessments[task_id] = value
        label = labels.get(f"assess:{task_id}") or _("Result of a task of last month")
        if outcome == "conflict":
            conflicts.append(
                Conflict(
                    f"assess:{task_id}",
                    label,
                    _assessment(my_value),
                    _assessment(their_value),
                )
            )
        elif outcome == THEIRS:
            taken.append(label)
    for rows, label in ((speeches, _("Speech")), (tasks, _("Task"))):
        conflicts.extend(dataclasses.replace(c, label=label) for c in rows.conflicts)
        taken.extend(f"{label}: {text}" for text in rows.taken)
    state = DraftState(content, speeches.rows, tasks.rows, assessments)
    return Merge(state, conflicts, taken)


def apply_choices(*, mine: DraftState, theirs: DraftState, choices: dict) -> DraftState:
    """The state to save once the editor has chosen: `mine` is the merged
    form as sent back (mine in every conflict), `theirs` the saved draft."""
    content = dict(mine.content)
    for name, choice in _picked(choices, "field"):
        if name not in theirs.content:
            continue
        if choice == THEIRS:
            content[name] = theirs.content[name]
        elif choice == BOTH and content.get(name) != theirs.content[name]:
            content[name] = "\n\n".join(p for p in (content.get(name), theirs.content[name]) if p)
    assessments = dict(mine.assessments)
    for task_id, choice in _picked(choices, "assess"):
        if choice == THEIRS and task_id.isdigit() and int(task_id) in theirs.assessments:
            assessments[int(task_id)] = theirs.assessments[int(task_id)]
    return DraftState(
        content,
        _choose_rows(mine.speeches, theirs.speeches, dict(_picked(choices, "speech"))),
        _choose_rows(mine.tasks, theirs.tasks, dict(_picked(choices, "task"))),
        assessments,
    )


def current_state(minutes: Minutes, *, content_fields, carried_over) -> DraftState:
    from .minutes import speech_data, task_data

    return DraftState(
        {name: getattr(minutes, name) for name in content_fields},
        [speech_data(s) for s in minutes.speeches.order_by("order", "id")],
        [task_data(t) for t in minutes.tasks.order_by("id")],
        {t.pk: (t.status, t.result_note) for t in carried_over},
    )


def base_state(minutes: Minutes, *, version: int, content_fields, carried_over):
    """The draft as it was at `version`, from the history: the Minutes row of
    that version, and the rows as they stood before the next save began
    (every history row of one save carries that save's moment; a row that
    autosaves joined keeps the moment of its first, so the next row after
    `version` tells when it ended)."""
    from .minutes import speech_data, task_data

    history = Minutes.history.filter(id=minutes.pk)
    at = history.filter(version=version).order_by("-history_id").first()
    cut = (
        history.filter(version__gt=version)
        .order_by("version", "history_id")
        .values_list("history_date", flat=True)
        .first()
    )
    if at is None or cut is None:
        return None
    speeches = _as_of(Speech.history.filter(minutes_id=minutes.pk, history_date__lt=cut))
    tasks = _as_of(ResolutionTask.history.filter(minutes_id=minutes.pk, history_date__lt=cut))
    results = _as_of(
        ResolutionTask.history.filter(id__in=[t.pk for t in carried_over], history_date__lt=cut)
    )
    speeches.sort(key=lambda s: (s.order, s.id))
    tasks.sort(key=lambda t: t.id)
    return DraftState(
        {name: getattr(at, name) for name in content_fields},
        [speech_data(s) for s in speeches],
        [task_data(t) for t in tasks],
        {t.id: (t.status, t.result_note) for t in results},
    )


# Helpers ------------------------------------------------------------------------


def _as_of(history) -> list:
    latest = {}
    for record in history.order_by("history_date", "history_id"):
        latest[record.id] = record
    return [r for r in latest.values() if r.history_type != "-"]


def _three_way(base, mine, theirs):
    if mine == theirs:
        return mine, None
    if base is not UNKNOWN and mine == base:
        return theirs, THEIRS
    if base is not UNKNOWN and theirs == base:
        return mine, MINE
    return mine, "conflict"


@dataclass
class _Rows:
    rows: list
    conflicts: list
    taken: list


def _merge_rows(kind: str, base, mine: list, theirs: list, people: dict) -> _Rows:
    def _row_text(row):
        return _described(row, people)

    base_by = {r.key: r for r in base} if base is not None else None
    theirs_by = {r.key: r for r in theirs}
    mine_keys = {r.key for r in mine}
    rows, conflicts, taken = [], [], []
    removed = _("(removed)")
    for row in mine:
        before = base_by.get(row.key, UNKNOWN) if base_by is not None else UNKNOWN
        if row.key in theirs_by:
            value, outcome = _three_way(before, row, theirs_by[row.key])
            rows.append(value)
            if outcome == THEIRS:
                taken.append(_row_text(value))
            elif outcome == "conflict":
                conflicts.append(
                    Conflict(
                        f"{kind}:{row.key}",
                        "",
                        _row_text(row),
                        _row_text(theirs_by[row.key]),
                        (MINE, THEIRS, BOTH),
                    )
                )
        elif before is UNKNOWN:
            rows.append(row)  # added here
        elif row != before:
            rows.append(row)  # they removed it, this editor changed it
            conflicts.append(Conflict(f"{kind}:{row.key}", "", _row_text(row), removed))
    for row in theirs:
        if row.key in mine_keys:
            continue
        before = base_by.get(row.key, UNKNOWN) if base_by is not None else UNKNOWN
        if before is UNKNOWN:
            rows.append(row)  # they added it
            taken.append(_row_text(row))
        elif row != before:
            # This editor removed it, they changed it: kept out of the form
            # until the choice; "theirs" brings it back from the saved draft.
            conflicts.append(Conflict(f"{kind}:{row.key}", "", removed, _row_text(row)))
    return _Rows(rows, conflicts, taken)


def _choose_rows(mine: list, theirs: list, choices: dict) -> list:
    theirs_by = {r.key: r for r in theirs}
    rows = []
    for row in mine:
        choice = choices.get(row.key)
        their_row = theirs_by.get(row.key)
        if choice == THEIRS:
            if their_row is not None:
                rows.append(their_row)
        else:
            rows.append(row)
            if choice == BOTH and their_row is not None and their_row != row:
                rows.append(dataclasses.replace(their_row, key=new_key()))
    mine_keys = {r.key for r in mine}
    for row in theirs:
        if row.key not in mine_keys and choices.get(row.key) in (THEIRS, BOTH):
            rows.append(row)
    return rows


def _picked(choices: dict, kind: str):
    for key, choice in choices.items():
        prefix, _sep, name = key.partition(":")
        if prefix == kind and choice in (MINE, THEIRS, BOTH):
            yield name, choice


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%H:%M")
    return str(value)


def _assessment(value) -> str:
    from ..models import TaskStatus

    status, note = value
    label = TaskStatus(status).label if status in TaskStatus.values else status
    return f"{label}{' · ' + note if note else ''}"


def _described(row, people: dict) -> str:
    if hasattr(row, "text"):
        who = row.speaker_name or people.get(row.member_id) or "—"
        return f"{who}: {row.text}"
    who = people.get(row.assignee_id) or row.assignee_text
    due = f" · {row.due_on.strftime('%d/%m/%Y')}" if row.due_on else ""
    return f"{row.title}{' · ' + who if who else ''}{due}"
