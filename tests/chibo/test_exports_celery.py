"""The background-file tasks through a real worker over Redis (REDIS_URL), as
test_celery_roundtrip.py does for ping; inline when there is no broker."""

import os

import pytest
from celery.result import EagerResult
from django.db import connection

from chibo.tasks import build_export_task, fail_stalled_exports_task
from tests.chibo.test_celery_roundtrip import REDIS_URL, running_worker

pytestmark = pytest.mark.django_db


def _database_url() -> str:
    """The test database, for the worker: it must read the same tables."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.redis
def test_export_tasks_round_trip_through_configured_broker(tmp_path, monkeypatch):
    if not REDIS_URL:
        result = build_export_task.delay(export_id=0)
        assert isinstance(result, EagerResult)
        assert result.get(timeout=1) is False
        return
    if connection.vendor != "postgresql":
        pytest.skip("the worker cannot open the tests' in-memory SQLite database")
    monkeypatch.setitem(os.environ, "DATABASE_URL", _database_url())
    with running_worker(tmp_path / "worker.log") as queue:
        # The test's rows are not committed, so the worker sees no file to build
        # or to fail: what travels is the task by its name, to the database.
        built = build_export_task.apply_async(kwargs={"export_id": 0}, queue=queue)
        swept = fail_stalled_exports_task.apply_async(queue=queue)

        assert built.get(timeout=30) is False
        assert swept.get(timeout=30) == 0
        built.forget()
        swept.forget()
