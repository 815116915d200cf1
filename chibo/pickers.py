"""Search-as-you-type pickers for choices that can run to thousands (cells,
organizations, cadres): a form field, its widget, a django-filter filter and
the endpoint the widget asks while the user types.

The widget never iterates its queryset: it renders a search input and the
chosen objects only (one query for their labels). The field validates with
`queryset.get(pk=...)` on the queryset the form scoped by access, so an id
outside the scope is refused. Without JavaScript the typed text is submitted
and the field resolves it: one match is chosen, several are offered as
choices (at most LIMIT), none is an error.

Sources, the scopes the endpoint searches, are registered by name, by the
base here and by the apps in their AppConfig.ready() (like the access
policies), so this module imports no app.
"""

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

import django_filters
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Length, Substr
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from . import access
from .models import Organization, OrganizationKind
from .text import fold

# The most matches the endpoint answers and a no-JS form offers.
LIMIT = 20

__all__ = [
    "LIMIT",
    "ORGANIZATIONS",
    "Presenter",
    "PickerField",
    "PickerFilter",
    "PickerMultipleField",
    "PickerWidget",
    "register",
    "source",
    "search",
]


@dataclass(frozen=True)
class Presenter:
    """How a kind of object is searched, ordered and labelled."""

    # (queryset, folded text) -> matching rows, best first; the text may be "".
    search: Callable[[QuerySet, str], QuerySet]
    # The object's name and what tells it apart from namesakes.
    label: Callable[[object], str]
    detail: Callable[[object], str]


def ranked(rows: QuerySet, folded: str, *, tiebreak: str = "pk") -> QuerySet:
    """The rows whose folded `search_name` holds the text, those whose name
    starts with it first, then by name (all of them when the text is "")."""
    if not folded:
        return rows.order_by("search_name", tiebreak)
    starts = Case(
        When(search_name__startswith=folded, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        rows.filter(search_name__contains=folded)
        .annotate(rank=starts)
        .order_by("rank", "search_name", tiebreak)
    )


def _organization_rows(queryset: QuerySet, folded: str) -> QuerySet:
    # The parent is the node whose path is this path minus its last step:
    # one correlated lookup per row shown, at most LIMIT + 1 rows.
    parent = Organization.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Organization.steplen)
    ).values("name")[:1]
    return ranked(queryset.annotate(parent_name=Subquery(parent)), folded, tiebreak="path")


ORGANIZATIONS = Presenter(
    search=_organization_rows,
    label=lambda org: org.name,
    detail=lambda org: getattr(org, "parent_name", None) or "",
)


@dataclass(frozen=True)
class Source:
    name: str
    scope: Callable[[object], QuerySet]  # user -> what they may choose
    presenter: Presenter


_SOURCES: dict[str, Source] = {}


def named_within(related: str, *, name: str = "name") -> Presenter:
    """Rows labelled by their `name` field and told apart from namesakes by
    the name of their `related` row (a member by their cell)."""
    return Presenter(
        search=lambda queryset, folded: ranked(queryset.select_related(related), folded),
        label=attrgetter(name),
        detail=lambda row: getattr(row, related).name,
    )


def register(name: str, presenter: Presenter = ORGANIZATIONS):
    """Declare the source `name`: a function user -> queryset, the scope the
    picker's endpoint searches (it must be the field's queryset)."""

    def decorator(scope: Callable[[object], QuerySet]):
        _SOURCES[name] = Source(name, scope, presenter)
        return scope

    return decorator


def source(name: str) -> Source:
    try:
        return _SOURCES[name]
    except KeyError:
        raise LookupError(f"No picker source {name!r}") from None


def search(queryset: QuerySet, presenter: Presenter, text: str, limit: int = LIMIT) -> list:
    """The first `limit` + 1 matches of `text` (the extra one says there are more)."""
    return list(presenter.search(queryset, fold(text))[: limit + 1])


def _result(presenter: Presenter, obj) -> dict:
    return {"value": obj.pk, "label": presenter.label(obj), "detail": presenter.detail(obj)}


@login_required
@require_GET
def pick(request, name: str):
    """The matches of ?q= in what the user may choose from source `name`,
    as JSON: {"results": [{"value", "label", "detail"}], "more": bool}."""
    if name not in _SOURCES:
        raise Http404
    found = _SOURCES[name]
    rows = search(found.scope(request.user), found.presenter, request.GET.get("q", "")[:100])
    return JsonResponse(
        {
            "results": [_result(found.presenter, obj) for obj in rows[:LIMIT]],
            "more": len(rows) > LIMIT,
        }
    )


