"""What the official minutes print, frozen as plain JSON.

`build_snapshot(minutes)` gathers every value the PDF shows (names valid on
the meeting's date, figures, texts, dates already spelled out) into a dict of
strings, numbers, booleans, lists and ISO dates. Final minutes keep it in
`Minutes.snapshot`, so renaming a member or the cell later never changes a
re-render. The document's fixed words are Vietnamese: it is an official
Vietnamese party document (format guidance 36-HD/VPTW), whatever the UI
language.
"""

import datetime
import re

from django.utils import timezone

from chibo.models import Organization, OrganizationKind
from members.models import CommitteeSeat, Position

from . import extensions, rules
from .models import AttendanceStatus, MeetingKind, Minutes, TaskStatus
from .selectors.attendance import AttendanceSheet, attendance_sheet
from .selectors.minutes_facts import has_resolution

# Bump when the layout of the dict changes; the PDF template must keep
# rendering every schema that was ever archived.
# 2: attendance gained exempt_present, official_present and the exempted
#    members' names whether or not they came; vote gained has_resolution.
SCHEMA = 2

PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"
TITLE = "BIÊN BẢN"
# Number left blank (non-breaking spaces) until the minutes are final.
BLANK_NUMBER = "\u00a0" * 6

POSITION_TITLES = {
    "secretary": "Bí thư chi bộ",
    "deputy": "Phó Bí thư chi bộ",
    "committee": "Chi ủy viên",
}
SEAT_TITLES = {
    "standing": "Ủy viên Ban Thường vụ",
    "executive": "Ủy viên Ban Chấp hành",
}
TASK_RESULTS = {
    TaskStatus.OPEN: "Chưa hoàn thành",
    TaskStatus.DONE: "Hoàn thành",
    TaskStatus.LATE: "Hoàn thành chậm",
    TaskStatus.DROPPED: "Không tiếp tục thực hiện",
}
# Stripped from an organization's name to get a place for the date line
# when no place_name is set ("Đảng bộ xã Cò Nòi" -> "Cò Nòi").
_NAME_PREFIX = re.compile(
    r"^(đảng bộ|đảng ủy|chi bộ)\s+"
    r"(xã|phường|thị trấn|đặc khu|thị xã|thành phố|huyện|quận|tỉnh|bản|thôn|"
    r"xóm|ấp|tổ dân phố|tiểu khu|khu phố|khối)?\s*",
    re.IGNORECASE,
)


# Vietnamese spellings of dates and times -------------------------------------------------


def date_words(day: datetime.date) -> str:
    """'ngày 05 tháng 02 năm 2026': leading zeros, as the format guidance asks."""
    return f"ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def date_short(day: datetime.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def time_words(moment: datetime.datetime) -> str:
    return f"{moment:%H} giờ {moment:%M} phút"


def month_words(day: datetime.date) -> str:
    return f"tháng {day:%m} năm {day:%Y}"


def number_text(number: int | None) -> str:
    return f"Số {number:02d}-BB/CB" if number else f"Số {BLANK_NUMBER}-BB/CB"


def _percent(part: int, whole: int) -> str:
    value = round(100 * part / whole, 1)
    return (f"{value:.1f}".rstrip("0").rstrip(".")).replace(".", ",") + "%"


# The organization as it stood on the meeting's date -------------------------------------


def lineage_on(cell: Organization, on: datetime.date) -> list[dict]:
    """The cell and its ancestors on `on`, each with the name and kind valid then."""
    chain = []
    node, seen = cell, set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        version = node.version_on(on)
        chain.append(
            {
                "organization": node,
                "name": version.name if version else node.name,
                "kind": version.kind if version else node.kind,
            }
        )
        node = version.parent if version else Organization.objects.get_parent(node)
    return chain


def place_for(chain: list[dict]) -> str:
    """The place of the date line: the cell's place_name, else the nearest
    ancestor's, else the commune's name without its 'Đảng bộ xã' prefix."""
    for link in chain:
        if link["organization"].place_name:
            return link["organization"].place_name
    communes = [link for link in chain if link["kind"] == OrganizationKind.COMMUNE]
    source = communes[0] if communes else (chain[1] if len(chain) > 1 else chain[0])
    return _NAME_PREFIX.sub("", source["name"]).strip() or source["name"]


