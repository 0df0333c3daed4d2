#!/usr/bin/env bash
# The speed-up of `portsim sweep` with 2 jobs over 1: wall and CPU seconds of whole
# commands on benches/sweep-speedup.toml (16 equal jobs), alternating 1 and 2 threads,
# ROUNDS times each (default 5), then the medians and the speed-up. Run it on an idle
# machine:  bash benches/sweep-speedup.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
cargo build --release --quiet
bin=target/release/portsim
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
TIMEFORMAT='%R %U %S'
for r in $(seq "$rounds"); do
  for j in 1 2; do
    rm -rf "$tmp/out"
    { time "$bin" sweep benches/sweep-speedup.toml --jobs "$j" --quiet --out "$tmp/out" \
        >/dev/null 2>&1; } 2>>"$tmp/jobs-$j"
  done
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
for j in 1 2; do
  wall=$(awk '{print $1}' "$tmp/jobs-$j" | median)
  cpu=$(awk '{print $2 + $3}' "$tmp/jobs-$j" | median)
  echo "jobs $j: wall ${wall} s, CPU ${cpu} s (median of $rounds)"
  eval "wall$j=$wall"
done
awk -v a="$wall1" -v b="$wall2" 'BEGIN {printf "speed-up (wall, jobs 1 / jobs 2): %.2fx\n", a / b}'
