"""The address a request came from, for the sign-in throttle (django-axes).

Behind a reverse proxy every request reaches gunicorn from the proxy's own
address, so throttling by REMOTE_ADDR lets five wrong passwords from anyone
lock the real user out. Each trusted proxy appends the address it received
the request from to X-Forwarded-For; what a client sends there itself comes
before those, so only the entries the trusted proxies wrote are believed:
with TRUSTED_PROXY_COUNT = n, the n-th address from the right. Without a
trusted proxy (the default) the header is ignored, so it cannot be spoofed.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [address for address in forwarded if address]
    if len(forwarded) < count:
        # The request did not pass through every trusted proxy.
        return remote
    address = forwarded[-count]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return remote
