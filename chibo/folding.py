"""Searchable copies of names without diacritics (see chibo.text.fold).

A model declares `search_name = FoldedCharField(source=("name",), ...)` and
the field fills itself on every save (and bulk_create) from its sources; its
queryset takes `FoldedSearch` for `.search(text)`. In migrations the fields
are plain CharField/TextField: the folding is behaviour, not schema.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .text import fold


class _Folded:
    def __init__(self, *args, source: tuple[str, ...] = (), **kwargs):
        self.source = tuple(source)
        # Filled from its sources, never typed.
        kwargs.setdefault("editable", False)
        kwargs.setdefault("verbose_name", _("name without accents"))
        super().__init__(*args, **kwargs)

    def clone(self):
        # deconstruct() hides `source` from migrations; a copy keeps it.
        copy = super().clone()
        copy.source = self.source
        return copy

    def pre_save(self, model_instance, add):
        value = fold(" ".join(getattr(model_instance, name) or "" for name in self.source))
        setattr(model_instance, self.attname, value)
        return value

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        plain = models.TextField if isinstance(self, models.TextField) else models.CharField
        return name, f"django.db.models.{plain.__name__}", args, kwargs


class FoldedCharField(_Folded, models.CharField):
    """A CharField holding the folded text of the `source` fields."""


class FoldedTextField(_Folded, models.TextField):
    """A TextField holding the folded text of the `source` fields."""


class FoldedSearch:
    """Queryset mixin: `.search(text)` matches the folded text in `folded_field`."""

    folded_field = "search_name"

    def search(self, text: str | None):
        folded = fold(text)
        return self.filter(**{f"{self.folded_field}__contains": folded}) if folded else self
