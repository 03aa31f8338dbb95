# Shared preamble of the Go builds in test/kube (build-kube.sh, build-helm.sh, build-kustomize.sh,
# build-registry.sh): cache paths, logging, the local Go toolchain (never downloaded), build
# parallelism, a timed runner, and the steps of a one-tool release build. Sourced; the caller sets
# BUILD_TAG (log prefix) and GO_NEEDED_BY (named when Go is missing) first.
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


# ------------------------------------------------- single-tool builds (build-helm.sh & co.)
# What a build script that compiles one release's main package into $BIN_DIR shares: a lock, the
# release's go.mod and commit from the module proxy, a wrapper module pinning it, and the VERSIONS
# line. Each script keeps its own version probe and -ldflags (they differ per tool).

# `go mod download -json MODULE@VERSION`, dying with Go's error when it fails.
gomod_json() {
  local out
  out="$("$GO" mod download -json "$1" 2>&1)" || true
  if ! printf '%s\n' "$out" | grep -q '"GoMod":'; then
    die "go mod download $1 failed: $(printf '%s\n' "$out" | sed -n 's/^[[:space:]]*"Error": "\(.*\)",\{0,1\}$/\1/p')${out:+ }$(printf '%s' "$out" | grep -v '^[[:space:]]*[{}"]' | head -n3)"
  fi
  printf '%s\n' "$out"
}
# json_field JSON FIELD: the first `"FIELD": "value"` string in the JSON text.
json_field() {
  printf '%s\n' "$1" | sed -n "s/^[[:space:]]*\"$2\": \"\(.*\)\",\{0,1\}\$/\1/p" | head -n1
}

# take_build_lock NAME: serialise concurrent runs of one build script (e.g. two test runs starting
# at once); the lock is held until the script exits.
take_build_lock() {
  command -v flock >/dev/null 2>&1 || return 0
  exec 9>"$KUBE_CACHE/.$1.lock"
  if ! flock -n 9; then
    log "another $1.sh is running; waiting for its lock"
    flock 9
  fi
}

# record_version TOOL VERSION: `TOOL=VERSION` in bin/VERSIONS (build-kube.sh rewrites that file on
# every run, so this runs on the cached path too); other lines are kept.
record_version() {
  local f="$BIN_DIR/VERSIONS"
  if [[ -f "$f" ]]; then
    grep -v "^$1=" "$f" > "$f.tmp.$$" || true
  else
    : > "$f.tmp.$$"
  fi
  printf '%s=%s\n' "$1" "$2" >> "$f.tmp.$$"
  mv -f "$f.tmp.$$" "$f"
}

# resolve_release MODULE VERSION: downloads the release's go.mod and sets RELEASE_GOMOD (its path),
# RELEASE_COMMIT (the tag's commit when the proxy recorded the module's origin, else the module
# checksum), RELEASE_TIME (the proxy's RFC 3339 time of the version) and RELEASE_GO (its `go`
# line); dies when the installed Go is older than that.
resolve_release() {
  local info
  log "$1: fetching $1@$2"
  info="$(gomod_json "$1@$2")"
  RELEASE_GOMOD="$(json_field "$info" GoMod)"
  [[ -f "$RELEASE_GOMOD" ]] || die "could not download $1@$2"
  RELEASE_COMMIT="$(json_field "$info" Hash)"
  [[ -n "$RELEASE_COMMIT" ]] || RELEASE_COMMIT="$(json_field "$info" Sum)"
  RELEASE_TIME="$(sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' "${RELEASE_GOMOD%.mod}.info" 2>/dev/null | head -n1)"
  RELEASE_GO="$(sed -n 's/^go[[:space:]]\{1,\}\([0-9.]*\).*/\1/p' "$RELEASE_GOMOD" | head -n1)"
  if [[ -n "$RELEASE_GO" ]] && ! version_ge "${GO_VERSION#go}" "$RELEASE_GO"; then
    die "$1@$2 needs Go $RELEASE_GO but the installed toolchain is $GO_VERSION"
  fi
  log "$1@$2: go.mod wants go $RELEASE_GO, have $GO_VERSION: ok"
  if grep -q '^[[:space:]]*replace\b\|^replace[[:space:]]*(' "$RELEASE_GOMOD"; then
    log "warning: upstream go.mod has replace directives, which a wrapper module does not inherit"
  fi
}

# wrapper_module DIR NAME MODULE VERSION MAIN_PKG: a fresh module in DIR that only pins MAIN_PKG of
# MODULE@VERSION (resolve_release first), keeping upstream's `go` line and GODEBUG defaults (godebug
# lines apply only in the main module); dies unless MODULE resolves to exactly VERSION.
wrapper_module() {
  local dir="$1" name="$2" module="$3" version="$4" pkg="$5"
  mkdir -p "$dir"
  (
    cd "$dir"
    rm -f go.mod go.sum
    "$GO" mod init "fleetwave.local/$name" >/dev/null 2>&1
    "$GO" mod edit -go="$RELEASE_GO"
    while IFS= read -r line; do
      [[ -n "$line" ]] && "$GO" mod edit -godebug="$line"
    done < <(sed -n 's/^godebug[[:space:]]\{1,\}\([^ ]*=[^ ]*\).*/\1/p' "$RELEASE_GOMOD")
    cat > tools.go <<GOEOF
//go:build tools

// Package $name only pins the main package Fleetwave builds.
package $name

import _ "$pkg"
GOEOF
    log "$module: resolving dependencies (go get)"
    local args=("$module@$version")
    [[ "$pkg" == "$module" ]] || args+=("$pkg@$version")
    timed "$name-go-get" "$GO" get "${args[@]}"
    "$GO" list -m "$module" | grep -qx "$module $version" \
      || die "$module resolved to $("$GO" list -m "$module"), not $version"
  )
}
