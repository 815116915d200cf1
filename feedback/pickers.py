"""The feedback app's picker source (chibo/pickers.py): the answering bodies,
told apart by the committee whose area they serve."""

from django.db.models import QuerySet

from chibo import access, pickers

from .models import AnsweringBody


def _body_rows(queryset: QuerySet, folded: str) -> QuerySet:
    return pickers.ranked(queryset.select_related("organization"), folded)


BODIES = pickers.Presenter(
    search=_body_rows,
    label=lambda body: body.name,
    detail=lambda body: body.organization.name,
)


@pickers.register("bodies", BODIES)
def bodies(user) -> QuerySet:
    """The bodies the user sees (the feedback list's filter)."""
    return access.visible(user, AnsweringBody)
