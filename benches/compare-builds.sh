#!/usr/bin/env bash
# Two builds of portsim side by side: do they give the same results, and which is faster?
#
#   bash benches/compare-builds.sh OLD_BINARY NEW_BINARY [PAIRS]
#
# 1. Same results: both binaries run every validation scenario and the three Chongqing
#    files (seed 1, their own replications; the Chongqing files with 2 replications to
#    keep it short) and the JSON summaries must be byte for byte the same apart from the
#    wall time. Any difference is printed and the script exits 1.
# 2. Speed: PAIRS (default 7) interleaved pairs of one replication of
#    chongqing-2017.toml (`--replications 1 --jobs 1`), old then new, process times from
#    bash's `time`; prints each pair and the medians of the times and of the pairwise
#    ratios new / old. Run it on an idle machine.
#
# Build the old binary from a checkout of the earlier commit, e.g.
#   git worktree add /tmp/old <commit> && (cd /tmp/old && cargo build --release)
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: compare-builds.sh OLD_BINARY NEW_BINARY [PAIRS]}
new=${2:?usage: compare-builds.sh OLD_BINARY NEW_BINARY [PAIRS]}
pairs=${3:-7}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The summary without its one timing field.
summary() {
  "$1" run "${@:2}" --jobs 2 --quiet --json | grep -v '"wall_seconds"'
}
same=0
for scenario in scenarios/validation/*.toml; do
  summary "$old" "$scenario" >"$tmp/old.json"
  summary "$new" "$scenario" >"$tmp/new.json"
  if cmp -s "$tmp/old.json" "$tmp/new.json"; then
    echo "same results: $scenario"
  else
    echo "DIFFERENT results: $scenario"
    diff "$tmp/old.json" "$tmp/new.json" | head -20
    same=1
  fi
done
for scenario in scenarios/chongqing-*.toml; do
  summary "$old" "$scenario" --replications 2 >"$tmp/old.json"
  summary "$new" "$scenario" --replications 2 >"$tmp/new.json"
  if cmp -s "$tmp/old.json" "$tmp/new.json"; then
    echo "same results: $scenario (2 replications)"
  else
    echo "DIFFERENT results: $scenario (2 replications)"
    diff "$tmp/old.json" "$tmp/new.json" | head -20
    same=1
  fi
done

TIMEFORMAT='%R'
one() {
  { time "$1" run scenarios/chongqing-2017.toml --replications 1 --jobs 1 --quiet --json \
      >/dev/null; } 2>&1
}
: >"$tmp/old.t"
: >"$tmp/new.t"
: >"$tmp/ratio"
for p in $(seq "$pairs"); do
  a=$(one "$old")
  b=$(one "$new")
  echo "$a" >>"$tmp/old.t"
  echo "$b" >>"$tmp/new.t"
  awk -v a="$a" -v b="$b" 'BEGIN {print b / a}' >>"$tmp/ratio"
  echo "pair $p: old ${a} s, new ${b} s"
done
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "one chongqing-2017 replication, median of $pairs pairs: old $(median <"$tmp/old.t") s," \
  "new $(median <"$tmp/new.t") s, new / old $(median <"$tmp/ratio" | xargs printf '%.3f')" \
  "(range $(sort -g "$tmp/ratio" | head -1 | xargs printf '%.3f')–$(sort -g "$tmp/ratio" | tail -1 | xargs printf '%.3f'))"
exit "$same"
