"""Many job consumers on Redis: three consumer processes share one queue; a periodic job runs once per
period across all of them (claimed with a lock, every consumer runs the scheduler); a consumer killed
mid-job loses no job and doubles none (its job is taken over and run again, idempotently).

Needs Redis (WILLKOMMEN_TEST_REDIS_URL, default redis://127.0.0.1:6379/7)."""

import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from willkommen.core.scale.processes import django_env, python, redis_available, stop

REDIS_URL = os.environ.get("WILLKOMMEN_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
PERIOD = 2
HEARTBEAT = 2
JOBS = 30

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not redis_available(REDIS_URL), reason=f"needs Redis at {REDIS_URL}"),
]

CONSUMER = (
    "import django; django.setup();"
    "import willkommen.core.tests.consumer_jobs;"
    "from django.core.management import call_command;"
    "call_command('run_huey', '--workers', '2', '--quiet', '--disable-autoload')"
)


def start_consumer(env):
    # stderr to a file, never to a pipe nobody reads: a consumer that logs a lot would block on a full pipe.
    log = open(Path(env["VAR_DIR"]) / f"consumer-{uuid.uuid4().hex[:6]}.log", "wb")  # noqa: SIM115
    process = subprocess.Popen([python(), "-c", CONSUMER], env=env, stdout=subprocess.DEVNULL, stderr=log)
    process.log_path = log.name
    log.close()
    return process


def wait_until(condition, timeout, what, explain=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what} after {timeout} s" + (f"\n{explain()}" if explain else ""))


def state(queue):
    """What the queue looks like: for a failure message."""
    r, name, storage = queue["redis"], queue["name"], queue["producer"].storage
    effects = sorted(int(x) for x in r.lrange(f"{name}:effects", 0, -1))
    lines = [
        f"missing effects: {sorted(set(range(JOBS)) - set(effects))}",
        f"attempts: {[(n, r.get(f'{name}:attempts:{n}')) for n in range(JOBS)]}",
        f"queue: {r.llen(storage.queue_key)}, urgent: {r.llen(storage.urgent_key)}",
        f"consumers: {r.smembers(storage.consumers_key)}",
        f"alive: {list(r.scan_iter(match=storage.alive_prefix + '*'))}",
        f"held: {[(k, r.llen(k)) for k in r.scan_iter(match=storage.held_prefix + '*')]}",
        f"schedule: {r.zcard(storage.schedule_key)}",
        f"processes: {[(p.pid, p.poll()) for p in queue['consumers']]}",
    ]
    for process in queue["consumers"]:
        lines.append(f"log of {process.pid}: {Path(process.log_path).read_text(errors='replace')[-3000:]}")
    return "\n".join(lines)


@pytest.fixture
def queue(tmp_path):
    import redis

    from willkommen.core.jobqueue import ReliableRedisHuey

    name = f"wk-test-{uuid.uuid4().hex[:8]}"
    env = django_env(
        HUEY_STORAGE="redis",
        HUEY_REDIS_URL=REDIS_URL,
        HUEY_NAME=name,
        HUEY_PERIODIC_SECONDS=PERIOD,
        HUEY_HEARTBEAT_SECONDS=HEARTBEAT,
        VAR_DIR=tmp_path,
        WK_JOBS_REDIS=REDIS_URL,
        WK_JOBS_PREFIX=name,
        LOG_LEVEL="WARNING",
    )
    producer = ReliableRedisHuey(name, url=REDIS_URL, heartbeat_seconds=HEARTBEAT, periodic_seconds=PERIOD)

    # The web side only enqueues: the same task name as the consumers' Django-tasks shim.
    def run(*args, **kwargs):
        return None

    run.__module__ = "huey.contrib.djhuey.tasks_backend"
    shim = producer.task(name="djtasks.run", context=True)(run)
    r = redis.Redis.from_url(REDIS_URL)
    consumers = []
    try:
        yield {"env": env, "name": name, "redis": r, "producer": producer, "shim": shim, "consumers": consumers}
    finally:
        for process in consumers:
            stop(process, timeout=15)
        for key in r.scan_iter(match=f"*{name}*"):
            r.delete(key)


def test_three_consumers_periodic_once_and_no_job_lost_or_doubled_when_one_is_killed(queue):
    r, name, env = queue["redis"], queue["name"], queue["env"]
    consumers = queue["consumers"]
    consumers.extend(start_consumer(env) for _ in range(3))
    storage = queue["producer"].storage
    wait_until(lambda: r.scard(storage.consumers_key) >= 3, 180, "three consumers to start")

    for number in range(JOBS):
        message = queue["shim"].s("willkommen.core.tests.consumer_jobs.work", [number], {"hold": number == 7})
        queue["producer"].enqueue(message)

    holder_pid = int(wait_until(lambda: r.lindex(f"{name}:holding", 0), 120, "the held job to start"))
    holder = next(p for p in consumers if p.pid == holder_pid)
    holder.send_signal(signal.SIGKILL)  # mid-job: the job has started and will never finish there
    holder.wait(timeout=10)

    wait_until(lambda: r.llen(f"{name}:effects") >= JOBS, 180, "all jobs to be done", lambda: state(queue))
    # Let the remaining two consumers run a few more periods after the kill.
    time.sleep(3 * PERIOD)
    for process in consumers:
        stop(process, timeout=15)

    effects = [int(x) for x in r.lrange(f"{name}:effects", 0, -1)]
    assert sorted(effects) == list(range(JOBS)), "a job was lost or its effect doubled"
    assert int(r.get(f"{name}:attempts:7")) == 2, "the killed consumer's job ran again elsewhere"
    assert int(r.get(f"{name}:done:7")) != holder_pid
    assert r.llen(storage.queue_key) == 0
    assert storage.held_count() == 0, "a job is still held by a consumer"

    ticks = [t.decode().split("|") for t in r.lrange(f"{name}:ticks", 0, -1)]
    periods = [task_id for task_id, _pid in ticks]
    assert len(periods) == len(set(periods)), f"a period ran twice: {sorted(periods)}"
    assert len(periods) >= 3
