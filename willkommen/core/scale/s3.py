"""An S3-speaking server on 127.0.0.1 for tests and benchmarks: moto's server mode (``moto[server]``, a
development requirement) in its own process, with one private bucket per test."""

import subprocess
import uuid

from .processes import free_port, python, stop, wait_for_port


class Unavailable(Exception):
    pass


class S3Server:
    access_key = "willkommen-test"
    secret_key = "willkommen-test-secret"  # noqa: S105 (the local test server accepts any key)
    region = "eu-central-1"

    def __init__(self, port=None):
        self.port = port or free_port()
        self.process = None

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        try:
            import moto.server  # noqa: F401
        except ImportError as exc:
            raise Unavailable(f"moto[server] is not installed ({exc}); pip install -r requirements-dev.txt") from exc
        self.process = subprocess.Popen(
            [python(), "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, self.process, timeout=60, what="moto S3 server")
        return self

    def stop(self):
        stop(self.process)

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        )

    def new_bucket(self):
        name = f"wk-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": self.region})
        return name

    def options(self, bucket):
        """``OPTIONS`` of django-storages' S3Storage for ``bucket`` (as settings.S3_STORAGE_OPTIONS)."""
        return {
            "bucket_name": bucket,
            "endpoint_url": self.endpoint,
            "access_key": self.access_key,
            "secret_key": self.secret_key,
            "region_name": self.region,
            "addressing_style": "path",
            "signature_version": "s3v4",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "querystring_expire": 60,
        }
