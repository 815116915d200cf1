"""Project-wide Celery tasks."""

from celery import shared_task


@shared_task(name="chibo.ping")
def ping(*, value: str) -> str:
    """Answers with its argument: proves a worker and the result backend work."""
    return f"pong:{value}"
