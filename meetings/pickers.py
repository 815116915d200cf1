"""The meetings app's picker sources (chibo/pickers.py): the cells where the
user plans meetings or assigns cadres, and the cadres they may assign."""

from chibo import pickers

from .selectors.cadres import assignable_cells, cadre_choices
from .selectors.schedule import meeting_cells

# A cadre is told apart from a namesake by their cell.
MEMBERS = pickers.named_within("cell", name="full_name")


# Each scope is the one the form's field gets, called with the user alone.
pickers.register("meeting-cells")(meeting_cells)
pickers.register("assignable-cells")(assignable_cells)
pickers.register("cadres", MEMBERS)(cadre_choices)
