#!/usr/bin/env bash
# Instructions executed by two builds of portsim on the runs the speed goals name,
# counted by callgrind: unlike times, the counts do not drift with the machine's load.
#
#   bash benches/instructions.sh OLD_BINARY NEW_BINARY
#
# The runs, each a whole process under `valgrind --tool=callgrind`:
# - one replication of chongqing-2017.toml (`--replications 1 --jobs 1`), about four
#   minutes per build under callgrind;
# - the engine bench's queue (M/M/10 at utilisation 0.9) as a `portsim run` of the
#   validation scenario mmc.toml, on a shorter horizon than the bench's so that callgrind
#   takes seconds (10 officers, 9 arrivals an hour, 1,020 days: 220,000 shipments).
# Prints, per run and build, the instructions, the events the run handled (from its JSON
# summary) and instructions per event, then new / old. The two builds run at once (one
# per core). Needs valgrind (e.g. `apt-get install valgrind`); exit 2 without it.
#
# Build the old binary from a checkout of the earlier commit, e.g.
#   git worktree add /tmp/old <commit> && (cd /tmp/old && cargo build --release)
# Valgrind runs only the instructions it knows: a release build for a processor with
# AVX-512 or GFNI (.cargo/config.toml builds for the building machine) stops under it
# with "unhandled instruction". Build both binaries for a common target instead, e.g.
#   RUSTFLAGS="-C target-cpu=x86-64-v3" cargo build --release --target-dir /tmp/v3
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: instructions.sh OLD_BINARY NEW_BINARY}
new=${2:?usage: instructions.sh OLD_BINARY NEW_BINARY}
if ! command -v valgrind >/dev/null; then
  echo "error: instructions.sh needs valgrind (callgrind), which is not installed" >&2
  exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Runs `$2 run ARGS…` under callgrind; writes "instructions events" to $tmp/$1.
count() {
  local tag=$1 bin=$2
  shift 2
  if ! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    "$bin" run "$@" --jobs 1 --quiet --json >"$tmp/$tag.json" 2>"$tmp/$tag.err"; then
    echo "error: \`$bin run $*\` failed under callgrind; the end of what it printed:" >&2
    tail -n 5 "$tmp/$tag.err" >&2
    if grep -q "unhandled instruction" "$tmp/$tag.err"; then
      echo "hint: valgrind does not know an instruction of this build; build it with" \
        "RUSTFLAGS=\"-C target-cpu=x86-64-v3\" (see the top of this script)" >&2
    fi
    return 1
  fi
  local instructions events
  instructions=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/$tag.err")
  events=$(sed -n 's/^  "events": \([0-9]*\),$/\1/p' "$tmp/$tag.json")
  echo "$instructions $events" >"$tmp/$tag"
}

runs=(
  "chongqing-2017|scenarios/chongqing-2017.toml --replications 1"
  "mm10|scenarios/validation/mmc.toml --set pools.servers.staff=10
    --set modes.customers.arrivals.rate_per_hour=9.0 --set horizon_days=1020
    --replications 1"
)
for run in "${runs[@]}"; do
  name=${run%%|*}
  # Word splitting of the arguments is intended: none holds a space.
  count "$name-old" "$old" ${run#*|} &
  old_job=$!
  count "$name-new" "$new" ${run#*|} &
  new_job=$!
  wait "$old_job"
  wait "$new_job"
  read -r io eo <"$tmp/$name-old"
  read -r in en <"$tmp/$name-new"
  awk -v name="$name" -v io="$io" -v eo="$eo" -v in_="$in" -v en="$en" 'BEGIN {
    printf "%s: old %.3f G instructions, %d events, %.0f per event\n", name, io / 1e9, eo, io / eo
    printf "%s: new %.3f G instructions, %d events, %.0f per event\n", name, in_ / 1e9, en, in_ / en
    printf "%s: new / old %.3f\n", name, in_ / io
  }'
done
