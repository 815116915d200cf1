"""The named things a user may do beyond seeing and editing records.

Each is checked by the policy its app registers (`register_capability`),
asked with `access.has()` and required with `access.require()`.
"""

from enum import StrEnum


class Capability(StrEnum):
    # members/policies.py
    ADD_MEMBERS = "add_members"  # some cell whose members the user keeps
    IMPORT_MEMBERS = "import_members"  # the same, by spreadsheet
    IMPORT_ORGANIZATIONS = "import_organizations"  # some organization the user edits
    # meetings/policies.py
    PLAN_MEETINGS = "plan_meetings"  # some cell whose meetings the user writes
    ASSIGN_CADRES = "assign_cadres"  # office staff, administrators of a subtree
    READ_REPORTS = "read_reports"  # the quota and thematic reports of a subtree
    # A cadre's own visits; with an organization and a day: assigned to that
    # cell on that day.
    RECORD_VISITS = "record_visits"
