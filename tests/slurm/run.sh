#!/usr/bin/env bash
# The README's Slurm recipe (scripts/slurm) on a real single-node Slurm: installs
# Debian's slurm-wlm and munge if they are missing, starts munged, slurmctld and slurmd
# on private ports and folders, submits a tiny sweep as a job array and its merge, and
# compares the merged files byte for byte with the unsharded sweep. Also: the stumbles
# the recipe guards against (too many CPUs per task, shards of another N, a task run
# again alone, a merge refusing missing shards, a cancelled and requeued task).
#
#   tests/slurm/run.sh        (after cargo build --release; run as root)
#
# Skips, saying why, only when the packages cannot be installed (tests/slurm/install.sh).
# Every wait has a timeout; the daemons are stopped on any exit.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
started=$SECONDS
sweep=tests/slurm/tiny-sweep.toml
results=(results.csv replications.csv results.json)

skip() {
  echo "slurm test skipped: $*"
  exit 0
}
fail() {
  echo "slurm test FAILED: $*" >&2
  exit 1
}

# The caller's Slurm settings (another cluster, its partition or account) stay out.
while read -r var; do unset "$var"; done < <(compgen -e | grep -E '^(SLURM|SBATCH|SALLOC|SRUN|SQUEUE|SINFO)_' || true)

[ -x target/release/portsim ] || fail "target/release/portsim is missing: cargo build --release first"
export PATH="$repo/target/release:$PATH"

# Debian's packages, installed if missing (the test's only reason to skip).
status=0
why=$(tests/slurm/install.sh) || status=$?
[ "$status" -ne 3 ] || skip "$why"
[ "$status" -eq 0 ] || fail "tests/slurm/install.sh failed (exit $status): $why"
[ -z "$why" ] || echo "$why"
[ "$(id -u)" -eq 0 ] || skip "slurmd runs jobs as their users, so it needs root"

# Private folders and daemons; everything stopped and removed on exit.
work=$(mktemp -d -t portsim-slurm.XXXXXX)
chmod 755 "$work" # munged wants its socket's folder searchable by all
pids=()
conf=''
cleanup() {
  status=$?
  # Jobs of this private cluster still queued or running go first (their steps outlive
  # slurmd); only once its slurm.conf is written, never another cluster's.
  if [ -n "$conf" ]; then
    SLURM_CONF=$conf timeout 10 scancel --user="$(id -un)" 2>/dev/null || true
  fi
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  if [ -f "$work/munged.pid" ]; then
    pids+=("$(cat "$work/munged.pid")")
    kill "${pids[-1]}" 2>/dev/null || true
  fi
  for pid in "${pids[@]}"; do
    timeout 10 tail --pid="$pid" -f /dev/null 2>/dev/null || kill -9 "$pid" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ]; then
    for f in "$work"/slurmctld.log "$work"/slurmd.log "$work"/munged.log; do
      [ -f "$f" ] && { echo "--- last lines of $(basename "$f")" >&2 && tail -n 15 "$f" >&2; }
    done
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Two free ports, so that a Slurm already on the machine is left alone.
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  fail "no free port found"
}
ctld_port=$(free_port)
slurmd_port=$(free_port)
[ "$ctld_port" != "$slurmd_port" ] || slurmd_port=$((ctld_port + 1))

dd if=/dev/urandom of="$work/munge.key" bs=1024 count=1 status=none
chmod 400 "$work/munge.key"
timeout 10 munged --force --key-file="$work/munge.key" --socket="$work/munge.sock" \
  --pid-file="$work/munged.pid" --log-file="$work/munged.log" --seed-file="$work/munged.seed" ||
  fail "munged did not start"

mkdir -p "$work/state" "$work/spool"
host=$(hostname -s)
# The node as slurmd sees it (CPUs, memory): its first line, "NodeName=... RealMemory=...".
node=$(timeout 10 slurmd -C | head -n 1)
node_cpus=$(sed -n 's/.* CPUs=\([0-9]*\).*/\1/p' <<<"$node")
[ -n "$node_cpus" ] || fail "slurmd -C did not say the node's CPUs: $node"
cat >"$work/slurm.conf" <<EOF
ClusterName=portsim-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge.sock
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
# No cgroups: a container may not offer them.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# Jobs started (and dependencies looked at) within a second, not the default minute.
SchedulerType=sched/builtin
SchedulerParameters=sched_interval=1
ReturnToService=2
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
conf=$work/slurm.conf
export SLURM_CONF=$conf
slurmctld -D -f "$SLURM_CONF" >"$work/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$work/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do
  [ "$(timeout 5 sinfo --noheader --Node --format=%t 2>/dev/null)" = idle ] && break
  sleep 0.5
