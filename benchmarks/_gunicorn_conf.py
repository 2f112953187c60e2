"""gunicorn settings of the benchmark: each worker imports the whole URLconf (views, API modules) before it
takes its first request, for every version measured (older versions import them on the first request, which
in a rush makes the first clients of each worker wait for Python's imports)."""


def post_worker_init(worker):
    from django.urls import get_resolver

    worker.log.debug("%d URL patterns imported", len(get_resolver().url_patterns))
