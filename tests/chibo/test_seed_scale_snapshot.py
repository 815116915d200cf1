"""The snapshots seed_scale builds in memory, read field by field: what the
minutes' PDF will print for a played cell (the equality with the product's
build_snapshot is checked in test_seed_scale_small and _wide)."""

import datetime

import pytest

from chibo.demo.scale.history import calendar_month
from meetings import rules
from meetings.models import Meeting, Minutes
from meetings.snapshot import PARTY, SCHEMA, TITLE, date_words
from members.models import PositionKind
from tests.chibo.scale_data import player


@pytest.fixture(scope="module")
def played():
    """One cell over 14 months, caught in memory: (history, writer, province)."""
    play, w, built = player(months=14, seed="snap")
    play.play(built.cells[0])
    return play, w, built


def finals(w) -> list[dict]:
    return [row for row in w.rows[Minutes] if row["state"] == "final"]


def test_the_header_names_the_cell_and_its_commune(played):
    _play, w, built = played
    cell = built.cells[0]
    commune = cell.parent
    for row in finals(w):
        header = row["snapshot"]["header"]
        assert header["cell"] == cell.name.upper()
        assert header["superior"] == commune.name.upper()
        assert header["party"] == PARTY and row["snapshot"]["title"] == TITLE
        assert header["place"] == commune.place_name
        day = datetime.date.fromisoformat(header["date"])
        assert header["date_line"] == f"{commune.place_name}, {date_words(day)}"
        assert header["number_text"] == f"Số {row['number']:02d}-BB/CB"
        assert header["term"] == row["term"] == rules.term_of(day)


def test_the_schema_and_keys_are_the_products(played):
    _play, w, _built = played
    keys = {
        "schema", "minutes_id", "meeting_id", "kind", "header", "title", "summary", "amends",
        "cell_name", "superior_name", "meeting_date", "opening", "chair", "minute_taker",
        "attendance", "guests", "cadres", "sections", "answers_read_back", "assessed_tasks",
        "speeches", "tasks", "vote", "read_back_adopted", "closing", "signatures", "warnings",
        "duration_minutes",
    }  # fmt: skip
    for row in finals(w):
        snapshot = row["snapshot"]
        assert set(snapshot) == keys
        assert (snapshot["schema"], snapshot["amends"], snapshot["guests"]) == (SCHEMA, None, [])
        assert snapshot["read_back_adopted"] is True


def test_the_summary_names_the_month_and_the_thematic_part(played):
    _play, w, _built = played
    meetings = {m["id"]: m for m in w.rows[Meeting]}
    for row in finals(w):
        meeting = meetings[row["meeting_id"]]
        summary = row["snapshot"]["summary"]
        assert summary.startswith(f"Sinh hoạt chi bộ thường kỳ {calendar_month(meeting['period'])}")
        assert ("chuyên đề" in summary) == meeting["has_thematic_part"]


def test_the_chair_is_the_secretary_and_signs_on_the_right(played):
    _play, w, built = played
    cell = built.cells[0]
    secretary = next(o.holder for o in cell.positions if o.kind == PositionKind.SECRETARY)
    for row in finals(w):
        snapshot = row["snapshot"]
        assert snapshot["chair"] == {"name": secretary.full_name, "position": "Bí thư chi bộ"}
        assert snapshot["signatures"]["right"] == {"title": "CHỦ TRÌ", "name": secretary.full_name}
        assert snapshot["signatures"]["left"]["name"] == snapshot["minute_taker"]["name"]
        assert snapshot["minute_taker"]["position"] in ("Phó Bí thư chi bộ", "Chi ủy viên", "")


def test_the_attendance_figures_add_up(played):
    _play, w, _built = played
    for row in finals(w):
        a = row["snapshot"]["attendance"]
        assert a["official"] + a["probationary"] == a["total"]
        assert a["expected"] == a["total"] - a["exempt"]
        absent = len(a["absent_excused"]) + len(a["absent_unexcused"])
        not_there = a["exempt"] - a["exempt_present"]
        assert a["present"] + absent + not_there == a["total"]
        assert a["official_present"] <= a["official_voters"] <= a["official"]
        assert a["temporary"] == []


def test_the_vote_passes_and_says_so(played):
    _play, w, _built = played
    for row in finals(w):
        vote = row["snapshot"]["vote"]
        assert vote["passed"] is True and vote["has_resolution"] is True
        assert vote["outcome"].startswith("Nghị quyết được thông qua")
        assert vote["voters"] == row["snapshot"]["attendance"]["official_voters"]
        assert vote["for"] == row["votes_for"]
        assert vote["line"].startswith(f"Tán thành: {row['votes_for']}/{vote['voters']} đồng chí")


def test_opening_and_closing_are_spelled_out(played):
    _play, w, _built = played
    for row in finals(w):
        snapshot = row["snapshot"]
        assert " giờ " in snapshot["opening"]["text"] and snapshot["opening"]["place"]
        assert snapshot["closing"]["text"].startswith("Buổi sinh hoạt kết thúc vào hồi ")
        assert snapshot["closing"]["text"].endswith("cùng ngày.")
        minutes = rules.duration_minutes(row["started_at"], row["ended_at"])
        assert snapshot["duration_minutes"] == minutes


def test_short_meetings_carry_their_warning(played):
    _play, w, _built = played
    for row in finals(w):
        snapshot = row["snapshot"]
        codes = [warning["code"] for warning in snapshot["warnings"]]
        minimum = 120 if "chuyên đề" in snapshot["summary"] else 90
        assert codes == (["short_meeting"] if snapshot["duration_minutes"] < minimum else [])


def test_tasks_of_one_month_are_assessed_in_the_next(played):
    _play, w, _built = played
    rows = finals(w)
    assert not rows[0]["snapshot"]["assessed_tasks"]
    assessed = [t for row in rows[1:] for t in row["snapshot"]["assessed_tasks"]]
    assert assessed
    results = {"Hoàn thành", "Hoàn thành chậm", "Không tiếp tục thực hiện"}
    assert {t["result"] for t in assessed} <= results
    for row in rows:
        for task in row["snapshot"]["tasks"]:
            assert task["due_on_text"] == datetime.date.fromisoformat(task["due_on"]).strftime(
                "%d/%m/%Y"
            )
            assert task["assignee"]


def test_speeches_are_labelled_as_comrades(played):
    _play, w, _built = played
    for row in finals(w):
        for speech in row["snapshot"]["speeches"]:
            assert speech["label"] == f"Đồng chí {speech['speaker']}"
            assert speech["text"]


def test_answers_read_back_carry_the_body_that_answered(played):
    play, w, _built = played
    answers = [a for row in finals(w) for a in row["snapshot"]["answers_read_back"]]
    assert len(answers) == 2
    for answer in answers:
        assert answer["question"] == answer["text"]
        assert answer["answered_by"] == answer["body"]
        assert answer["body"] in set(play.accounts.body_names.values()) | {
            n.name for n in play.province.nodes
        }
        assert answer["satisfied"] == (answer["note"] == "")


def test_cadres_who_came_are_listed_with_their_seat(played):
    _play, w, built = played
    cell = built.cells[0]
    cadres = {o.holder.full_name for o in cell.assignments}
    assert sum(len(row["snapshot"]["cadres"]) for row in finals(w)) == 4
    for row in finals(w):
        for cadre in row["snapshot"]["cadres"]:
            assert cadre["name"] in cadres
            assert cadre["title"].startswith("Ủy viên Ban ")
            assert "Đảng ủy " in cadre["title"]
