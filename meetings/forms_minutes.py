"""The minutes editor: one long form in the order of a regular meeting, with
speeches and resolution tasks as repeatable rows and last month's tasks to
assess. The same form serves the save button and the autosave."""

import copy
import datetime
import hashlib
import json

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.forms import DateInput, TimeInput

from .models import Minutes, TaskStatus
from .selectors.attendance import AttendanceSheet, meeting_date, people_among
from .selectors.minutes_facts import carried_over_tasks
from .services.minutes import (
    MAX_LENGTHS,
    TEXT_FIELDS,
    TYPED_FIELDS,
    Assessment,
    SpeechData,
    TaskData,
    too_long_message,
)
from .services.minutes_merge import DraftState, new_key, row_key

TEXTAREA = {"rows": 3, "class": "form-control js-grow"}
NO_ONE = [("", "—")]


def _people(sheet: AttendanceSheet) -> list[tuple[int, str]]:
    """The cell's members on the meeting date, then those in temporary attendance."""
    return [(row.member.pk, row.member.full_name) for row in sheet.members + sheet.temporary]


def _member_field(label, people, **kwargs):
    return forms.TypedChoiceField(
        label=label,
        choices=NO_ONE + people,
        coerce=int,
        empty_value=None,
        required=False,
        **kwargs,
    )


def _text(label, help_text="", *, limit: str):
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        max_length=MAX_LENGTHS[limit],
        widget=forms.Textarea(attrs=TEXTAREA),
    )


def _name_the_field_in_length_errors(form: forms.Form) -> None:
    """Say which field is too long and by how much, in the user's language."""
    for field in form.fields.values():
        if getattr(field, "max_length", None):
            field.error_messages["max_length"] = too_long_message() % {
                "field": field.label,
                "limit_value": "%(limit_value)s",
                "show_value": "%(show_value)s",
            }


def _key_field():
    # The row's identity across saves (see services.minutes_merge).
    return forms.CharField(required=False, max_length=36, widget=forms.HiddenInput)


def _votes(label):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=999,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class MinutesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    # Opening
    started_time = forms.TimeField(label=_("Started at"), required=False, widget=TimeInput())
    party_fee_status = _text(
        _("Party fees"), _("Who has paid, who has not."), limit="party_fee_status"
    )
    programme = _text(_("Programme adopted"), limit="programme")
    # Proceedings
    news = _text(_("News and new documents disseminated"), limit="news")
    assessment = _text(
        _("Assessment of last month"),
        _("The results of last month's resolution."),
        limit="assessment",
    )
    criticism = _text(_("Self-criticism and criticism"), limit="criticism")
    # Closing
    summary = _text(_("The chair's summary"), limit="summary")
    resolution = _text(_("Resolution for next month"), limit="resolution")
    votes_for = _votes(_("For"))
    votes_against = _votes(_("Against"))
    votes_abstain = _votes(_("Abstain"))
    read_back_adopted = forms.BooleanField(
        label=_("The minutes were read back and adopted"), required=False
    )
    ended_time = forms.TimeField(label=_("Closed at"), required=False, widget=TimeInput())

    def __init__(
        self,
        data=None,
        *,
        minutes: Minutes,
        sheet: AttendanceSheet | None = None,
        people=None,
        **kwargs,
    ):
        initial = kwargs.pop("initial", None) or _initial(minutes)
        super().__init__(data, initial=initial, **kwargs)
        people = _people(sheet) if people is None else people
        self.fields["chair"] = _member_field(_("Chair"), people)
        self.fields["minute_taker"] = _member_field(_("Minute-taker"), people)
        self.day = meeting_date(minutes.meeting)
        _name_the_field_in_length_errors(self)

    def content(self) -> dict:
        data = self.cleaned_data
        return {
            "chair_id": data["chair"],
            "minute_taker_id": data["minute_taker"],
            "started_at": self._moment(data["started_time"]),
            "ended_at": self._moment(data["ended_time"]),
            **{name: data[name] for name in TYPED_FIELDS},
        }

    def _moment(self, time: datetime.time | None):
        # Times are on the meeting's day; another day means rescheduling it.
        if time is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(self.day, time))


def _initial(minutes: Minutes) -> dict:
    def local_time(moment):
        return timezone.localtime(moment).strftime("%H:%M") if moment else None

    return {
        "version": minutes.version,
        "chair": minutes.chair_id,
        "minute_taker": minutes.minute_taker_id,
        "started_time": local_time(minutes.started_at),
        "ended_time": local_time(minutes.ended_at),
        **{name: getattr(minutes, name) for name in TYPED_FIELDS},
    }


