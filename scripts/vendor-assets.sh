#!/usr/bin/env bash
# Copies the npm front-end packages into static files (the build step; vendor/ is not committed).
set -euo pipefail
dest=willkommen/core/static/vendor
mkdir -p "$dest/kern" "$dest/altcha"
cp node_modules/@kern-ux/native/dist/kern.min.css "$dest/kern/"
cp -r node_modules/@kern-ux/native/dist/fonts "$dest/kern/"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/"
cp node_modules/axe-core/axe.min.js "$dest/"
if [ -d node_modules/altcha/dist ]; then cp -r node_modules/altcha/dist/. "$dest/altcha/"; fi
# Fonts subset by script, KERN's CSS cut to the classes used, .gz/.br beside every vendored file.
.venv/bin/python scripts/build_assets.py
