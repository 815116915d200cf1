"""The party's rules for meetings and minutes, as pure functions.

Nothing here touches the database or a request: callers pass plain values
(numbers, dates, members as objects with `status`, `official_on`, ...) and
get answers or `Finding`s back, so every rule is unit-tested on its own.
Sources: DOMAIN.md ("Rules of the party that the records must respect").
"""

import datetime
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _

MINIMUM_MINUTES = 90
MINIMUM_MINUTES_WITH_THEMATIC_PART = 120
# The office counts minutes finalized within this many days of the meeting as on time.
MINUTES_ON_TIME_DAYS = 2
# A member absent without reason from this many meetings in a row is named to the office
# (Charter, Điều 8: the cell considers striking off who leaves party life without reason).
UNEXCUSED_IN_A_ROW = 3
# Party congress terms are five years long; the cell's documents are numbered
# per term. The 2025 congresses (from the cells up) ended the 2020–2025 term;
# we switch every term on 1 July of its starting year (2020, 2025, 2030, ...).
TERM_LENGTH = 5
FIRST_TERM_START = 2020
TERM_SWITCH = (7, 1)  # month, day
VOTING_STATUSES = ("present", "late")


# Members on a date ---------------------------------------------------------


def is_on_roll_on(member, on: datetime.date) -> bool:
    """Admitted by that date and not yet left (left_on is exclusive)."""
    return member.joined_on <= on and (member.left_on is None or member.left_on > on)


def is_official_on(member, on: datetime.date) -> bool:
    """Official on that date; probationary members never vote or count.

    An official member whose official date was never recorded (old records
    often lack it) is official on every date.
    """
    return member.status == "official" and (member.official_on is None or member.official_on <= on)


def is_exempt_on(member, on: datetime.date) -> bool:
    """Exempted from meetings on that date (an exemption without a start date
    counts from the beginning)."""
    return bool(member.is_exempt) and (member.exempt_since is None or member.exempt_since <= on)


# The roll at a meeting -------------------------------------------------------


def is_attending(status: str) -> bool:
    """Present or late: at the meeting."""
    return status in VOTING_STATUSES


@dataclass(frozen=True)
class RollCount:
    """A meeting's attendance figures. `count_roll` is the only place they are
    computed: the meeting page, the finalize check, the snapshot and the PDF
    all show these numbers."""

    total: int = 0  # the cell's own members on the roll on the meeting date
    official: int = 0
    probationary: int = 0
    exempt: int = 0  # exempted from meetings on that date: not expected
    exempt_present: int = 0  # exempted members who came all the same
    expected: int = 0
    present: int = 0  # home members recorded present (on time)
    late: int = 0
    absent_excused: int = 0
    absent_unexcused: int = 0
    # The majority's base: official members, minus the exempted ones who did
    # not come. An exempted member who attends votes and counts (the rules
    # implementing the Party Statute on who makes up a members' meeting).
    voting_base: int = 0
    voters_present: int = 0  # official home members at the meeting: who may vote
    temporary_present: int = 0  # members of other cells in temporary attendance here

    @property
    def attending(self) -> int:
        """Home members at the meeting, late ones and exempted ones included."""
        return self.present + self.late


def count_roll(members, temporary=()) -> RollCount:
    """The figures of a roll. `members` are the cell's own members on the
    meeting date, `temporary` those of other cells listed here; each has
    `is_official`, `is_exempt` (both on the meeting date) and `status` (the
    recorded attendance, "exempt" for an exempted member not recorded, ""
    for nobody recorded)."""
    members = list(members)

    def number(test) -> int:
        return sum(1 for row in members if test(row))

    def attends(row) -> bool:
        return is_attending(row.status)

    official = number(lambda row: row.is_official)
    exempt = number(lambda row: row.is_exempt)
    return RollCount(
        total=len(members),
        official=official,
        probationary=len(members) - official,
        exempt=exempt,
        exempt_present=number(lambda row: row.is_exempt and attends(row)),
        expected=len(members) - exempt,
        present=number(lambda row: row.status == "present"),
        late=number(lambda row: row.status == "late"),
        absent_excused=number(lambda row: row.status == "absent_excused"),
        absent_unexcused=number(lambda row: row.status == "absent_unexcused"),
        voting_base=number(lambda row: row.is_official and (attends(row) or not row.is_exempt)),
        voters_present=number(lambda row: row.is_official and attends(row)),
        temporary_present=sum(1 for row in temporary if is_attending(row.status)),
    )


