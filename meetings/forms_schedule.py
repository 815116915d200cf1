"""Forms of the meeting calendar: validation only, choices limited to the user's scope."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo import access
from chibo.forms import DateInput, TimeInput, row, save_button
from chibo.pickers import PickerField
from meetings import calendar
from meetings.models import MeetingKind

from .selectors.schedule import meeting_cells, report_roots


def _aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


class MeetingFilterForm(forms.Form):
    cell = PickerField(
        "cells",
        label=_("Cell"),
        queryset=None,
        required=False,
        placeholder=_("All cells: type a name"),
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cell"].queryset = access.cells(user)


class MeetingCreateForm(forms.Form):
    cell = PickerField("meeting-cells", label=_("Cell"), queryset=None)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (MeetingKind.THEMATIC, MeetingKind.THEMATIC.label),
            (MeetingKind.EXTRAORDINARY, MeetingKind.EXTRAORDINARY.label),
        ],
    )
    topic = forms.CharField(label=_("Topic"), max_length=300, required=False)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(label=_("Time"), widget=TimeInput(), initial=datetime.time(19, 30))
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("Empty: the cell's usual meeting place."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cells = meeting_cells(user, access.EDIT)
        self.fields["cell"].queryset = cells
        if len(cells) == 1:
            self.fields["cell"].initial = cells[0]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "cell",
            "kind",
            "topic",
            row(date="col-7", time="col-5"),
            "place",
            save_button(_("Add the meeting")),
        )

    def clean(self):
        data = super().clean()
        data["topic"] = " ".join(data.get("topic", "").split())
        if data.get("kind") == MeetingKind.THEMATIC and not data["topic"]:
            self.add_error("topic", _("A thematic meeting needs its topic."))
        if data.get("date") and data.get("time"):
            data["scheduled_at"] = _aware(data["date"], data["time"])
        return data


class MeetingChangeForm(forms.Form):
    MOVE, POSTPONE, CANCEL = "move", "postpone", "cancel"

    action = forms.ChoiceField(
        label=_("Change"),
        widget=forms.RadioSelect,
        choices=[
            (MOVE, _("Move to another date or time")),
            (POSTPONE, _("Postpone (new date not known yet)")),
            (CANCEL, _("Cancel")),
        ],
        initial=MOVE,
    )
    date = forms.DateField(label=_("New date"), widget=DateInput(), required=False)
    time = forms.TimeField(label=_("New time"), widget=TimeInput(), required=False)
    place = forms.CharField(
        label=_("Place"), max_length=200, required=False, help_text=_("Empty: unchanged.")
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason for the change.")},
    )

    def __init__(self, *args, meeting, **kwargs):
        local = timezone.localtime(meeting.scheduled_at)
        kwargs.setdefault("initial", {"date": local.date(), "time": local.time()})
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "action",
            row(date="col-7", time="col-5"),
            "place",
            "reason",
            save_button(_("Save the change")),
        )

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError(_("Give the reason for the change."))
        return reason

    def clean(self):
        data = super().clean()
        if data.get("action") == self.MOVE:
            if not data.get("date"):
                self.add_error("date", _("Give the new date."))
            if not data.get("time"):
                self.add_error("time", _("Give the new time."))
            if data.get("date") and data.get("time"):
                data["scheduled_at"] = _aware(data["date"], data["time"])
        return data


def quarter_choices(today: datetime.date, back: int = 8) -> list[tuple[str, str]]:
    year, quarter = calendar.quarter_of(today)
    index = year * 4 + quarter - 1
    return [
        (f"{i // 4}-Q{i % 4 + 1}", _("Quarter %(q)s/%(y)s") % {"q": i % 4 + 1, "y": i // 4})
        for i in range(index + 1, index - back, -1)
    ]


class ThematicReportForm(forms.Form):
    root = PickerField(
        "offices",
        label=_("Organization"),
        queryset=None,
        required=False,
        placeholder=_("Your organization: type another name"),
    )
    quarter = forms.ChoiceField(label=_("Quarter"), required=False)

    def __init__(self, *args, user, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["root"].queryset = report_roots(user)
        self.fields["quarter"].choices = quarter_choices(today)
