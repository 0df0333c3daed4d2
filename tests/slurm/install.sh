#!/usr/bin/env bash
# Installs Debian's slurm-wlm and munge for tests/slurm/run.sh if they are missing.
#
#   tests/slurm/install.sh    (run as root; does nothing when they are installed)
#
# Exit 0 when they are installed (already or now); exit 3, saying why on stdout, when
# they cannot be (not root, no apt-get, or apt-get failed). `.ci/run` starts it at the
# beginning, beside the builds, so that the download does not wait for them; run.sh
# calls it again (a no-op by then) and skips only on exit 3.
set -euo pipefail

installed() {
  command -v slurmctld >/dev/null && command -v slurmd >/dev/null &&
    command -v sbatch >/dev/null && command -v munged >/dev/null
}
cannot() {
  echo "$*"
  exit 3
}

installed && exit 0
[ "$(id -u)" -eq 0 ] || cannot "slurm-wlm and munge are not installed, and installing them needs root"
command -v apt-get >/dev/null || cannot "slurm-wlm and munge are not installed, and there is no apt-get"
echo "installing slurm-wlm and munge (apt-get)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
install() {
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq \
    --no-install-recommends slurm-wlm munge >>"$log" 2>&1
}
if ! install && ! { timeout 300 apt-get update -qq >>"$log" 2>&1 && install; }; then
  tail -n 5 "$log"
  cannot "apt-get could not install slurm-wlm and munge (above)"
fi
installed || cannot "apt-get installed slurm-wlm and munge, but slurmctld, slurmd, sbatch or munged is still missing"