def has_begun(meeting_day: datetime.date, *, today: datetime.date) -> bool:
    """A meeting has been held, or is being held, once its day has come:
    what was said at it (answers read back included) is recorded from then."""
    return meeting_day <= today


# Terms and numbers ---------------------------------------------------------


def term_start_year(on: datetime.date) -> int:
    """The first year of the congress term containing `on`."""
    year = on.year if (on.month, on.day) >= TERM_SWITCH else on.year - 1
    return FIRST_TERM_START + (year - FIRST_TERM_START) // TERM_LENGTH * TERM_LENGTH


def term_of(on: datetime.date) -> str:
    """The term as printed and stored, e.g. "2025-2030"."""
    start = term_start_year(on)
    return f"{start}-{start + TERM_LENGTH}"


def document_number(number: int) -> str:
    """A minutes number as the header prints it: "Số 05-BB/CB"."""
    return f"{number:02d}-BB/CB"


# Votes --------------------------------------------------------------------


def majority_needed(official_members: int) -> int:
    """Votes for that make "more than half" of the official members."""
    return official_members // 2 + 1


def resolution_adopted(*, votes_for: int | None, official_members: int) -> bool:
    """More than half of the cell's official, non-exempt members voted for it."""
    return official_members > 0 and (votes_for or 0) * 2 > official_members


def vote_total(*, votes_for, votes_against, votes_abstain) -> int:
    return (votes_for or 0) + (votes_against or 0) + (votes_abstain or 0)


# Times --------------------------------------------------------------------


