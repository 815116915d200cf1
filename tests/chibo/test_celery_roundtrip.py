"""Celery end to end: a real worker over Redis when REDIS_URL is set, inline otherwise."""

import contextlib
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from celery.result import EagerResult
from django.conf import settings

from chibo.tasks import ping

BASE_DIR = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@contextlib.contextmanager
def running_worker(log_path: Path):
    """A Celery worker subprocess on a queue of its own; yields the queue name.

    The own queue and node name keep it from taking anyone else's messages on a
    shared Redis. The ping task touches no database.
    """
    queue = f"chibo-test-{uuid.uuid4().hex[:12]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "chibo.settings"}
    command = [
        sys.executable, "-m", "celery", "-A", "chibo", "worker",
        "--pool", "solo", "--concurrency", "1", "--queues", queue,
        "--hostname", f"{queue}@%h", "--without-gossip", "--without-mingle",
        "--without-heartbeat", "--loglevel", "INFO",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        worker = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=log)
    try:
        yield queue
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)
        # Kombu leaves a queue's bindings in Redis after its consumer has gone.
        client = redis.Redis.from_url(REDIS_URL)
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        client.close()
        # The worker's own account of a failure (pytest shows captured output).
        print(log_path.read_text(errors="replace"))


@pytest.mark.redis
def test_ping_round_trip_through_configured_broker(tmp_path):
    value = uuid.uuid4().hex
    if not REDIS_URL:
        assert not IN_CI, "CI must set REDIS_URL so that a real worker is exercised"
        # No broker: the task runs inline, in this process.
        assert settings.CELERY_TASK_ALWAYS_EAGER is True
        assert settings.CELERY_BROKER_URL == "memory://"

        result = ping.delay(value=value)

        assert isinstance(result, EagerResult)
        assert result.get(timeout=1) == f"pong:{value}"
        return

    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    assert settings.CELERY_BROKER_URL == REDIS_URL
    with running_worker(tmp_path / "worker.log") as queue:
        result = ping.apply_async(kwargs={"value": value}, queue=queue)

        assert result.get(timeout=30) == f"pong:{value}"
        assert result.status == "SUCCESS"
        result.forget()


def test_ping_with_positional_argument_is_refused():
    with pytest.raises(TypeError):
        ping("x")
