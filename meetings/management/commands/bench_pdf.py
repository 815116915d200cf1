"""python manage.py bench_pdf [-n 10] [--meeting ID] [--finalize]: time the minutes PDF.

With --finalize it times what the finalize request does (check, number,
snapshot, and the PDF when it is still built there), then the archiving of
the PDF that runs after the commit (a Celery worker, or inline without Redis).

Without --meeting it builds a realistic meeting (a 28-member cell, guests, an
assigned cadre, 8 speeches, tasks assessed and assigned, several paragraphs
per section) inside a transaction that it rolls back, so nothing is left in
the database.
"""

import datetime
import io
import statistics
import time
import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from chibo.tree import create_organization
from meetings.models import (
    Attendance,
    CadreVisit,
    Guest,
    Meeting,
    Minutes,
    ResolutionTask,
    Speech,
)
from meetings.pdf import render_minutes_pdf
from members.models import CommitteeSeat, Member, Position

GIVEN = ["Lò Văn", "Quàng Thị", "Cà Văn", "Lường Thị", "Tòng Văn", "Điêu Thị", "Hoàng Văn"]
NAMES = ["Ánh", "Bằng", "Chiến", "Dương", "Hường", "Khởi", "Lượng", "Nguyệt", "Thưởng", "Ước"]
PARAGRAPH = (
    "Chi bộ đã lãnh đạo nhân dân trong bản hoàn thành việc thu hoạch vụ mùa, chăm sóc cây "
    "ăn quả, phòng chống rét cho gia súc; vận động các hộ giữ gìn vệ sinh môi trường, đường "
    "làng ngõ xóm sạch đẹp, xây dựng nông thôn mới và bảo đảm an ninh trật tự trên địa bàn."
)


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Render the minutes PDF N times and print min/median/max seconds."

    def add_arguments(self, parser):
        parser.add_argument("-n", "--times", type=int, default=10, help="Warm renders (10).")
        parser.add_argument(
            "--meeting", type=int, help="Use this meeting's latest minutes instead of sample data."
        )
        parser.add_argument("-o", "--output", help="Also write the last PDF to this file.")
        parser.add_argument(
            "--finalize",
            action="store_true",
            help="Time finalizing the sample minutes and archiving their PDF (rolled back).",
        )
        parser.add_argument(
            "--text-kb",
            type=int,
            default=0,
            help="With --finalize: lengthen the sample's assessment to about this many KB.",
        )

    def handle(self, *args, times, meeting, output, finalize=False, text_kb=0, **options):
        if times < 1:
            raise CommandError("--times must be at least 1.")
        if finalize:
            try:
                with transaction.atomic():
                    minutes = _sample_minutes()
                    if text_kb:
                        lines = text_kb * 1024 // (len(PARAGRAPH.encode()) + 1) + 1
                        minutes.assessment = "\n".join([PARAGRAPH] * lines)
                        minutes.save(update_fields=["assessment"])
                    self._bench_finalize(minutes, times)
                    raise _Rollback
            except _Rollback:
                self.stdout.write("Sample data rolled back.")
            return
        if meeting is not None:
            minutes = Minutes.objects.filter(meeting_id=meeting).order_by("-pk").first()
            if minutes is None:
                raise CommandError(f"Meeting {meeting} has no minutes.")
            self._bench(minutes, times, output)
            return
        try:
            with transaction.atomic():
                self._bench(_sample_minutes(), times, output)
                raise _Rollback
        except _Rollback:
            self.stdout.write("Sample data rolled back.")

    def _bench(self, minutes, times, output):
        started = time.perf_counter()
        data = render_minutes_pdf(minutes)
        first = time.perf_counter() - started
        timings = []
        for _ in range(times):
            started = time.perf_counter()
            data = render_minutes_pdf(minutes)
            timings.append(time.perf_counter() - started)
        pages = _page_count(data)
        self.stdout.write(
            f"Minutes {minutes.pk} ({'final' if minutes.is_final else 'draft'}), "
            f"{len(data)} bytes, {pages} pages."
        )
        self.stdout.write(f"first render (loads WeasyPrint and fonts): {first:.3f} s")
        self.stdout.write(
            f"{times} warm renders: min {min(timings):.3f} s, "
            f"median {statistics.median(timings):.3f} s, max {max(timings):.3f} s"
        )
        if output:
            Path(output).write_bytes(data)
            self.stdout.write(f"Wrote {output}.")

    def _bench_finalize(self, minutes, times):
        from meetings.services.finalize import finalize_minutes

        try:
            from meetings.services.finalize import archive_minutes_pdf
        except ImportError:  # before the archive moved out of the request
            archive_minutes_pdf = None
        requests, archives = [], []
        # The first run pays for loading WeasyPrint and the fonts (a fresh worker).
        for _ in range(times + 1):
            with transaction.atomic():
                draft = Minutes.objects.get(pk=minutes.pk)
                started = time.perf_counter()
                final = finalize_minutes(minutes=draft, by=None)
                requests.append(time.perf_counter() - started)
                if archive_minutes_pdf is not None and not final.pdf_sha256:
                    started = time.perf_counter()
                    archive_minutes_pdf(minutes_id=final.pk)
                    archives.append(time.perf_counter() - started)
                transaction.set_rollback(True)
        size = len(minutes.assessment.encode()) // 1024
        self.stdout.write(
            f"Finalized minutes {minutes.pk} ({size} KB of assessment) "
            f"{times} times after a first run."
        )
        self.stdout.write(f"finalize (the request), first run: {requests[0]:.3f} s")
        self.stdout.write(f"finalize (the request), warm: {_spread(requests[1:])}")
        if archives:
            self.stdout.write(f"archive the PDF (after the commit), first: {archives[0]:.3f} s")
            self.stdout.write(f"archive the PDF (after the commit), warm: {_spread(archives[1:])}")
        else:
            self.stdout.write("archive the PDF: inside the request")