def duration_minutes(started_at: datetime.datetime | None, ended_at: datetime.datetime | None):
    """Whole minutes between start and end, or None while one is missing."""
    if started_at is None or ended_at is None:
        return None
    return int((ended_at - started_at).total_seconds() // 60)


def minimum_minutes(*, has_thematic_part: bool) -> int:
    return MINIMUM_MINUTES_WITH_THEMATIC_PART if has_thematic_part else MINIMUM_MINUTES


def is_short(*, duration: int | None, has_thematic_part: bool) -> bool:
    return duration is not None and 0 < duration < minimum_minutes(
        has_thematic_part=has_thematic_part
    )


# Findings -----------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """A broken rule: `blocking` ones stop finalization, others are warnings
    shown on the page and stored with the minutes (`params` keep the numbers)."""

    code: str
    message: str
    blocking: bool = True
    params: dict = field(default_factory=dict)

    def as_stored(self) -> dict:
        return {"code": self.code, **self.params}


@dataclass
class MinutesFacts:
    """What the rules need to know about a meeting's minutes, as plain values."""

    has_thematic_part: bool = False
    started_at: datetime.datetime | None = None
    ended_at: datetime.datetime | None = None
    chair_set: bool = False
    minute_taker_set: bool = False
    has_resolution: bool = False
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None
    read_back_adopted: bool = False
    # The roll on the meeting date (home members only), from count_roll.
    roll: int = 0
    official_members: int = 0  # RollCount.voting_base: the majority's base
    official_present: int = 0  # RollCount.voters_present: who may vote
    attendance_counts: dict = field(default_factory=dict)  # status -> home members


def attendance_findings(*, counts: dict, roll: int) -> list[Finding]:
    """Counts per status of the cell's own members must add up to the roll."""
    counted = sum(counts.values())
    if counted > roll:
        return [
            Finding(
                "attendance_exceeds_roll",
                _(
                    "Attendance lists %(counted)d members of the cell but only %(roll)d "
                    "are on its roll."
                )
                % {"counted": counted, "roll": roll},
            )
        ]
    if counted < roll:
        return [
            Finding(
                "attendance_incomplete",
                _(
                    "Attendance is not complete: %(missing)d of the %(roll)d members on the "
                    "roll have no status yet."
                )
                % {"missing": roll - counted, "roll": roll},
            )
        ]
    return []


def time_findings(facts: MinutesFacts) -> list[Finding]:
    if facts.started_at is None or facts.ended_at is None:
        return [Finding("times_missing", _("Enter the time the meeting started and ended."))]
    if facts.ended_at <= facts.started_at:
        return [
            Finding(
                "end_before_start",
                _("The meeting must end after it starts (started %(start)s, ended %(end)s).")
                % {"start": _time(facts.started_at), "end": _time(facts.ended_at)},
            )
        ]
    duration = duration_minutes(facts.started_at, facts.ended_at)
    if is_short(duration=duration, has_thematic_part=facts.has_thematic_part):
        return [short_meeting_finding(duration, facts.has_thematic_part)]
    return []


def short_meeting_finding(duration: int, has_thematic_part: bool) -> Finding:
    minimum = minimum_minutes(has_thematic_part=has_thematic_part)
    if has_thematic_part:
        message = _(
            "The meeting lasted %(duration)d minutes; with a thematic part it should last "
            "at least %(minimum)d minutes."
        )
    else:
        message = _(
            "The meeting lasted %(duration)d minutes; a regular meeting should last at "
            "least %(minimum)d minutes."
        )
    return Finding(
        "short_meeting",
        message % {"duration": duration, "minimum": minimum},
        blocking=False,
        params={"duration": duration, "minimum": minimum},
    )


def vote_findings(facts: MinutesFacts) -> list[Finding]:
    votes = (facts.votes_for, facts.votes_against, facts.votes_abstain)
    if all(v is None for v in votes):
        if facts.has_resolution:
            return [Finding("vote_missing", _("Record the vote on the resolution."))]
        return []
    if not facts.has_resolution:
        # A vote is on a resolution: without one, counts would be a vote on nothing.
        return [
            Finding(
                "vote_without_resolution",
                _(
                    "Votes are recorded but there is no resolution: write the resolution "
                    "(or its tasks), or clear the vote counts."
                ),
            )
        ]
    total = vote_total(
        votes_for=facts.votes_for,
        votes_against=facts.votes_against,
        votes_abstain=facts.votes_abstain,
    )
    if total > facts.official_present:
        return [
            Finding(
                "votes_exceed_voters",
                _(
                    "Only official members present vote: %(total)d votes were recorded but "
                    "%(voters)d official members were present."
                )
                % {"total": total, "voters": facts.official_present},
            )
        ]
    if not resolution_adopted(votes_for=facts.votes_for, official_members=facts.official_members):
        return [
            Finding(
                "resolution_not_adopted",
                _(
                    "The resolution is not adopted: %(votes)d votes for, but more than half "
                    "of the cell's %(members)d official members (at least %(needed)d) must "
                    "vote for it."
                )
                % {
                    "votes": facts.votes_for or 0,
                    "members": facts.official_members,
                    "needed": majority_needed(facts.official_members),
                },
            )
        ]
    return []


def draft_findings(facts: MinutesFacts) -> list[Finding]:
    """What is wrong with the minutes as they stand: shown while writing."""
    findings = attendance_findings(counts=facts.attendance_counts, roll=facts.roll)
    findings += time_findings(facts)
    findings += vote_findings(facts)
    if not facts.chair_set:
        findings.append(Finding("chair_missing", _("Choose who chaired the meeting.")))
    if not facts.minute_taker_set:
        findings.append(Finding("minute_taker_missing", _("Choose the minute-taker.")))
    if not facts.read_back_adopted:
        findings.append(
            Finding(
                "not_read_back",
                _("The minutes must be read back and adopted at the meeting before closing."),
            )
        )
    return findings


def finalize_findings(facts: MinutesFacts, *, now: datetime.datetime) -> list[Finding]:
    """Everything that stops (or, non-blocking, flags) finalizing the minutes."""
    findings = []
    held_at = facts.ended_at or facts.started_at
    if held_at is not None and held_at > now:
        findings.append(
            Finding(
                "meeting_in_future",
                _("A meeting in the future cannot be finalized (it is dated %(date)s).")
                % {"date": formats.date_format(_local(held_at), "d/m/Y")},
            )
        )
    return findings + draft_findings(facts)


def blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocking]


def warnings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if not f.blocking]


def describe_stored(warning: dict) -> str:
    """The message of a warning stored with the minutes (see Finding.as_stored)."""
    if warning.get("code") == "short_meeting":
        return short_meeting_finding(
            warning["duration"], warning["minimum"] == MINIMUM_MINUTES_WITH_THEMATIC_PART
        ).message
    return str(warning.get("code", ""))


def _local(moment: datetime.datetime) -> datetime.datetime:
    from django.utils import timezone

    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _time(moment: datetime.datetime) -> str:
    return _local(moment).strftime("%H:%M")
