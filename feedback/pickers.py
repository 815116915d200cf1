"""The feedback app's picker source (chibo/pickers.py): the answering bodies,
told apart by the committee whose area they serve."""

from django.db.models import QuerySet

from chibo import access, pickers

from .models import AnsweringBody

BODIES = pickers.named_within("organization")


@pickers.register("bodies", BODIES)
def bodies(user) -> QuerySet:
    """The bodies the user sees (the feedback list's filter)."""
    return access.visible(user, AnsweringBody)
