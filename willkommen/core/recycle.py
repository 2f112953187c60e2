"""Memory of job consumers: cyclic garbage collected after every job, and recycling as the second line.

**After every job** the consumer runs the cycle collector. A rendered PDF leaves WeasyPrint's whole document
(boxes, computed styles, layout) as one large web of reference cycles; it lives through the render, so
Python moves it to the oldest generation, which is collected only when that generation has grown by a
quarter – in a process of some 180,000 long-lived objects that is rarely, and meanwhile the freed pages are
fragmented and the resident size only climbs (the leak of issue 23: traced memory stays flat after a
collection, RSS does not without one). So the startup objects (Django, the URLconf, WeasyPrint's fonts) are
frozen once (``gc.freeze``: never scanned again) and each job's garbage is collected when the job ends,
which then costs well under a millisecond instead of half a second.

A consumer (``manage.py run_huey``) counts the jobs it has run and looks at its resident memory after
each one. When it has run ``HUEY_RECYCLE_JOBS`` jobs, or its RSS is above ``HUEY_RECYCLE_MB`` megabytes, it
sends itself ``SIGHUP``: Huey's consumer then stops taking jobs, lets the running ones finish (a graceful
stop) and re-executes itself in place (same process id, a fresh interpreter). Jobs still queued stay in the
queue (Redis or SQLite) and are taken by the new interpreter or by any other consumer; nothing is lost
(and with the reliable Redis queue, ``core/jobqueue.py``, even a job interrupted by a crash runs again).
Either limit is switched off with 0.

Only consumers count: the hooks are armed by Huey's startup hook, which runs in a consumer's worker threads
and nowhere else (web processes and the tests' immediate mode run jobs without it).
"""

import gc
import logging
import os
import signal
import threading

from django.conf import settings

logger = logging.getLogger("willkommen.jobs")

_lock = threading.Lock()
_state = {"armed": False, "jobs": 0, "asked": False, "frozen": False}


def rss_mb(pid="self"):
    """Resident memory of a process in MB (Linux ``/proc``; 0 where there is none)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def limits():
    return int(getattr(settings, "HUEY_RECYCLE_JOBS", 0) or 0), int(getattr(settings, "HUEY_RECYCLE_MB", 0) or 0)


def arm():
    """A consumer's worker thread started: from now on jobs count, and the objects of the startup are frozen."""
    with _lock:
        if not _state["frozen"]:
            gc.collect()
            gc.freeze()
            _state["frozen"] = True
        _state["armed"] = True


def reason_to_recycle(jobs, rss, max_jobs, max_mb):
    """Why a consumer that has run ``jobs`` jobs and holds ``rss`` MB should restart, or ``""``."""
    if max_jobs and jobs >= max_jobs:
        return f"{jobs} jobs run (HUEY_RECYCLE_JOBS={max_jobs})"
    if max_mb and rss >= max_mb:
        return f"{rss:.0f} MB resident (HUEY_RECYCLE_MB={max_mb})"
    return ""


def after_job(*_args, send=os.kill):
    """Huey's post-execute hook: collect the job's cyclic garbage, count the job, and ask for a graceful restart
    once a limit is reached."""
    if not _state["armed"]:
        return ""
    gc.collect()
    max_jobs, max_mb = limits()
    with _lock:
        _state["jobs"] += 1
        if _state["asked"]:
            return ""
        why = reason_to_recycle(_state["jobs"], rss_mb() if max_mb else 0.0, max_jobs, max_mb)
        if not why:
            return ""
        _state["asked"] = True
    logger.warning("consumer restarts gracefully: %s", why)
    send(os.getpid(), signal.SIGHUP)  # Huey: stop taking jobs, finish the running ones, exec anew
    return why


def install(huey):
    """Register the hooks on ``huey`` (called once from the core app's ``ready``)."""
    huey.on_startup("willkommen_recycle_arm")(arm)
    huey.post_execute("willkommen_recycle_count")(after_job)