def _spread(timings: list[float]) -> str:
    return (
        f"min {min(timings):.3f} s, median {statistics.median(timings):.3f} s, "
        f"max {max(timings):.3f} s"
    )


def _page_count(data: bytes) -> str:
    try:
        from pypdf import PdfReader  # a development dependency
    except ImportError:
        return "?"
    return str(len(PdfReader(io.BytesIO(data)).pages))


def _sample_minutes() -> Minutes:
    """A realistic month's minutes of a mountain village cell."""
    tag = uuid.uuid4().hex[:8]
    day = datetime.date(2026, 2, 5)
    commune = create_organization(
        parent=None,
        kind="commune",
        code=f"bench-xa-{tag}",
        name="Đảng bộ xã Cò Nòi",
        place_name="Cò Nòi",
        founded_on=datetime.date(2010, 1, 1),
    )
    cell = create_organization(
        parent=commune,
        kind="cell",
        code=f"bench-ban-{tag}",
        name="Chi bộ bản Lếch",
        founded_on=datetime.date(2010, 1, 1),
    )
    other_cell = create_organization(
        parent=commune,
        kind="cell",
        code=f"bench-ban2-{tag}",
        name="Chi bộ bản Nà Sành",
        founded_on=datetime.date(2010, 1, 1),
    )
    members = []
    for n in range(28):
        probationary = n >= 25
        members.append(
            Member.objects.create(
                full_name=f"{GIVEN[n % len(GIVEN)]} {NAMES[n % len(NAMES)]}",
                cell=cell,
                joined_on=datetime.date(2025, 6, 1) if probationary else datetime.date(2000, 3, 3),
                official_on=None if probationary else datetime.date(2001, 3, 3),
                status="probationary" if probationary else "official",
                is_exempt=n in (20, 21),
                exempt_reason="Tuổi cao, sức yếu" if n in (20, 21) else "",
            )
        )
    visitor = Member.objects.create(
        full_name="Lò Thị Hoa",
        cell=other_cell,
        joined_on=datetime.date(2010, 1, 1),
        official_on=datetime.date(2011, 1, 1),
    )
    cadre = Member.objects.create(
        full_name="Cầm Văn Thưởng",
        cell=other_cell,
        joined_on=datetime.date(1998, 1, 1),
        official_on=datetime.date(1999, 1, 1),
    )
    CommitteeSeat.objects.create(
        member=cadre, organization=commune, kind="standing", starts_on=datetime.date(2025, 1, 1)
    )
    Position.objects.create(
        member=members[0], cell=cell, kind="secretary", starts_on=datetime.date(2025, 1, 1)
    )
    Position.objects.create(
        member=members[1], cell=cell, kind="deputy", starts_on=datetime.date(2025, 1, 1)
    )
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(19, 30)))
    previous = Meeting.objects.create(
        cell=cell,
        kind="regular",
        period=datetime.date(2026, 1, 1),
        state="held",
        scheduled_at=at - datetime.timedelta(days=31),
    )
    previous_minutes = Minutes.objects.create(meeting=previous, chair=members[0])
    meeting = Meeting.objects.create(
        cell=cell,
        kind="regular",
        period=datetime.date(2026, 2, 1),
        state="held",
        scheduled_at=at,
        place="Nhà văn hóa bản Lếch",
    )
    statuses = ["present"] * 22 + ["late", "absent_excused", "absent_excused", "absent_unexcused"]
    for member in members:
        status = "exempt" if member.is_exempt else statuses.pop(0)
        Attendance.objects.create(
            meeting=meeting,
            member=member,
            status=status,
            reason="Đi làm ăn xa" if status == "absent_excused" else "",
        )
    Attendance.objects.create(meeting=meeting, member=visitor, status="present", is_temporary=True)
    Guest.objects.create(meeting=meeting, name="Lường Văn Ơn", title="Trưởng bản Lếch")
    CadreVisit.objects.create(meeting=meeting, cadre=cadre, reported="Thông tin nghị quyết mới.")
    minutes = Minutes.objects.create(
        meeting=meeting,
        chair=members[0],
        minute_taker=members[1],
        started_at=at,
        ended_at=at + datetime.timedelta(minutes=110),
        party_fee_status="Đã thu đủ đảng phí tháng 01/2026 của 26 đồng chí, nộp lên Đảng ủy xã.",
        programme="Đồng chí chủ trì thông qua chương trình sinh hoạt; chi bộ nhất trí 100%.",
        news="\n".join([PARAGRAPH] * 3),
        assessment="\n".join([PARAGRAPH] * 4),
        criticism="Một số đảng viên chưa tham gia đầy đủ các buổi sinh hoạt do đi làm ăn xa.",
        summary="\n".join([PARAGRAPH] * 2),
        resolution="\n".join([PARAGRAPH] * 3),
        votes_for=21,
        votes_against=0,
        votes_abstain=1,
        read_back_adopted=True,
    )
    for n in range(5):
        ResolutionTask.objects.create(
            minutes=previous_minutes,
            cell=cell,
            title=f"Vận động {n + 2} hộ nghèo tham gia mô hình chăn nuôi, trồng cây ăn quả",
            assignee=members[n + 2],
            due_on=datetime.date(2026, 2, 3),
            status=["done", "done", "late", "open", "dropped"][n],
            result_note="Đã thực hiện, có báo cáo kết quả" if n < 3 else "",
            assessed_in=minutes,
        )
    for n in range(8):
        Speech.objects.create(
            minutes=minutes,
            member=members[n + 3],
            text=f"{PARAGRAPH}\nĐề nghị chi bộ quan tâm việc số {n + 1}.",
            order=n,
        )
    for n in range(6):
        ResolutionTask.objects.create(
            minutes=minutes,
            cell=cell,
            title="Mỗi đảng viên giúp đỡ ít nhất một trong 10 hộ nghèo còn lại của bản",
            assignee=members[n + 8],
            due_on=datetime.date(2026, 3, 3),
        )
    return minutes
