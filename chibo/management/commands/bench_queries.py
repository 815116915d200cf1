"""Time the list pages and reports for one user, in process, and show where
the SQL goes: `manage.py bench_queries USERNAME [--explain]`.

Each page is requested through the test client (middleware, templates and
all) inside a read-only transaction that is rolled back, with signed-cookie
sessions and no last_login update, so it can run against a shared database
(the province-size one) without writing to it. It prints per page the best
of `--runs` wall times, the SQL time and query count of that run, and the
HTML size; `--explain` adds EXPLAIN ANALYZE of each page's slowest query; `--cold`
clears the cache before each run (the figures of chibo.figures computed
again: point REDIS_URL at a database of your own, or leave it unset).
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model, user_logged_in
from django.contrib.auth.models import update_last_login
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from chibo import access
from chibo.models import Organization

# (label, URL name, query string); "quota_report_org" is asked for the first
# organization below the user's first root, so the drill-down is timed too;
# "{org}" in a query string stands for that organization's pk.
PAGES = [
    ("dashboard", "dashboard", ""),
    ("member list", "member_list", ""),
    ("member list p.3", "member_list", "page=3"),
    ("member list p.60", "member_list", "page=60"),
    ("member search", "member_list", "q=nguyen"),
    ("meeting list", "meeting_list", ""),
    ("meeting list p.3", "meeting_list", "page=3"),
    ("feedback list", "feedback_list", ""),
    ("feedback list p.3", "feedback_list", "page=3"),
    ("feedback search", "feedback_list", "q=dat dai"),
    ("quota report", "quota_report", ""),
    ("quota drill-down", "quota_report_org", ""),
    ("quota drill-down p.2", "quota_report_org", "page=2"),
    ("thematic report", "thematic_report", ""),
    ("thematic drill-down", "thematic_report", "root={org}"),
    ("thematic none", "thematic_report", "root={org}&show=none"),
]


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the list pages and reports for a user (read-only; prints SQL time and size)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest")
        parser.add_argument("--only", default="", help="only pages whose label contains this")
        parser.add_argument("--cold", action="store_true", help="clear the cache before each run")

    def handle(self, *args, username, runs, explain, only, cold=False, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        host = next((h for h in settings.ALLOWED_HOSTS if h not in ("*", "")), "localhost")
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        try:
            with override_settings(
                SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
                ALLOWED_HOSTS=[host, "testserver"],
            ):
                self._run(user, host, runs, explain, only, cold)
        finally:
            user_logged_in.connect(update_last_login, dispatch_uid="update_last_login")

    def _run(self, user, host, runs, explain, only, cold=False):
        client = Client(HTTP_HOST=host)
        client.force_login(user)
        org = self._first_child(user)
        self.stdout.write(f"{'page':<20} {'ms':>7} {'sql ms':>7} {'queries':>7} {'KB':>7}")
        for label, name, query in PAGES:
            if only and only not in label:
                continue
            try:
                url = reverse(name, kwargs={"pk": org.pk} if name == "quota_report_org" else {})
            except (NoReverseMatch, AttributeError):
                continue  # no such page in this version, or no organization below

            if "{org}" in query:
                if org is None:
                    continue
                query = query.format(org=org.pk)
            url += f"?{query}" if query else ""
            best = None
            for _ in range(runs):
                if cold:
                    cache.clear()
                result = self._measure(client, url)
                if best is None or result["ms"] < best["ms"]:
                    best = result
            status = "" if best["status"] == 200 else f"  HTTP {best['status']}"
            self.stdout.write(
                f"{label:<20} {best['ms']:>7.0f} {best['sql_ms']:>7.0f} {best['queries']:>7}"
                f" {best['kb']:>7.1f}{status}"
            )
            if explain and best["slowest"]:
                self._explain(best["slowest"])

    def _first_child(self, user):
        roots = access.visible(user, Organization).order_by("depth", "path")[:1]
        root = roots[0] if roots else None
        if root is None:
            return None
        return root.get_children().order_by("path").first() or root

    def _measure(self, client, url) -> dict:
        try:
            with transaction.atomic():
                self._read_only()
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url)
                    content = response.content
                    ms = (time.perf_counter() - start) * 1000
                raise _Rollback
        except _Rollback:
            pass
        timed = [(float(q["time"]) * 1000, q["sql"]) for q in queries.captured_queries]
        slowest = max(timed, default=(0, None))[1]
        return {
            "ms": ms,
            "sql_ms": sum(t for t, _ in timed),
            "queries": len(timed),
            "kb": len(content) / 1024,
            "status": response.status_code,
            "slowest": slowest,
        }

    def _read_only(self):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION READ ONLY")

    def _explain(self, sql: str):
        if connection.vendor != "postgresql" or sql.startswith(("SAVEPOINT", "SET", "RELEASE")):
            return
        try:
            with transaction.atomic():
                self._read_only()
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = [row[0] for row in cursor.fetchall()]
                raise _Rollback
        except _Rollback:
            pass
        self.stdout.write("    " + sql[:300])
        for line in plan:
            self.stdout.write("    | " + line)
