"""Mail first: on the reliable Redis queue a job with a positive priority is taken before the ordinary ones.
Needs Redis (WILLKOMMEN_TEST_REDIS_URL, default redis://127.0.0.1:6379/7)."""

import os
import uuid

import pytest

from willkommen.core.scale.processes import redis_available

REDIS_URL = os.environ.get("WILLKOMMEN_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")

pytestmark = pytest.mark.skipif(not redis_available(REDIS_URL), reason=f"needs Redis at {REDIS_URL}")


def test_urgent_jobs_are_taken_first_and_nothing_is_lost():
    from willkommen.core.jobqueue import ReliableRedisStorage

    storage = ReliableRedisStorage(name=f"prio-{uuid.uuid4().hex[:8]}", url=REDIS_URL, blocking=False)
    try:
        storage.enqueue(b"nightly", priority=-50)
        storage.enqueue(b"pdf")
        storage.enqueue(b"mail-1", priority=50)
        storage.enqueue(b"mail-2", priority=50)
        assert storage.queue_size() == 4
        taken = []
        for _ in range(4):
            taken.append(storage.dequeue())
            storage.ack_current()
        assert taken == [b"mail-1", b"mail-2", b"nightly", b"pdf"]
        assert storage.dequeue() is None and storage.queue_size() == 0
    finally:
        storage.flush_queue()
        storage.conn.delete(storage.consumers_key, storage.alive_prefix + str(storage.consumer_id))


def test_a_consumer_that_died_after_losing_its_place_in_the_set_still_has_its_job_taken_over():
    """A consumer whose heartbeat lapsed once was dropped from the set; it died before it beat again."""
    from willkommen.core.jobqueue import ReliableRedisStorage

    name = f"orphan-{uuid.uuid4().hex[:8]}"
    dead = ReliableRedisStorage(name=name, url=REDIS_URL, blocking=False, heartbeat_seconds=1)
    alive = ReliableRedisStorage(name=name, url=REDIS_URL, blocking=False, heartbeat_seconds=30)
    try:
        dead.consumer_id = "dead-consumer"
        dead.enqueue(b"job")
        dead._pid = os.getpid()  # no heartbeat thread: this consumer beats once, by hand
        dead.beat()
        assert dead.dequeue() == b"job" and dead.held_count() == 1
        dead.conn.delete(dead.alive_prefix + "dead-consumer")  # the heartbeat lapsed ...
        dead.conn.srem(dead.consumers_key, "dead-consumer")  # ... another consumer dropped it; then it died
        alive.consumer_id, alive._pid = "alive-consumer", os.getpid()
        assert alive.beat() == 1  # the first beat looks at the held lists
        assert alive.held_count() == 0 and alive.dequeue() == b"job"
    finally:
        alive.flush_queue()
        keys = list(alive.conn.scan_iter(match=f"*{name}*"))
        if keys:
            alive.conn.delete(*keys)
