"""A hello-world Django project in one file: the yardstick of `make bench-load`.

scripts/bench_load.py serves it with gunicorn, with the same options as chibo,
and divides each chibo page's req/s by this one's: what is left is chibo's own
cost, whatever the machine. No middleware, no database, no templates.

    gunicorn --chdir scripts/bench hello:application
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ.get("SECRET_KEY", "only-for-the-hello-world-benchmark"),
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
)


def hello(request):
    return HttpResponse("Hello, world!\n", content_type="text/plain")


urlpatterns = [path("", hello)]

application = get_wsgi_application()
