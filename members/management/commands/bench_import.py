"""Time the XLSX member import on a generated file of a district's size.

Everything it creates (a province, communes, cells, a user, the members)
carries a unique code prefix and lives inside one transaction that is rolled
back at the end, so the database is left as it was.
"""

import datetime
import io
import random
import secrets
import time

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from openpyxl import Workbook

from chibo import xlsx
from chibo.models import OrganizationKind, Role, RoleKind
from chibo.tree import create_organization
from members.models import Member
from members.xlsx.columns import MEMBER_COLUMNS, NO, STATUS_LABELS, YES
from members.xlsx.importer import apply_member_plan, plan_member_import

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Đặng",
    "Lò",
    "Cầm",
    "Quàng",
    "Lường",
    "Hà",
    "Vì",
    "Tòng",
    "Bạc",
    "Đinh",
    "Vũ",
]
MIDDLE = {"male": ["Văn", "Đức", "Minh", "Quốc", "Xuân"], "female": ["Thị", "Thị Thu", "Ngọc"]}
GIVEN = {
    "male": ["An", "Bình", "Cường", "Dũng", "Hùng", "Long", "Minh", "Thọ", "Tiến", "Đức"],
    "female": ["Hà", "Lan", "Mai", "Nga", "Phương", "Thảo", "Yến", "Hương", "Loan"],
}
PLACES = [
    "Cò Nòi",
    "Hát Lót",
    "Mường Bon",
    "Chiềng Mung",
    "Nà Bó",
    "Phiêng Cằm",
    "Chiềng Ban",
    "Mường Bằng",
    "Chiềng Sung",
    "Tà Hộc",
    "Chiềng Chăn",
    "Nà Ớt",
]


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time importing N generated members from XLSX (rolled back afterwards)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=9200)
        parser.add_argument("--cells", type=int, default=480)
        parser.add_argument("--communes", type=int, default=12)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Run even though the database holds members (it is still rolled back).",
        )

    def handle(self, *args, **options):
        if Member.objects.exists() and not options["yes"]:
            raise CommandError(
                "This database already holds members. The benchmark rolls back everything it "
                "writes, but holds SQLite's write lock while it runs. Pass --yes to go on."
            )
        # One seed for both files, so the second holds the same people.
        self.seed = options["seed"]
        self.prefix = f"bench{secrets.token_hex(3)}"
        try:
            with transaction.atomic():
                self.run(options)
                raise _Rollback
        except _Rollback:
            self.stdout.write("Rolled back: the database is unchanged.")

    def run(self, options):
        started = time.perf_counter()
        user, cell_codes = self.build_tree(options["communes"], options["cells"])
        self.report(f"setup (tree of {len(cell_codes)} cells)", started)
        started = time.perf_counter()
        content = self.build_file(options["members"], cell_codes)
        self.report(f"file generated ({len(content) / 1024 / 1024:.1f} MB)", started)
        self.time_import("first import (creates)", content, user, options["members"])
        # Every row again with a new phone number: the update path.
        content = self.build_file(options["members"], cell_codes, phone_prefix="08")
        self.time_import("second import (updates)", content, user, options["members"])

    def time_import(self, label, content, user, rows):
        file = SimpleUploadedFile("bench.xlsx", content)
        started = time.perf_counter()
        plan = plan_member_import(file=file, user=user)
        checked = time.perf_counter()
        if plan.errors:
            raise CommandError(f"The generated file has errors: {plan.errors[:5]}")
        result = apply_member_plan(plan=plan, user=user)
        written = time.perf_counter()
        total = written - started
        self.stdout.write(
            f"{label}: {result.created} created, {result.updated} updated; "
            f"validating {checked - started:.2f} s, writing {written - checked:.2f} s, "
            f"total {total:.2f} s, {rows / total:,.0f} rows/s"
        )

    def report(self, label, started):
        self.stdout.write(f"{label}: {time.perf_counter() - started:.2f} s")

    def build_tree(self, communes, cells):
        user = get_user_model().objects.create(username=f"{self.prefix}-importer")
        root = create_organization(
            parent=None,
            code=f"{self.prefix}-tinh",
            name="Đảng bộ tỉnh Thử nghiệm",
            kind=OrganizationKind.PROVINCE,
        )
        Role.objects.create(user=user, organization=root, kind=RoleKind.STAFF)
        codes = []
        for c in range(communes):
            place = PLACES[c % len(PLACES)]
            commune = create_organization(
                parent=root,
                code=f"{self.prefix}-xa{c}",
                name=f"Đảng bộ xã {place} {c}",
                kind=OrganizationKind.COMMUNE,
                place_name=place,
            )
            for n in range(c, cells, communes):
                code = f"{self.prefix}-cb{n}"
                create_organization(
                    parent=commune,
                    code=code,
                    name=f"Chi bộ bản {n:03d}",
                    kind=OrganizationKind.CELL,
                    place_name=place,
                )
                codes.append(code)
        return user, codes

    def build_file(self, count, cell_codes, phone_prefix="09"):
        rng = random.Random(self.seed)
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Đảng viên")
        xlsx.append(sheet, [column.header for column in MEMBER_COLUMNS])
        for i in range(count):
            xlsx.append(sheet, self.member_row(rng, i, cell_codes, phone_prefix))
        output = io.BytesIO()
        workbook.save(output)
        return output.getvalue()

    def member_row(self, rng, i, cell_codes, phone_prefix):
        gender = rng.choice(["male", "male", "female"])
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"
        born = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(60 * 365))
        probationary = i % 12 == 0
        if probationary:
            joined = datetime.date(2025, 6, 1) + datetime.timedelta(days=rng.randrange(300))
            born = min(born, joined - datetime.timedelta(days=20 * 365))
            official, card = None, ""
        else:
            joined = born + datetime.timedelta(days=365 * 18 + rng.randrange(20 * 365))
            joined = min(joined, datetime.date(2024, 1, 1))
            official, card = joined + datetime.timedelta(days=365), f"{self.prefix}{i:06d}"
        exempt = i % 20 == 0
        # Half the dates typed as text, half as date cells, as real files mix them.
        as_text = i % 2 == 0

        def date(value):
            return f"{value:%d/%m/%Y}" if as_text and value else value

        return [
            name,
            date(born),
            "Nam" if gender == "male" else "Nữ",
            card,
            date(joined),
            date(official),
            STATUS_LABELS["probationary" if probationary else "official"],
            cell_codes[i % len(cell_codes)],
            YES if exempt else NO,
            "Tuổi cao, sức yếu" if exempt else "",
            date(datetime.date(2024, 1, 1)) if exempt else "",
            YES if i % 15 == 0 else NO,
            f"{phone_prefix}{rng.randrange(10**8):08d}",
        ]
