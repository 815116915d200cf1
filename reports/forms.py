from django import forms
from django.utils.translation import gettext_lazy as _

from . import periods


class PeriodForm(forms.Form):
    """The report's period: a month, a quarter or a year (periods.parse)."""

    period = forms.CharField(label=_("Period"), required=False)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["period"].widget = forms.Select(choices=periods.choices(today))

    def clean_period(self) -> periods.Period:
        try:
            return periods.parse(self.cleaned_data["period"], today=self.today)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

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
