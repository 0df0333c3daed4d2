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
#    chongqing-2017.toml (`--replications 1 --jobs 1`), old then new in odd pairs and new
#    then old in even ones (whichever runs second in a pair tends to gain or lose a
#    little), process times from bash's `time`; prints each pair and the medians of the
#    times and of the pairwise ratios new / old, of wall and of CPU (user + system)
#    time. The machine's speed drifts from hour to hour, and the ratio with it by a few
#    hundredths: compare builds within one run of the script. Run it on an idle machine.
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

TIMEFORMAT='%R %U %S'
# "wall cpu" of one replication.
one() {
  { time "$1" run scenarios/chongqing-2017.toml --replications 1 --jobs 1 --quiet --json \
      >/dev/null; } 2>&1 | awk '{print $1, $2 + $3}'
}
: >"$tmp/old.t"
: >"$tmp/new.t"
: >"$tmp/ratio"
for p in $(seq "$pairs"); do
  if ((p % 2)); then
    a=$(one "$old")
    b=$(one "$new")
  else
    b=$(one "$new")
    a=$(one "$old")
  fi
  echo "$a" >>"$tmp/old.t"
  echo "$b" >>"$tmp/new.t"
  awk -v a="$a" -v b="$b" 'BEGIN {split(a, x, " "); split(b, y, " "); print y[1] / x[1], y[2] / x[2]}' \
    >>"$tmp/ratio"
  echo "pair $p: old ${a% *} s, new ${b% *} s (CPU ${a#* } s, ${b#* } s)"
done
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# Column $1 of file $2: "median (range low–high)".
summary() {
  local m lo hi
  m=$(cut -d' ' -f"$1" "$2" | median | xargs printf '%.3f')
  lo=$(cut -d' ' -f"$1" "$2" | sort -g | head -1 | xargs printf '%.3f')
  hi=$(cut -d' ' -f"$1" "$2" | sort -g | tail -1 | xargs printf '%.3f')
  echo "$m (range $lo–$hi)"
}
echo "one chongqing-2017 replication, median of $pairs pairs: old $(cut -d' ' -f1 "$tmp/old.t" | median) s," \
  "new $(cut -d' ' -f1 "$tmp/new.t" | median) s, new / old $(summary 1 "$tmp/ratio");" \
  "CPU time new / old $(summary 2 "$tmp/ratio")"
exit "$same"
