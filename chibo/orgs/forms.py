from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo import access, tree
from chibo.forms import DateInput, TimeInput, save_button
from chibo.models import Organization
from chibo.pickers import PickerField


class OrganizationForm(forms.ModelForm):
    """Details that are not reorganizations (those are dated events)."""

    class Meta:
        model = Organization
        fields = tree.DETAIL_FIELDS
        widgets = {"meeting_time": TimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.is_cell:
            for name in tree.MEETING_FIELDS:
                del self.fields[name]
        self.helper = FormHelper()
        self.helper.add_input(save_button(_("Save")))

    def clean_meeting_day(self):
        day = self.cleaned_data["meeting_day"]
        if not 1 <= day <= 31:
            raise forms.ValidationError(_("A day of the month is between 1 and 31."))
        return day

    def clean(self):
        data = super().clean()
        week, weekday = data.get("meeting_week"), data.get("meeting_weekday")
        if (week is None) != (weekday is None):
            raise forms.ValidationError(
                _("For a meeting on the nth weekday, give both the week and the weekday.")
            )
        return data


class ReorganizeForm(forms.Form):
    RENAME, MOVE, DISSOLVE = "rename", "move", "dissolve"
    action = forms.ChoiceField(
        label=_("Change"),
        choices=[
            (RENAME, _("Rename")),
            (MOVE, _("Move under another organization")),
            (DISSOLVE, _("Dissolve")),
        ],
    )
    date = forms.DateField(label=_("Effective date"), widget=DateInput())
    new_name = forms.CharField(label=_("New name"), max_length=200, required=False)
    new_parent = PickerField(
        "parents",
        label=_("New parent"),
        queryset=None,
        required=False,
        error_messages={
            "invalid_choice": _(
                "Choose an active organization you run, outside the one being moved."
            )
        },
    )
    decision = forms.CharField(label=_("Decision (number, date)"), max_length=200, required=False)

    def __init__(self, *args, user, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = (
            access.visible(user, Organization, access.EDIT)
            .active()
            .exclude(kind="cell")
            .exclude(path__startswith=organization.path)
        )
        self.fields["date"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.add_input(Submit("apply", _("Record the change"), css_class="btn-chibo"))

    def clean(self):
        data = super().clean()
        if data.get("action") == self.RENAME and not data.get("new_name", "").strip():
            self.add_error("new_name", _("Give the new name."))
        moving = data.get("action") == self.MOVE
        if moving and not data.get("new_parent") and "new_parent" not in self.errors:
            self.add_error("new_parent", _("Choose the new parent organization."))
        return data
