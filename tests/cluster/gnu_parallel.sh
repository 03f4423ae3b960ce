#!/usr/bin/env bash
# Usage: tests/cluster/gnu_parallel.sh BIN SWEEPFILE WORKDIR
#
# Runs SWEEPFILE once unsharded (WORKDIR/single) and as 3 shards run side by side by GNU
# parallel (WORKDIR/sharded), merges the shards and checks the two points.csv are byte-identical.
# Exit 0 if they are, 77 (skip) if GNU parallel is not installed, non-zero otherwise.
# Writes only under WORKDIR (GNU parallel's own files included).
set -euo pipefail

N=3
say() { echo "gnu_parallel.sh: $*" >&2; }
fail() { say "FAIL: $*"; exit 1; }

[ $# -eq 3 ] || { say "usage: $0 BIN SWEEPFILE WORKDIR"; exit 2; }
abspath() { (cd "$(dirname "$1")" && echo "$PWD/$(basename "$1")"); }
[ -x "$1" ] || { say "BIN '$1' is not an executable file"; exit 2; }
[ -f "$2" ] || { say "SWEEPFILE '$2' does not exist"; exit 2; }
BIN=$(abspath "$1")
SWEEP=$(abspath "$2")
mkdir -p "$3"
WORK=$(cd "$3" && pwd)

if ! command -v parallel >/dev/null 2>&1; then
  say "SKIP: GNU parallel is not installed (Debian: apt-get install -y parallel)"
  exit 77
fi
if ! parallel --version 2>/dev/null | head -n 1 | grep -q '^GNU parallel'; then
  say "SKIP: 'parallel' is not GNU parallel ($(command -v parallel)); install Debian's 'parallel'"
  exit 77
fi

start=$SECONDS
rm -rf "$WORK/single" "$WORK/sharded" "$WORK/.parallel" "$WORK/tmp"
mkdir -p "$WORK/single" "$WORK/sharded" "$WORK/.parallel" "$WORK/tmp"
# GNU parallel keeps its state in $PARALLEL_HOME (default ~/.parallel) and temp files in $TMPDIR.
export PARALLEL_HOME="$WORK/.parallel" TMPDIR="$WORK/tmp"

# The one folder under $1 that the sweep wrote (its name is the sweep's name).
sweep_dir() {
  local d found=()
  for d in "$1"/*/; do [ -d "$d" ] && found+=("${d%/}"); done
  [ ${#found[@]} -eq 1 ] || fail "expected one sweep folder in $1, found ${#found[@]}: ${found[*]:-none}"
  echo "${found[0]}"
}

say "unsharded: $BIN sweep $SWEEP --out $WORK/single"
"$BIN" sweep "$SWEEP" --out "$WORK/single" --quiet \
  || fail "the unsharded sweep exited $?"
single=$(sweep_dir "$WORK/single")
[ -s "$single/points.csv" ] || fail "the unsharded sweep wrote no $single/points.csv"

say "sharded: $N shards with GNU parallel -j $N (--jobs 1 each) into $WORK/sharded"
parallel --will-cite -j "$N" --halt now,fail=1 -q \
  "$BIN" sweep "$SWEEP" --shard "{}/$N" --out "$WORK/sharded" --jobs 1 --quiet \
  ::: $(seq 0 $((N - 1))) \
  || fail "a shard failed (GNU parallel exited $?)"
sharded=$(sweep_dir "$WORK/sharded")
for ((k = 0; k < N; k++)); do
  [ -f "$sharded/shard-$k-of-$N.csv" ] || fail "shard $k wrote no $sharded/shard-$k-of-$N.csv"
done

say "merge: $BIN merge $sharded"
"$BIN" merge "$sharded" || fail "merge exited $?"

cmp "$single/points.csv" "$sharded/points.csv" \
  || fail "$single/points.csv and $sharded/points.csv differ"
rm -rf "$WORK/tmp"
say "OK: $N shards merged are byte-identical to the unsharded run ($(wc -l < "$single/points.csv") lines, $((SECONDS - start)) s)"
