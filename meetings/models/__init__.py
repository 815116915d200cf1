from .attendance import Attendance, AttendanceStatus, Guest
from .minutes import Minutes, MinutesState, ResolutionTask, Speech, TaskStatus
from .schedule import Holiday, Meeting, MeetingKind, MeetingState
from .visits import Assignment, CadreVisit, QuotaRule

__all__ = [
    "Assignment",
    "Attendance",
    "AttendanceStatus",
    "CadreVisit",
    "Guest",
    "Holiday",
    "Meeting",
    "MeetingKind",
    "MeetingState",
    "Minutes",
    "MinutesState",
    "QuotaRule",
    "ResolutionTask",
    "Speech",
    "TaskStatus",
]
