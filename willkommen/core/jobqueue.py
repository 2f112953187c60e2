"""Huey on Redis for many consumer processes: no job lost when a consumer dies, periodic jobs once.

Huey's own Redis storage pops a job off the list (``BRPOP``) before running it, so a consumer that is
killed mid-job (out of memory, a node lost, ``kill -9``) loses that job. Here a consumer takes a job
with ``BLMOVE`` into its own *processing list* (atomic: the job is always either queued or held by a
known consumer) and removes it from there only when the job has finished, failed for good or been
re-queued for a retry. Every consumer process keeps a heartbeat key with a short expiry; a consumer
that finds a heartbeat gone puts the dead consumer's jobs back at the head of the queue. Delivery is
therefore *at least once*: a job interrupted by a crash runs again, which is why every job of
Willkommen is idempotent (it checks what it already did before it acts).

Periodic jobs: every consumer runs Huey's scheduler (none is special, so any of them may die). Before a
scheduler enqueues a periodic job it claims the period (``SET key NX EX``, key = job name + period
number); only the scheduler that wins the claim enqueues it, so each period runs once across all
consumers, and if the winner dies mid-job the job is taken over as above.

Needs one Redis server (or a primary with Sentinel) – not Redis Cluster: the take-over script touches
the keys of several consumers.
"""

import logging
import os
import socket
import threading
import time
import uuid

from huey.api import Huey
from huey.consumer import Consumer, Scheduler
from huey.signals import SIGNAL_INTERRUPTED
from huey.storage import RedisExpireStorage

logger = logging.getLogger("willkommen.jobs")

# Puts the jobs of consumers whose heartbeat expired back at the head of the queue.
# KEYS[1] set of consumer ids, KEYS[2] queue; ARGV[1] heartbeat key prefix, ARGV[2] processing list prefix,
# ARGV[3..] more consumer ids to look at (those found by their held lists, see ``beat``).
TAKE_OVER_LUA = """
local moved = 0
local ids = redis.call('SMEMBERS', KEYS[1])
for i = 3, #ARGV do table.insert(ids, ARGV[i]) end
for _, id in ipairs(ids) do
  if redis.call('EXISTS', ARGV[1] .. id) == 0 then
    local held = ARGV[2] .. id
    while true do
      local item = redis.call('RPOP', held)
      if not item then break end
      redis.call('RPUSH', KEYS[2], item)
      moved = moved + 1
    end
    redis.call('SREM', KEYS[1], id)
  end
end
return moved
"""


