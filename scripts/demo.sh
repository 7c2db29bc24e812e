#!/bin/sh
# make demo: index the sample articles in testdata/ and run a few searches.
set -eu
build=${1:-build}
idx="$build/demo.idx"
rm -rf "$idx"
echo "== Indexing testdata/articles into $idx"
"$build/quire-index" -d "$idx" testdata/articles
for q in 'north korea troops' '"kim jong un" AND (russia OR moscow)' 'title:seoul deploy*' \
         'zurich OR zürich' '北京大学'; do
    echo
    echo "== quire-query -d $idx --limit 3 '$q'"
    "$build/quire-query" -d "$idx" --limit 3 "$q" || true
done
echo
echo "== quire-query -d $idx --any --limit 3 'artillery shells ukraine' --format json (first lines)"
"$build/quire-query" -d "$idx" --any --limit 3 'artillery shells ukraine' --format json | head -20