done
[ "$(timeout 5 sinfo --noheader --Node --format=%t 2>/dev/null)" = idle ] ||
  fail "the node did not become idle in 30 s: $(timeout 5 sinfo 2>&1 || true)"

# The state of job $1 ("COMPLETED", "FAILED", ...), once it has ended (at most $2 s).
wait_job() {
  local state
  for _ in $(seq 1 $(($2 * 2))); do
    state=$(timeout 5 scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -n 1)
    case $state in
    PENDING | RUNNING | CONFIGURING | COMPLETING | REQUEUED | SUSPENDED | "") sleep 0.5 ;;
    *)
      echo "$state"
      return
      ;;
    esac
  done
  echo "TIMEOUT(${state:-unknown}; $(timeout 5 scontrol show job "$1" 2>&1 | grep -o 'Reason=[^ ]*' | head -n 1))"
}
same_as_unsharded() {
  for f in "${results[@]}"; do
    cmp "$work/one/$f" "$1/$f" || fail "$1/$f differs from the unsharded sweep's"
  done
}
submit() {
  timeout 60 scripts/slurm/submit.sh --parsable "$@"
}
# Submits with submit.sh; sets $array and $merge, the two jobs' ids.
submitted() {
  local ids
  ids=$(submit "$@") || fail "scripts/slurm/submit.sh $*: not submitted"
  read -r array merge <<<"$ids"
}

# The reference: the sweep unsharded.
out=$(portsim sweep "$sweep" --quiet --out "$work/one" 2>&1) || fail "the unsharded sweep: $out"

# The recipe: N = 3 shards, then merged; byte for byte the unsharded sweep.
submitted --shards "$work/shards" "$sweep" 3 "$work/out3"
state=$(wait_job "$merge" 120)
[ "$state" = COMPLETED ] || fail "merge job $merge: $state; log: $(cat "$work"/shards/3/slurm-merge-*.out 2>&1)"
same_as_unsharded "$work/out3"
echo "ok: job array $array (3 shards) and merge $merge: byte for byte the unsharded sweep"

# Shards of another N, in the same folder, are not swept into the merge.
submitted --shards "$work/shards" "$sweep" 2 "$work/out2"
state=$(wait_job "$merge" 120)
[ "$state" = COMPLETED ] || fail "merge job $merge (N = 2): $state"
same_as_unsharded "$work/out2"
echo "ok: N = 2 beside N = 3 in one shards folder: merged the same"

# portsim missing from the PATH (that the tasks are handed): an error at once.
if err=$(PATH=$(dirname "$(command -v sbatch)"):/usr/bin:/bin submit --shards "$work/shards" "$sweep" 3 "$work/x" 2>&1); then
  fail "submitted without portsim on the PATH"
fi
grep -q "portsim is not on the PATH" <<<"$err" || fail "unclear refusal: $err"
echo "ok: portsim missing from the PATH refused: $err"

# ... and a task on a node without portsim says so in its log.
job=$(timeout 10 sbatch --parsable --array=1 --export=ALL,PATH=/usr/bin:/bin \
  --output="$work/no-portsim.out" scripts/slurm/shard.sbatch "$sweep" 3 "$work/x")
state=$(wait_job "${job%%;*}" 60)
[ "$state" = FAILED ] || fail "a task without portsim on its PATH ended $state"
grep -q "portsim is not on the PATH of" "$work/no-portsim.out" ||
  fail "a task without portsim: unclear log: $(cat "$work/no-portsim.out")"
echo "ok: a task without portsim on its PATH: $(cat "$work/no-portsim.out")"

