import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from chibo import access
from chibo.pickers import PickerFilter

from .models import Member, MemberStatus


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": _("Name or card number"), "type": "search"}),
    )
    cell = PickerFilter(
        source="cells", label=_("Cell"), queryset=None, placeholder=_("All cells: type a name")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=MemberStatus.choices, empty_label=_("All")
    )
    is_exempt = django_filters.BooleanFilter(label=_("Exempted"))
    is_away_for_work = django_filters.BooleanFilter(label=_("Away for work"))

    class Meta:
        model = Member
        fields = ["q", "cell", "status", "is_exempt", "is_away_for_work"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["cell"].queryset = access.cells(user)

    def search(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(party_card_number__startswith=value)
        return queryset.search(value)
