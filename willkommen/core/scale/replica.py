"""A streaming PostgreSQL replica of the local server, made for tests and benchmarks.

``pg_basebackup -R`` copies the primary into a temporary data directory and writes the standby settings;
a second server started on another port then follows the primary by streaming replication (hot standby:
it answers reads). The primary needs to accept replication connections from 127.0.0.1: when its
``pg_hba.conf`` has no such line and this process may write that file (root, as on the development
machines and CI), :func:`allow_replication` appends one line and reloads – an additive change, nothing
else of the primary's configuration is touched. Otherwise :class:`Unavailable` says why.
"""

import glob
import os
import shutil
import subprocess
import tempfile
import time

import psycopg

HBA_LINE = "host replication all 127.0.0.1/32 trust  # added by Willkommen's replica tests (docs/deployment.md)"


class Unavailable(Exception):
    """The machine cannot run a replica; the message says why."""


def _as_postgres(command):
    """Commands that touch a data directory run as the ``postgres`` user when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def bin_dir(major):
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/{major}/bin")) or sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    for candidate in reversed(candidates):
        if os.path.exists(os.path.join(candidate, "pg_basebackup")):
            return candidate
    if shutil.which("pg_basebackup") and shutil.which("pg_ctl"):
        return os.path.dirname(shutil.which("pg_ctl"))
    raise Unavailable("no PostgreSQL server binaries (pg_basebackup, pg_ctl) under /usr/lib/postgresql/*/bin")


def replication_allowed(params):
    with psycopg.connect(**params, autocommit=True) as conn:
        rules = conn.execute(
            "SELECT database, address, auth_method FROM pg_hba_file_rules WHERE type IN ('host', 'hostnossl') "
            "AND error IS NULL"
        ).fetchall()
    return any("replication" in (db or []) and address in ("127.0.0.1", None, "all") for db, address, _m in rules)


def allow_replication(params):
    """Append one ``host replication`` line for 127.0.0.1 to the primary's pg_hba.conf and reload it."""
    with psycopg.connect(**params, autocommit=True) as conn:
        hba_file = conn.execute("SHOW hba_file").fetchone()[0]
        if not os.access(hba_file, os.W_OK):
            raise Unavailable(
                f"PostgreSQL at {params['host']}:{params['port']} refuses replication connections and its "
                f"{hba_file} is not writable here; add the line '{HBA_LINE.split('  #')[0]}' and reload"
            )
        with open(hba_file, "a") as handle:
            handle.write(f"\n{HBA_LINE}\n")
        conn.execute("SELECT pg_reload_conf()")
    time.sleep(0.5)


def primary_params(url_or_settings):
    if isinstance(url_or_settings, dict):
        s = url_or_settings
        return {
            "host": s.get("HOST") or "127.0.0.1",
            "port": int(s.get("PORT") or 5432),
            "user": s.get("USER") or "postgres",
            "password": s.get("PASSWORD") or None,
            "dbname": "postgres",
        }
    import dj_database_url

    return primary_params(dj_database_url.parse(url_or_settings))


