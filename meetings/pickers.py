"""The meetings app's picker sources (chibo/pickers.py): the cells where the
user plans meetings or assigns cadres, and the cadres they may assign."""

from django.db.models import QuerySet

from chibo import pickers

from .selectors.cadres import assignable_cells, cadre_choices
from .selectors.schedule import meeting_cells


def _member_rows(queryset: QuerySet, folded: str) -> QuerySet:
    return pickers.ranked(queryset.select_related("cell"), folded)


# A cadre is told apart from a namesake by their cell.
MEMBERS = pickers.Presenter(
    search=_member_rows,
    label=lambda member: member.full_name,
    detail=lambda member: member.cell.name,
)


# Each scope is the one the form's field gets, called with the user alone.
pickers.register("meeting-cells")(meeting_cells)
pickers.register("assignable-cells")(assignable_cells)
pickers.register("cadres", MEMBERS)(cadre_choices)
