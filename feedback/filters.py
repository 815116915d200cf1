"""The filters of the feedback lists: state, category, body, organization
subtree, period, overdue, a to-do view per role, and search without diacritics."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo import access
from chibo.forms import DateInput
from chibo.models import Organization
from chibo.pickers import PickerFilter

from . import pickers
from .models import AWAITING_ANSWER, AnsweringBody, Category, FeedbackItem, FeedbackState
from .workflow import ANSWER, FORWARD, READBACK

DATE = DateInput()

# What each role has to do next: (access action, states).
WORK_TO_DO = {
    "forward": (FORWARD, [FeedbackState.NEW, FeedbackState.RETURNED, FeedbackState.REOPENED]),
    "answer": (ANSWER, list(AWAITING_ANSWER)),
    "read_back": (READBACK, [FeedbackState.ANSWERED]),
}


class FeedbackFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": _("Words of the feedback"), "type": "search"}),
    )
    todo = django_filters.ChoiceFilter(
        label=_("To do"),
        method="to_do",
        empty_label=_("Everything I see"),
        choices=[
            ("forward", _("To forward")),
            ("answer", _("To answer")),
            ("read_back", _("To read back")),
        ],
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=FeedbackState.choices, empty_label=_("All")
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=Category.objects.all(), empty_label=_("All")
    )
    body = PickerFilter(
        source="bodies",
        label=_("Answering body"),
        queryset=AnsweringBody.objects.none(),
        field_name="routed_body",
        method="by_body",
        placeholder=_("All: type a name"),
    )
    organization = PickerFilter(
        source="organizations",
        label=_("Organization"),
        queryset=Organization.objects.none(),
        method="in_subtree",
        placeholder=_("All: type a name"),
    )
    raised_from = django_filters.DateFilter(
        label=_("Raised from"), field_name="raised_on", lookup_expr="gte", widget=DATE
    )
    raised_to = django_filters.DateFilter(
        label=_("Raised until"), field_name="raised_on", lookup_expr="lte", widget=DATE
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"), method="only_overdue", widget=forms.CheckboxInput
    )

    class Meta:
        model = FeedbackItem
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.filters["body"].queryset = pickers.bodies(user)
        self.filters["organization"].queryset = access.visible(user, Organization)

    def search(self, queryset, name, value):
        return queryset.search(value)

    def to_do(self, queryset, name, value):
        action, states = WORK_TO_DO[value]
        queryset = queryset.filter(
            pk__in=access.visible(self.user, FeedbackItem, action).values("pk"), state__in=states
        )
        # Linked items are forwarded and answered with their main item, but
        # each is read back at its own cell.
        return queryset if value == "read_back" else queryset.filter(main_item__isnull=True)

    def by_body(self, queryset, name, value):
        # Items linked under one routed to the body are answered by it too.
        return queryset.filter(Q(routed_body=value) | Q(main_item__routed_body=value))

    def in_subtree(self, queryset, name, value):
        # The cells below it, or the answers owed there.
        return queryset.filter(
            Q(cell__path__startswith=value.path)
            | Q(answer_organization__path__startswith=value.path)
        )

    def only_overdue(self, queryset, name, value):
        return queryset.overdue(timezone.localdate()) if value else queryset
