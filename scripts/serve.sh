#!/usr/bin/env bash
# Starts the background job consumer and the web server; Ctrl-C stops both.
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-8000}
PY=.venv/bin/python
# Mail the demo sends is written to var/mail/ (one file per message), so the terminal keeps the logins.
export EMAIL_BACKEND=${EMAIL_BACKEND:-file}
# The local demo serves plain http on 127.0.0.1: no HTTPS redirect, no HSTS, cookies without Secure
# (production keeps the default HTTPS_ONLY=on; see docs/security.md).
export HTTPS_ONLY=off
$PY manage.py run_huey --quiet &
consumer=$!
trap 'kill $consumer 2>/dev/null || true' EXIT INT TERM
$PY manage.py demo_logins --base-url "http://$host:$port/"
echo
echo "Mail the demo sends: var/mail/ (EMAIL_BACKEND=console prints it here, smtp sends it)."
echo "Willkommen runs on http://$host:$port/ (portal) and http://$host:$port/desk/ (staff)."
echo "Second authority: http://$host:$port/a/talheim/"
$PY manage.py runserver "$host:$port" --noreload --insecure