def committee_name(organization_name: str) -> str:
    """'Đảng bộ xã Cò Nòi' -> 'Đảng ủy xã Cò Nòi': seats belong to the committee."""
    return re.sub(r"^Đảng bộ", "Đảng ủy", organization_name, flags=re.IGNORECASE)


# The snapshot ----------------------------------------------------------------------------


def meeting_date(minutes: Minutes) -> datetime.date:
    moment = minutes.started_at or minutes.meeting.scheduled_at
    return timezone.localtime(moment).date()


def build_snapshot(minutes: Minutes, *, sheet: AttendanceSheet | None = None) -> dict:
    """Every value the minutes' PDF prints, as JSON-serialisable data.
    `sheet` is the meeting's attendance sheet when the caller has it."""
    meeting = minutes.meeting
    cell = meeting.cell
    on = meeting_date(minutes)
    parts = extensions.snapshot_parts(meeting)
    chain = lineage_on(cell, on)
    cell_name = chain[0]["name"]
    superior_name = chain[1]["name"] if len(chain) > 1 else ""
    place = place_for(chain)
    # The date line carries the document's date: the meeting's, or the day an
    # amendment was written.
    if minutes.amends_id:
        document_date = (
            timezone.localtime(minutes.finalized_at).date()
            if minutes.finalized_at
            else timezone.localdate()
        )
    else:
        document_date = on

    positions = _position_titles(cell, on)
    sheet = sheet or attendance_sheet(meeting)
    attendance = _attendance(sheet)
    tasks = [_task(task) for task in minutes.tasks.select_related("assignee").order_by("id")]
    return {
        **head(
            minutes,
            cell_name=cell_name,
            superior_name=superior_name,
            place=place,
            on=on,
            document_date=document_date,
            positions=positions,
            amends=_amends(minutes),
        ),
        "attendance": attendance,
        "guests": [{"name": guest.name, "title": guest.title} for guest in sheet.guests],
        "cadres": _cadres(sheet, on),
        "sections": sections(minutes),
        # Feedback answers read back to the cell at this meeting, each
        # {"question", "answer", "answered_by", "satisfied", "note", ...}:
        # supplied by the feedback app (meetings/extensions.py), empty without.
        "answers_read_back": parts.get("answers_read_back", []),
        "assessed_tasks": [
            {
                **_task(task),
                "result": TASK_RESULTS.get(task.status, task.status),
                "result_note": task.result_note,
            }
            for task in minutes.assessed_tasks.select_related("assignee").order_by("due_on", "id")
        ],
        "speeches": [_speech(speech) for speech in minutes.speeches.select_related("member")],
        "tasks": tasks,
        "vote": _vote(minutes, attendance, has_resolution(minutes, tasks)),
        "read_back_adopted": minutes.read_back_adopted,
        "closing": _closing(minutes, on),
        "signatures": {
            "left": {"title": "THƯ KÝ", "name": _name(minutes.minute_taker)},
            "right": {"title": "CHỦ TRÌ", "name": _name(minutes.chair)},
        },
    }


def head(
    minutes: Minutes,
    *,
    cell_name: str,
    superior_name: str,
    place: str,
    on: datetime.date,
    document_date: datetime.date,
    positions: dict[int, str],
    amends: dict | None,
) -> dict:
    """The snapshot's first part: the document's header, title and opening
    (seed_scale builds the rest of its snapshots in bulk around it too)."""
    meeting = minutes.meeting
    return {
        "schema": SCHEMA,
        "minutes_id": minutes.pk,
        "meeting_id": meeting.pk,
        "kind": meeting.kind,
        "header": {
            "superior": superior_name.upper(),
            "cell": cell_name.upper(),
            "number": minutes.number,
            "number_text": number_text(minutes.number),
            "term": minutes.term,
            "party": PARTY,
            "place": place,
            "date": document_date.isoformat(),
            "date_line": f"{place}, {date_words(document_date)}",
        },
        "title": TITLE,
        "summary": _summary(meeting),
        "amends": amends,
        "cell_name": cell_name,
        "superior_name": superior_name,
        "meeting_date": on.isoformat(),
        "opening": _opening(minutes, on),
        "chair": _person(minutes.chair, positions),
        "minute_taker": _person(minutes.minute_taker, positions),
    }


