"""Forms for assignments and cadre visits: choices limited to the user's scope."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.forms import DateInput, row, save_button
from chibo.pickers import PickerField, PickerMultipleField
from meetings.models import CadreVisit

from .selectors.cadres import assignable_cells, cadre_choices
from .selectors.schedule import report_roots


class _PeriodMixin:
    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends <= starts:
            self.add_error("ends_on", _("The end date must be after the start date."))
        return data


class AssignmentForm(_PeriodMixin, forms.Form):
    cadre = PickerField("cadres", label=_("Cadre"), queryset=None)
    cell = PickerField("assignable-cells", label=_("Cell"), queryset=None)
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("Until"),
        widget=DateInput(),
        required=False,
        help_text=_("Empty: until further notice. The cadre's last day is the day before."),
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {"starts_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadre_choices(user)
        self.fields["cell"].queryset = assignable_cells(user)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "cadre",
            "cell",
            row(starts_on="col-6", ends_on="col-6"),
            save_button(_("Assign")),
        )


class AssignmentBulkForm(_PeriodMixin, forms.Form):
    cadres = PickerMultipleField("cadres", label=_("Cadres"), queryset=None)
    # An office deals out a commune's cells at once: the organization brings
    # all its active cells, and single cells can be added to them.
    organization = PickerField(
        "offices",
        label=_("All the cells of"),
        queryset=None,
        required=False,
        help_text=_("Optional: every active cell under this organization."),
    )
    cells = PickerMultipleField(
        "assignable-cells",
        label=_("Cells"),
        queryset=None,
        required=False,
        help_text=_("Cells to add one by one (besides those of the organization)."),
    )
    per_cadre = forms.IntegerField(
        label=_("Cells per cadre"),
        min_value=1,
        max_value=500,
        required=False,
        help_text=_(
            "Cells are dealt to the cadres in turn, this many each (e.g. 5). "
            "Empty: all the chosen cells are shared out."
        ),
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), widget=DateInput(), required=False)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {"starts_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["cadres"].queryset = cadre_choices(user)
        self.fields["organization"].queryset = report_roots(user)
        self.fields["cells"].queryset = self.assignable = assignable_cells(user)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "cadres",
            row(organization="col-md-6", cells="col-md-6"),
            "per_cadre",
            row(starts_on="col-6", ends_on="col-6"),
            save_button(_("Assign")),
        )

    def clean(self):
        data = super().clean()
        under = data.get("organization")
        cells = list(data.get("cells") or [])
        if under is not None:
            chosen = {cell.pk for cell in cells}
            cells += [
                cell
                for cell in self.assignable.filter(path__startswith=under.path).order_by("path")
                if cell.pk not in chosen
            ]
        if not cells and "cells" not in self.errors and "organization" not in self.errors:
            self.add_error("cells", _("Choose cells, or an organization whose cells to assign."))
        data["cells"] = cells
        return data


class AssignmentEndForm(forms.Form):
    ends_on = forms.DateField(
        label=_("Ends on"),
        widget=DateInput(),
        help_text=_("The first day the cadre is no longer assigned."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"ends_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("ends_on", save_button(_("End the assignment")))


class VisitForm(forms.ModelForm):
    class Meta:
        model = CadreVisit
        fields = ["attended", "reported", "heard"]
        widgets = {
            "reported": forms.Textarea(attrs={"rows": 4}),
            "heard": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "reported": _("The results of the past month and the plan for the next."),
            "heard": _("Members' concerns, wishes, recommendations and proposals."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "attended",
            "reported",
            "heard",
            save_button(_("Save the visit")),
        )


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def year_or(self, today: datetime.date) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return today.year
