#!/usr/bin/env bash
# Starts the background job consumer and the web server; Ctrl-C stops both.
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-8000}
PY=.venv/bin/python
export EMAIL_BACKEND=${EMAIL_BACKEND:-console}
$PY manage.py run_huey --quiet &
consumer=$!
trap 'kill $consumer 2>/dev/null || true' EXIT INT TERM
$PY manage.py demo_logins
echo
echo "Willkommen runs on http://$host:$port/ (portal) and http://$host:$port/desk/ (staff)."
echo "Second authority: http://$host:$port/a/talheim/"
$PY manage.py runserver "$host:$port" --noreload --insecure
