"""The upload form of the XLSX imports: size and name only; the content is the importer's."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx)"),
        help_text=_("The first worksheet is read; its header row must match the template."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Check and import")))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Checked before anything reads the content.
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too big (%(size)s MB); the limit is %(max)s MB.")
                % {
                    "size": f"{upload.size / 1024 / 1024:.1f}",
                    "max": f"{settings.IMPORT_MAX_BYTES / 1024 / 1024:.1f}",
                }
            )
        return upload
