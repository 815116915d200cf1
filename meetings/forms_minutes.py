"""The minutes editor: one long form in the order of a regular meeting, with
speeches and resolution tasks as repeatable rows and last month's tasks to
assess. The same form serves the save button and the autosave."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Minutes, TaskStatus
from .selectors.meeting_page import AttendanceSheet, meeting_date
from .services.minutes import TYPED_FIELDS, Assessment, SpeechData, TaskData

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


def _text(label, help_text=""):
    return forms.CharField(
        label=label, required=False, help_text=help_text, widget=forms.Textarea(attrs=TEXTAREA)
    )


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
    started_time = forms.TimeField(
        label=_("Started at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    party_fee_status = _text(_("Party fees"), _("Who has paid, who has not."))
    programme = _text(_("Programme adopted"))
    # Proceedings
    news = _text(_("News and new documents disseminated"))
    assessment = _text(_("Assessment of last month"), _("The results of last month's resolution."))
    criticism = _text(_("Self-criticism and criticism"))
    # Closing
    summary = _text(_("The chair's summary"))
    resolution = _text(_("Resolution for next month"))
    votes_for = _votes(_("For"))
    votes_against = _votes(_("Against"))
    votes_abstain = _votes(_("Abstain"))
    read_back_adopted = forms.BooleanField(
        label=_("The minutes were read back and adopted"), required=False
    )
    ended_time = forms.TimeField(
        label=_("Closed at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, data=None, *, minutes: Minutes, sheet: AttendanceSheet, **kwargs):
        initial = kwargs.pop("initial", None) or _initial(minutes)
        super().__init__(data, initial=initial, **kwargs)
        people = _people(sheet)
        self.fields["chair"] = _member_field(_("Chair"), people)
        self.fields["minute_taker"] = _member_field(_("Minute-taker"), people)
        self.day = meeting_date(minutes.meeting)

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
        **{
            name: getattr(minutes, name)
            for name in (
                "party_fee_status",
                "programme",
                "news",
                "assessment",
                "criticism",
                "summary",
                "resolution",
                "votes_for",
                "votes_against",
                "votes_abstain",
                "read_back_adopted",
            )
        },
    }


class SpeechForm(forms.Form):
    member = forms.TypedChoiceField(
        label=_("Speaker"), coerce=int, empty_value=None, required=False
    )
    speaker_name = forms.CharField(label=_("or a guest's name"), max_length=120, required=False)
    text = forms.CharField(
        label=_("Opinion"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = NO_ONE + list(people)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("text") and not (cleaned.get("member") or cleaned.get("speaker_name")):
            self.add_error("member", _("Who said this?"))
        return cleaned


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), required=False, widget=forms.Textarea(attrs=TEXTAREA))
    assignee = forms.TypedChoiceField(
        label=_("Assigned to"), coerce=int, empty_value=None, required=False
    )
    assignee_text = forms.CharField(
        label=_("or others (e.g. every member)"), max_length=200, required=False
    )
    due_on = forms.DateField(
        label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = NO_ONE + list(people)


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
                label=_("Result note"), max_length=300, required=False, initial=task.result_note
            )

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

    def __init__(self, data=None, *, minutes: Minutes, sheet: AttendanceSheet, carried_over):
        people = _people(sheet)
        self.minutes = minutes
        self.form = MinutesForm(data, minutes=minutes, sheet=sheet)
        speeches = list(minutes.speeches.all()) if minutes.pk else []
        tasks = list(minutes.tasks.order_by("id")) if minutes.pk else []
        self.speeches = SpeechFormSet(
            data,
            prefix="speeches",
            form_kwargs={"people": people},
            initial=[
                {"member": s.member_id, "speaker_name": s.speaker_name, "text": s.text}
                for s in speeches
            ],
        )
        self.tasks = TaskFormSet(
            data,
            prefix="tasks",
            form_kwargs={"people": people},
            initial=[
                {
                    "title": t.title,
                    "assignee": t.assignee_id,
                    "assignee_text": t.assignee_text,
                    "due_on": t.due_on,
                }
                for t in tasks
            ],
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

    def cleaned(self) -> dict:
        """Keyword arguments for services.minutes.save_minutes (minus minutes, by)."""
        return {
            "version": self.version,
            "content": self.form.content(),
            "speeches": [
                SpeechData(
                    text=d["text"].strip(),
                    member_id=d["member"],
                    speaker_name=d["speaker_name"].strip(),
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
                )
                for d in _kept(self.tasks)
                if d.get("title", "").strip()
            ],
            "assessments": self.assessment.assessments(),
        }


def _kept(formset) -> list[dict]:
    return [d for d in formset.cleaned_data if d and not d.get("DELETE")]
