"""Writing minutes: drafts (optimistic locking), finalization and amendments.

Invariants:
- A draft changes only through `save_minutes`, which sends the version it
  started from; a conditional UPDATE makes the second of two concurrent
  saves fail with `MinutesConflict` instead of overwriting the first.
- Final minutes never change: every write path raises `MinutesFinal`.
  A correction is a new draft that `amends` the final one; both are kept.
- Every write leaves a history row with its user (`history_user`).
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from chibo import figures
from chibo.text import display_name
from members.models import Position, PositionKind

from .. import rules
from ..models import (
    Meeting,
    Minutes,
    MinutesState,
    ResolutionTask,
    Speech,
    TaskStatus,
)
from ..selectors.attendance import attendance_sheet, meeting_date
from ..selectors.minutes_facts import carried_over_tasks
from .minutes_merge import (
    DraftState,
    Merge,
    apply_choices,
    base_state,
    current_state,
    merge_states,
    new_key,
    row_key,
)

# What a draft save may change (the rest is bookkeeping or frozen at
# finalization): the people and times, and the fields the form passes as typed.
TEXT_FIELDS = [
    "party_fee_status",
    "programme",
    "news",
    "assessment",
    "criticism",
    "summary",
    "resolution",
]
TYPED_FIELDS = [
    *TEXT_FIELDS,
    "votes_for",
    "votes_against",
    "votes_abstain",
    "read_back_adopted",
]
CONTENT_FIELDS = ["chair_id", "minute_taker_id", "started_at", "ended_at", *TYPED_FIELDS]
SPEECH_FIELDS = ["member_id", "speaker_name", "text", "order", "key"]
TASK_FIELDS = ["title", "assignee_id", "assignee_text", "due_on", "key"]

# The longest text each part of the minutes takes, in characters: room for a
# long meeting, but not for a pasted book that no one can print or read back.
MAX_LENGTHS = {
    "party_fee_status": 4000,
    "programme": 4000,
    "news": 8000,
    "assessment": 8000,
    "criticism": 8000,
    "summary": 8000,
    "resolution": 8000,
    "speech_text": 4000,
    "speaker_name": 120,
    "task_title": 1000,
    "assignee_text": 200,
    "result_note": 300,
}


def too_long_message() -> str:
    """The message for a text over its limit; %(field)s, %(limit_value)s and
    %(show_value)s are filled in (Django's max_length validator names)."""
    return _("“%(field)s” is too long: at most %(limit_value)s characters (it has %(show_value)s).")


class MinutesError(ValueError):
    """A change to minutes that the rules refuse; `messages` says why."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(str(m) for m in messages))
        self.messages = [str(m) for m in messages]


class MinutesFinal(MinutesError):
    def __init__(self):
        super().__init__(
            [_("These minutes are final and cannot be changed. Amend them to correct them.")]
        )


class MinutesConflict(MinutesError):
    """Someone saved the draft since this editor loaded it, and both changed
    the same part: `merge` holds the merged draft (this editor's text in each
    conflict) and the conflicts to choose on."""

    def __init__(self, current: Minutes, merge: Merge | None = None):
        self.current = current
        self.merge = merge
        who = display_name(current.updated_by)
        when = timezone.localtime(current.updated_at).strftime("%H:%M %d/%m/%Y")
        super().__init__(
            [
                _(
                    "%(who)s saved these minutes at %(when)s, after you started editing. "
                    "Nothing was overwritten: compare both texts and save again."
                )
                % {"who": who, "when": when}
            ]
        )


class FinalizeRefused(MinutesError):
    def __init__(self, findings: list[rules.Finding]):
        self.findings = findings
        super().__init__([f.message for f in findings])


@dataclass(frozen=True)
class SpeechData:
    text: str
    member_id: int | None = None
    speaker_name: str = ""
    key: str = ""  # the row's identity; rows sent without one are matched in order


@dataclass(frozen=True)
class TaskData:
    title: str
    assignee_id: int | None = None
    assignee_text: str = ""
    due_on: datetime.date | None = None
    key: str = ""


def speech_data(row) -> SpeechData:
    return SpeechData(row.text, row.member_id, row.speaker_name, row_key(row))


def task_data(row) -> TaskData:
    return TaskData(row.title, row.assignee_id, row.assignee_text, row.due_on, row_key(row))


@dataclass(frozen=True)
class Assessment:
    """The result of a task carried over from an earlier month."""

    task_id: int
    status: str
    result_note: str = ""


# Drafts ---------------------------------------------------------------------


def minutes_to_edit(*, meeting: Meeting) -> Minutes:
    """The meeting's minutes in force or being written; when there are none
    yet, an unsaved draft (the cell's secretary in the chair) that the first
    save creates through `start_minutes`. Reading writes nothing."""
    latest = Minutes.objects.filter(meeting=meeting).order_by("-id").first()
    if latest is not None:
        return latest
    chair = (
        Position.objects.current(meeting_date(meeting))
        .filter(cell_id=meeting.cell_id, kind=PositionKind.SECRETARY)
        .values_list("member_id", flat=True)
        .first()
    )
    return Minutes(meeting=meeting, chair_id=chair)


@figures.changes(figures.MEETINGS)
def start_minutes(*, meeting: Meeting, by) -> Minutes:
    """The meeting's minutes in force or being written; a new draft (the cell's
    secretary in the chair) when there are none yet."""
    minutes = minutes_to_edit(meeting=meeting)
    if minutes.pk is not None:
        return minutes
    minutes.updated_by = by
    minutes._history_user = by
    try:
        with transaction.atomic():
            minutes.save()
    except IntegrityError:
        # Two first openings at once: the other one created it.
        return Minutes.objects.get(meeting=meeting, amends__isnull=True)
    return minutes


@transaction.atomic
def save_minutes(
    *,
    minutes: Minutes,
    version: int,
    content: dict,
    speeches: list[SpeechData] | None = (),
    tasks: list[TaskData] | None = (),
    assessments: list[Assessment] | None = (),
    by,
    editor_token: str = "",
    save_id: str = "",
    choices: dict[str, str] | None = None,
    autosave: bool = False,
    posted: dict[str, str] | None = None,
    fresh: bool = False,
) -> Minutes:
    """Save a draft edited from `version`; returns it at its new version.

    `editor_token` names one editor's page (kept with its local copy) and
    `save_id` one save: a save sent twice is written once, and a save from
    the page whose previous reply was lost is no conflict. When someone else
    saved since `version`, their changes and these are merged part by part;
    the minutes returned then carry the `merge`. Raises MinutesConflict when
    both changed the same part (nothing is written), with the choices to
    make; `choices` (conflict key -> mine/theirs/both) settle those of the
    saved draft at `version`. Raises MinutesFinal for final minutes.

    Only what differs from the saved draft is written, and a save that
    changes nothing writes nothing. `content` may hold only the fields that
    changed, and speeches, tasks or assessments None when unchanged since
    `version` (an autosave that compared its post with `posted_digests`).
    `autosave` marks a save that may join the editor's last history row
    (`_record_history`); `posted` are the digests of the post, kept for the
    next autosave. `fresh`: `minutes` was read by this request, so it is
    taken as the saved draft (the conditional UPDATE still checks it).
    """
    arguments = dict(locals())
    del arguments["fresh"]
    tries = 3 if fresh else 2
    for attempt in range(tries):
        try:
            return _save(**arguments, current=minutes if fresh and attempt == 0 else None)
        except MinutesConflict as error:
            # Another save landed between reading the draft and writing it:
            # merge with that one too.
            if error.merge is not None or attempt == tries - 1:
                raise
    raise AssertionError("unreachable")


def _save(
    *,
    minutes,
    version,
    content,
    speeches,
    tasks,
    assessments,
    by,
    editor_token,
    save_id,
    choices,
    autosave,
    posted,
    current,
):
    unknown = set(content) - set(CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Not a content field of minutes: {', '.join(sorted(unknown))}")
    _check_lengths(content, speeches or (), tasks or (), assessments or ())
    mine = DraftState(
        dict(content),
        None if speeches is None else list(speeches),
        None if tasks is None else list(tasks),
        None
        if assessments is None
        else {a.task_id: (a.status, a.result_note) for a in assessments},
    )
    if current is None:
        current = Minutes.objects.select_related("updated_by", "meeting").get(pk=minutes.pk)
    if current.is_final:
        raise MinutesFinal
    merge = None
    if current.version != version:
        later = list(
            Minutes.history.filter(id=minutes.pk, version__gt=version)
            .order_by("version", "history_id")
            .values_list("version", "history_user_id", "history_change_reason")
        )
        if save_id and (
            save_id in current.posted_digests.get(SAVES_KEY, [])
            or any(_save_of(reason) == save_id for _v, _user, reason in later)
        ):
            current.merge = None
            return current  # this very save, sent again after its reply was lost
        own = [
            bool(editor_token) and user == by.pk and _token_of(reason) == editor_token
            for _v, user, reason in later
        ]
        if not (later and all(own)):
            # The editor has what its own saves wrote: the merge starts from
            # the last of those before anyone else's.
            leading = next((n for n, is_own in enumerate(own) if not is_own), 0)
            base_version = later[leading - 1][0] if leading else version
            merge = _merge(current, base_version, mine)
            if merge.conflicts:
                raise MinutesConflict(current, merge)
            mine = merge.state
            posted = None  # the merged draft is not what the page posted
    elif choices:
        mine = apply_choices(mine=mine, theirs=draft_state(current), choices=choices)
        posted = None
    reason = _reason(editor_token, save_id, autosave=autosave)
    saved = _write(current, current.version, mine, by, reason=reason, posted=posted)
    if saved is not minutes:
        for f in Minutes._meta.concrete_fields:
            setattr(minutes, f.attname, getattr(saved, f.attname))
    minutes.merge = merge
    return minutes


def _write(
    current: Minutes, version: int, state: DraftState, by, *, reason: str, posted: dict | None
) -> Minutes:
    """Write what `state` changes in the saved draft `current` (at `version`):
    the changed columns, the rows that differ, their history. An autosave
    that changes nothing writes nothing (but the post's digests); the save
    button always leaves its history row."""
    now = timezone.now()
    content = {
        name: value for name, value in state.content.items() if getattr(current, name) != value
    }
    join = _join_rule(by, now, reason)
    speeches = None if state.speeches is None else _speech_plan(current, state.speeches, join)
    tasks = None if state.tasks is None else _task_plan(current, state.tasks, join)
    assessed = _assessment_plan(current, state.assessments or {})
    if _is_autosave(reason) and not content and not any((speeches, tasks, assessed)):
        kept = {**(posted or {}), SAVES_KEY: current.posted_digests.get(SAVES_KEY, [])}
        if posted is not None and kept != current.posted_digests:
            # The same draft, posted otherwise: compare the next autosave with this post.
            Minutes.objects.filter(pk=current.pk, version=version).update(posted_digests=kept)
            current.posted_digests = kept
        return current
    saves = current.posted_digests.get(SAVES_KEY, [])
    if _save_of(reason):
        saves = [*saves, _save_of(reason)][-RECENT_SAVES:]
    bookkeeping = {
        "version": version + 1,
        "updated_by": by,
        "updated_at": now,
        "posted_digests": {**(posted or {}), SAVES_KEY: saves},
    }
    # A sort of optimistic lock: the row changes only if nobody saved since.
    claimed = Minutes.objects.filter(
        pk=current.pk, version=version, state=MinutesState.DRAFT
    ).update(**content, **bookkeeping)
    if not claimed:
        current = Minutes.objects.select_related("updated_by").get(pk=current.pk)
        if current.is_final:
            raise MinutesFinal
        raise MinutesConflict(current)
    for name, value in {**content, **bookkeeping}.items():
        setattr(current, name, value)
    joined = _record_history(current, by, now, reason=reason, join=join)
    if speeches:
        speeches.apply(by, now, reason=reason, joined=joined)
    if tasks:
        tasks.apply(by, now, reason=reason, joined=joined)
    if assessed:
        bulk_update_with_history(
            assessed,
            ResolutionTask,
            ["status", "result_note", "assessed_in"],
            default_user=by,
            default_date=now,
        )
    return current


# One history row per editor page and minute ---------------------------------

# An autosave joins the last history row when that row is one of its own:
# written by the same user from the same editor page (its token) by an
# autosave, within the same minute, and no page was given its version since
# (`show_version`: that version stays the base of a later merge). Every other
# save (the save button, finalize, amend, another user or page, the next
# minute) adds a row. The row keeps the time of its first save as its date
# and the last one in `updated_at`, and the content of the last.
AUTOSAVE_MARK = "auto"
# The ids of the draft's latest saves, kept with the post's digests: a joined
# history row names only its last save, and a save sent again is still
# recognized (and written once).
SAVES_KEY = "_saves"
RECENT_SAVES = 20


def _is_autosave(reason: str) -> bool:
    return reason.startswith(AUTOSAVE_MARK + " ")


def _join_rule(by, now, reason: str) -> Q | None:
    """The history rows this save may join, as a filter on a history table:
    an autosave's, by the same user from the same editor page, within this
    minute. None when this save always adds its rows. The one rule for the
    minutes' row and for their speeches' and tasks' rows."""
    token = _token_of(reason)
    if not _is_autosave(reason) or not token or by is None:
        return None
    return Q(
        history_user=by,
        history_change_reason__startswith=f"{AUTOSAVE_MARK} editor:{token} ",
        history_date__gte=now.replace(second=0, microsecond=0),
    )


def _record_history(minutes: Minutes, by, now, *, reason: str, join: Q | None) -> bool:
    """The minutes' history row of this save; True when it joined the last one."""
    if join is not None and _join_last_row(minutes, join, reason=reason):
        return True
    # .update() sends no signal: the history row is written here, with its user
    # (set on the instance too, which simple_history prefers to the default).
    # Every history row of one save carries its moment, so that the draft of
    # any version can be rebuilt for a merge.
    minutes._history_user = by
    minutes._change_reason = reason
    Minutes.history.bulk_history_create([minutes], update=True, default_user=by, default_date=now)
    return False


def _join_last_row(minutes: Minutes, join: Q, *, reason: str) -> bool:
    """Update the editor's own last history row with this save (one query)."""
    latest = Minutes.history.filter(id=minutes.pk).order_by("-history_id").values("history_id")[:1]
    # Checked after this save's UPDATE of the minutes: a page shown the
    # version meanwhile (show_version) either came first, and is seen here,
    # or waits for this transaction and is then given the new version.
    unshown = Minutes.objects.filter(pk=minutes.pk, shown_version__lt=minutes.version - 1)
    fields = {
        f.attname: getattr(minutes, f.attname)
        for f in Minutes.history.model.tracked_fields
        if f.attname != "id"
    }
    return bool(
        Minutes.history.filter(join, history_id=Subquery(latest), version=minutes.version - 1)
        .filter(Exists(unshown))
        .update(**fields, history_change_reason=reason)
    )


def show_version(minutes: Minutes) -> bool:
    """An editor page is given this draft's version: keep its history row
    (the base of a merge if that page saves after someone else). False when
    the draft changed since it was read: read it again, then call again."""
    if minutes.pk is None or minutes.is_final or minutes.shown_version >= minutes.version:
        return True
    shown = Minutes.objects.filter(pk=minutes.pk, version=minutes.version).update(
        shown_version=minutes.version
    )
    if shown:
        minutes.shown_version = minutes.version
    return bool(shown)


def draft_state(minutes: Minutes) -> DraftState:
    """The draft as saved now, in the shape a save takes."""
    return current_state(
        minutes, content_fields=CONTENT_FIELDS, carried_over=carried_over_tasks(minutes)
    )


def _merge(current: Minutes, version: int, mine: DraftState) -> Merge:
    carried = list(carried_over_tasks(current))
    theirs = current_state(current, content_fields=CONTENT_FIELDS, carried_over=carried)
    # A part the editor left as it was at `version` (None) is theirs now.
    mine = DraftState(
        mine.content,
        theirs.speeches if mine.speeches is None else mine.speeches,
        theirs.tasks if mine.tasks is None else mine.tasks,
        theirs.assessments if mine.assessments is None else mine.assessments,
    )
    base = base_state(current, version=version, content_fields=CONTENT_FIELDS, carried_over=carried)
    sheet = attendance_sheet(current.meeting, visitors=False)
    people = {r.member.pk: r.member.full_name for r in sheet.members + sheet.temporary}
    labels = {
        name: str(Minutes._meta.get_field(name.removesuffix("_id")).verbose_name).capitalize()
        for name in CONTENT_FIELDS
    }
    result = _("Result of a task of last month")
    labels.update({f"assess:{t.pk}": f"{result}: {t.title[:80]}" for t in carried})
    merge = merge_states(
        base=base, mine=mine, theirs=theirs, labels=labels, text_fields=TEXT_FIELDS, people=people
    )
    merge.by = current.updated_by
    return merge


def _reason(editor_token: str, save_id: str, *, autosave: bool = False) -> str:
    # Kept in the history row's change reason (100 characters).
    if autosave:
        return f"{AUTOSAVE_MARK} editor:{editor_token[:40]} save:{save_id[:40]}"
    return f"editor:{editor_token[:40]} save:{save_id[:40]}" if editor_token or save_id else ""


def _token_of(reason: str | None) -> str:
    parts = dict(p.split(":", 1) for p in (reason or "").split() if ":" in p)
    return parts.get("editor", "")


def _save_of(reason: str | None) -> str:
    parts = dict(p.split(":", 1) for p in (reason or "").split() if ":" in p)
    return parts.get("save", "")


def _check_lengths(content: dict, speeches, tasks, assessments) -> None:
    """The form says the same beside each field; this guards every other caller."""
    speech, task = Speech._meta, ResolutionTask._meta
    checks = [(Minutes._meta.get_field(n), content.get(n) or "", n) for n in TEXT_FIELDS]
    for s in speeches:
        checks += [
            (speech.get_field("text"), s.text, "speech_text"),
            (speech.get_field("speaker_name"), s.speaker_name, "speaker_name"),
        ]
    for t in tasks:
        checks += [
            (task.get_field("title"), t.title, "task_title"),
            (task.get_field("assignee_text"), t.assignee_text, "assignee_text"),
        ]
    checks += [(task.get_field("result_note"), a.result_note, "result_note") for a in assessments]
    for model_field, value, limit_name in checks:
        limit = MAX_LENGTHS[limit_name]
        if len(value) > limit:
            label = str(model_field.verbose_name).capitalize()
            params = {"field": label, "limit_value": limit, "show_value": len(value)}
            raise MinutesError([too_long_message() % params])


def _speech_plan(minutes: Minutes, wanted: list[SpeechData], join: Q | None) -> "_RowPlan":
    def values(data: SpeechData, order: int) -> dict:
        return {
            "member_id": data.member_id,
            "speaker_name": data.speaker_name,
            "text": data.text,
            "order": order,
        }

    rows = _rows_read(Speech, minutes.speeches.order_by("order", "id"), minutes, join)
    return _row_plan(Speech, rows, wanted, values, SPEECH_FIELDS, minutes=minutes)


def _task_plan(minutes: Minutes, wanted: list[TaskData], join: Q | None) -> "_RowPlan":
    def values(data: TaskData, order: int) -> dict:
        return {
            "title": data.title,
            "assignee_id": data.assignee_id,
            "assignee_text": data.assignee_text,
            "due_on": data.due_on,
        }

    rows = _rows_read(ResolutionTask, minutes.tasks.order_by("id"), minutes, join)
    return _row_plan(
        ResolutionTask,
        rows,
        wanted,
        values,
        TASK_FIELDS,
        minutes=minutes,
        cell_id=minutes.meeting.cell_id,
    )


def _rows_read(model, rows, minutes: Minutes, join: Q | None) -> list:
    """The saved speeches or tasks, in one query; for an autosave that may
    join its history, each with the history row it would join
    (`joinable_history_id`): its last one, when that row follows the rule
    and was written since the minutes' last history row began, i.e. by the
    run of saves whose row this save joins (see `_RowPlan.apply`)."""
    if join is None:
        return list(rows)
    last = model.history.filter(id=OuterRef("pk")).order_by("-history_id").values("history_id")[:1]
    run_began = (
        Minutes.history.filter(id=minutes.pk).order_by("-history_id").values("history_date")[:1]
    )
    joinable = model.history.filter(
        join, history_id=OuterRef("last_history_id"), history_date__gte=Subquery(run_began)
    )
    return list(
        rows.annotate(last_history_id=Subquery(last)).annotate(
            joinable_history_id=Subquery(joinable.values("history_id")[:1])
        )
    )


@dataclass
class _RowPlan:
    """The speeches or tasks to create, update and remove; empty when the
    rows are as wanted."""

    model: type
    fields: list[str]
    to_create: list
    to_update: list
    to_delete: list

    def __bool__(self) -> bool:
        return bool(self.to_create or self.to_update or self.to_delete)

    def apply(self, by, now, *, reason: str = "", joined: bool = False) -> None:
        """Write the rows and their history. When the minutes' history row of
        this save `joined` the last one, a row's history row written by the
        same run of saves is joined too (updated to the row as it is now; it
        keeps its first moment, as the minutes' row does): a merge's
        `base_state` then finds each row as it stood at the joined version."""
        history = self.model.history
        if self.to_create:
            self.model.objects.bulk_create(self.to_create)
        if self.to_update:
            self.model.objects.bulk_update(self.to_update, self.fields)
        rejoined = [
            row
            for row in self.to_update
            if joined and getattr(row, "joinable_history_id", None) is not None
        ]
        if rejoined:
            tracked = [f.attname for f in history.model.tracked_fields if f.attname != "id"]
            records = []
            for row in rejoined:
                record = history.model(history_id=row.joinable_history_id)
                for name in tracked:
                    setattr(record, name, getattr(row, name))
                record.history_change_reason = reason
                records.append(record)
            history.model._default_manager.bulk_update(records, [*tracked, "history_change_reason"])
        added = [
            *(("+", row) for row in self.to_create),
            *(("~", row) for row in self.to_update if row not in rejoined),
        ]
        if added:
            history.model._default_manager.bulk_create(
                [
                    history.model(
                        history_date=now,
                        history_type=kind,
                        history_user=by,
                        history_change_reason=reason,
                        **{
                            f.attname: getattr(row, f.attname) for f in history.model.tracked_fields
                        },
                    )
                    for kind, row in added
                ]
            )
        for row in self.to_delete:
            # One by one, so each removal is in the history too (rarely more than one).
            row._history_user = by
            row._history_date = now
            row._change_reason = reason
            row.delete()


def _row_plan(model, rows, wanted, values, fields, **create) -> _RowPlan:
    """Rows are matched by key (the editor gives each row one); rows sent
    without a key take the remaining rows in order. Rows not sent are removed."""
    by_key = {row_key(row): row for row in rows}
    sent = {data.key for data in wanted if data.key}
    unclaimed = [row for row in rows if row_key(row) not in sent]
    to_create, to_update, kept = [], [], set()
    for order, data in enumerate(wanted):
        row = by_key.get(data.key) if data.key else (unclaimed.pop(0) if unclaimed else None)
        if row is not None and row.pk in kept:
            row = None  # the same key twice: the second is a new row
        new = {**values(data, order), "key": data.key or (row_key(row) if row else new_key())}
        if row is None:
            to_create.append(model(**create, **new))
            continue
        kept.add(row.pk)
        if any(getattr(row, k) != v for k, v in new.items()):
            for k, v in new.items():
                setattr(row, k, v)
            to_update.append(row)
    to_delete = [row for row in rows if row.pk not in kept]
    return _RowPlan(model, fields, to_create, to_update, to_delete)


def _assessment_plan(minutes: Minutes, assessments: dict[int, tuple[str, str]]) -> list:
    """The tasks carried over from earlier months whose result changes: done,
    late, dropped, or back to open; the meeting that assessed them is kept
    in `assessed_in`."""
    if not assessments:
        return []
    tasks = {t.pk: t for t in carried_over_tasks(minutes)}
    changed = []
    for task_id, (status, note) in assessments.items():
        task = tasks.get(task_id)
        if task is None or status not in TaskStatus.values:
            raise MinutesError([_("A task to assess is not one carried over to this meeting.")])
        assessed_in = None if status == TaskStatus.OPEN else minutes.pk
        values = (status, note.strip(), assessed_in)
        if (task.status, task.result_note, task.assessed_in_id) != values:
            task.status, task.result_note, task.assessed_in_id = values
            changed.append(task)
    return changed
