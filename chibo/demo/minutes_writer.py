"""Writing one demo meeting's minutes in the order of a regular meeting (or
of a thematic one), from its attendance and the cell's open tasks, with the
texts of chibo/demo/stories/. chibo/demo/meetings.py saves them through the
minutes services."""

import datetime
import random
import zlib

from meetings import calendar
from meetings.models import AttendanceStatus, MeetingKind, ResolutionTask, TaskStatus
from meetings.selectors.minutes_facts import carried_over_tasks
from meetings.services.minutes import Assessment, SpeechData, TaskData
from members.models import Member, PositionKind

from .places import position_holder, reported, roll_figures, seat_of, theme_of
from .stories.minutes import (
    CADRE_SPEECH,
    DOCUMENT_GIST,
    DOCUMENTS,
    DROPPED_NOTE,
    JOBS,
    ROMAN,
    SEASON,
    SECURITY,
    SHORTCOMINGS,
    SOCIAL,
    SPEECHES,
    UNIT_SEASON,
    UNIT_SECURITY,
    UNIT_SHORTCOMINGS,
    UNIT_SOCIAL,
    Job,
)


class Writer:
    """The minutes of one meeting in the order of a regular meeting (or of
    a thematic one), from its attendance and the cell's open tasks."""

    def __init__(self, ctx, meeting, minutes, sheet, statuses, plan, place, rng):
        self.ctx, self.meeting, self.minutes, self.sheet = ctx, meeting, minutes, sheet
        self.statuses, self.plan, self.place, self.rng = statuses, plan, place, rng
        self.on = sheet.on
        self.rows = {r.member.pk: r for r in sheet.members}
        attending = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
        self.present = [pk for pk, (s, _r) in statuses.items() if s in attending]
        self.names = {pk: r.member.full_name for pk, r in self.rows.items()}
        self.chair = minutes.chair_id or position_holder(
            meeting.cell_id, self.on, PositionKind.SECRETARY
        )
        self.taker = self._minute_taker()
        self.theme = theme_of(meeting.topic)

    def _minute_taker(self) -> int:
        for kind in (PositionKind.DEPUTY, PositionKind.COMMITTEE):
            holder = position_holder(self.meeting.cell_id, self.on, kind)
            if holder in self.present and holder != self.chair:
                return holder
        officials = [pk for pk in self.present if pk != self.chair and self.rows[pk].is_official]
        return self.rng.choice(officials)

    # --- the whole ---

    def write(self, *, final: bool):
        if self.meeting.kind == MeetingKind.THEMATIC:
            return self._thematic()
        shortest, longest = (125, 165) if self.meeting.has_thematic_part else (95, 150)
        started = self.meeting.scheduled_at + datetime.timedelta(minutes=self.rng.randint(0, 10))
        ended = started + datetime.timedelta(minutes=self.rng.randint(shortest, longest))
        assessments = self._assessments()
        tasks = self._tasks() if final else self._tasks()[:1]
        content = {
            "chair_id": self.chair,
            "minute_taker_id": self.taker,
            "started_at": started,
            "party_fee_status": self._fees(),
            "programme": self._programme(),
            "news": self._news(),
            "assessment": self._assessment(assessments),
            "criticism": self._criticism() if final else "",
        }
        speeches = self._speeches()
        if final:
            content.update(
                ended_at=ended,
                summary=self._summary(),
                resolution=self._resolution(),
                read_back_adopted=True,
                **self._vote(),
            )
        else:
            speeches = speeches[: max(1, len(speeches) - 1)]
            assessments = assessments[: (len(assessments) + 1) // 2]
        return content, speeches, tasks, assessments

    def _vote(self) -> dict:
        """Official members present vote; more than half of the official,
        non-exempted members must be for. An abstention now and then, never
        one that would sink the resolution."""
        figures = roll_figures(self.sheet, self.statuses)
        voters, base = figures.voters_present, figures.voting_base
        abstain = 1 if 2 * (voters - 1) > base and self.rng.random() < 0.2 else 0
        return {"votes_for": voters - abstain, "votes_against": 0, "votes_abstain": abstain}

    def _pick(self, village: list, unit: list) -> str:
        """One line of the pool that fits the cell: a village's or a unit's."""
        pool = unit if self.place.region == "unit" else village
        return self.place.fill(self.rng.choice(pool))

    # --- opening ---

    def _fees(self) -> str:
        members = list(self.sheet.members)
        unpaid = [
            r
            for r in members
            if self.statuses[r.member.pk][0] == AttendanceStatus.ABSENT_EXCUSED
            and r.member.is_away_for_work
        ]
        paid = [r for r in members if r not in unpaid]
        total = sum(self._fee(r.member) for r in paid)
        text = (
            f"Thu đảng phí tháng {self.meeting.period:%m/%Y}: {len(paid)}/{len(members)} đồng "
            f"chí đã nộp, tổng số {_money(total)}."
        )
        if unpaid:
            text += (
                f" {len(unpaid)} đồng chí đi làm ăn xa chưa nộp, chi ủy liên hệ để thu bù vào "
                "tháng sau."
            )
        return text

    def _fee(self, member: Member) -> int:
        rng = random.Random(f"chibo-demo-fee:{member.full_name}:{member.birth_date}")
        return rng.choice(self.place.fees)

    def _programme(self) -> str:
        previous = self._previous_resolution()
        following = calendar.add_months(self.meeting.period, 1)
        parts = [
            "thông tin thời sự, quán triệt văn bản mới",
            f"đánh giá kết quả thực hiện nghị quyết tháng {previous:%m/%Y}",
            "thảo luận, tự phê bình và phê bình",
            f"thông qua nghị quyết tháng {following:%m/%Y}",
        ]
        if self.meeting.has_thematic_part:
            parts.append(f"sinh hoạt chuyên đề “{self.meeting.topic}”")
        return "Chi bộ biểu quyết thông qua chương trình sinh hoạt: " + "; ".join(parts) + "."

    def _previous_resolution(self) -> datetime.date:
        return self.ctx.last_resolution.get(
            self.meeting.cell_id, calendar.add_months(self.meeting.period, -1)
        )

    # --- proceedings ---

    def _news(self) -> str:
        # Each month the next document, each cell starting elsewhere in the list.
        index = self.meeting.period.year * 12 + self.meeting.period.month
        index += zlib.crc32(self.meeting.cell.code.encode())
        document = self.place.fill(DOCUMENTS[index % len(DOCUMENTS)])
        gist = self.place.fill(self.rng.choice(DOCUMENT_GIST))
        lines = [
            "1. Thông tin thời sự trong nước, quốc tế nổi bật trong tháng theo Bản tin sinh "
            "hoạt chi bộ.",
            f"2. {document}: {gist}.",
            f"3. Tình hình an ninh trật tự: {self._pick(SECURITY, UNIT_SECURITY)}",
        ]
        for cadre in self.plan.visits:
            title, _area = seat_of(cadre, self.on)
            lines.append(
                f"{len(lines) + 1}. Đồng chí {cadre.full_name}, {title}, dự sinh hoạt: "
                f"{reported(cadre, self.meeting)}"
            )
        if self.meeting.has_thematic_part and self.theme:
            lines.append(
                f"{len(lines) + 1}. Sinh hoạt chuyên đề “{self.theme.topic}”: đồng chí "
                f"{self.names[self.chair]} trình bày {self.theme.body}. Liên hệ thực tế: "
                f"{self.place.fill(self.theme.local)}."
            )
        return "\n".join(lines)

    def _assessment(self, assessments: list[Assessment]) -> str:
        previous = self._previous_resolution()
        if self.place.region == "unit":
            economy = UNIT_SEASON
        else:
            economy = SEASON[self.place.region][previous.month]
        counts = {s: sum(1 for a in assessments if a.status == s) for s in TaskStatus.values}
        assessed = len(assessments) - counts[TaskStatus.OPEN]
        tasks_line = "Về xây dựng Đảng: chi bộ duy trì sinh hoạt đúng định kỳ"
        if assessed:
            tasks_line += (
                f"; {assessed} nhiệm vụ đến hạn, hoàn thành {counts[TaskStatus.DONE]}, "
                f"hoàn thành chậm {counts[TaskStatus.LATE]}"
            )
            if counts[TaskStatus.DROPPED]:
                tasks_line += f", không tiếp tục {counts[TaskStatus.DROPPED]}"
        if counts[TaskStatus.OPEN]:
            tasks_line += f"; {counts[TaskStatus.OPEN]} nhiệm vụ tiếp tục thực hiện"
        return "\n".join(
            [
                f"Kết quả thực hiện nghị quyết tháng {previous:%m/%Y}:",
                f"- Về nhiệm vụ chính trị: {_sentence(f'{self.place.people} đã {economy}')}",
                f"- Về văn hóa - xã hội: {_sentence(self._pick(SOCIAL, UNIT_SOCIAL))}",
                f"- {tasks_line}.",
                f"Tồn tại: {_sentence(self._pick(SHORTCOMINGS, UNIT_SHORTCOMINGS))}",
            ]
        )

    def _speakers(self, count: int) -> list[int]:
        others = [pk for pk in self.present if pk not in (self.chair, self.taker)]
        return self.rng.sample(others, min(count, len(others)))

    def _speeches(self) -> list[SpeechData]:
        pool = SPEECHES["common"] + SPEECHES[self.place.region]
        if self.place.region == "unit":
            pool = SPEECHES["unit"] + SPEECHES["common"][3:4]
        count = 2 if self.plan.light else self.rng.randint(2, 4)
        texts = self.rng.sample(pool, min(count, len(pool)))
        speeches = [
            SpeechData(text=self.place.fill(text), member_id=pk)
            for pk, text in zip(self._speakers(count), texts, strict=False)
        ]
        for cadre in self.plan.visits:
            # By name: the editor's speaker list holds the cell's members only.
            title, _area = seat_of(cadre, self.on)
            committee = title.removeprefix("Ủy viên Ban Thường vụ ").removeprefix(
                "Ủy viên Ban Chấp hành "
            )
            text = self.place.fill(CADRE_SPEECH, committee=committee or "cấp ủy cấp trên")
            name = f"Đồng chí {cadre.full_name}, {title}" if title else cadre.full_name
            speeches.append(SpeechData(text=text, speaker_name=name))
        return speeches

    def _criticism(self) -> str:
        lines = [
            "Các đồng chí đảng viên thẳng thắn tự phê bình và phê bình, liên hệ việc thực "
            "hiện nhiệm vụ được phân công trong tháng."
        ]
        unexcused = [pk for pk, (s, _r) in self.statuses.items() if s == "absent_unexcused"]
        late = [pk for pk, (s, _r) in self.statuses.items() if s == AttendanceStatus.LATE]
        if unexcused:
            who = ", ".join(self.names[pk] for pk in unexcused)
            lines.append(
                f"Đồng chí {who} vắng sinh hoạt không có lý do; chi bộ nhắc nhở, đề nghị "
                "nghiêm túc rút kinh nghiệm."
            )
        if late:
            lines.append(
                f"Đồng chí {self.names[late[0]]} đến muộn, đã nhận khuyết điểm trước chi bộ."
            )
        lines.append(
            "Trong tháng không có đảng viên vi phạm tư cách, vi phạm những điều đảng viên "
            "không được làm."
        )
        return "\n".join(lines)

    # --- closing ---

    def _focus(self) -> str:
        following = calendar.add_months(self.meeting.period, 1)
        if self.place.region == "unit":
            return UNIT_SEASON
        return SEASON[self.place.region][following.month]

    def _summary(self) -> str:
        heard = " và ý kiến của đồng chí cấp ủy viên dự sinh hoạt" if self.plan.visits else ""
        return (
            f"Đồng chí {self.names[self.chair]} thay mặt chi ủy kết luận: buổi sinh hoạt bảo "
            "đảm đúng nguyên tắc, đủ nội dung; các ý kiến phát biểu thẳng thắn, sát thực tế. "
            f"Chi bộ tiếp thu các kiến nghị của đảng viên{heard}. "
            f"Tháng tới chi bộ tập trung lãnh đạo {self.place.people.lower()} {self._focus()}."
        )

    def _resolution(self) -> str:
        following = calendar.add_months(self.meeting.period, 1)
        return (
            f"Nghị quyết tháng {following:%m/%Y}: chi bộ lãnh đạo {self.place.people.lower()} "
            f"{self._focus()}; giữ vững an ninh trật tự {self.place.here}; phấn đấu 100% "
            "đảng viên hoàn thành nhiệm vụ được giao. Các nhiệm vụ cụ thể phân công cho từng "
            "đồng chí theo danh sách dưới đây."
        )

    def _tasks(self) -> list[TaskData]:
        if hasattr(self, "_task_list"):
            return self._task_list
        period = self.meeting.period
        following = calendar.add_months(period, 1)
        quarter = calendar.quarter_of(period)[1]
        open_titles = set(
            ResolutionTask.objects.filter(
                cell_id=self.meeting.cell_id, status=TaskStatus.OPEN
            ).values_list("title", flat=True)
        )
        values = {
            "quarter": ROMAN[quarter],
            "year": period.year,
            "next_year": period.year + 1,
            "next_month": f"{following:%m/%Y}",
        }
        jobs = [
            j
            for j in JOBS
            if self.place.region in j.regions
            and (not j.months or period.month in j.months)
            and j.title.format(**values) not in open_titles
        ]
        fee_job = [j for j in jobs if j.due_quarter_end]
        others = [j for j in jobs if not j.due_quarter_end]
        count = 2 if self.plan.light else self.rng.randint(2, 3)
        chosen = fee_job + self.rng.sample(others, min(count - len(fee_job), len(others)))
        assignees = [pk for pk in self.present if self.rows[pk].is_official]
        tasks = []
        for job in chosen:
            if job.due_quarter_end:
                _start, end = calendar.quarter_bounds(*calendar.quarter_of(period))
                due = end - datetime.timedelta(days=1)
            else:
                due = following.replace(day=self.rng.choice([15, 20, 22]))
            tasks.append(
                TaskData(
                    title=job.title.format(**values),
                    assignee_id=self.chair if job.due_quarter_end else self.rng.choice(assignees),
                    due_on=due,
                )
            )
        self._task_list = tasks
        return tasks

    def _assessments(self) -> list[Assessment]:
        """Tasks carried over: those due before tonight get a result; one
        that is barely late may stay open another month."""
        results = []
        for task in carried_over_tasks(self.minutes):
            if task.status != TaskStatus.OPEN:
                continue
            if task.due_on and task.due_on >= self.on:
                results.append(Assessment(task.pk, TaskStatus.OPEN))
                continue
            job = _job_of(task.title)
            roll = self.rng.random()
            age = _months_between(task.minutes.meeting.period, self.meeting.period)
            numbers = {"n": self.rng.randint(3, 9), "k": self.rng.randint(2, 5)}
            values = {**numbers, **_title_values(task)}
            if roll < 0.72:
                note = job.done.format(**values) if job else "Hoàn thành"
                results.append(Assessment(task.pk, TaskStatus.DONE, note))
            elif roll < 0.87 or (roll >= 0.94 and age > 1):
                note = job.late.format(**values) if job else "Hoàn thành chậm"
                results.append(Assessment(task.pk, TaskStatus.LATE, note))
            elif roll < 0.94:
                results.append(Assessment(task.pk, TaskStatus.DROPPED, DROPPED_NOTE))
            else:
                results.append(
                    Assessment(task.pk, TaskStatus.OPEN, "Đang thực hiện, chuyển sang tháng sau")
                )
        return results

    # --- a thematic meeting ---

    def _thematic(self):
        theme = self.theme
        started = self.meeting.scheduled_at + datetime.timedelta(minutes=self.rng.randint(0, 10))
        ended = started + datetime.timedelta(minutes=self.rng.randint(100, 140))
        guest = self.meeting.guests.order_by("id").first()
        reporter = f"{guest.name}, {guest.title}," if guest else self.names[self.chair]
        speeches = [
            SpeechData(text=self.place.fill(text), member_id=pk)
            for pk, text in zip(
                self._speakers(3),
                [
                    "Nhất trí với nội dung chuyên đề; bản thân tôi đăng ký thực hiện ngay tại "
                    "gia đình và các hộ được phân công phụ trách.",
                    "Đề nghị chi bộ có hình thức tuyên truyền phù hợp với người cao tuổi và "
                    "đồng bào không biết chữ, như qua loa truyền thanh, họp nhóm hộ.",
                    "Tôi đề nghị chi ủy định kỳ kiểm tra việc thực hiện, biểu dương những "
                    "đảng viên làm tốt tại buổi sinh hoạt thường kỳ.",
                ],
                strict=False,
            )
        ]
        content = {
            "chair_id": self.chair,
            "minute_taker_id": self.taker,
            "started_at": started,
            "ended_at": ended,
            "programme": (
                f"Sinh hoạt chuyên đề “{theme.topic}”: nghe báo cáo chuyên đề; liên hệ thực "
                f"tế tại {self.place.village}; thảo luận; kết luận."
            ),
            "news": f"Đồng chí {reporter} trình bày chuyên đề: {theme.body}.",
            "assessment": f"Liên hệ thực tế: {_sentence(self.place.fill(theme.local))}",
            "criticism": (
                "Các đồng chí đảng viên liên hệ bản thân, tự nhận những việc đã làm được và "
                "chưa làm được theo nội dung chuyên đề."
            ),
            "summary": (
                f"Đồng chí {self.names[self.chair]} kết luận: chi bộ thống nhất "
                f"{self.place.fill(theme.conclusion)}."
            ),
            # Cells often adopt a short thematic resolution (nghị quyết chuyên đề).
            "resolution": (
                f"Nghị quyết chuyên đề “{theme.topic}”: {self.place.fill(theme.conclusion)}; "
                "chi ủy đưa việc thực hiện vào đánh giá tại các kỳ sinh hoạt thường kỳ."
            ),
            **self._vote(),
            "read_back_adopted": True,
        }
        return content, speeches, [], []


# Helpers ------------------------------------------------------------------------------


def _job_of(title: str) -> "Job | None":
    for job in JOBS:
        head = job.title.split("{")[0]
        if title.startswith(head):
            return job
    return None


def _title_values(task) -> dict:
    period = task.minutes.meeting.period
    following = calendar.add_months(period, 1)
    return {
        "quarter": ROMAN[calendar.quarter_of(period)[1]],
        "year": period.year,
        "next_year": period.year + 1,
        "next_month": f"{following:%m/%Y}",
    }


def _months_between(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def _sentence(text: str) -> str:
    text = text.strip()
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")