# Arguments the array could not run with: an error at once.
for args in "$sweep 0 $work/x" "--tasks 4 $sweep 3 $work/x" "--tasks 2-1 $sweep 3 $work/x" \
  "--partition=nosuch $sweep 3 $work/x" "--cpus-per-task=$((node_cpus + 1)) --partition=test $sweep 3 $work/x"; do
  # shellcheck disable=SC2086 # the words of $args are the arguments
  if err=$(submit --shards "$work/shards" $args 2>&1); then
    fail "submit.sh $args was submitted"
  fi
  grep -q "^error: " <<<"$err" || fail "submit.sh $args: unclear refusal: $err"
  echo "  $err"
done
echo "ok: N 0, tasks outside 1-N, an unknown partition, too many CPUs for partition test: refused"

# A task asking more CPUs than the node has: an error at once, nothing submitted.
before=$(timeout 5 squeue --noheader --all | wc -l)
if err=$(submit --cpus-per-task $((node_cpus + 1)) --shards "$work/shards" "$sweep" 3 "$work/x" 2>&1); then
  fail "--cpus-per-task $((node_cpus + 1)) on a $node_cpus-CPU node was submitted"
fi
grep -q "has $node_cpus CPUs" <<<"$err" || fail "unclear refusal: $err"
[ "$(timeout 5 squeue --noheader --all | wc -l)" = "$before" ] || fail "a job was submitted despite the refusal"
echo "ok: too many CPUs per task refused: $err"

# A shard lost: the merge alone refuses it, naming the task to run again ...
rm -r "$work/shards/3/2"
merge=$(timeout 10 sbatch --parsable --output="$work/lone-merge.out" \
  scripts/slurm/merge.sbatch "$sweep" 3 "$work/shards" "$work/out3b")
state=$(wait_job "$merge" 60)
[ "$state" = FAILED ] || fail "a merge with shard 2 missing ended $state"
grep -q -- "--tasks 2 " "$work/lone-merge.out" || fail "the merge did not name shard 2: $(cat "$work/lone-merge.out")"
[ ! -e "$work/out3b/results.csv" ] || fail "a merge with shard 2 missing wrote results"
# ... and running that task again alone (N an argument, not the array's size) mends it.
submitted --tasks 2 --shards "$work/shards" "$sweep" 3 "$work/out3b"
state=$(wait_job "$merge" 120)
[ "$state" = COMPLETED ] || fail "merge job $merge after rerunning task 2: $state"
same_as_unsharded "$work/out3b"
echo "ok: a lost shard refused by the merge, then task 2 run again alone and merged the same"

# A task cancelled and requeued while the merge waits: the merge waits for its new run
# (an afterok merge would wait for ever: DependencyNeverSatisfied). Held, and released a
# task at a time, for a certain order: task 1 ends, its shard is lost, it is held,
# cancelled and requeued; tasks 2 and 3 end; only then does task 1 run again. A merge
# that did not wait for it would find shard 1 missing.
rm -r "$work/shards/3"
submitted --shards "$work/shards" "$sweep" 3 "$work/out3c" -- --hold
timeout 10 scontrol release "$merge"
timeout 10 scontrol release "${array}_1"
state=$(wait_job "${array}_1" 60)
[ "$state" = COMPLETED ] || fail "task 1 of $array: $state"
rm -r "$work/shards/3/1"
timeout 10 scontrol requeuehold "${array}_1"
timeout 10 scancel "${array}_1"
state=$(wait_job "${array}_1" 60)
[ "$state" = CANCELLED ] || fail "task 1 of $array, cancelled: $state"
timeout 10 scontrol requeuehold "${array}_1"
timeout 10 scontrol release "${array}_2" "${array}_3"
for i in 2 3; do
  state=$(wait_job "${array}_$i" 60)
  [ "$state" = COMPLETED ] || fail "task $i of $array: $state"
done
state=$(wait_job "$merge" 3)
[[ $state == TIMEOUT* ]] || fail "merge job $merge ran before the requeued task 1: $state"
timeout 10 scontrol update jobid="${array}_1" StartTime=now # no requeue delay
timeout 10 scontrol release "${array}_1"
state=$(wait_job "$merge" 60)
[ "$state" = COMPLETED ] || fail "merge job $merge after a requeue: $state"
same_as_unsharded "$work/out3c"
echo "ok: a task cancelled and requeued: the merge waited for its new run and merged the same"

echo "slurm test passed in $((SECONDS - started)) s"
