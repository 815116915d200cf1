"""python manage.py bench_tree [--build] [-n 5]: time the tree's pages and the dashboard.

Prints, for province staff and for one commune's staff, the median
in-process time (ms), the queries and the HTML size of the tree page, a
branch unfolded (the province's children), a commune's page and the
dashboard, cold (counts cache cleared) and warm.

--build first adds a quick big province to the current database with bulk
inserts (default 250 communes x 40 cells, 20 members each: 10,000 cells and
200,000 members) and two staff accounts. Without it the command uses the
accounts `bench-province` and `bench-commune` built before, or, on the scale
data set, the province's and a commune's first staff accounts.
"""

import datetime
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from chibo.models import Organization, OrganizationKind, Role, RoleKind
from members.models import Member

STEP = Organization.steplen
ALPHABET = Organization.alphabet


def _key(n: int) -> str:
    out = ""
    for _ in range(STEP):
        n, digit = divmod(n, len(ALPHABET))
        out = ALPHABET[digit] + out
    return out


class Command(BaseCommand):
    help = "Time the organization tree, a branch, a commune's page and the dashboard."

    def add_arguments(self, parser):
        parser.add_argument("--build", action="store_true", help="Add a big province first.")
        parser.add_argument("--communes", type=int, default=250)
        parser.add_argument("--cells", type=int, default=40, help="Cells per commune (40).")
        parser.add_argument("--members", type=int, default=20, help="Members per cell (20).")
        parser.add_argument("-n", "--times", type=int, default=5)

    def handle(self, *args, **options):
        if options["build"]:
            self._build(options["communes"], options["cells"], options["members"])
        province_user, commune_user, commune = self._accounts()
        with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=True):
            for label, user in (("province staff", province_user), ("commune staff", commune_user)):
                self._measure(label, user, commune, options["times"])

    def _accounts(self):
        users = get_user_model().objects
        province = users.filter(username="bench-province").first()
        commune_user = users.filter(username="bench-commune").first()
        if province is None or commune_user is None:
            staff = Role.objects.filter(kind=RoleKind.STAFF).select_related("organization")
            top = staff.order_by("organization__depth").first()
            low = staff.filter(organization__kind=OrganizationKind.COMMUNE).first()
            if top is None or low is None:
                raise CommandError("No staff accounts: run with --build first.")
            province, commune_user = top.user, low.user
        commune = Role.objects.filter(user=commune_user, kind=RoleKind.STAFF).first().organization
        return province, commune_user, commune

    def _measure(self, label, user, commune, times):
        client = Client(HTTP_ACCEPT_LANGUAGE="vi")
        client.force_login(user)
        root = Role.objects.filter(user=user, kind=RoleKind.STAFF).first().organization
        htmx = {"HTTP_HX_REQUEST": "true"}
        pages = [
            ("tree", reverse("organization_tree"), {}),
            ("branch", reverse("organization_children", args=[root.pk]), htmx),
            ("commune page", reverse("organization_detail", args=[commune.pk]), {}),
            ("dashboard", reverse("dashboard"), {}),
        ]
        for name, url, headers in pages:
            for warm in (False, True):
                spent, queries, size = [], 0, 0
                for _ in range(times):
                    if not warm:
                        cache.clear()
                    else:
                        client.get(url, **headers)
                    reset_queries()
                    start = time.perf_counter()
                    response = client.get(url, **headers)
                    spent.append((time.perf_counter() - start) * 1000)
                    queries, size = len(connection.queries), len(response.content)
                    if response.status_code != 200:
                        raise CommandError(f"{url}: {response.status_code}")
                self.stdout.write(
                    f"{label:15} {name:13} {'warm' if warm else 'cold'}  "
                    f"{statistics.median(spent):8.1f} ms  {queries:3d} queries  "
                    f"{size / 1024:8.1f} KB"
                )

    def _build(self, communes, cells, members):
        """A province in bulk: paths written by hand, as treebeard would."""
        last = Organization.objects.filter(depth=1).order_by("-path").first()
        province_path = _key(int(last.path, 36) + 1 if last else 1)
        stamp = f"{time.time_ns() % 10**9}"
        today = datetime.date(2010, 1, 1)
        nodes = [
            Organization(
                path=province_path,
                depth=1,
                numchild=communes,
                kind=OrganizationKind.PROVINCE,
                code=f"bench-{stamp}",
                name=f"Đảng bộ tỉnh Thử {stamp}",
                founded_on=today,
            )
        ]
        for c in range(communes):
            commune_path = province_path + _key(c + 1)
            nodes.append(
                Organization(
                    path=commune_path,
                    depth=2,
                    numchild=cells,
                    kind=OrganizationKind.COMMUNE,
                    code=f"bench-{stamp}-{c}",
                    name=f"Đảng bộ xã Thử {c:03d}",
                    founded_on=today,
                )
            )
            for k in range(cells):
                nodes.append(
                    Organization(
                        path=commune_path + _key(k + 1),
                        depth=3,
                        numchild=0,
                        kind=OrganizationKind.CELL,
                        code=f"bench-{stamp}-{c}-{k}",
                        name=f"Chi bộ thôn Thử {c:03d}-{k:02d}",
                        founded_on=today,
                    )
                )
        Organization.objects.bulk_create(nodes, batch_size=2000)
        cell_ids = Organization.objects.filter(
            path__startswith=province_path, kind=OrganizationKind.CELL
        ).values_list("pk", flat=True)
        batch = []
        for cell_id in cell_ids:
            for m in range(members):
                batch.append(
                    Member(
                        full_name=f"Đảng viên {cell_id}-{m}",
                        search_name=f"dang vien {cell_id}-{m}",
                        joined_on=today,
                        cell_id=cell_id,
                    )
                )
            if len(batch) >= 5000:
                Member.objects.bulk_create(batch)
                batch = []
        Member.objects.bulk_create(batch)
        users = get_user_model().objects
        province = Organization.objects.get(path=province_path)
        commune = Organization.objects.get(path=province_path + _key(1))
        for username, organization in (("bench-province", province), ("bench-commune", commune)):
            user, _ = users.get_or_create(username=username)
            Role.objects.filter(user=user).delete()
            Role.objects.create(user=user, organization=organization, kind=RoleKind.STAFF)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE")
        self.stdout.write(f"Built {province.name}: {len(nodes)} organizations.")
