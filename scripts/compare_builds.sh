#!/usr/bin/env bash
# Compare two builds' published HTML and key-figures JSON, masking what differs between any two
# builds of the same inputs: papermill's random id of the injected-parameters cell, build times
# and durations, the commit. Exit 0 when they are the same.
# usage: scripts/compare_builds.sh <outputs/<review> of build A> <outputs/<review> of build B>
set -u
base=${1:?build A}; new=${2:?build B}
norm() { sed -E 's/id="cell-id=[0-9a-f]+"/id="cell-id=X"/; s/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}/TIME/g; s/<td class="num">[0-9.]+<\/td>/<td class="num">S<\/td>/g; s/[0-9a-f]{40}(\+dirty)?/COMMIT/g' "$1"; }
status=0
for f in $(cd "$base" && ls *.html *.key-figures.json); do
  if [ ! -f "$new/$f" ]; then echo "missing: $f"; status=1; continue; fi
  if ! diff -q <(norm "$base/$f") <(norm "$new/$f") >/dev/null; then
    echo "DIFFERS: $f"; diff <(norm "$base/$f") <(norm "$new/$f") | head -"${LINES_SHOWN:-20}"; status=1
  fi
done
for f in $(cd "$new" && ls *.html *.key-figures.json); do [ -f "$base/$f" ] || { echo "new: $f"; status=1; }; done
[ "$status" = 0 ] && echo "the same (volatile parts masked)"
exit "$status"
