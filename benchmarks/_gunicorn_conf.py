"""gunicorn settings of the benchmarks: each worker imports the whole URLconf (views, API modules) before it
takes its first request, for every version measured (older versions import them on the first request, which
in a rush makes the first clients of each worker wait for Python's imports).

Workers are recycled as in production (deploy/systemd/willkommen-web@.service): after ``GUNICORN_MAX_REQUESTS``
requests (default 5000) plus up to ``GUNICORN_MAX_REQUESTS_JITTER`` (default 500, so the workers do not all
restart at once); 0 switches it off (the soak benchmark does, to measure the code's own memory slope)."""

import os

max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "500")) if max_requests else 0


def post_worker_init(worker):
    from django.urls import get_resolver

    worker.log.debug("%d URL patterns imported", len(get_resolver().url_patterns))
