"""Widgets every form of the product shares.

A native date or time input only accepts an ISO value (`2026-12-31`,
`19:30`): the browser shows it in the user's format (dd/mm/yyyy) and posts it
back in ISO. Django would otherwise localize the value (`31/12/2026`), which
the input shows as empty and the next save clears. So every date and time
input is one of these two.
"""

from crispy_forms.layout import Div, Submit
from django import forms


class DateInput(forms.DateInput):
    """A native date picker: phones show their own calendar."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    """A native time picker, to the minute."""

    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def row(**columns: str) -> Div:
    """Fields side by side in a Bootstrap row, each with its column classes:
    `row(date="col-7", time="col-5")`."""
    return Div(*(Div(name, css_class=css) for name, css in columns.items()), css_class="row")


def save_button(label: str) -> Submit:
    """The form's one submit button, large enough for a thumb."""
    return Submit("save", label, css_class="btn-chibo btn-touch")
