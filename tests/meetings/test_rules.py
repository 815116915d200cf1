"""The party's rules as pure functions: no database, no HTTP."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import translation

from meetings import rules
from meetings.rules import MinutesFacts

TZ = datetime.timezone(datetime.timedelta(hours=7))
START = datetime.datetime(2026, 2, 5, 19, 30, tzinfo=TZ)
NOW = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def english():
    # Messages are compared in their English source; Vietnamese comes from the catalog.
    with translation.override("en"):
        yield


def member(**kwargs):
    values = {
        "status": "official",
        "official_on": datetime.date(2010, 1, 1),
        "joined_on": datetime.date(2009, 1, 1),
        "left_on": None,
        "is_exempt": False,
        "exempt_since": None,
    }
    return SimpleNamespace(**{**values, **kwargs})


def facts(**kwargs) -> MinutesFacts:
    """Complete, valid minutes of a cell of 10 official members, 8 present."""
    values = {
        "started_at": START,
        "ended_at": START + datetime.timedelta(minutes=100),
        "chair_set": True,
        "minute_taker_set": True,
        "has_resolution": True,
        "votes_for": 8,
        "votes_against": 0,
        "votes_abstain": 0,
        "read_back_adopted": True,
        "roll": 10,
        "official_members": 10,
        "official_present": 8,
        "attendance_counts": {"present": 8, "absent_excused": 2},
    }
    return MinutesFacts(**{**values, **kwargs})


def codes(findings) -> list[str]:
    return [f.code for f in findings]


# Members on a date -------------------------------------------------------------


def test_is_official_on_probationary_member_is_not():
    assert (
        rules.is_official_on(member(status="probationary", official_on=None), START.date()) is False
    )


def test_is_official_on_before_official_date_is_not():
    m = member(official_on=datetime.date(2026, 3, 1))
    assert rules.is_official_on(m, datetime.date(2026, 2, 5)) is False
    assert rules.is_official_on(m, datetime.date(2026, 3, 1)) is True


def test_is_exempt_on_counts_from_exempt_since():
    m = member(is_exempt=True, exempt_since=datetime.date(2026, 3, 1))
    assert rules.is_exempt_on(m, datetime.date(2026, 2, 28)) is False
    assert rules.is_exempt_on(m, datetime.date(2026, 3, 1)) is True
    assert rules.is_exempt_on(member(is_exempt=True), datetime.date(2000, 1, 1)) is True


def test_is_on_roll_on_left_on_is_exclusive():
    m = member(left_on=datetime.date(2026, 2, 5))
    assert rules.is_on_roll_on(m, datetime.date(2026, 2, 4)) is True
    assert rules.is_on_roll_on(m, datetime.date(2026, 2, 5)) is False
    assert rules.is_on_roll_on(member(), datetime.date(2008, 12, 31)) is False


# Majority ---------------------------------------------------------------------------


@pytest.mark.parametrize(("official", "needed"), [(1, 1), (2, 2), (3, 2), (9, 5), (10, 6), (11, 6)])
def test_majority_needed_is_more_than_half(official, needed):
    assert rules.majority_needed(official) == needed


def test_resolution_adopted_exactly_half_is_not_enough():
    assert rules.resolution_adopted(votes_for=5, official_members=10) is False
    assert rules.resolution_adopted(votes_for=6, official_members=10) is True


def test_resolution_adopted_with_no_official_members_is_not():
    assert rules.resolution_adopted(votes_for=0, official_members=0) is False
    assert rules.resolution_adopted(votes_for=None, official_members=3) is False


def test_vote_findings_base_excludes_probationary_and_exempted_members():
    # A cell of 12 on the roll: 2 probationary and 3 exempted members do not
    # count, so 7 official members remain and 4 votes for carry it.
    adopted = facts(roll=12, official_members=7, official_present=6, votes_for=4, votes_against=2)
    assert rules.vote_findings(adopted) == []
    rejected = facts(roll=12, official_members=7, official_present=6, votes_for=3, votes_against=3)
    [finding] = rules.vote_findings(rejected)
    assert finding.code == "resolution_not_adopted"
    assert finding.message == (
        "The resolution is not adopted: 3 votes for, but more than half of the cell's 7 "
        "official members (at least 4) must vote for it."
    )


def test_vote_findings_more_votes_than_official_members_present():
    [finding] = rules.vote_findings(facts(official_present=8, votes_for=8, votes_abstain=1))
    assert finding.code == "votes_exceed_voters"
    assert finding.message == (
        "Only official members present vote: 9 votes were recorded but 8 official members "
        "were present."
    )


def test_vote_findings_missing_vote_with_a_resolution():
    findings = rules.vote_findings(facts(votes_for=None, votes_against=None, votes_abstain=None))
    assert codes(findings) == ["vote_missing"]


def test_vote_findings_no_resolution_no_vote_is_fine():
    no_vote = facts(has_resolution=False, votes_for=None, votes_against=None, votes_abstain=None)
    assert rules.vote_findings(no_vote) == []


def test_vote_findings_vote_without_resolution_is_refused():
    # Issue 7: no resolution, no tasks, and a 5/4/2 vote was finalized.
    no_resolution = facts(has_resolution=False, votes_for=5, votes_against=4, votes_abstain=2)
    [finding] = rules.vote_findings(no_resolution)
    assert (finding.code, finding.blocking) == ("vote_without_resolution", True)
    assert finding.message == (
        "Votes are recorded but there is no resolution: write the resolution (or its tasks), "
        "or clear the vote counts."
    )
    assert "vote_without_resolution" in codes(
        rules.blocking(rules.finalize_findings(no_resolution, now=NOW))
    )


def test_vote_findings_vote_without_resolution_message_in_vietnamese():
    with translation.override("vi"):
        [finding] = rules.vote_findings(facts(has_resolution=False, votes_for=5))
    assert finding.message == (
        "Chưa có nghị quyết thì không biểu quyết: hãy ghi nghị quyết (hoặc các nhiệm vụ của "
        "nghị quyết), hoặc xóa số phiếu biểu quyết."
    )


def test_vote_findings_a_single_count_is_a_vote_under_the_majority_rule():
    # Only "against" typed: a vote is recorded, and 0 for is no majority.
    findings = rules.vote_findings(facts(votes_for=None, votes_against=3, votes_abstain=None))
    assert codes(findings) == ["resolution_not_adopted"]


# The roll ---------------------------------------------------------------------------


def row(status, *, official=True, exempt=False):
    return SimpleNamespace(status=status, is_official=official, is_exempt=exempt)


def test_count_roll_exempt_member_who_attends_is_in_the_base_and_votes():
    # Issue 7: 11 official members expected, all present, one exempted who came.
    members = [row("present") for _ in range(11)] + [row("present", exempt=True)]
    figures = rules.count_roll(members)
    assert (figures.total, figures.expected, figures.exempt, figures.exempt_present) == (
        12,
        11,
        1,
        1,
    )
    assert (figures.voting_base, figures.voters_present, figures.attending) == (12, 12, 12)
    assert rules.resolution_adopted(votes_for=6, official_members=figures.voting_base) is False


def test_count_roll_every_kind_of_member():
    members = [
        row("present"),
        row("late"),
        row("present", official=False),
        row("absent_excused"),
        row("absent_unexcused", official=False),
        row("exempt", exempt=True),
        row(""),  # not recorded yet
    ]
    temporary = [row("present"), row("absent_excused"), row("")]
    assert rules.count_roll(members, temporary) == rules.RollCount(
        total=7,
        official=5,
        probationary=2,
        exempt=1,
        exempt_present=0,
        expected=6,
        present=2,
        late=1,
        absent_excused=1,
        absent_unexcused=1,
        voting_base=4,
        voters_present=2,
        temporary_present=1,
    )


def test_has_begun_on_the_meeting_day_and_after():
    day = datetime.date(2026, 12, 3)
    assert rules.has_begun(day, today=day) is True
    assert rules.has_begun(day, today=datetime.date(2026, 12, 4)) is True
    assert rules.has_begun(day, today=datetime.date(2026, 12, 2)) is False


# Attendance counts ------------------------------------------------------------------


def test_attendance_findings_counts_exceeding_the_roll():
    [finding] = rules.attendance_findings(counts={"present": 9, "late": 2}, roll=10)
    assert finding.code == "attendance_exceeds_roll"
    assert finding.message == "Attendance lists 11 members of the cell but only 10 are on its roll."


def test_attendance_findings_incomplete():
    [finding] = rules.attendance_findings(counts={"present": 7}, roll=10)
    assert finding.code == "attendance_incomplete"
    assert finding.message == (
        "Attendance is not complete: 3 of the 10 members on the roll have no status yet."
    )


def test_attendance_findings_adding_up_is_fine():
    assert rules.attendance_findings(counts={"present": 7, "exempt": 1, "late": 2}, roll=10) == []


# Times -------------------------------------------------------------------------------


def test_time_findings_end_before_start():
    [finding] = rules.time_findings(facts(ended_at=START - datetime.timedelta(minutes=5)))
    assert finding.code == "end_before_start"
    assert finding.blocking is True
    assert finding.message == "The meeting must end after it starts (started 19:30, ended 19:25)."


def test_time_findings_end_equal_to_start_is_refused():
    assert codes(rules.time_findings(facts(ended_at=START))) == ["end_before_start"]


def test_time_findings_missing_times():
    assert codes(rules.time_findings(facts(ended_at=None))) == ["times_missing"]


@pytest.mark.parametrize(
    ("minutes", "thematic", "short"),
    [
        (89, False, True),
        (90, False, False),
        (119, True, True),
        (120, True, False),
        (100, True, True),
    ],
)
def test_time_findings_short_meeting(minutes, thematic, short):
    found = rules.time_findings(
        facts(has_thematic_part=thematic, ended_at=START + datetime.timedelta(minutes=minutes))
    )
    assert codes(found) == (["short_meeting"] if short else [])
    if short:
        assert found[0].blocking is False
        assert found[0].params == {"duration": minutes, "minimum": 120 if thematic else 90}


def test_short_meeting_message():
    finding = rules.short_meeting_finding(89, False)
    assert finding.message == (
        "The meeting lasted 89 minutes; a regular meeting should last at least 90 minutes."
    )
    assert finding.as_stored() == {"code": "short_meeting", "duration": 89, "minimum": 90}
    assert rules.describe_stored(finding.as_stored()) == finding.message


def test_duration_minutes_counts_whole_minutes():
    assert rules.duration_minutes(START, START + datetime.timedelta(minutes=89, seconds=59)) == 89
    assert rules.duration_minutes(START, None) is None


# Finalizing -------------------------------------------------------------------------


def test_finalize_findings_complete_minutes_pass():
    assert rules.finalize_findings(facts(), now=NOW) == []


def test_finalize_findings_future_meeting_is_refused():
    future = NOW + datetime.timedelta(days=3)
    found = rules.finalize_findings(
        facts(started_at=future, ended_at=future + datetime.timedelta(minutes=95)), now=NOW
    )
    assert codes(found) == ["meeting_in_future"]
    assert (
        found[0].message == "A meeting in the future cannot be finalized (it is dated 28/11/2026)."
    )


def test_finalize_findings_meeting_ending_later_today_is_refused():
    found = rules.finalize_findings(
        facts(
            started_at=NOW - datetime.timedelta(minutes=30),
            ended_at=NOW + datetime.timedelta(minutes=70),
        ),
        now=NOW,
    )
    assert codes(found) == ["meeting_in_future"]


def test_finalize_findings_short_meeting_is_only_a_warning():
    found = rules.finalize_findings(facts(ended_at=START + datetime.timedelta(minutes=60)), now=NOW)
    assert codes(found) == ["short_meeting"]
    assert rules.blocking(found) == []
    assert codes(rules.warnings(found)) == ["short_meeting"]


def test_draft_findings_lists_everything_missing():
    empty = MinutesFacts(roll=3, official_members=3)
    assert codes(rules.draft_findings(empty)) == [
        "attendance_incomplete",
        "times_missing",
        "chair_missing",
        "minute_taker_missing",
        "not_read_back",
    ]


# Terms and numbers ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "term"),
    [
        (datetime.date(2020, 6, 30), "2015-2020"),
        (datetime.date(2020, 7, 1), "2020-2025"),
        (datetime.date(2025, 6, 30), "2020-2025"),
        (datetime.date(2025, 7, 1), "2025-2030"),
        (datetime.date(2026, 2, 5), "2025-2030"),
        (datetime.date(2030, 7, 1), "2030-2035"),
    ],
)
def test_term_of_switches_on_first_of_july(day, term):
    assert rules.term_of(day) == term


def test_document_number_has_leading_zero():
    assert rules.document_number(5) == "05-BB/CB"
    assert rules.document_number(12) == "12-BB/CB"
