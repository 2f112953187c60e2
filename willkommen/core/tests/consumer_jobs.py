"""Jobs for the many-consumer test (test_scale_consumers.py), loaded by the consumers it starts.

The effects are recorded in the test's Redis database (``WK_JOBS_REDIS``), idempotently as every job of
Willkommen must be: a job first checks whether its effect exists, so a job run again after its consumer
died does not act twice. Attempts are counted separately, to show that it did run again.

The check and the effect are one atomic step (a Lua script): as two commands, a consumer killed between them
would leave the job marked done without its effect, and the job run again elsewhere would then skip it.
"""

import os
import time
import uuid

import redis
from django_tasks import task
from huey.contrib.djhuey import HUEY

_redis = None

# KEYS[1] the job's done marker, KEYS[2] the effects list; ARGV[1] this process, ARGV[2] the job's number.
EFFECT_ONCE = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX') then
  redis.call('RPUSH', KEYS[2], ARGV[2])
  return 1
end
return 0
"""


def store():
    global _redis
    if _redis is None:
        _redis = redis.Redis.from_url(os.environ["WK_JOBS_REDIS"])
    return _redis


def prefix():
    return os.environ["WK_JOBS_PREFIX"]


@task()
def work(number, hold=False):
    """One unit of work. With ``hold`` the first attempt announces itself and waits (to be killed)."""
    r, p = store(), prefix()
    attempt = r.incr(f"{p}:attempts:{number}")
    if hold and attempt == 1:
        r.rpush(f"{p}:holding", os.getpid())
        while True:
            time.sleep(0.1)
    r.eval(EFFECT_ONCE, 2, f"{p}:done:{number}", f"{p}:effects", os.getpid(), number)


@HUEY.periodic_task(lambda timestamp: True, name="scale_test_tick", context=True)
def tick(task=None):
    """Runs every period (HUEY_PERIODIC_SECONDS); records the period it was claimed for."""
    store().rpush(f"{prefix()}:ticks", f"{task.id}|{os.getpid()}")


INTERPRETER = uuid.uuid4().hex[:8]  # one per interpreter: a consumer that re-executes itself gets a new one


@task()
def counted(number, pause=0.0):
    """Records which interpreter ran it (the recycling test), once per job number."""
    time.sleep(pause)
    r, p = store(), prefix()
    r.incr(f"{p}:attempts:{number}")
    r.rpush(f"{p}:ran", f"{number}|{INTERPRETER}|{os.getpid()}")
