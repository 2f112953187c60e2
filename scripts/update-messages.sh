#!/usr/bin/env bash
# Extracts every room's strings into its catalogs for the eight languages (after changing strings).
# References name the file only (no line numbers) and the creation date is dropped, so that parallel
# branches do not conflict on lines that say nothing; obsolete entries are removed.
# Usage: scripts/update-messages.sh [room ...]   (default: every room with a locale folder)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
rooms=("$@")
if [ ${#rooms[@]} -eq 0 ]; then
  for d in willkommen/*/locale; do rooms+=("$(basename "$(dirname "$d")")"); done
fi
for room in "${rooms[@]}"; do
  mkdir -p "willkommen/$room/locale"
  (cd "willkommen/$room" && "../../$PY" ../../manage.py makemessages --verbosity 0 --add-location file --no-obsolete \
    -l de -l en -l ar -l fa -l tr -l uk -l ru -l fr --ignore 'tests/*' --ignore 'migrations/*')
  sed -i '/^"POT-Creation-Date: /d' willkommen/"$room"/locale/*/LC_MESSAGES/django.po
done