# --- the widget ----------------------------------------------------------------


class Search:
    """What the user typed in the search field, to be resolved by the field."""

    def __init__(self, text: str, chosen: tuple = ()):
        self.text = text
        self.chosen = chosen  # ids already ticked (multiple pickers)

    def __eq__(self, other):
        return isinstance(other, Search) and (self.text, self.chosen) == (other.text, other.chosen)

    def __hash__(self):
        return hash((self.text, self.chosen))

    def __str__(self):
        return self.text


class PickerWidget(forms.Widget):
    """A search input and the chosen objects as ticked boxes (chips).

    Posted as `<name>` (the ticked ids) and `<name>_q` (the text typed).
    static/js/picker.js turns the input into an ARIA combobox that asks the
    source's endpoint while the user types."""

    allow_multiple_selected = False

    def __init__(self, source: str, attrs=None, *, multiple: bool = False, placeholder=None):
        super().__init__(attrs)
        self.source = source
        self.multiple = multiple
        self.placeholder = placeholder
        self.queryset = None
        self._found: dict[str, list] = {}

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy._found = {}
        return copy

    @property
    def presenter(self) -> Presenter:
        return source(self.source).presenter

    def matches(self, text: str) -> list:
        """The first LIMIT + 1 matches of `text`, found once per form."""
        if text not in self._found:
            self._found[text] = search(self.queryset, self.presenter, text)
        return self._found[text]

    def value_from_datadict(self, data, files, name):
        posted = data.getlist(name) if hasattr(data, "getlist") else _as_list(data.get(name))
        chosen = tuple(str(v) for v in posted if v not in ("", None))
        text = " ".join((data.get(f"{name}_q") or "").split())
        if text:
            return Search(text, chosen if self.multiple else ())
        if self.multiple:
            return list(chosen)
        return chosen[0] if chosen else None

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_q" not in data

    def _ids(self, value) -> tuple[list, "Search | None"]:
        if isinstance(value, Search):
            return list(value.chosen), value
        if value in (None, ""):
            return [], None
        values = value if isinstance(value, list | tuple) else [value]
        return [v for v in values if v not in (None, "")], None

    def _chosen(self, ids: list) -> list:
        ids = [v for v in (str(v) for v in ids) if v.isdigit()]
        if not ids or self.queryset is None:
            return []
        rows = {str(o.pk): o for o in self.presenter.search(self.queryset.filter(pk__in=ids), "")}
        return [rows[v] for v in dict.fromkeys(ids) if v in rows]

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        field_id = attrs.pop("id", None) or f"id_{name}"
        ids, typed = self._ids(value)
        chosen = self._chosen(ids)
        offered, text = [], ""
        if typed is not None:
            found = self.matches(typed.text)
            if len(found) == 1:
                chosen = [o for o in chosen if o.pk != found[0].pk] + found
                if not self.multiple:
                    chosen = found
            elif found:
                # Several: offered to choose from; the search starts afresh.
                offered = [o for o in found[:LIMIT] if o not in chosen]
            else:
                text = typed.text  # kept, to be corrected
        kind = "checkbox" if self.multiple or not offered else "radio"
        chips = format_html_join(
            "",
            '<span class="picker-chip"><input class="form-check-input" type="checkbox"'
            ' name="{}" value="{}" id="{}" checked><label for="{}">{}{}</label></span>',
            (
                (name, o.pk, f"{field_id}_{o.pk}", f"{field_id}_{o.pk}", *self._labels(o))
                for o in chosen
            ),
        )
        options = format_html_join(
            "",
            '<div class="form-check picker-offer"><input class="form-check-input" type="{}"'
            ' name="{}" value="{}" id="{}"><label class="form-check-label" for="{}">{}{}</label>'
            "</div>",
            (
                (kind, name, o.pk, f"{field_id}_o{o.pk}", f"{field_id}_o{o.pk}", *self._labels(o))
                for o in offered
            ),
        )
        css = f"form-control picker-input {attrs.pop('class', '')}"
        listbox = f"{field_id}_listbox"
        extra = forms.utils.flatatt(
            # Not `required`: the choice is in the chips, the search may stay empty.
            {k: v for k, v in attrs.items() if k not in {"name", "type", "value", "required"}}
        )
        return format_html(
            '<div class="{}" data-picker data-url="{}" data-name="{}" data-none="{}"'
            ' data-more="{}"{}>'
            '<div class="picker-chosen" data-picker-chosen>{}</div>'
            '<input type="search" name="{}_q" id="{}" value="{}" class="{}"'
            ' placeholder="{}" autocomplete="off" role="combobox" aria-autocomplete="list"'
            ' aria-expanded="false" aria-controls="{}"{}>'
            '<ul class="picker-listbox" id="{}" role="listbox" hidden></ul>'
            '<div class="visually-hidden" aria-live="polite" data-picker-status></div>'
            '<div class="picker-offers">{}</div>'
            "</div>",
            # Bootstrap shows a field's errors after an .is-invalid sibling.
            "picker is-invalid" if "is-invalid" in css.split() else "picker",
            reverse("picker", kwargs={"name": self.source}),
            name,
            _("Nothing matches."),
            _("More match: type more of the name."),
            " data-multiple" if self.multiple else "",
            chips,
            name,
            field_id,
            text,
            " ".join(dict.fromkeys(css.split())),
            self.placeholder or (_("Type to add…") if self.multiple else _("Type to search…")),
            listbox,
            extra,
            listbox,
            options,
        )

    def _labels(self, obj) -> tuple:
        detail = self.presenter.detail(obj)
        return (
            self.presenter.label(obj),
            format_html(' <small class="text-body-secondary">{}</small>', detail) if detail else "",
        )

    def id_for_label(self, id_):
        return id_


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


