"""chibo/settings.py as production starts it: each case in a fresh interpreter."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
# Everything settings.py reads; the tests choose these, not the calling shell.
SETTINGS_VARIABLES = re.findall(
    r'env(?:\.\w+|_bool)\(\s*"([A-Z0-9_]+)"', (BASE_DIR / "chibo" / "settings.py").read_text()
)
SHOW_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; print(s.DEBUG, "
    "s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL, s.CACHES['default']['BACKEND'])"
)


def run(args: list[str], **variables: str) -> subprocess.CompletedProcess:
    """Runs python with `args` under chibo.settings and exactly `variables` set."""
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE would fail check --deploy.
    dropped = {*SETTINGS_VARIABLES, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(DJANGO_SETTINGS_MODULE="chibo.settings", **variables)
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )


def production_env() -> dict[str, str]:
    """The block docs/deployment.md gives as the production environment."""
    text = (BASE_DIR / "docs" / "deployment.md").read_text()
    block = re.search(r"<!-- production-env[^>]*-->\s*```sh\n(.*?)```", text, re.DOTALL)
    assert block, "docs/deployment.md lost its production-env block"
    pairs = dict(line.split("=", 1) for line in block.group(1).splitlines() if "=" in line)
    pairs["SECRET_KEY"] = secrets.token_urlsafe(50)  # the docs show a placeholder
    return pairs


def test_settings_debug_off_without_secret_key_refuses_to_start():
    result = run(["-c", "import django; django.setup()"], DEBUG="0")

    assert result.returncode == 1
    assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG=0." in result.stderr


def test_settings_debug_off_with_empty_secret_key_refuses_to_start():
    result = run(["-c", "import django; django.setup()"], DEBUG="false", SECRET_KEY="")

    assert result.returncode == 1
    assert "SECRET_KEY must be set when DEBUG=0." in result.stderr


@pytest.mark.parametrize("word", ["maybe", "on", "2"])
def test_settings_debug_with_unknown_boolean_is_refused(word):
    result = run(["-c", "import django; django.setup()"], DEBUG=word, SECRET_KEY="x" * 50)

    assert result.returncode == 1
    assert f"DEBUG must be one of 1, true, yes, 0, false, no, not {word!r}" in result.stderr


@pytest.mark.parametrize(("word", "shown"), [("No", "False"), ("TRUE", "True")])
def test_settings_debug_boolean_words_ignore_case(word, shown):
    result = run(["-c", SHOW_SETTINGS], DEBUG=word, SECRET_KEY=secrets.token_urlsafe(50))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == shown


def test_settings_production_env_passes_check_deploy():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_settings_production_env_with_short_hsts_is_flagged_by_check_deploy():
    env = {**production_env(), "SECURE_HSTS_SECONDS": "0"}

    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)

    assert result.returncode == 1
    assert "security.W004" in result.stderr


def test_settings_without_redis_url_run_tasks_inline():
    result = run(["-c", SHOW_SETTINGS])

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True", "True", "memory://", "django.core.cache.backends.locmem.LocMemCache"
    ]  # fmt: skip


def test_settings_with_redis_url_send_tasks_to_the_broker():
    result = run(["-c", SHOW_SETTINGS], REDIS_URL="redis://127.0.0.1:6379/9")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True", "False", "redis://127.0.0.1:6379/9", "django.core.cache.backends.redis.RedisCache"
    ]  # fmt: skip


def test_env_example_lists_every_variable_settings_reads():
    text = (BASE_DIR / ".env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", text, re.MULTILINE))

    assert set(SETTINGS_VARIABLES) - listed == set()
    assert "SECRET_KEY" in SETTINGS_VARIABLES  # the pattern still finds the reads
