# Shared preamble of the Go builds in test/kube (build-kube.sh, build-helm.sh): cache paths, logging,
# the local Go toolchain (never downloaded), build parallelism and a timed runner. Sourced; the caller
# sets BUILD_TAG (log prefix) and GO_NEEDED_BY (named when Go is missing) first.
# shellcheck shell=bash disable=SC2034  # the variables are for the sourcing script

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
CACHE_ROOT="${FLEETWAVE_CACHE_DIR:-$REPO_ROOT/.cache}"
KUBE_CACHE="$CACHE_ROOT/kube"
BIN_DIR="$KUBE_CACHE/bin"
SRC_DIR="$KUBE_CACHE/src"
LOG_DIR="$KUBE_CACHE/logs"

log() { printf '[%s %s] %s\n' "$BUILD_TAG" "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- Go toolchain
GO="${GO:-}"
if [[ -z "$GO" ]]; then
  if command -v go >/dev/null 2>&1; then
    GO="$(command -v go)"
  elif [[ -x /usr/local/go/bin/go ]]; then
    GO=/usr/local/go/bin/go
  else
    die "'go' not found on PATH (nor /usr/local/go/bin/go): install Go >= 1.26 ($GO_NEEDED_BY needs it), or set GO=/path/to/go"
  fi
fi
# Never let a dependency's `toolchain` line trigger a toolchain download.
export GOTOOLCHAIN=local
export CGO_ENABLED=0
GO_VERSION="$("$GO" env GOVERSION)"     # e.g. go1.26.8

NPROC="$(nproc 2>/dev/null || echo 2)"
JOBS="${FLEETWAVE_BUILD_JOBS:-$(( NPROC < 2 ? NPROC : 2 ))}"
export GOMAXPROCS="${GOMAXPROCS:-$JOBS}"

# version_ge A B: true when Go version A >= B (both like 1.24.0 / 1.24)
version_ge() { [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]; }

# Run a command under /usr/bin/time -v (when available), printing wall time and
# peak RSS. Full output goes to $LOG_DIR/<name>.log.
timed() {
  local name="$1"; shift
  local logf="$LOG_DIR/$name.log"
  local start end rc=0
  start="$(date +%s)"
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -v -o "$logf.time" "$@" 2>&1 | tee "$logf" | sed -u "s/^/[$BUILD_TAG]   /" >&2 || rc=$?
    # pipefail: rc is the status of the first failing element (the build)
  else
    "$@" 2>&1 | tee "$logf" | sed -u "s/^/[$BUILD_TAG]   /" >&2 || rc=$?
  fi
  end="$(date +%s)"
  if (( rc != 0 )); then
    die "$name failed (exit $rc) after $((end - start))s; see $logf"
  fi
  if [[ -f "$logf.time" ]]; then
    local rss
    rss="$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$logf.time")"
    log "$name done in $((end - start))s, peak RSS $(( ${rss:-0} / 1024 )) MiB"
  else
    log "$name done in $((end - start))s"
  fi
}

