"""{% feedback_card meeting as card %}: the feedback card on a meeting's page,
so the meetings app includes one template and needs no view change."""

from django import template

from ..selectors import meeting_feedback

register = template.Library()


@register.simple_tag(takes_context=True)
def feedback_card(context, meeting):
    return meeting_feedback(meeting, context["request"].user)