class ReplicaCluster:
    """A hot standby of the primary at ``params`` on ``port`` (127.0.0.1), in a temporary directory."""

    def __init__(self, params, port):
        self.params = {k: v for k, v in params.items() if v is not None}
        self.port = port
        self.data_dir = None
        self.bin = None

    # -- life cycle --

    def start(self, timeout=120):
        settings = self._primary_settings()
        if settings["wal_level"] not in ("replica", "logical"):
            raise Unavailable(f"the primary's wal_level is {settings['wal_level']!r}; a replica needs 'replica'")
        self.bin = bin_dir(int(settings["server_version_num"]) // 10000)
        if not replication_allowed(self.params):
            allow_replication(self.params)
        self.data_dir = tempfile.mkdtemp(prefix="wk-replica-")
        if os.geteuid() == 0:
            shutil.chown(self.data_dir, "postgres", "postgres")
        os.chmod(self.data_dir, 0o700)
        self._base_backup(timeout)
        self._write_config(settings)
        self._start_server(timeout)
        self.wait_until_streaming(timeout=60)
        return self

    def _primary_settings(self):
        """The primary's settings a replica must match (or at least equal), and its version and wal_level."""
        with psycopg.connect(**self.params, autocommit=True) as conn:
            return dict(
                conn.execute(
                    "SELECT name, setting FROM pg_settings WHERE name IN ('server_version_num', 'max_connections', "
                    "'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', "
                    "'max_locks_per_transaction', 'wal_level')"
                ).fetchall()
            )

    def _base_backup(self, timeout):
        """Copy the primary into the data directory (pg_basebackup, with the standby configuration)."""
        env = {**os.environ, "PGPASSWORD": self.params.get("password", "")}
        backup = subprocess.run(
            _as_postgres(
                [
                    f"{self.bin}/pg_basebackup",
                    "-h",
                    self.params["host"],
                    "-p",
                    str(self.params["port"]),
                    "-U",
                    self.params["user"],
                    "-D",
                    self.data_dir,
                    "-R",
                    "-X",
                    "stream",
                    "-c",
                    "fast",
                    "-w",
                ]
            ),
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
        )
        if backup.returncode:
            self.stop()
            raise Unavailable(f"pg_basebackup failed: {backup.stderr.strip()[-500:]}")

    def _start_server(self, timeout):
        started = subprocess.run(
            _as_postgres(
                [f"{self.bin}/pg_ctl", "-D", self.data_dir, "-l", f"{self.data_dir}/server.log", "-w", "-t", "60"]
                + ["start"]
            ),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if started.returncode:
            log = ""
            if os.path.exists(f"{self.data_dir}/server.log"):
                with open(f"{self.data_dir}/server.log") as handle:
                    log = handle.read()[-800:]
            self.stop()
            raise Unavailable(f"the replica did not start: {started.stderr.strip()[-300:]} {log}")

    def _write_config(self, primary):
        config = {
            "port": self.port,
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.data_dir}'",
            "hot_standby": "on",
            "max_connections": primary["max_connections"],
            "max_worker_processes": primary["max_worker_processes"],
            "max_wal_senders": primary["max_wal_senders"],
            "max_prepared_transactions": primary["max_prepared_transactions"],
            "max_locks_per_transaction": primary["max_locks_per_transaction"],
            "shared_buffers": "'64MB'",
            "fsync": "off",
            "full_page_writes": "off",
            "max_standby_streaming_delay": "'30s'",
            "hba_file": f"'{self.data_dir}/pg_hba.conf'",
            "ident_file": f"'{self.data_dir}/pg_ident.conf'",
            "ssl": "off",
        }
        # Debian keeps the configuration outside the data directory: the copy has none; write our own.
        files = {
            "postgresql.conf": "".join(f"{k} = {v}\n" for k, v in config.items())
            + "include_if_exists = 'postgresql.auto.conf'\n",
            "pg_hba.conf": "local all all trust\nhost all all 127.0.0.1/32 trust\n",
            "pg_ident.conf": "",
        }
        for name, text in files.items():
            path = os.path.join(self.data_dir, name)
            with open(path, "w") as handle:
                handle.write(text)
            if os.geteuid() == 0:
                shutil.chown(path, "postgres", "postgres")

    def stop(self):
        if self.data_dir and os.path.exists(os.path.join(self.data_dir, "postmaster.pid")):
            subprocess.run(
                _as_postgres([f"{self.bin}/pg_ctl", "-D", self.data_dir, "-m", "immediate", "-w", "stop"]),
                capture_output=True,
                timeout=60,
            )
        if self.data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            self.data_dir = None

    # -- state --

    def connect(self, dbname="postgres"):
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=self.params["user"], dbname=dbname, autocommit=True
        )

    def wait_until_streaming(self, timeout=60):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                with self.connect() as conn:
                    if conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]:
                        return
            except psycopg.OperationalError as exc:
                last = exc
            time.sleep(0.2)
        raise Unavailable(f"the replica does not answer: {last}")

    def wait_caught_up(self, timeout=30):
        """Wait until the replica has replayed everything the primary has written so far."""
        with psycopg.connect(**self.params, autocommit=True) as primary:
            target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        deadline = time.monotonic() + timeout
        with self.connect() as conn:
            while time.monotonic() < deadline:
                behind = conn.execute(
                    "SELECT pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn()) > 0", [str(target)]
                ).fetchone()[0]
                if not behind:
                    return
                time.sleep(0.05)
        raise TimeoutError("the replica did not catch up")

    def pause_replay(self):
        with self.connect() as conn:
            conn.execute("SELECT pg_wal_replay_pause()")

    def resume_replay(self):
        with self.connect() as conn:
            conn.execute("SELECT pg_wal_replay_resume()")
