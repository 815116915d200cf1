"""python manage.py bench_reports [--period 2026-11] [--naive]: time the reports.

On seed_scale's province, for a commune's office and the province's office:
the roll-up cold (queries, database time, total), read again from the cache,
the report page (cached), the trends and each chart, the official PDF, the
spreadsheet a worker builds, the PDF a worker builds from cold figures, and
the same report asked again (the stored file sent). With --naive it also
renders, in the same run and stylesheet, the naive PDF: one table with a row
per cell. It writes the figures' cache and one background file, deleted at
the end.
"""

import statistics
import time
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from chibo import exports, figures
from chibo.demo.scale.people import COMMUNE_OFFICE, PROVINCE_OFFICE
from chibo.demo.scale.province import BLOC_CODE
from chibo.models import ExportFile, Organization, Role, RoleKind
from chibo.pdf import render_pdf
from reports import charts, pdf, periods, xlsx
from reports.rollup import KINDS, cached_rollup, cached_trends, cell_figures, rollup


class Command(BaseCommand):
    help = "Time the report of a commune and of the province: roll-up, page, PDF, XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--period", default="", help="2026-11, 2026-Q4 or 2026 (this month).")
        parser.add_argument("--users", default=f"{COMMUNE_OFFICE},{PROVINCE_OFFICE}")
        parser.add_argument(
            "--also",
            default=BLOC_CODE,
            help="Codes of organizations the last user's office also reports on "
            "(default: the 480-cell agencies' committee, when the province has it).",
        )
        parser.add_argument("--naive", action="store_true", help="Also the one-table PDF.")
        parser.add_argument("-n", "--times", type=int, default=3)

    def handle(self, *args, **options):
        period = periods.parse(options["period"], today=timezone.localdate())
        offices = []
        for username in options["users"].split(","):
            user = get_user_model().objects.filter(username=username).first()
            role = Role.objects.filter(user=user, kind=RoleKind.STAFF).first() if user else None
            if role is None:
                raise CommandError(
                    f"No staff account {username!r}: build the province with seed_scale first."
                )
            offices.append((user, role.organization))
        user = offices[-1][0]
        codes = [code for code in options["also"].split(",") if code]
        # Smallest first: the sub-organizations, then the last office's own root.
        also = [(user, org) for org in Organization.objects.filter(code__in=codes)]
        for user, root in [*offices[:-1], *also, offices[-1]]:
            self._measure(user, root, period, options)

    def _measure(self, user, root: Organization, period, options):
        times = options["times"]
        label = f"{root.name} ({period.code})"
        with override_settings(DEBUG=True):  # to count the queries and their time
            spent, queries, db = [], 0, []
            for _ in range(times):
                figures.changed(*KINDS)  # nothing memoised: the cadres' quota read too
                reset_queries()
                started = time.perf_counter()
                result = rollup(user, root=root, period=period)
                spent.append(time.perf_counter() - started)
                queries = len(connection.queries)
                db.append(sum(float(q["time"]) for q in connection.queries))
                slowest = max(connection.queries, key=lambda q: float(q["time"]))
        self._line(
            label,
            "roll-up, cold",
            statistics.median(spent),
            f"{queries} queries, "
            f"database {statistics.median(db) * 1000:.0f} ms (median), "
            f"slowest {float(slowest['time']) * 1000:.0f} ms, "
            f"{result.total.cells} cells, {len(result.rows)} rows",
        )
        cached_rollup(user, root=root, period=period)
        self._line(
            label,
            "roll-up, cached",
            self._time(lambda: cached_rollup(user, root=root, period=period), times),
        )
        client = Client(HTTP_ACCEPT_LANGUAGE="vi")
        client.force_login(user)
        url = f"{reverse('report', args=[root.pk])}?period={period.code}"
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            size = len(client.get(url).content)
            self._line(
                label,
                "page, cached",
                self._time(lambda: client.get(url), times),
                f"{size / 1024:.1f} KB",
            )
        started = time.perf_counter()
        trends = cached_trends(user, root=root, period=period)
        self._line(label, "trends, cold", time.perf_counter() - started)
        for chart in charts.shown(result):
            started = time.perf_counter()
            drawn = charts.svg(chart.name, result, trends)
            self._line(
                label,
                f"chart {chart.name}",
                time.perf_counter() - started,
                f"{len(drawn) / 1024:.0f} KB",
            )
        form = {"assessment": "", "recipients": "", "signer_title": "", "signer_name": ""}
        document = {}

        def official():
            document["pdf"] = pdf.render(
                result, user=user, trends=trends, superior=None, on=timezone.localdate(), **form
            )

        seconds = self._time(official, times)
        self._line(label, "PDF, summary", seconds, f"{len(document['pdf']) / 1024:.0f} KB")
        if options["naive"]:
            rows = cell_figures(user, root=root, period=period)
            naive = self._time(lambda: render_pdf("bench/report_naive.html", {"rows": rows}), 1)
            self._line(
                label,
                "PDF, naive",
                naive,
                f"{len(rows)} rows, summary {naive / seconds:.1f}x faster",
            )
        started = time.perf_counter()
        output = xlsx.build(
            user=user,
            parameters={"organization": root.pk, "period": period.code},
            progress=exports.Progress(None),
        )
        output.seek(0, 2)
        self._line(
            label,
            "XLSX build",
            time.perf_counter() - started,
            f"{output.tell() / 1024 / 1024:.1f} MB",
        )
        self._worker_and_stored(client, user, root, period, form)

    def _worker_and_stored(self, client, user, root, period, form):
        """The PDF as a worker builds it from cold figures, then the same
        report asked again: the stored file, sent without building."""
        label = f"{root.name} ({period.code})"
        parameters = {"organization": root.pk, "period": period.code, "on": "2026-12-01"}
        figures.changed(*KINDS)  # cold: what a change to the data leaves
        started = time.perf_counter()
        pdf.build(user=user, parameters={**parameters, **form}, progress=exports.Progress(None))
        self._line(label, "PDF by a worker", time.perf_counter() - started, "cold figures")
        url = f"{reverse('report_pdf', args=[root.pk])}?period={period.code}"
        settings = {"ALLOWED_HOSTS": ["testserver"], "REPORT_BACKGROUND_CELLS": 0}
        # The build runs here, not in a worker; the rows and the file are deleted after.
        with override_settings(**settings), mock.patch("chibo.exports.services._enqueue"):
            first = client.post(url, form)
            export = ExportFile.objects.get(pk=int(first["Location"].rstrip("/").split("/")[-1]))
            exports.run(export_id=export.pk)
            spent = []
            for _ in range(3):
                started = time.perf_counter()
                again = client.post(url, form)
                sent = client.get(again["Location"])
                b"".join(sent.streaming_content)
                spent.append(time.perf_counter() - started)
        self._line(label, "stored, again", statistics.median(spent), f"HTTP {sent.status_code}")
        export.file.delete(save=False)
        export.delete()

    def _time(self, action, times) -> float:
        spent = []
        for _ in range(times):
            started = time.perf_counter()
            action()
            spent.append(time.perf_counter() - started)
        return statistics.median(spent)

    def _line(self, label, what, seconds, detail=""):
        self.stdout.write(f"{label:45} {what:17} {seconds * 1000:9.1f} ms  {detail}")