def sections(minutes: Minutes) -> dict[str, str]:
    """The written parts of the minutes, as the snapshot keeps them."""
    return {
        "party_fees": minutes.party_fee_status,
        "programme": minutes.programme,
        "news": minutes.news,
        "assessment": minutes.assessment,
        "criticism": minutes.criticism,
        "summary": minutes.summary,
        "resolution": minutes.resolution,
    }


def _name(member) -> str:
    return member.full_name if member else ""


def _position_titles(cell: Organization, on: datetime.date) -> dict[int, str]:
    """Member id -> the highest position held in the cell on `on`."""
    best: dict[int, tuple[int, str]] = {}
    for position in Position.objects.current(on).filter(cell=cell):
        rank = list(POSITION_TITLES).index(position.kind) if position.kind in POSITION_TITLES else 9
        if position.member_id not in best or rank < best[position.member_id][0]:
            best[position.member_id] = (rank, POSITION_TITLES.get(position.kind, ""))
    return {member_id: title for member_id, (_rank, title) in best.items()}


def _person(member, positions: dict[int, str]) -> dict:
    if member is None:
        return {"name": "", "position": ""}
    return {"name": member.full_name, "position": positions.get(member.pk, "")}


def _summary(meeting) -> str:
    month = month_words(meeting.period)
    if meeting.kind == MeetingKind.THEMATIC:
        return f"Sinh hoạt chuyên đề {month}: “{meeting.topic}”"
    if meeting.kind == MeetingKind.EXTRAORDINARY:
        about = f" về {meeting.topic}" if meeting.topic else ""
        return f"Sinh hoạt chi bộ bất thường {month}{about}"
    summary = f"Sinh hoạt chi bộ thường kỳ {month}"
    if meeting.has_thematic_part and meeting.topic:
        summary += f" và sinh hoạt chuyên đề “{meeting.topic}”"
    return summary


def _amends(minutes: Minutes) -> dict | None:
    amended = minutes.amends
    if amended is None:
        return None
    frozen = amended.snapshot or {}
    header = frozen.get("header", {})
    number = header.get("number_text") or number_text(amended.number)
    date = header.get("date") or meeting_date(amended).isoformat()
    day = datetime.date.fromisoformat(date)
    return {
        "minutes_id": amended.pk,
        "number_text": number,
        "date": date,
        "text": f"Biên bản này đính chính Biên bản {number[0].lower()}{number[1:]} "
        f"{date_words(day)}.",
    }


def _opening(minutes: Minutes, on: datetime.date) -> dict:
    meeting = minutes.meeting
    started = timezone.localtime(minutes.started_at or meeting.scheduled_at)
    return {
        "started_at": started.isoformat(),
        "text": f"{time_words(started)}, {date_words(on)}",
        "place": meeting.place or meeting.cell.meeting_place,
    }


def _closing(minutes: Minutes, on: datetime.date) -> dict:
    if minutes.ended_at is None:
        return {"ended_at": None, "text": "Buổi sinh hoạt kết thúc vào hồi … giờ … phút."}
    ended = timezone.localtime(minutes.ended_at)
    day = "cùng ngày" if ended.date() == on else date_words(ended.date())
    return {
        "ended_at": ended.isoformat(),
        "text": f"Buổi sinh hoạt kết thúc vào hồi {time_words(ended)} {day}.",
    }


