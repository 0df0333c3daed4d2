#!/usr/bin/env bash
# Runs a portsim sweep on Slurm: a job array of N shards, then their merge.
#
#   scripts/slurm/submit.sh [OPTIONS] SWEEP N OUT [-- SBATCH_OPTIONS...]
#
#   --cpus-per-task C  CPUs of each task, its `portsim sweep --jobs` (default 1)
#   --time T           time limit of each task (sbatch --time; default: the partition's)
#   --partition P      partition of both jobs (default: the cluster's default)
#   --shards DIR       where the shards go, DIR/N/I (default: shards/ and OUT's name)
#   --tasks LIST       only these tasks, e.g. 3 or 2,5 or 1-4 (default 1-N): to run
#                      shards again that failed or were cancelled; the merge follows
#   --parsable         print only the two job ids, "ARRAY_ID MERGE_ID"
#   SBATCH_OPTIONS     given to both sbatch calls as they are (e.g. --account=...)
#
# Submit from the folder the paths are relative to (the project folder): the jobs run
# there, so it must be on a filesystem every node shares, at the same path; portsim
# must be on the PATH of the compute nodes (sbatch hands them this shell's PATH).
# Checks what it can before submitting — portsim on the PATH, the sweep file, the CPUs
# per task against the partition's largest node — so a mistake is an error here, not a
# job pending for ever.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage="usage: $0 [--cpus-per-task C] [--time T] [--partition P] [--shards DIR] [--tasks LIST] [--parsable] SWEEP N OUT [-- SBATCH_OPTIONS...]"
fail() {
  echo "error: $*" >&2
  exit 2
}

cpus=1 time='' partition='' shards='' tasks='' parsable=''
positional=()
extra=()
while [ $# -gt 0 ]; do
  case $1 in
  --cpus-per-task | --time | --partition | --shards | --tasks)
    [ $# -ge 2 ] || fail "$1 needs a value; $usage"
    case $1 in
    --cpus-per-task) cpus=$2 ;;
    --time) time=$2 ;;
    --partition) partition=$2 ;;
    --shards) shards=$2 ;;
    --tasks) tasks=$2 ;;
    esac
    shift 2
    ;;
  --cpus-per-task=* | --time=* | --partition=* | --shards=* | --tasks=*)
    set -- "${1%%=*}" "${1#*=}" "${@:2}"
    ;;
  --parsable)
    parsable=1
    shift
    ;;
  -h | --help)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 0
    ;;
  --)
    shift
    extra=("$@")
    break
    ;;
  -*) fail "unknown option $1; $usage" ;;
  *)
    positional+=("$1")
    shift
    ;;
  esac
done
[ ${#positional[@]} -eq 3 ] || fail "give SWEEP, N and OUT; $usage"
sweep=${positional[0]} n=${positional[1]} out=${positional[2]}
[[ $n =~ ^[1-9][0-9]*$ ]] || fail "N must be a whole number of shards, 1 or more; got '$n'"
[[ $cpus =~ ^[1-9][0-9]*$ ]] || fail "--cpus-per-task must be a whole number, 1 or more; got '$cpus'"
[ -n "$shards" ] || shards=shards/$(basename "$out")
[ -n "$tasks" ] || tasks=1-$n
IFS=, read -r -a items <<<"$tasks"
[ ${#items[@]} -gt 0 ] || fail "--tasks is empty; give e.g. 3 or 2,5 or 1-$n"
for item in "${items[@]}"; do
  [[ $item =~ ^([0-9]+)(-([0-9]+))?$ ]] || fail "--tasks $tasks: '$item' is not a task or a range (e.g. 3 or 2-5)"
  lo=$((10#${BASH_REMATCH[1]})) hi=$((10#${BASH_REMATCH[3]:-${BASH_REMATCH[1]}}))
  ((1 <= lo && lo <= hi && hi <= n)) || fail "--tasks $tasks: '$item' is not within the shards 1-$n"
done

for tool in sbatch sinfo; do
  command -v "$tool" >/dev/null || fail "$tool is not on the PATH: submit from a machine of the Slurm cluster"
done
command -v portsim >/dev/null ||
  fail "portsim is not on the PATH; the compute nodes run it from the PATH this shell hands them (cargo install --path . --root DIR on a filesystem every node sees, DIR/bin on the PATH)"
[ -f "$sweep" ] || fail "$sweep: no such sweep file (paths are relative to this folder, $PWD)"
# The sweep file must load (every variant's scenario), here rather than in N tasks.
portsim sweep "$sweep" --dry-run >/dev/null || fail "$sweep: the sweep does not load (above); nothing submitted"

# A task asking more CPUs than any node of the partition has would wait for ever
# (reason PartitionConfig) without an error: refuse it here. The partition is the one
# sbatch will use: --partition, else $SBATCH_PARTITION, else the default (marked "*").
queue=${partition:-${SBATCH_PARTITION:-$(sinfo --noheader --format=%P | sed -n 's/\*$//p' | head -n 1)}}
[ -n "$queue" ] || fail "sinfo names no default partition: give --partition"
node_cpus=$(sinfo --noheader --Node --format=%c --partition="$queue" | sort -n | tail -n 1)
[ -n "$node_cpus" ] || fail "sinfo lists no nodes in partition $queue"
((cpus <= node_cpus)) ||
  fail "--cpus-per-task $cpus: the largest node of partition $queue has $node_cpus CPUs, so the tasks would wait for ever; give --cpus-per-task $node_cpus or fewer"

common=(--parsable --chdir="$PWD" ${partition:+--partition="$partition"})
mkdir -p "$shards/$n"
array=$(sbatch "${common[@]}" --job-name="portsim-$(basename "$out")" --array="$tasks" \
  --cpus-per-task="$cpus" ${time:+--time="$time"} --output="$shards/$n/slurm-%A_%a.out" \
  "${extra[@]}" "$here/shard.sbatch" "$sweep" "$n" "$shards")
array=${array%%;*}
merge_args=("$here/merge.sbatch" "$sweep" "$n" "$shards" "$out")
if ! merge=$(sbatch "${common[@]}" --job-name="portsim-merge-$(basename "$out")" \
  --dependency=afterany:"$array" --cpus-per-task=1 --output="$shards/$n/slurm-merge-%j.out" \
  "${extra[@]}" "${merge_args[@]}"); then
  fail "job array $array is submitted but its merge is not (above); submit it with: sbatch --dependency=afterany:$array ${merge_args[*]}"
fi
merge=${merge%%;*}
if [ -n "$parsable" ]; then
  echo "$array $merge"
else
  echo "job array $array: tasks $tasks of $n, shards in $shards/$n/I (logs beside them)"
  echo "merge $merge: into $out once every task has ended (log: $shards/$n/slurm-merge-$merge.out)"
fi
