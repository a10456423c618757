# Shared settings of the e2e scripts: pinned upstream versions, where binaries and images are
# cached (outside the repo, reused between runs) and where a running cluster keeps its state.
# Sourced by e2e/cluster, e2e/build-binaries, e2e/build-images.
# shellcheck disable=SC2034  # the settings are used by the scripts that source this file
set -euo pipefail

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Pinned upstream releases, all built from the Go module proxy.
# Kubernetes 1.34: the newest minor that still runs on cgroup v1 without opting in
# (1.35 refuses cgroup v1 by default) and supports containerd 1.x (Debian bookworm: 1.6.20).
KUBE_VERSION=v1.34.10
ETCD_VERSION=v3.6.16
COREDNS_VERSION=v1.12.4
MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
HELM_VERSION=v3.17.3
PAUSE_VERSION=3.10.1      # the version of Kubernetes' build/pause it is built from
DEBIAN_SUITE=bookworm

CACHE=${STREAMJOB_E2E_CACHE:-$HOME/.cache/streamjob-e2e}
STATE=${STREAMJOB_E2E_STATE:-/var/lib/streamjob-e2e}   # certs, etcd data, containerd root, logs
RUNDIR=/run/streamjob-e2e                               # sockets and pid files

KUBE_BIN=$CACHE/kubernetes-$KUBE_VERSION/bin
ETCD_BIN=$CACHE/etcd-$ETCD_VERSION/bin
COREDNS_BIN=$CACHE/coredns-$COREDNS_VERSION/bin
MINIO_BIN=$CACHE/minio-$MINIO_VERSION/bin
HELM_BIN=$CACHE/helm-$HELM_VERSION/bin

log() { echo "[e2e $(date +%T)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# apt-get install what is missing (no-op when everything is there).
need_debs() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  [ -n "$(find /var/lib/apt/lists -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ] || apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