def _attendance(sheet: AttendanceSheet) -> dict:
    """The roll as printed: rules.count_roll's figures (as on the meeting's
    page) and the names behind them."""
    figures = sheet.figures
    members = sorted(sheet.members, key=lambda row: (row.member.search_name, row.member.pk))

    def people(status) -> list[dict]:
        return [
            {"name": row.member.full_name, "reason": row.reason}
            for row in members
            if row.status == status
        ]

    temporary = sorted(sheet.temporary, key=lambda row: (row.member.search_name, row.member.pk))
    return {
        "total": figures.total,
        "official": figures.official,
        "probationary": figures.probationary,
        "exempt": figures.exempt,
        "exempt_present": figures.exempt_present,
        "expected": figures.expected,
        "present": figures.attending,
        "late": people(AttendanceStatus.LATE),
        "absent_excused": people(AttendanceStatus.ABSENT_EXCUSED),
        "absent_unexcused": people(AttendanceStatus.ABSENT_UNEXCUSED),
        "exempt_names": [
            {
                "name": row.member.full_name,
                # The note typed on the attendance screen, else the exemption's reason
                # (a late-comer's note says how late, not why exempted).
                "reason": (row.reason if row.status == AttendanceStatus.EXEMPT else "")
                or row.member.exempt_reason,
                "present": rules.is_attending(row.status),
            }
            for row in members
            if row.is_exempt
        ],
        "temporary": [
            {"name": row.member.full_name, "home_cell": row.member.cell.name}
            for row in temporary
            if rules.is_attending(row.status)
        ],
        "official_present": figures.voters_present,
        # The majority's base (the key predates schema 2, hence its name).
        "official_voters": figures.voting_base,
    }


def _cadres(sheet: AttendanceSheet, on: datetime.date) -> list[dict]:
    visits = sorted((row.visit for row in sheet.cadres if row.attended), key=lambda v: v.pk)
    if not visits:
        return []
    seats = (
        CommitteeSeat.objects.current(on)
        .filter(member__in=[visit.cadre_id for visit in visits])
        .filter(kind__in=list(SEAT_TITLES))
        .select_related("organization")
        .order_by("-kind")  # standing before executive
    )
    titles: dict[int, str] = {}
    names: dict[int, str] = {}  # cadres of one committee share its name
    for seat in seats:
        if seat.member_id not in titles:
            if seat.organization_id not in names:
                names[seat.organization_id] = committee_name(seat.organization.name_on(on))
            organization = names[seat.organization_id]
            titles[seat.member_id] = f"{SEAT_TITLES.get(seat.kind, '')} {organization}".strip()
    return [
        {"name": visit.cadre.full_name, "title": titles.get(visit.cadre_id, "")} for visit in visits
    ]


def _speech(speech) -> dict:
    # A member is "đồng chí"; a name typed by hand is printed as typed.
    name = speech.speaker
    label = f"Đồng chí {name}" if speech.is_member_speaking else name
    return {"speaker": name, "label": label, "text": speech.text}


def _task(task) -> dict:
    return {
        "title": task.title,
        "assignee": task.assignee_name,
        "due_on": task.due_on.isoformat() if task.due_on else None,
        "due_on_text": date_short(task.due_on),
    }


def _vote(minutes: Minutes, attendance: dict, with_resolution: bool) -> dict:
    """The vote line, out of the majority's base; "passed" is rules.resolution_adopted."""
    voters = attendance["official_voters"]
    counts = {
        "for": minutes.votes_for,
        "against": minutes.votes_against,
        "abstain": minutes.votes_abstain,
    }

    def part(label: str, value: int | None) -> str:
        if value is None:
            return f"{label}: …/{voters} đồng chí"
        share = f" ({_percent(value, voters)})" if voters else ""
        return f"{label}: {value}/{voters} đồng chí{share}"

    line = "; ".join(
        [
            part("Tán thành", counts["for"]),
            part("không tán thành", counts["against"]),
            part("không biểu quyết", counts["abstain"]),
        ]
    )
    recorded = any(value is not None for value in counts.values())
    passed = (
        rules.resolution_adopted(votes_for=counts["for"], official_members=voters)
        if recorded
        else None
    )
    if passed is None:
        outcome = "" if with_resolution else "Chi bộ không ra nghị quyết nên không biểu quyết."
    elif passed:
        outcome = "Nghị quyết được thông qua (quá nửa số đảng viên chính thức tán thành)."
    else:
        outcome = (
            "Nghị quyết chưa được thông qua (chưa được quá nửa số đảng viên chính thức tán thành)."
        )
    return {
        **counts,
        "voters": voters,
        "present": attendance["official_present"],
        "has_resolution": with_resolution,
        "basis": f"Số đảng viên chính thức có quyền biểu quyết: {voters} đồng chí; "
        f"có mặt: {attendance['official_present']} đồng chí.",
        "line": line + ".",
        "passed": passed,
        "outcome": outcome,
    }