class SpeechForm(forms.Form):
    member = forms.TypedChoiceField(
        label=_("Speaker"), coerce=int, empty_value=None, required=False
    )
    speaker_name = forms.CharField(
        label=_("or a guest's name"), max_length=MAX_LENGTHS["speaker_name"], required=False
    )
    text = forms.CharField(
        label=_("Opinion"),
        required=False,
        max_length=MAX_LENGTHS["speech_text"],
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    key = _key_field()

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = NO_ONE + list(people)
        _name_the_field_in_length_errors(self)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("text") and not (cleaned.get("member") or cleaned.get("speaker_name")):
            self.add_error("member", _("Who said this?"))
        return cleaned


class TaskForm(forms.Form):
    title = forms.CharField(
        label=_("Task"),
        required=False,
        max_length=MAX_LENGTHS["task_title"],
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    assignee = forms.TypedChoiceField(
        label=_("Assigned to"), coerce=int, empty_value=None, required=False
    )
    assignee_text = forms.CharField(
        label=_("or others (e.g. every member)"),
        max_length=MAX_LENGTHS["assignee_text"],
        required=False,
    )
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput())
    key = _key_field()

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = NO_ONE + list(people)
        _name_the_field_in_length_errors(self)


SpeechFormSet = forms.formset_factory(SpeechForm, extra=1, can_delete=True, max_num=100)
TaskFormSet = forms.formset_factory(TaskForm, extra=1, can_delete=True, max_num=100)
RESULT_CHOICES = [
    (TaskStatus.OPEN, _("Not assessed")),
    (TaskStatus.DONE, _("Done")),
    (TaskStatus.LATE, _("Done late")),
    (TaskStatus.DROPPED, _("Dropped")),
]


class AssessmentForm(forms.Form):
    """One result and note per task carried over: result_<id>, note_<id>."""

    def __init__(self, data=None, *, tasks, prefix="assess"):
        super().__init__(data, prefix=prefix)
        self.tasks = list(tasks)
        for task in self.tasks:
            self.fields[f"result_{task.pk}"] = forms.ChoiceField(
                label=task.title,
                choices=RESULT_CHOICES,
                initial=task.status,
                widget=forms.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"}),
            )
            self.fields[f"note_{task.pk}"] = forms.CharField(
                label=_("Result note"),
                max_length=MAX_LENGTHS["result_note"],
                required=False,
                initial=task.result_note,
            )
        _name_the_field_in_length_errors(self)

    def rows(self):
        for task in self.tasks:
            yield task, self[f"result_{task.pk}"], self[f"note_{task.pk}"]

    def assessments(self) -> list[Assessment]:
        return [
            Assessment(
                task.pk,
                self.cleaned_data[f"result_{task.pk}"],
                self.cleaned_data[f"note_{task.pk}"],
            )
            for task in self.tasks
        ]


class MinutesEditor:
    """The four forms of the editor, bound together."""

    def __init__(
        self,
        data=None,
        *,
        minutes: Minutes,
        sheet: AttendanceSheet | None = None,
        people: list[tuple[int, str]] | None = None,
        carried_over,
    ):
        # `people` (id, name) instead of the sheet: the choices of an autosave,
        # which shows no names (see posted_people).
        people = _people(sheet) if people is None else people
        self.minutes = minutes
        self.form = MinutesForm(data, minutes=minutes, people=people)
        # Rows are shown from the draft, but a posted form stands alone: with
        # the draft's rows as initial, a posted row equal to a saved one past
        # INITIAL_FORMS would count as unchanged and be dropped.
        bound = data is not None
        speeches = list(minutes.speeches.all()) if minutes.pk and not bound else []
        tasks = list(minutes.tasks.order_by("id")) if minutes.pk and not bound else []
        self.speeches = _saved_rows(
            SpeechFormSet,
            data,
            "speeches",
            people,
            speeches,
            {"member": "member_id", "speaker_name": "speaker_name", "text": "text"},
        )
        self.tasks = _saved_rows(
            TaskFormSet,
            data,
            "tasks",
            people,
            tasks,
            {
                "title": "title",
                "assignee": "assignee_id",
                "assignee_text": "assignee_text",
                "due_on": "due_on",
            },
        )
        self.assessment = AssessmentForm(data, tasks=carried_over)

    def is_valid(self) -> bool:
        results = [f.is_valid() for f in (self.form, self.speeches, self.tasks, self.assessment)]
        return all(results)

    @property
    def version(self) -> int:
        return self.form.cleaned_data["version"]

    def errors(self) -> dict:
        """Field name -> messages, with the names the page's inputs carry."""
        errors = {}
        for form in [self.form, self.assessment, *self.speeches.forms, *self.tasks.forms]:
            for field, messages in form.errors.items():
                name = form.add_prefix(field) if field != "__all__" else "__all__"
                errors[name] = [str(m) for m in messages]
        for formset in (self.speeches, self.tasks):
            if formset.non_form_errors():
                errors.setdefault("__all__", []).extend(formset.non_form_errors())
        return errors

    def cleaned(self, *, unchanged: set[str] = frozenset()) -> dict:
        """Keyword arguments for services.minutes.save_minutes (minus minutes,
        by); the rows of `unchanged` parts (forms_minutes.unchanged_parts) as
        None, which the service leaves as they are."""
        cleaned = self._cleaned()
        for part, name in (("speeches", "speeches"), ("tasks", "tasks"), ("assess", "assessments")):
            if part in unchanged:
                cleaned[name] = None
        return cleaned

    def _cleaned(self) -> dict:
        return {
            "version": self.version,
            "content": self.form.content(),
            "speeches": [
                SpeechData(
                    text=d["text"].strip(),
                    member_id=d["member"],
                    speaker_name=d["speaker_name"].strip(),
                    key=d.get("key") or new_key(),
                )
                for d in _kept(self.speeches)
                if d.get("text", "").strip()
            ],
            "tasks": [
                TaskData(
                    title=d["title"].strip(),
                    assignee_id=d["assignee"],
                    assignee_text=d["assignee_text"].strip(),
                    due_on=d["due_on"],
                    key=d.get("key") or new_key(),
                )
                for d in _kept(self.tasks)
                if d.get("title", "").strip()
            ],
            "assessments": self.assessment.assessments(),
        }


def _kept(formset) -> list[dict]:
    return [d for d in formset.cleaned_data if d and not d.get("DELETE")]


def state_data(state: DraftState, *, version: int) -> dict[str, str]:
    """The editor's inputs holding `state` (a merged draft), as a browser posts them."""
    content = state.content

    def local_time(moment):
        return timezone.localtime(moment).strftime("%H:%M") if moment else ""

    data = {
        "version": str(version),
        "chair": str(content.get("chair_id") or ""),
        "minute_taker": str(content.get("minute_taker_id") or ""),
        "started_time": local_time(content.get("started_at")),
        "ended_time": local_time(content.get("ended_at")),
    }
    for name in TYPED_FIELDS:
        value = content.get(name)
        if name == "read_back_adopted":
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    _rows(
        data,
        "speeches",
        state.speeches,
        lambda s: {"member": s.member_id or "", "speaker_name": s.speaker_name, "text": s.text},
    )
    _rows(
        data,
        "tasks",
        state.tasks,
        lambda t: {
            "title": t.title,
            "assignee": t.assignee_id or "",
            "assignee_text": t.assignee_text,
            "due_on": t.due_on.isoformat() if t.due_on else "",
        },
    )
    for task_id, (status, note) in state.assessments.items():
        data[f"assess-result_{task_id}"] = status
        data[f"assess-note_{task_id}"] = note
    return data


def _rows(data: dict, prefix: str, rows: list, values) -> None:
    # Every row is an initial form, so that each is validated and kept; one
    # blank row follows, as on a freshly loaded page.
    data[f"{prefix}-TOTAL_FORMS"] = str(len(rows) + 1)
    data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
    for index, row in enumerate(rows):
        for name, value in values(row).items():
            data[f"{prefix}-{index}-{name}"] = str(value)
        data[f"{prefix}-{index}-key"] = row.key


def _saved_rows(formset, data, prefix: str, people, rows, fields: dict[str, str]):
    """A formset of saved rows: each form's field from the row's attribute,
    and the row's key (its identity across saves)."""
    return formset(
        data,
        prefix=prefix,
        form_kwargs={"people": people},
        initial=[
            {**{name: getattr(row, attr) for name, attr in fields.items()}, "key": row_key(row)}
            for row in rows
        ],
    )


# What changed since the last save ----------------------------------------------

# The parts of the editor's post, each compared as a whole: every field of
# the minutes, the speeches, the tasks and the results of last month's tasks.
# Anything else (the version, tokens, conflict choices) is not content.
ROW_PARTS = ("speeches", "tasks", "assess")
FIELD_PARTS = ("chair", "minute_taker", "started_time", "ended_time", *TYPED_FIELDS)


def posted_digests(data) -> dict[str, str]:
    """A short digest of each part of the editor's post (`Minutes.posted_digests`)."""
    parts: dict[str, list] = {}
    for name in sorted(data.keys()):
        part = name.split("-", 1)[0] if "-" in name else name
        if part in ROW_PARTS or (part in FIELD_PARTS and part == name):
            values = data.getlist(name) if hasattr(data, "getlist") else [data[name]]
            parts.setdefault(part, []).append([name, values])
    return {
        part: hashlib.blake2b(
            json.dumps(parts.get(part, []), ensure_ascii=False).encode(), digest_size=8
        ).hexdigest()
        for part in (*FIELD_PARTS, *ROW_PARTS)
    }


def unchanged_parts(data, minutes: Minutes, digests: dict[str, str]) -> set[str]:
    """The parts of this post equal to those of the post that saved `minutes`:
    none when it starts from another version or settles a conflict."""
    saved = minutes.posted_digests
    if (
        not saved
        or str(minutes.version) != str(data.get("version"))
        or any(name.startswith("resolve-") for name in data)
    ):
        return set()
    return {part for part, digest in digests.items() if saved.get(part) == digest}


def changed_texts(data, minutes: Minutes, digests: dict[str, str]) -> list[str] | None:
    """The text sections an autosave changed when they are all it changed
    since the post that saved `minutes` (empty: it changed nothing); None
    when the whole editor must be read (another part changed, it starts from
    another version, or a conflict is being settled)."""
    unchanged = unchanged_parts(data, minutes, digests)
    if not unchanged:
        return None
    changed = [part for part in digests if part not in unchanged]
    return changed if set(changed) <= set(TEXT_FIELDS) else None


class TextsForm(forms.Form):
    """The text sections of the editor alone, validated as MinutesForm does."""

    def __init__(self, data, *, names: list[str]):
        super().__init__(data)
        self.fields = {name: copy.deepcopy(MinutesForm.base_fields[name]) for name in names}
        _name_the_field_in_length_errors(self)

    def errors_by_name(self) -> dict:
        return {name: [str(m) for m in messages] for name, messages in self.errors.items()}


# The people a post names, and the facts the findings read ---------------------

# Kept with the post's digests (Minutes.posted_digests): the people the draft
# names, checked against the roll when first posted, so that an autosave
# checks only those it names anew; and a digest of what the findings read
# of the post, so that they are computed again only when that changes.
PEOPLE_KEY = "_people"
FACTS_KEY = "_facts"
_PERSON_FIELDS = ("chair", "minute_taker")
_ROW_PERSON_FIELDS = {"speeches": "member", "tasks": "assignee"}


def posted_people(data) -> set[int]:
    """The member ids that a post of the editor names (chair, minute-taker,
    speakers, assignees); what is not a number is left to the form to refuse."""
    values = [data.get(name) for name in _PERSON_FIELDS]
    for name in data:
        prefix, _sep, rest = name.partition("-")
        if prefix in _ROW_PERSON_FIELDS and rest.endswith(f"-{_ROW_PERSON_FIELDS[prefix]}"):
            values.append(data.get(name))
    return {int(v) for v in values if v and str(v).isdigit()}


def autosave_editor(data, *, minutes: Minutes, unchanged: set[str]) -> "MinutesEditor":
    """The editor bound to an autosave's post, without the roll: its people
    are those the last post named (checked then) and those it names anew,
    checked now in one query; last month's tasks are read only when their
    results changed (`unchanged`: forms_minutes.unchanged_parts).
    `people_named`: the ids of the post on the roll, kept as PEOPLE_KEY."""
    named = posted_people(data)
    known = named & set(minutes.posted_digests.get(PEOPLE_KEY, []))
    people = known | people_among(minutes.meeting, named - known)
    editor = MinutesEditor(
        data,
        minutes=minutes,
        people=[(pk, "") for pk in sorted(people)],  # an autosave shows no names
        carried_over=[] if "assess" in unchanged else carried_over_tasks(minutes),
    )
    editor.people_named = sorted(named & people)
    return editor


def facts_digest(editor: "MinutesEditor") -> str:
    """What the findings (rules.draft_findings) read of a valid post: the
    people and times set, the votes, the reading back, and whether there is
    a resolution (its text or a task). The roll and attendance are not posted."""
    cleaned = editor._cleaned()
    content = cleaned["content"]
    facts = [
        content["chair_id"] is not None,
        content["minute_taker_id"] is not None,
        str(content["started_at"]),
        str(content["ended_at"]),
        content["votes_for"],
        content["votes_against"],
        content["votes_abstain"],
        bool(content["read_back_adopted"]),
        bool(content["resolution"].strip() or cleaned["tasks"]),
    ]
    return hashlib.blake2b(json.dumps(facts).encode(), digest_size=8).hexdigest()
