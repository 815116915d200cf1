"""Final minutes' snapshots from the rows in memory, with the product's pieces.

`meetings.snapshot.build_snapshot` reads one meeting's rows from the
database (about twenty queries): 130,000 of them would take hours. This
builds the same dict from the rows the seed holds in memory, calling the
snapshot module's own pieces for every value they compute (attendance,
vote, opening, closing, summary, tasks, speeches, place, committee names)
and `finalize_minutes`' additions (warnings, duration). Only the lookups
are done here: the positions and seats held on the day, the cell's
lineage. tests/chibo/test_seed_scale.py checks every snapshot of a small
province against build_snapshot.
"""

import datetime
from dataclasses import dataclass

from meetings import rules
from meetings import snapshot as product
from meetings.selectors.minutes_facts import has_resolution, minutes_facts

from .province import Node


@dataclass(eq=False, slots=True)
class Text:
    """A speech or a task as the snapshot's pieces read them."""

    pk: int = 0
    speaker: str = ""
    is_member_speaking: bool = False
    text: str = ""
    title: str = ""
    assignee_name: str = ""
    due_on: datetime.date | None = None
    status: str = ""
    result_note: str = ""
    assignee_id: int | None = None


def lineage(cell: Node) -> list[dict]:
    """As meetings.snapshot.lineage_on: the seed never renames or moves."""
    return [{"organization": n, "name": n.name, "kind": n.kind} for n in cell.lineage()]


def position_titles(cell: Node, on: datetime.date) -> dict[int, str]:
    ranks = list(product.POSITION_TITLES)
    best: dict[int, tuple[int, str]] = {}
    for office in cell.positions:
        if not office.is_current(on):
            continue
        rank = ranks.index(office.kind) if office.kind in ranks else 9
        if office.holder.pk not in best or rank < best[office.holder.pk][0]:
            best[office.holder.pk] = (rank, product.POSITION_TITLES.get(office.kind, ""))
    return {pk: title for pk, (_rank, title) in best.items()}


def cadre_titles(visits, on: datetime.date) -> list[dict]:
    """As meetings.snapshot._cadres: standing seats before executive ones."""
    rows = []
    for visit in sorted((v for v in visits if v.attended), key=lambda v: v.pk):
        seats = [s for s in visit.cadre.seats if s.is_current(on) and s.kind in product.SEAT_TITLES]
        seats.sort(key=lambda s: s.kind, reverse=True)
        title = ""
        if seats:
            seat = seats[0]
            organization = product.committee_name(seat.place.name)
            title = f"{product.SEAT_TITLES.get(seat.kind, '')} {organization}".strip()
        rows.append({"name": visit.cadre.full_name, "title": title})
    return rows


def build(
    minutes,
    sheet,
    *,
    speeches: list[Text],
    tasks: list[Text],
    assessed: list[Text],
    answers: list[dict],
) -> dict:
    """The snapshot `finalize_minutes` would store for these rows."""
    meeting = minutes.meeting
    on = product.meeting_date(minutes)
    chain = lineage(meeting.cell)
    cell_name = chain[0]["name"]
    superior_name = chain[1]["name"] if len(chain) > 1 else ""
    place = product.place_for(chain)
    positions = position_titles(meeting.cell, on)
    attendance = product._attendance(sheet)
    task_rows = [product._task(task) for task in tasks]
    snapshot = {
        **product.head(
            minutes,
            cell_name=cell_name,
            superior_name=superior_name,
            place=place,
            on=on,
            document_date=on,
            positions=positions,
            amends=None,
        ),
        "attendance": attendance,
        "guests": [],
        "cadres": cadre_titles([row.visit for row in sheet.cadres if row.visit], on),
        "sections": product.sections(minutes),
        "answers_read_back": answers,
        "assessed_tasks": [
            {
                **product._task(task),
                "result": product.TASK_RESULTS.get(task.status, task.status),
                "result_note": task.result_note,
            }
            for task in sorted(assessed, key=lambda t: (t.due_on, t.pk))
        ],
        "speeches": [product._speech(speech) for speech in speeches],
        "tasks": task_rows,
        "vote": product._vote(minutes, attendance, has_resolution(minutes, task_rows)),
        "read_back_adopted": minutes.read_back_adopted,
        "closing": product._closing(minutes, on),
        "signatures": {
            "left": {"title": "THƯ KÝ", "name": product._name(minutes.minute_taker)},
            "right": {"title": "CHỦ TRÌ", "name": product._name(minutes.chair)},
        },
    }
    findings = rules.finalize_findings(minutes_facts(minutes, sheet), now=minutes.finalized_at)
    snapshot["warnings"] = [f.as_stored() for f in rules.warnings(findings)]
    snapshot["duration_minutes"] = rules.duration_minutes(minutes.started_at, minutes.ended_at)
    return snapshot
