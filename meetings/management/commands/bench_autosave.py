"""python manage.py bench_autosave [-n 200]: what one autosave of the minutes costs.

It builds the realistic meeting of bench_pdf (a 28-member cell, 8 speeches,
tasks, several paragraphs per section) inside a transaction that it rolls
back, signs in its secretary and posts the editor's autosave through the
whole Django stack (middleware, session, access, form, service, reply), as
the editor's script does: with its editor token and a new save id each time.

Four kinds of autosave are timed:
- typing: one word more in a section each time (the evening of the 3rd);
- untouched: the same text sent again (a page left open, a focus change);
- a speech edited, a task edited: the rows of that part are read and
  written (and the people they name checked against the roll when new);
- the chair changed: between two members of the roll, in turn;
- co-editor: two secretaries open the editor, then save in turn, each
  from the version it last saw, so every save is merged with the other's.

It prints the queries of one autosave (SAVEPOINTs, which only the benchmark's
rollback adds, left out), server time p50/p99, the history rows written, and
how many editors one sync worker carries at the editor's pace: the script
(static/js/minutes-autosave.js) saves 2 s after the last keystroke, so an
editor typing steadily sends at most one autosave every 2 s plus the round
trip.
"""

import logging
import statistics
import time
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.models import Role
from meetings.forms_minutes import state_data
from meetings.models import Minutes, ResolutionTask, Speech
from meetings.services.minutes import draft_state
from members.models import Member

from .bench_pdf import _sample_minutes

# The editor's pace (static/js/minutes-autosave.js, DEBOUNCE_MS): one
# autosave at most every 2 s of steady typing.
EDITOR_INTERVAL_S = 2.0
# A worker kept below this share of busy time still answers promptly.
HEADROOM = 0.5


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the minutes autosave: queries, p50/p99 server time, editors per worker."

    def add_arguments(self, parser):
        parser.add_argument("-n", "--times", type=int, default=200, help="Autosaves a kind (200).")

    def handle(self, *args, times, **options):
        if times < 2:
            raise CommandError("--times must be at least 2.")
        # A 409 is logged as a warning; the merged saves are counted below.
        logging.getLogger("django.request").setLevel(logging.ERROR)
        self.stdout.write(f"Database: {connection.vendor}; {times} autosaves of each kind.")
        try:
            with transaction.atomic():
                self._bench(_sample_minutes(), times)
                raise _Rollback
        except _Rollback:
            self.stdout.write("Sample data rolled back.")

    def _bench(self, minutes: Minutes, times: int) -> None:
        cell = minutes.meeting.cell
        editors = [_editor(cell, name) for name in ("bench-bithu", "bench-phobithu")]
        url = reverse("minutes_autosave", args=[minutes.pk])
        one, other = editors
        # The first save of a page warms the caches (templates, translations).
        one.post(url, one.data(minutes, "Chi bộ thống nhất."))
        typing = [one.post(url, one.data(minutes, f"Ý kiến số {n}.")) for n in range(times)]
        same = one.data(minutes, f"Ý kiến số {times - 1}.", new_text=False)
        untouched = [one.post(url, dict(same, save_id=uuid.uuid4().hex)) for _ in range(times)]
        speech = [
            one.post(url, one.data(minutes, f"Ý kiến số {n}.", field="speeches-0-text"))
            for n in range(times)
        ]
        task = [
            one.post(url, one.data(minutes, f"Việc số {n}.", field="tasks-0-title"))
            for n in range(times)
        ]
        people = list(
            Member.objects.filter(cell=cell).order_by("pk").values_list("pk", flat=True)[:2]
        )
        chair = [
            one.post(url, {**one.data(minutes, "", new_text=False), "chair": people[n % 2]})
            for n in range(times)
        ]
        # Both open the editor (its page), then each saves from the version
        # it saw last: every save is merged with the other's.
        page = reverse("minutes_edit", args=[minutes.meeting_id])
        for editor in editors:
            editor.client.get(page, HTTP_HOST=editor.host)
            editor.version = Minutes.objects.get(pk=minutes.pk).version
        merged = []
        for n in range(times):
            editor = editors[n % 2]
            field = "summary" if editor is one else "resolution"
            merged.append(editor.post(url, editor.data(minutes, f"Bổ sung {n}.", field=field)))
        self._report("typing (one word more)", typing)
        self._report("untouched (the same text again)", untouched)
        self._report("a speech edited", speech)
        self._report("a task edited", task)
        self._report("the chair changed", chair)
        self._report("co-editors in turn (merged)", merged)
        history = (
            Minutes.history.filter(id=minutes.pk).count()
            + Speech.history.filter(minutes_id=minutes.pk).count()
            + ResolutionTask.history.filter(minutes_id=minutes.pk).count()
        )
        saves = 1 + 6 * times
        self.stdout.write(f"history rows of these minutes after {saves} autosaves: {history}")
        p50 = statistics.median(run[0] for run in typing)
        mean = statistics.fmean(run[0] for run in typing)
        carried = EDITOR_INTERVAL_S / mean
        self.stdout.write(
            f"editors one sync worker carries, each typing steadily (an autosave every "
            f"{EDITOR_INTERVAL_S:.0f} s, mean {mean * 1000:.1f} ms, p50 {p50 * 1000:.1f} ms): "
            f"{carried:.0f} at full load, {carried * HEADROOM:.0f} at {HEADROOM:.0%} busy"
        )
        cpu = statistics.fmean(run[3] for run in typing)
        self.stdout.write(
            f"the same from this process's CPU time (mean {cpu * 1000:.1f} ms, a core of its "
            f"own): {EDITOR_INTERVAL_S / cpu:.0f} at full load"
        )

    def _report(self, label: str, runs: list) -> None:
        def p99(values):
            return values[min(len(values) - 1, round(0.99 * (len(values) - 1)))]

        timings = sorted(run[0] for run in runs)
        queries = sorted(run[1] for run in runs)
        statuses = sorted({run[2] for run in runs})
        cpu = sorted(run[3] for run in runs)
        self.stdout.write(
            f"{label}: queries {queries[len(queries) // 2]} (max {queries[-1]}), "
            f"p50 {statistics.median(timings) * 1000:.1f} ms, p99 {p99(timings) * 1000:.1f} ms, "
            f"CPU p50 {statistics.median(cpu) * 1000:.1f} ms, status {statuses}"
        )


