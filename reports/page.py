"""What the report page renders once and keeps: its figures' part, memoised
with the roll-up, and the crispy fields of its forms, kept per language and
choice (crispy takes about 10 ms a form)."""

from functools import lru_cache

from django.template.loader import render_to_string
from django.utils import translation

from chibo import figures

from .rollup import KINDS, drawn_key

# The query parameters the report's figures depend on (any other is ignored).
BODY_PARAMETERS = ("period", "first", "last", "tree", "page")


def figures_part(request, result, context) -> str:
    """The page's figures (reports/includes/report_body.html), rendered once
    per data version, scope, report, page and language and memoised like the
    roll-up: the rows and lists are most of the page's time."""
    return figures.memoised(
        "report-body",
        kinds=KINDS,
        key=[
            *drawn_key(request.user, result),
            *(request.GET.get(name, "")[:24] for name in BODY_PARAMETERS),
        ],
        compute=lambda: render_to_string(
            "reports/includes/report_body.html", context, request=request
        ),
    )


def fields(template: str, form) -> str:
    """A form's fields as crispy renders them (10 ms a form): kept per
    language and data while the form has no error, which shows its own."""
    if form.is_bound and form.errors:
        return render_to_string(template, {"form": form})
    data = tuple((name, form.data.get(name, "")) for name in form.fields) if form.is_bound else ()
    today = getattr(form, "today", None)
    return _rendered(template, type(form), data, today, translation.get_language())


@lru_cache(maxsize=512)
def _rendered(template: str, form_class, data: tuple, today, language: str) -> str:
    with translation.override(language):
        form = form_class(dict(data) or None, **({"today": today} if today else {}))
        form.is_valid()
        return render_to_string(template, {"form": form})
