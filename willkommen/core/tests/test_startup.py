"""Start-up: ``manage.py`` must start whatever order Django runs its system checks in, and the
production settings must pass ``check --deploy``.

Django keeps its checks in a set, so their order differs between machines. When DRF's pagination check
ran first it imported the module that settings name for the pagination class, which imported
``rest_framework.views``, whose ``APIView`` asked for the parser class of that half-imported module:
``ImportError: Could not import 'willkommen.core.api.Pagination'`` (make run, migrate, run_huey and
load_demo crashed). Each probe runs in a fresh interpreter, as on a machine that just started."""

import json
import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow

REPRODUCTION = (
    "import django; django.setup(); "
    "from rest_framework.checks import pagination_system_check; pagination_system_check(None)"
)


def fresh_env(tmp_path, **extra):
    """The environment of a freshly started process with the project's own settings: no pytest, its own
    VAR_DIR (so nothing under var/ is touched) and nothing that switches test or debug mode on."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "HTTPS_ONLY",
            "PROXY_ADDRESSES",
            "PROXY_SSL_HEADER",
            "WILLKOMMEN_TESTING",
            "DATABASE_URL",
            "SECRET_KEY",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
        and not key.startswith(("HSTS_", "PYTEST"))
    }
    env.update({"DJANGO_SETTINGS_MODULE": "willkommen.settings", "VAR_DIR": str(tmp_path / "var"), **extra})
    return env


def run_python(code, tmp_path, timeout=300, **extra):
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=fresh_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_the_reproduction_from_the_issue_passes(tmp_path):
    result = run_python(REPRODUCTION, tmp_path)
    assert result.returncode == 0, result.stderr


# Runs in a fresh interpreter: django.setup(), then one child process per check, forked before anything
# else is imported, so each check runs first in a process in exactly the state of a fresh interpreter
# after django.setup() (starting a new interpreter per check would take over a minute).
EVERY_CHECK_FIRST = textwrap.dedent(
    """
    import json, os, sys, traceback
    import django
    django.setup()
    from django.core.checks.registry import registry
    checks = sorted(
        registry.registered_checks | registry.deployment_checks,
        key=lambda check: (check.__module__, check.__qualname__),
    )
    failed, names = [], []
    for check in checks:
        name = f"{check.__module__}.{check.__qualname__}"
        names.append(name)
        pid = os.fork()
        if pid == 0:
            try:
                check(app_configs=None, databases=None)
            except BaseException:
                traceback.print_exc()
                os._exit(1)
            os._exit(0)
        _pid, status = os.waitpid(pid, 0)
        if status != 0:
            failed.append(name)
    print(json.dumps({"checks": names, "failed": failed}))
    """
)


def test_every_registered_check_runs_first_in_a_fresh_process(tmp_path):
    result = run_python(EVERY_CHECK_FIRST, tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert "rest_framework.checks.pagination_system_check" in report["checks"]
    assert "django.core.checks.security.base.check_sts" in report["checks"]
    assert len(report["checks"]) > 40
    assert report["failed"] == [], result.stderr


# Every class or function that settings.REST_FRAMEWORK names, imported first in a fresh process.
EVERY_DRF_SETTING_FIRST = textwrap.dedent(
    """
    import json, os, traceback
    import django
    django.setup()
    from django.conf import settings
    from django.utils.module_loading import import_string
    paths = []
    for value in settings.REST_FRAMEWORK.values():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, str) and "." in item and item.split(".")[0] in {"willkommen", "rest_framework", "drf_spectacular"}:
                paths.append(item)
    failed = []
    for path in paths:
        pid = os.fork()
        if pid == 0:
            try:
                import_string(path)
            except BaseException:
                traceback.print_exc()
                os._exit(1)
            os._exit(0)
        if os.waitpid(pid, 0)[1] != 0:
            failed.append(path)
    print(json.dumps({"paths": paths, "failed": failed}))
    """
)


def test_every_class_the_api_settings_name_imports_first(tmp_path):
    result = run_python(EVERY_DRF_SETTING_FIRST, tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert "willkommen.core.drf.Pagination" in report["paths"]
    assert "willkommen.core.drf.ObjectJSONParser" in report["paths"]
    assert report["failed"] == [], result.stderr


def test_manage_py_check_deploy_is_clean_with_production_settings(tmp_path):
    """Production settings = the defaults with DEBUG off (no HTTPS_ONLY, no test mode)."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=fresh_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout, result.stdout + result.stderr
