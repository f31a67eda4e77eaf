#!/usr/bin/env bash
# Update the Estonian and English message catalogues: locale/ for the project's own
# templates and config, and each app's locale/. `scripts/messages.sh cases` updates one app only.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
ALL_APPS="accounts components providers cases assessments billing archive reporting"
APPS=${*:-$ALL_APPS}
if [ $# -eq 0 ]; then
  ignores=()
  for app in $ALL_APPS; do ignores+=(--ignore "$app/*"); done
  mkdir -p locale
  "$PY" manage.py makemessages -l et -l en --no-obsolete --ignore ".venv/*" --ignore "var/*" --ignore "tests/*" \
    --ignore "static/*" --ignore "benchmarks/*" --ignore "scripts/*" "${ignores[@]}"
fi
for app in $APPS; do
  mkdir -p "$app/locale"
  (cd "$app" && "../$PY" ../manage.py makemessages -l et -l en --no-obsolete)
done
echo "Now translate the empty msgstr entries of */locale/et/LC_MESSAGES/django.po (English msgids, Estonian msgstr)."
