"""Helpers that start the parts of a scaled-out installation on this machine for tests and benchmarks:
an S3-speaking server (moto), a streaming PostgreSQL replica, Huey consumers on Redis and web servers.

Nothing here is imported by the running application."""
