"""Time the member export as a worker builds it (chibo.exports), with its memory.

It reads the current database (the province of seed_scale) as `--username`
(by default the province's office) and writes nothing: the builder runs
without a file row. With `--store` it runs the whole background path instead
(queued row, claim, build, store) and rolls it back, the stored file included.
"""

import resource
import time
import tracemalloc

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from chibo import exports
from chibo.demo.scale.people import PROVINCE_OFFICE
from chibo.models import ExportFile
from members import exports as member_exports


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the background member export of what a user sees (read only)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=PROVINCE_OFFICE)
        parser.add_argument(
            "--store",
            action="store_true",
            help="Run the whole background path, file row and stored file, then roll back.",
        )
        parser.add_argument(
            "--tracemalloc",
            action="store_true",
            help="Also measure Python's peak allocation (slows the build about twofold).",
        )

    def handle(self, *args, **options):
        self.trace = options["tracemalloc"]
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(
                f"No user {options['username']!r}: build the province with seed_scale first."
            )
        members = member_exports.members_in_scope(user, cell_id=None)
        if not options["store"]:
            self.measure(lambda: self.build_only(user), members)
            return
        try:
            with transaction.atomic():
                self.stored(user, members)
                raise _Rollback
        except _Rollback:
            self.stdout.write("Rolled back: the database is unchanged.")

    def stored(self, user, members):
        export = exports.start(
            owner=user, kind=member_exports.MEMBERS, parameters={"cell": None}, filename="b.xlsx"
        )
        self.measure(lambda: exports.run(export_id=export.pk), members)
        export.refresh_from_db()
        self.stdout.write(f"file row: {export.status}, {export.done} of {export.total} rows")
        export.file.delete(save=False)

    def build_only(self, user):
        output = member_exports.build_members(
            user=user, parameters={"cell": None}, progress=exports.Progress(None)
        )
        output.seek(0, 2)
        self.size = output.tell()
        output.close()

    def measure(self, build, members):
        started = time.perf_counter()
        total = members.count()
        counted = time.perf_counter()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if self.trace:
            tracemalloc.start()
        self.size = None
        cpu = time.process_time()
        build()
        built = time.perf_counter()
        cpu = time.process_time() - cpu
        peak = tracemalloc.get_traced_memory()[1] if self.trace else None
        if self.trace:
            tracemalloc.stop()
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if self.size is None:
            self.size = ExportFile.objects.latest("pk").size or 0
        seconds = built - counted
        self.stdout.write(f"count in SQL: {total} rows in {counted - started:.3f} s")
        self.stdout.write(
            f"build: {seconds:.2f} s ({cpu:.2f} s CPU in Python), {total / seconds:,.0f} rows/s, "
            f"file {self.size / 1024 / 1024:.1f} MB"
        )
        self.stdout.write(
            f"memory: peak RSS {rss_after / 1024:.0f} MB "
            f"(+{(rss_after - rss_before) / 1024:.0f} MB while building)"
            + (f", Python peak {peak / 1024 / 1024:.1f} MB (tracemalloc)" if self.trace else "")
        )