class _Editor:
    """One editor's page: its client, token and the version it last saw."""

    def __init__(self, client: Client, host: str):
        self.client = client
        self.host = host
        self.token = uuid.uuid4().hex
        self.version = None
        self.words: dict[str, str] = {}

    def data(self, minutes, words: str, *, field: str = "news", new_text: bool = True) -> dict:
        saved = Minutes.objects.get(pk=minutes.pk)
        if self.version is None:
            self.version = saved.version
        if new_text:
            self.words[field] = words
        data = state_data(draft_state(saved), version=self.version)
        # The page holds what it typed, not the other editor's latest text.
        for name, text in self.words.items():
            data[name] = f"{data[name].split(' ¶', 1)[0]} ¶{text}"
        return {**data, "editor_token": self.token, "save_id": uuid.uuid4().hex}

    def post(self, url: str, data: dict) -> tuple[float, int, int, float]:
        """Wall time, queries, status, and this process's CPU time (which
        other processes on a busy machine do not inflate; PostgreSQL's own
        work is not in it)."""
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            response = self.client.post(
                url, data, HTTP_HOST=self.host, HTTP_ACCEPT="application/json"
            )
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu
        if response.status_code == 200:
            self.version = response.json()["version"]
        counted = [q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"].upper()]
        connection.queries_log.clear()  # CaptureQueriesContext keeps at most 9,000
        return elapsed, len(counted), response.status_code, cpu


def _editor(cell, username: str) -> _Editor:
    user = get_user_model().objects.create_user(username=f"{username}-{uuid.uuid4().hex[:6]}")
    Role.objects.create(user=user, organization=cell, kind="secretary")
    client = Client(secure=not settings.DEBUG)
    client.force_login(user)
    hosts = [h for h in settings.ALLOWED_HOSTS if h != "*" and not h.startswith(".")]
    return _Editor(client, hosts[0] if hosts else "localhost")
