#!/usr/bin/env bash
# The engine bench's ratios as whole processes: portsim's M/M/10 run against the
# hand-written floor and against the floor that keeps the same statistics.
#
#   bash benches/engine-pairs.sh [ROUNDS]
#
# Builds portsim and the engine bench binary (release profile), then runs ROUNDS
# (default 7) interleaved rounds of three processes — `portsim run` on the bench's M/M/10
# (2 M counted shipments, one replication, full statistics), the bench binary's
# `--floor-once` and its `--floor-stats-once` — in that order in odd rounds and the
# reverse in even ones (whichever runs later in a round tends to gain or lose a little).
# Process times come from bash's `time`. Prints each round, then the medians of the times
# and of the per-round ratios floor / portsim and floor-stats / portsim (the share of the
# floor's speed portsim reaches), wall and CPU (user + system). The machine's speed drifts
# from hour to hour and the ratios with it: compare ratios from one run of the script.
# Run it on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}
cargo build --release --quiet
# Cargo names the bench binary by a hash: take it from the build's own report.
bench=$(cargo bench --bench engine --no-run 2>&1 | sed -n 's/.*Executable .*(\(.*\))$/\1/p' | tail -1)
[[ -x $bench ]] || { echo "engine-pairs.sh: no engine bench binary found" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The bench's M/M/10: 10 officers, 9 arrivals an hour, 20 warm-up days and
# 2,000,000 / (9 × 24) counted days (benches/engine.rs, portsim_model).
horizon=$(awk 'BEGIN {printf "%.10f", 20 + 2000000 / (9 * 24)}')
TIMEFORMAT='%R %U %S'
# "wall cpu" of one process.
timed() {
  { time "$@" >/dev/null; } 2>&1 | awk '{print $1, $2 + $3}'
}
run_one() {
  case $1 in
    portsim)
      timed target/release/portsim run scenarios/validation/mmc.toml --replications 1 \
        --jobs 1 --quiet --json --set pools.servers.staff=10 \
        --set modes.customers.arrivals.rate_per_hour=9 --set "horizon_days=$horizon" ;;
    floor) timed "$bench" --floor-once ;;
    floor-stats) timed "$bench" --floor-stats-once ;;
  esac
}
for name in portsim floor floor-stats; do : >"$tmp/$name"; done
for r in $(seq "$rounds"); do
  if ((r % 2)); then order="portsim floor floor-stats"; else order="floor-stats floor portsim"; fi
  for name in $order; do
    run_one "$name" >>"$tmp/$name"
  done
  line="round $r:"
  for name in portsim floor floor-stats; do
    line="$line $name $(tail -1 "$tmp/$name" | awk '{print $1}') s,"
  done
  echo "${line%,}"
done
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
for name in portsim floor floor-stats; do
  echo "$name: wall $(awk '{print $1}' "$tmp/$name" | median) s, CPU $(awk '{print $2}' "$tmp/$name" | median) s (median of $rounds)"
done
for floor in floor floor-stats; do
  for col in 1 2; do
    ratio=$(paste -d ' ' "$tmp/$floor" "$tmp/portsim" | awk -v c="$col" '{print $c / $(c + 2)}' | median)
    kind=$([[ $col == 1 ]] && echo wall || echo CPU)
    printf 'portsim at %.3f of %s (%s time, median of the rounds'"'"' ratios)\n' "$ratio" "$floor" "$kind"
  done
done
