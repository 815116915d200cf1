"""{% feedback_card meeting as card %}: the feedback card on a meeting's page,
so the meetings app includes one template and needs no view change."""

from django import template

from ..selectors import meeting_feedback

register = template.Library()


@register.simple_tag(takes_context=True)
def feedback_card(context, meeting):
    # The meeting page already knows whether the user may edit the meeting.
    may_edit = context.get("may_edit")
    return meeting_feedback(
        meeting, context["request"].user, may_edit=None if may_edit is None else bool(may_edit)
    )
