"""The attendance screen: one status per member of the roll, the members of
other cells in temporary attendance, the assigned cadres and free guests."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AttendanceStatus
from .selectors.attendance import AttendanceSheet
from .services.attendance import Entry

S = AttendanceStatus
# Short labels: four buttons share a phone's width two by two.
LABELS = {
    S.PRESENT: _("Present"),
    S.LATE: _("Late"),
    S.ABSENT_EXCUSED: _("Absent, with reason"),
    S.ABSENT_UNEXCUSED: _("Absent, no reason"),
    S.EXEMPT: _("Exempted"),
}
EXPECTED_CHOICES = [
    (s, LABELS[s]) for s in (S.PRESENT, S.LATE, S.ABSENT_EXCUSED, S.ABSENT_UNEXCUSED)
]
EXEMPT_CHOICES = [(s, LABELS[s]) for s in (S.EXEMPT, S.PRESENT, S.LATE)]


def _status_field(choices, *, name: str, required: bool, initial: str):
    return forms.ChoiceField(
        label=name,
        choices=choices,
        required=required,
        initial=initial or None,
        widget=forms.RadioSelect(attrs={"class": "btn-check js-status", "autocomplete": "off"}),
        error_messages={
            "required": _("Choose whether %(name)s was present or absent.") % {"name": name}
        },
    )


class GuestForm(forms.Form):
    name = forms.CharField(label=_("Guest"), max_length=120, required=False)
    title = forms.CharField(label=_("Position, organization"), max_length=200, required=False)


GuestFormSet = forms.formset_factory(GuestForm, extra=1, can_delete=True, max_num=50)


class AttendanceForm(forms.Form):
    """Fields named by member id: status_<id>, reason_<id>, cadre_<id>."""

    def __init__(self, data=None, *, sheet: AttendanceSheet):
        super().__init__(data)
        self.sheet = sheet
        for row in sheet.members:
            pk, name = row.member.pk, row.member.full_name
            choices = EXEMPT_CHOICES if row.is_exempt else EXPECTED_CHOICES
            self.fields[f"status_{pk}"] = _status_field(
                choices, name=name, required=True, initial=row.status
            )
            self.fields[f"reason_{pk}"] = self._reason(row.reason)
        for row in sheet.temporary:
            pk, name = row.member.pk, row.member.full_name
            # Not recording a visitor is allowed: they may have gone home.
            self.fields[f"status_{pk}"] = _status_field(
                EXPECTED_CHOICES, name=name, required=False, initial=row.status
            )
            self.fields[f"reason_{pk}"] = self._reason(row.reason)
        for row in sheet.cadres:
            self.fields[f"cadre_{row.cadre.pk}"] = forms.BooleanField(
                label=row.cadre.full_name, required=False, initial=row.attended
            )
        self.guests = GuestFormSet(
            data,
            prefix="guests",
            initial=[{"name": g.name, "title": g.title} for g in sheet.guests],
        )

    @staticmethod
    def _reason(initial: str):
        return forms.CharField(
            label=_("Reason"),
            max_length=200,
            required=False,
            initial=initial,
            widget=forms.TextInput(
                attrs={"class": "form-control form-control-sm", "placeholder": _("Reason or note")}
            ),
        )

    def is_valid(self) -> bool:
        return super().is_valid() & self.guests.is_valid()

    def clean(self):
        cleaned = super().clean()
        for row in self.sheet.members + self.sheet.temporary:
            pk = row.member.pk
            status, reason = cleaned.get(f"status_{pk}"), cleaned.get(f"reason_{pk}", "")
            if status == S.ABSENT_EXCUSED and not (reason or "").strip():
                self.add_error(
                    f"reason_{pk}",
                    _("Give the reason for %(name)s's absence.") % {"name": row.member.full_name},
                )
        return cleaned

    def rows(self):
        """(row, status field, reason field) for the template, roll first."""
        for row in self.sheet.members + self.sheet.temporary:
            pk = row.member.pk
            yield row, self[f"status_{pk}"], self[f"reason_{pk}"]

    def cadre_fields(self):
        for row in self.sheet.cadres:
            yield row, self[f"cadre_{row.cadre.pk}"]

    def entries(self) -> tuple[list[Entry], list[Entry], dict[int, bool], list[tuple[str, str]]]:
        """What the service needs: home entries, temporary entries, cadres, guests."""
        data = self.cleaned_data

        def entry(row):
            pk = row.member.pk
            return Entry(pk, data[f"status_{pk}"], data.get(f"reason_{pk}", ""))

        members = [entry(row) for row in self.sheet.members]
        temporary = [entry(r) for r in self.sheet.temporary if data.get(f"status_{r.member.pk}")]
        cadres = {row.cadre.pk: data[f"cadre_{row.cadre.pk}"] for row in self.sheet.cadres}
        guests = [
            (g["name"].strip(), g["title"].strip())
            for g in self.guests.cleaned_data
            if g and g.get("name", "").strip() and not g.get("DELETE")
        ]
        return members, temporary, cadres, guests
