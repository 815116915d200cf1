"""python manage.py bench_tree [-n 5]: time the tree's pages and the dashboard.

Prints, for province staff and for one commune's staff, the median
in-process time (ms), the queries and the HTML size of the tree page, a
branch unfolded (the user's first root's children), their commune's page and
the dashboard, cold (counts cache cleared) and warm. It reads the current
database, built by `seed_scale`, as that command's office accounts (or the
ones named), and writes nothing.
"""

import statistics
import time

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from chibo.demo.scale.people import COMMUNE_OFFICE, PROVINCE_OFFICE
from chibo.models import Role, RoleKind


class Command(BaseCommand):
    help = "Time the organization tree, a branch, a commune's page and the dashboard."

    def add_arguments(self, parser):
        parser.add_argument("--province-user", default=PROVINCE_OFFICE)
        parser.add_argument("--commune-user", default=COMMUNE_OFFICE)
        parser.add_argument("-n", "--times", type=int, default=5)

    def handle(self, *args, **options):
        province_user = self._staff(options["province_user"])
        commune_user = self._staff(options["commune_user"])
        commune = self._root(commune_user)
        with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=True):
            for label, user in (("province staff", province_user), ("commune staff", commune_user)):
                self._measure(label, user, commune, options["times"])

    def _staff(self, username):
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not Role.objects.filter(user=user, kind=RoleKind.STAFF).exists():
            raise CommandError(
                f"No staff account {username!r}: build the province with seed_scale first."
            )
        return user

    def _root(self, user):
        return Role.objects.filter(user=user, kind=RoleKind.STAFF).first().organization

    def _measure(self, label, user, commune, times):
        client = Client(HTTP_ACCEPT_LANGUAGE="vi")
        client.force_login(user)
        root = self._root(user)
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
