"""Time the member export as a worker builds it (chibo.exports), with its memory.

With `--username` it reads an existing database as that user (the province
data of seed_scale) and writes nothing: the builder runs without a file row.
Otherwise it generates a province of `--members` members, runs the whole
background path (queued row, claim, build, store) and rolls everything back,
the stored file included.
"""

import datetime
import random
import resource
import time
import tracemalloc

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import connection, transaction

from chibo import exports
from chibo.models import ExportFile, Organization
from members import exports as member_exports
from members.models import Member

from . import bench_import

BATCH = 5000


class Command(bench_import.Command):
    help = "Time the background member export (generated data rolled back, or --username)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=50000)
        parser.add_argument("--cells", type=int, default=1000)
        parser.add_argument("--communes", type=int, default=20)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--username", help="Export what this existing user sees; read only.")
        parser.add_argument(
            "--tracemalloc",
            action="store_true",
            help="Also measure Python's peak allocation (slows the build about twofold).",
        )
        parser.add_argument("--yes", action="store_true", help="Generate even beside members.")
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Commit the generated data (a scratch database only) and ANALYZE it, so "
            "that --username then measures with the planner's statistics.",
        )

    def handle(self, *args, **options):
        self.trace = options["tracemalloc"]
        if options["username"]:
            user = get_user_model().objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"No user {options['username']!r}.")
            members = member_exports.members_in_scope(user, cell_id=None)
            self.measure(lambda: self.build_only(user), members)
            return
        if Member.objects.exists() and not options["yes"]:
            raise CommandError("This database already holds members: pass --yes to go on.")
        self.seed, self.prefix = options["seed"], f"bench{random.randrange(16**6):06x}"
        if options["keep"]:
            with transaction.atomic():
                user = self.generated(options)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            self.stdout.write(f"Kept: measure again with --username {user.username}")
            return
        try:
            with transaction.atomic():
                self.generated(options)
                raise bench_import._Rollback
        except bench_import._Rollback:
            self.stdout.write("Rolled back: the database is unchanged.")

    def generated(self, options):
        started = time.perf_counter()
        user, codes = self.build_tree(options["communes"], options["cells"])
        self.add_members(options["members"], codes)
        self.report(f"setup ({options['members']} members in {len(codes)} cells)", started)
        members = member_exports.members_in_scope(user, cell_id=None)
        export = exports.start(
            owner=user, kind=member_exports.MEMBERS, parameters={"cell": None}, filename="b.xlsx"
        )
        self.measure(lambda: exports.run(export_id=export.pk), members)
        export.refresh_from_db()
        self.stdout.write(f"file row: {export.status}, {export.done} of {export.total} rows")
        export.file.delete(save=False)
        return user

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

    def add_members(self, count, codes):
        rng = random.Random(self.seed)
        cells = list(Organization.objects.filter(code__in=codes).order_by("code"))
        batch = []
        for i in range(count):
            gender = rng.choice(["male", "male", "female"])
            name = bench_import.FAMILY[i % len(bench_import.FAMILY)]
            given = rng.choice(bench_import.GIVEN[gender])
            joined = datetime.date(1990, 1, 1) + datetime.timedelta(days=rng.randrange(12000))
            batch.append(
                Member(
                    full_name=f"{name} {rng.choice(bench_import.MIDDLE[gender])} {given}",
                    gender=gender,
                    birth_date=joined - datetime.timedelta(days=365 * 25),
                    party_card_number=f"{self.prefix}{i:07d}",
                    joined_on=joined,
                    official_on=joined + datetime.timedelta(days=365),
                    status="official",
                    cell=cells[i % len(cells)],
                    is_exempt=i % 20 == 0,
                    exempt_reason="Tuổi cao, sức yếu" if i % 20 == 0 else "",
                    phone=f"09{rng.randrange(10**8):08d}",
                )
            )
            if len(batch) == BATCH:
                Member.objects.bulk_create(batch)
                batch = []
        Member.objects.bulk_create(batch)
