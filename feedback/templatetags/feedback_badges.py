"""{{ item|state_badge }}: how a feedback state looks (a Bootstrap badge
class). Presentation, so it lives here and not on the model."""

from django import template

from ..models import FeedbackState

register = template.Library()

STATE_BADGES = {
    FeedbackState.NEW: "text-bg-secondary",
    FeedbackState.FORWARDED: "text-bg-primary",
    FeedbackState.IN_PROGRESS: "text-bg-info",
    FeedbackState.RETURNED: "text-bg-warning",
    FeedbackState.ANSWERED: "text-bg-success",
    FeedbackState.CLOSED: "text-bg-dark",
    FeedbackState.REOPENED: "text-bg-warning",
}


@register.filter
def state_badge(item) -> str:
    """The badge class of the item's state."""
    return STATE_BADGES.get(item.state, "text-bg-secondary")
