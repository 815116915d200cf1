"""Files built in the background for their owner, with progress.

An app registers a builder for each kind of file (`register`); a view either
answers small requests at once or calls `start()`, which records an
ExportFile and queues the one task (`chibo.build_export`). The task claims
the row, runs the builder with the owner's current grants and a `Progress`,
and stores the result in Django's default storage (MEDIA_ROOT). The beat
fails files whose worker died (`fail_stalled`) and deletes old ones
(`delete_expired`). The base imports no app: builders come from the apps'
AppConfig.ready().
"""

from .registry import Builder, Progress, builder, register
from .services import delete_expired, fail_stalled, find_running, run, start

__all__ = [
    "Builder",
    "Progress",
    "builder",
    "register",
    "start",
    "run",
    "find_running",
    "fail_stalled",
    "delete_expired",
]
