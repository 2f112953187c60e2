#!/usr/bin/env bash
# Compiles the translation catalogs (.po -> .mo) of every room; the .mo files are build output, not committed.
set -euo pipefail
if ! find willkommen -path '*/locale/*/LC_MESSAGES/django.po' -print -quit | grep -q .; then
  exit 0
fi
cd willkommen
../.venv/bin/python ../manage.py compilemessages --verbosity 0 --ignore '.venv' --ignore 'node_modules'
