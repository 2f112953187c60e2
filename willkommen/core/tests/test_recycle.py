"""Consumer recycling (core/recycle.py): after HUEY_RECYCLE_JOBS jobs or above HUEY_RECYCLE_MB the consumer
restarts itself gracefully, and no job is lost or run twice on the way.

The process test needs Redis (WILLKOMMEN_TEST_REDIS_URL, default redis://127.0.0.1:6379/7)."""

import signal
import subprocess
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from willkommen.core import recycle
from willkommen.core.scale.processes import python, redis_available, stop
from willkommen.core.tests.test_scale_consumers import REDIS_URL, queue, wait_until  # noqa: F401 (fixture)


def test_reason_to_recycle_names_the_limit_reached():
    assert recycle.reason_to_recycle(9, 100.0, 10, 500) == ""
    assert "HUEY_RECYCLE_JOBS=10" in recycle.reason_to_recycle(10, 100.0, 10, 500)
    assert "HUEY_RECYCLE_MB=500" in recycle.reason_to_recycle(3, 512.0, 10, 500)
    assert recycle.reason_to_recycle(10**6, 10.0**6, 0, 0) == ""  # 0 switches a limit off


def test_only_an_armed_consumer_counts_and_asks_once(monkeypatch, settings):
    settings.HUEY_RECYCLE_JOBS, settings.HUEY_RECYCLE_MB = 3, 0
    monkeypatch.setattr(recycle, "_state", {"armed": False, "jobs": 0, "asked": False, "frozen": True})
    sent = []

    def send(pid, sig):
        sent.append(sig)

    for _ in range(5):
        recycle.after_job(send=send)
    assert sent == []  # a web process or the tests' immediate mode: never
    recycle.arm()
    answers = [recycle.after_job(send=send) for _ in range(5)]
    assert answers[:2] == ["", ""] and "3 jobs" in answers[2] and answers[3:] == ["", ""]
    assert sent == [signal.SIGHUP]


def test_the_hooks_are_registered_on_the_project_queue():
    from huey.contrib.djhuey import HUEY

    assert HUEY._startup["willkommen_recycle_arm"] is recycle.arm
    assert HUEY._post_execute["willkommen_recycle_count"] is recycle.after_job
    assert settings.HUEY_RECYCLE_JOBS > 0 and settings.HUEY_RECYCLE_MB > 0  # on by default


RUNNER = """import django
django.setup()
import willkommen.core.tests.consumer_jobs
from django.core.management import call_command
call_command("run_huey", "--workers", "2", "--quiet", "--disable-autoload", "--no-periodic")
"""

RECYCLE_JOBS = 5
JOBS = 30


@pytest.mark.slow
@pytest.mark.skipif(not redis_available(REDIS_URL), reason=f"needs Redis at {REDIS_URL}")
def test_a_consumer_restarts_after_its_jobs_and_loses_none(queue, tmp_path):  # noqa: F811 (the fixture)
    r, name = queue["redis"], queue["name"]
    runner = tmp_path / "consumer.py"  # a script, so that the re-executed interpreter runs it again
    runner.write_text(RUNNER)
    env = {**queue["env"], "HUEY_RECYCLE_JOBS": str(RECYCLE_JOBS), "HUEY_RECYCLE_MB": "0"}
    env["PYTHONPATH"] = str(Path(settings.BASE_DIR))
    log = tmp_path / f"consumer-{uuid.uuid4().hex[:6]}.log"
    with open(log, "wb") as err:
        process = subprocess.Popen([python(), str(runner)], env=env, stdout=subprocess.DEVNULL, stderr=err)
    queue["consumers"].append(process)
    for number in range(JOBS):
        queue["producer"].enqueue(
            queue["shim"].s("willkommen.core.tests.consumer_jobs.counted", [number], {"pause": 0.05})
        )

    def explain():
        return f"ran: {r.lrange(f'{name}:ran', 0, -1)}\nlog: {log.read_text(errors='replace')[-3000:]}"

    wait_until(lambda: r.llen(f"{name}:ran") >= JOBS, 240, "every job to run", explain)
    ran = [entry.decode().split("|") for entry in r.lrange(f"{name}:ran", 0, -1)]
    assert sorted(int(number) for number, _i, _p in ran) == list(range(JOBS)), explain()  # none lost, none twice
    assert {pid for _n, _i, pid in ran} == {str(process.pid)}  # restarted in place: the same process
    interpreters = {}
    for _number, interpreter, _pid in ran:
        interpreters[interpreter] = interpreters.get(interpreter, 0) + 1
    # restarted at least once: the limit is reached after RECYCLE_JOBS jobs; until the consumer's main loop
    # has seen the signal (a tenth of a second) its threads may take a few more, so the count is not exact
    assert len(interpreters) >= 2, explain()
    assert process.poll() is None
    assert "consumer restarts gracefully" in log.read_text(errors="replace")
    stop(process, sig=signal.SIGINT, timeout=30)


def test_an_armed_consumer_collects_the_cyclic_garbage_of_each_job(monkeypatch, settings):
    import gc
    import weakref

    settings.HUEY_RECYCLE_JOBS, settings.HUEY_RECYCLE_MB = 0, 0
    monkeypatch.setattr(recycle, "_state", {"armed": True, "jobs": 0, "asked": False, "frozen": True})

    class Box:  # a rendered document: objects that point at each other
        pass

    gc.disable()  # no automatic collection in between: only the hook may free it
    try:
        box = Box()
        box.parent = box
        ref = weakref.ref(box)
        del box
        assert ref() is not None
        recycle.after_job()
        assert ref() is None
    finally:
        gc.enable()