# --- the fields ----------------------------------------------------------------

MESSAGES = {
    "invalid_choice": _("That choice is not among those you may make; search again."),
    "no_match": _("Nothing matches “%(text)s”: try another spelling or part of the name."),
    "several": _("%(n)s match “%(text)s”: choose below, or type more of the name."),
    "too_many": _(
        "More than %(n)s match “%(text)s”: the first %(n)s are below; type more of the name."
    ),
}


class _PickerMixin:
    def __init__(self, source: str, queryset=None, *, placeholder=None, **kwargs):
        # django-filter's choice filters pass these; a picker has no null choice.
        kwargs.pop("null_label", None)
        kwargs.pop("null_value", None)
        widget = PickerWidget(source, multiple=self.multiple, placeholder=placeholder)
        kwargs.setdefault("widget", widget)
        messages = {**MESSAGES, **kwargs.pop("error_messages", {})}
        super().__init__(queryset, error_messages=messages, **kwargs)
        self.source = source

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def resolve(self, typed: Search):
        """The one object the text names, or a ValidationError that says why not."""
        found = self.widget.matches(typed.text)
        if len(found) == 1:
            return found[0]
        params = {"text": typed.text, "n": min(len(found), LIMIT)}
        if not found:
            raise ValidationError(self.error_messages["no_match"], code="no_match", params=params)
        code = "too_many" if len(found) > LIMIT else "several"
        raise ValidationError(self.error_messages[code], code=code, params=params)


class PickerField(_PickerMixin, forms.ModelChoiceField):
    """A ModelChoiceField chosen by searching the registered source `source`."""

    multiple = False

    def to_python(self, value):
        if isinstance(value, Search):
            return self.resolve(value)
        return super().to_python(value)

    def has_changed(self, initial, data):
        if isinstance(data, Search):
            try:
                data = self.resolve(data).pk
            except ValidationError:
                return True
        return super().has_changed(initial, data)


class PickerMultipleField(_PickerMixin, forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField: ticked chips plus what the search adds."""

    multiple = True

    def clean(self, value):
        if isinstance(value, Search):
            added = self.resolve(value)
            value = [*value.chosen, added.pk]
        return super().clean(value)

    def has_changed(self, initial, data):
        if isinstance(data, Search):
            return True
        return super().has_changed(initial, data)


class PickerFilter(django_filters.ModelChoiceFilter):
    """A django-filter ModelChoiceFilter whose field is a PickerField: give
    `source=` and set `.queryset` per user, as for any ModelChoiceFilter."""

    field_class = PickerField


# --- the base's sources --------------------------------------------------------


@register("cells")
def _cells(user) -> QuerySet:
    """Cells whose members the user sees (the lists' cell filter)."""
    return access.cells(user)


@register("member-cells")
def _member_cells(user) -> QuerySet:
    """Cells whose members the user may edit (where a member is recorded)."""
    return access.cells(user, access.EDIT)


@register("organizations")
def _organizations(user) -> QuerySet:
    return access.visible(user, Organization)


@register("offices")
def _offices(user) -> QuerySet:
    """The organizations above cells that the user runs (staff, admin)."""
    return access.visible(user, Organization, access.EDIT).exclude(kind=OrganizationKind.CELL)


@register("parents")
def _parents(user) -> QuerySet:
    """Where the user may move an organization: an active office they run."""
    return _offices(user).active()