class ReliableRedisStorage(RedisExpireStorage):
    """Redis storage whose consumers hold the job they run until it is done (see the module docstring).

    Task results expire after ``expire_time`` seconds (Huey's plain Redis storage keeps them forever).

    Two lanes: a job with a positive priority (mail, see ``willkommen/core/jobs.py``) goes to the urgent list
    and is taken before any job of the ordinary queue, so on a release day the confirmation mails leave
    before documents and nightly work. A job taken over from a dead consumer goes back to the ordinary queue."""

    priority = True
    URGENT_POLL_SECONDS = 0.2  # an idle consumer looks at the urgent list this often

    def __init__(self, name="huey", heartbeat_seconds=30, expire_time=7 * 86400, **kwargs):
        super().__init__(name, expire_time=expire_time, **kwargs)
        self.heartbeat_seconds = max(1.0, float(heartbeat_seconds))
        self.consumers_key = f"huey.consumers.{self.name}"
        self.alive_prefix = f"huey.alive.{self.name}."
        self.held_prefix = f"huey.held.{self.name}."
        self.periodic_prefix = f"huey.periodic.{self.name}."
        self._take_over = self.conn.register_script(TAKE_OVER_LUA)
        self._local = threading.local()
        self._pid = None
        self._start_lock = threading.Lock()
        self.consumer_id = None
        self._beats = 0

    # -- consumer identity and heartbeat (one per process: worker processes are forks) --

    def _ensure_heartbeat(self):
        if self._pid == os.getpid():
            return
        with self._start_lock:
            if self._pid == os.getpid():
                return
            self.consumer_id = f"{socket.gethostname()}.{os.getpid()}.{uuid.uuid4().hex[:8]}"
            self.beat()
            self._pid = os.getpid()
            thread = threading.Thread(target=self._heartbeat_loop, name="huey-heartbeat", daemon=True)
            thread.start()

    def beat(self):
        """Renew this consumer's heartbeat and take over the jobs of consumers whose heartbeat expired."""
        pipe = self.conn.pipeline()
        pipe.set(self.alive_prefix + self.consumer_id, b"1", ex=max(1, round(self.heartbeat_seconds)))
        pipe.sadd(self.consumers_key, self.consumer_id)
        pipe.execute()
        self._beats += 1
        # A consumer whose heartbeat lapsed once (a busy machine) is dropped from the set and re-adds itself at
        # its next beat; one that dies in between is in no set. Now and then look at the held lists themselves,
        # so its jobs are taken over too.
        orphans = self._held_ids() if self._beats % self.ORPHAN_SCAN_EVERY == 1 else []
        moved = self._take_over(
            keys=[self.consumers_key, self.queue_key], args=[self.alive_prefix, self.held_prefix, *orphans]
        )
        if moved:
            logger.warning("took over %s job(s) of a consumer that stopped answering", moved)
        return moved

    ORPHAN_SCAN_EVERY = 10  # beats

    def _held_ids(self):
        prefix = self.held_prefix.encode()
        return [key[len(prefix) :].decode() for key in self.conn.scan_iter(match=self.held_prefix + "*", count=500)]

    def _heartbeat_loop(self):
        pid = os.getpid()
        while self._pid == pid:
            time.sleep(self.heartbeat_seconds / 3)
            try:
                self.beat()
            except Exception:  # noqa: BLE001 (Redis away for a moment: try again at the next beat)
                logger.exception("heartbeat failed")

    @property
    def held_key(self):
        return self.held_prefix + self.consumer_id

    # -- queue --

    @property
    def urgent_key(self):
        return self.queue_key + ".urgent"

    def enqueue(self, data, priority=None):
        self.conn.lpush(self.urgent_key if priority and priority > 0 else self.queue_key, data)

    def dequeue(self):
        self._ensure_heartbeat()
        try:
            data = self.conn.lmove(self.urgent_key, self.held_key, "RIGHT", "LEFT")
            if data is None and self.blocking:
                wait = min(self.read_timeout, self.URGENT_POLL_SECONDS)
                data = self.conn.blmove(self.queue_key, self.held_key, wait, "RIGHT", "LEFT")
            elif data is None:
                data = self.conn.lmove(self.queue_key, self.held_key, "RIGHT", "LEFT")
        except TimeoutError:
            return None
        self._local.current = data
        self._local.keep = False
        return data

    def queue_size(self):
        return self.conn.llen(self.urgent_key) + self.conn.llen(self.queue_key)

    def enqueued_items(self, limit=None):
        urgent = self.conn.lrange(self.urgent_key, 0, -1)[::-1]
        ordinary = self.conn.lrange(self.queue_key, 0, -1)[::-1]
        items = urgent + ordinary
        return items[:limit] if limit else items

    def flush_queue(self):
        self.conn.delete(self.urgent_key, self.queue_key)

    def keep_current(self):
        """The running job was interrupted (shutdown): leave it held, so it is taken over after this consumer."""
        self._local.keep = True

    def ack_current(self):
        data = getattr(self._local, "current", None)
        self._local.current = None
        if data is not None and not getattr(self._local, "keep", False):
            self.conn.lrem(self.held_key, 1, data)

    def held_count(self):
        """Jobs held (running) by all consumers."""
        total = 0
        for key in self.conn.scan_iter(match=self.held_prefix + "*"):
            total += self.conn.llen(key)
        return total

    # -- periodic jobs --

    def claim_period(self, task_name, period, ttl):
        """True for exactly one caller per task name and period number."""
        return bool(self.conn.set(f"{self.periodic_prefix}{task_name}.{period}", b"1", nx=True, ex=int(ttl)))


class ReliableScheduler(Scheduler):
    periodic_task_seconds = 60


class ReliableConsumer(Consumer):
    scheduler_class = ReliableScheduler


class ReliableRedisHuey(Huey):
    """Huey with :class:`ReliableRedisStorage`. ``periodic_seconds`` is the scheduler's period for periodic
    jobs (60: Huey's crontab works in minutes; tests use a few seconds)."""

    storage_class = ReliableRedisStorage

    def __init__(self, name="huey", periodic_seconds=60, **kwargs):
        self.periodic_seconds = max(1, int(periodic_seconds))
        super().__init__(name, **kwargs)

    def create_consumer(self, **options):
        scheduler = type("Scheduler", (ReliableScheduler,), {"periodic_task_seconds": self.periodic_seconds})
        consumer = type("Consumer", (ReliableConsumer,), {"scheduler_class": scheduler})
        return consumer(self, **options)

    def dequeue(self):
        data = self.storage.dequeue()
        if data is None:
            return None
        try:
            return self.deserialize_task(data)
        except Exception:
            logger.exception("dropped a job that cannot be read")
            self.storage.ack_current()
            return None

    def execute(self, task, timestamp=None):
        try:
            return super().execute(task, timestamp)
        finally:
            self.storage.ack_current()

    def _emit(self, signal, task, *args, **kwargs):
        if signal == SIGNAL_INTERRUPTED:
            self.storage.keep_current()
        return super()._emit(signal, task, *args, **kwargs)

    def read_periodic(self, timestamp):
        due = super().read_periodic(timestamp)
        if not due:
            return due
        period = int(time.time() // self.periodic_seconds)
        ttl = 3 * self.periodic_seconds + 60
        claimed = []
        for task in due:
            if self.storage.claim_period(task.name, period, ttl):
                task.id = f"{task.name}:{period}"  # one id per period: easy to trace, never two in the queue
                claimed.append(task)
        return claimed
