"""Forms: validation only; every choice limited to what the user may use."""

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo import access
from chibo.forms import DateInput
from chibo.models import Organization
from members.models import Member

from .models import OPEN_STATES, AnsweringBody, Category, FeedbackItem, RaiserKind
from .uploads import MAX_BYTES, TYPES
from .workflow import FORWARD


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(sorted(TYPES))}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ItemForm(forms.Form):
    raiser_kind = forms.ChoiceField(
        label=_("Raised by"),
        choices=RaiserKind.choices,
        widget=forms.RadioSelect,
        initial=RaiserKind.MEMBER,
    )
    raiser_member = forms.ModelChoiceField(
        label=_("Member"), queryset=Member.objects.none(), required=False
    )
    raiser_name = forms.CharField(
        label=_("Who (citizens)"),
        max_length=200,
        required=False,
        help_text=_("E.g. 'households of hamlet 3'."),
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    text = forms.CharField(
        label=_("Feedback"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    files = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, JPG, PNG, DOCX or XLSX, at most %(mb)s MB each.")
        % {"mb": MAX_BYTES // 2**20},
    )

    def __init__(self, *args, members: QuerySet, similar_url: str = "", **kwargs):
        """`members`: who may be named as the raiser, already scoped by access."""
        super().__init__(*args, **kwargs)
        self.fields["raiser_member"].queryset = members
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        if similar_url:
            # While typing, open items like this one appear below (htmx).
            self.fields["text"].widget.attrs.update(
                {
                    "hx-get": similar_url,
                    "hx-trigger": "keyup changed delay:600ms",
                    "hx-target": "#similar-items",
                }
            )

    def clean(self):
        data = super().clean()
        if data.get("raiser_kind") == RaiserKind.MEMBER and not data.get("raiser_member"):
            self.add_error("raiser_member", _("Choose the member who raised it."))
        if (
            data.get("raiser_kind") == RaiserKind.CITIZENS
            and not data.get("raiser_name", "").strip()
        ):
            self.add_error("raiser_name", _("Say who raised it."))
        return data


class ForwardForm(forms.Form):
    target = forms.ChoiceField(label=_("Who must answer"))
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: the category's usual time."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, item: FeedbackItem, **kwargs):
        super().__init__(*args, **kwargs)
        ancestors = list(Organization.objects.get_ancestors(item.cell))
        bodies = AnsweringBody.objects.filter(
            is_active=True, organization__in=[o.pk for o in ancestors]
        ).select_related("organization")
        self.choices_by_key = {f"org:{o.pk}": o for o in reversed(ancestors)}
        self.choices_by_key.update({f"body:{b.pk}": b for b in bodies})
        self.fields["target"].choices = [
            (_("Committees"), [(f"org:{o.pk}", o.name) for o in reversed(ancestors)]),
            (_("Other bodies"), [(f"body:{b.pk}", b.name) for b in bodies]),
        ]
        current = item.routed_body or item.routed_organization
        if current is not None:
            prefix = "body" if item.routed_body_id else "org"
            self.fields["target"].initial = f"{prefix}:{current.pk}"

    def clean_due_on(self):
        due_on = self.cleaned_data.get("due_on")
        if due_on and due_on < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due_on

    def routing(self) -> dict:
        target = self.choices_by_key[self.cleaned_data["target"]]
        is_body = self.cleaned_data["target"].startswith("body:")
        return {
            "organization": None if is_body else target,
            "body": target if is_body else None,
            "due_on": self.cleaned_data.get("due_on"),
            "note": self.cleaned_data.get("note", ""),
        }


class NoteForm(forms.Form):
    """The text of a move: the answer, the question sent back, or a note."""

    text = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["text"]
        if action == "answer":
            field.label, field.required = _("Answer"), True
            field.widget.attrs["rows"] = 6
        elif action == "return":
            field.label, field.required = _("What needs clarifying"), True


class DueDateForm(forms.Form):
    due_on = forms.DateField(label=_("New due date"), widget=DateInput())
    note = forms.CharField(label=_("Reason"), required=False, max_length=300)


class LinkForm(forms.Form):
    main = forms.ModelChoiceField(label=_("Link under item"), queryset=FeedbackItem.objects.none())

    def __init__(self, *args, user, item: FeedbackItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["main"].queryset = (
            access.visible(user, FeedbackItem, FORWARD)
            .filter(state__in=OPEN_STATES, main_item__isnull=True)
            .exclude(pk=item.pk)
        )


class ReadBackForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    is_satisfied = forms.TypedChoiceField(
        label=_("Is the cell satisfied?"),
        choices=[("yes", _("Satisfied")), ("no", _("Not satisfied: reopen"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("The cell's comment"), required=False, max_length=1000)
