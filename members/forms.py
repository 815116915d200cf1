from functools import partial

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo import access
from chibo.forms import DateInput, row, save_button
from chibo.pickers import PickerField

from .models import Member, MemberStatus


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "full_name",
            "gender",
            "birth_date",
            "phone",
            "cell",
            "status",
            "party_card_number",
            "joined_on",
            "official_on",
            "is_exempt",
            "exempt_reason",
            "exempt_since",
            "is_away_for_work",
        ]
        widgets = {
            "birth_date": DateInput(),
            "joined_on": DateInput(),
            "official_on": DateInput(),
            "exempt_since": DateInput(),
        }
        field_classes = {"cell": partial(PickerField, "member-cells")}
        error_messages = {
            # clean_party_card_number() answers first; this is the race's fallback.
            "party_card_number": {"unique": _("This party card number cannot be used.")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["cell"].queryset = access.cells(user, access.EDIT)
        self.fields["party_card_number"].help_text = _("Leave empty for probationary members.")
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "full_name",
            row(gender="col-sm-4", birth_date="col-sm-4", phone="col-sm-4"),
            "cell",
            row(status="col-sm-6", party_card_number="col-sm-6"),
            row(joined_on="col-sm-6", official_on="col-sm-6"),
            Field("is_exempt"),
            "exempt_reason",
            "exempt_since",
            Field("is_away_for_work"),
            save_button(_("Save")),
        )

    def clean_party_card_number(self):
        card = self.cleaned_data["party_card_number"] or None
        holders = Member.objects.filter(party_card_number=card).exclude(pk=self.instance.pk)
        if card and holders.exists():
            # Outside the user's scope, not even that the card exists is said.
            if access.visible(self.user, Member).filter(party_card_number=card).exists():
                raise forms.ValidationError(_("This party card number is already recorded."))
            raise forms.ValidationError(_("This party card number cannot be used."))
        return card

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        joined, official = data.get("joined_on"), data.get("official_on")
        birth = data.get("birth_date")
        # A record typed here must be complete, but a fact that an imported
        # old record already lacks is not demanded before any other edit.
        lacked_official_date = (
            self.instance.pk and self.instance.is_official and self.instance.official_on is None
        )
        if (
            data.get("status") == MemberStatus.OFFICIAL
            and not official
            and not lacked_official_date
        ):
            self.add_error(
                "official_on", _("An official member needs the date they became official.")
            )
        if data.get("status") == MemberStatus.PROBATIONARY and official:
            self.add_error("official_on", _("A probationary member has no official date yet."))
        if joined and official and official < joined:
            self.add_error(
                "official_on", _("The official date cannot be before the admission date.")
            )
        for name in ("birth_date", "joined_on", "official_on", "exempt_since"):
            if data.get(name) and data[name] > today:
                self.add_error(name, _("This date is in the future."))
        if birth and joined and (joined.year - birth.year) < 18:
            self.add_error("joined_on", _("A member is admitted at 18 or older."))
        lacked_reason = (
            self.instance.pk and self.instance.is_exempt and not self.instance.exempt_reason
        )
        if data.get("is_exempt") and not data.get("exempt_reason") and not lacked_reason:
            self.add_error("exempt_reason", _("Give the reason for the exemption."))
        if not data.get("is_exempt"):
            data["exempt_reason"], data["exempt_since"] = "", None
        return data
