import contextlib

from django import forms
from django.utils.translation import gettext_lazy as _

from . import periods
from .then import NOW, THEN


class PeriodForm(forms.Form):
    """The report's period: a month, a quarter or a year from the list, or a
    range of months (periods.parse)."""

    period = forms.CharField(label=_("Period"), required=False)
    first = forms.CharField(
        label=_("Or from the month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"}),
    )
    last = forms.CharField(
        label=_("to the month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-08"}),
    )

    tree = forms.ChoiceField(
        label=_("Tree"),
        required=False,
        choices=[(NOW, _("as it is now")), (THEN, _("as it was then"))],
        help_text=_("As it was then: the organizations, names and parents of the period."),
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        options = periods.choices(today)
        asked = self.data.get("period", "")
        # A range (from a link) stays chosen when the form is sent again.
        if ".." in asked and asked not in dict(options):
            with contextlib.suppress(ValueError):  # a bad one: clean_period says why
                options.append((asked, periods.parse(asked, today=today).label))
        self.fields["period"].widget = forms.Select(choices=options)

    def clean_period(self) -> periods.Period:
        try:
            return periods.parse(self.cleaned_data["period"], today=self.today)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first", "").strip(), cleaned.get("last", "").strip()
        if not (first or last):
            return cleaned
        if not (first and last):
            self.add_error("last" if first else "first", _("Give both months of the range."))
            return cleaned
        try:
            cleaned["period"] = periods.parse(f"{first}..{last}", today=self.today)
        except ValueError as error:
            self.add_error("first", str(error))
        return cleaned

    def tree_or_default(self) -> str:
        """Today's tree unless the tree of then is asked for (and the form is good)."""
        if self.is_valid() and self.cleaned_data.get("tree") == THEN:
            return THEN
        return NOW

    def period_or_default(self) -> periods.Period:
        """The chosen period, or this month when the choice is bad (the form
        then carries the error for the page to show)."""
        if self.is_valid():
            return self.cleaned_data["period"]
        return periods.month(self.today)


class SignatureForm(forms.Form):
    """What the clerk adds to the PDF: the assessment, the recipients and who signs."""

    assessment = forms.CharField(
        label=_("Assessment"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The committee's assessment of the period, one paragraph per line."),
    )
    recipients = forms.CharField(
        label=_("Recipients"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. 'Ban Tổ chức Tỉnh ủy'. 'Lưu văn phòng' is added."),
    )
    signer_title = forms.CharField(
        label=_("Signs as"),
        required=False,
        max_length=120,
        help_text=_("E.g. 'T/M BAN THƯỜNG VỤ / BÍ THƯ'."),
    )
    signer_name = forms.CharField(label=_("Name of the signer"), required=False, max_length=120)
    issue = forms.BooleanField(
        label=_("Issue it with a number"),
        required=False,
        help_text=_(
            "Gives the report the committee's next number of the year (Số 12-BC/ĐU); "
            "the report of a period keeps its number. Without it the number is left blank "
            "for a draft."
        ),
    )
