#!/usr/bin/env bash
# Builds (and caches) the `kustomize` binary the Kustomize renderer runs
# (services/hub/src/git/renderers/kustomize.renderer.ts and its spec):
#
#   kustomize   (sigs.k8s.io/kustomize/kustomize/v5)
#
# Compiled from the Go module proxy with the local Go toolchain, in a small wrapper module, the
# same way test/kube/build-helm.sh builds helm. The release version and the release date are
# stamped in with -ldflags (sigs.k8s.io/kustomize/api/provenance, like upstream's release build),
# so `kustomize version` reports the release.
# Output: ${FLEETWAVE_CACHE_DIR:-<repo>/.cache}/kube/bin/kustomize (beside helm; see kubeBinDir() in
# test/kube/fleet.ts)
#
# Idempotent: kustomize is rebuilt only when it is missing or does not report the wanted version.
# The Go module cache and build cache stay in Go's defaults (go env GOMODCACHE / GOCACHE).
# Cold build: ~1 min on 2 cores (measured 56 s with empty Go caches while a Kubernetes build shared
# the cores: 3 s module downloads + 52 s compile, peak RSS ~310 MiB); ~2 s with warm Go caches; a
# check of the cached binary ~0.02 s.
#
# Environment knobs:
#   FLEETWAVE_CACHE_DIR         cache root (default <repo>/.cache)
#   FLEETWAVE_KUSTOMIZE_VERSION sigs.k8s.io/kustomize/kustomize/v5 tag (default below)
#   FLEETWAVE_BUILD_JOBS        go build -p (default: nproc, at most 2)
#   FLEETWAVE_FORCE_REBUILD=1   rebuild even when the cached binary matches
set -euo pipefail

# v5.8.3 needs Go 1.27; keep this in step with docs/applications.md.
KUSTOMIZE_VERSION="${FLEETWAVE_KUSTOMIZE_VERSION:-v5.8.2}"
KUSTOMIZE_MODULE=sigs.k8s.io/kustomize/kustomize/v5

BUILD_TAG=build-kustomize
GO_NEEDED_BY="kustomize $KUSTOMIZE_VERSION"
# shellcheck source=test/kube/go-build-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/go-build-lib.sh"
export GOFLAGS=-mod=mod

mkdir -p "$BIN_DIR" "$SRC_DIR" "$LOG_DIR"
take_build_lock build-kustomize

# "v5.8.2" from `kustomize version`, or nothing.
probe_kustomize() {
  [[ -x "$1" ]] || return 0
  "$1" version 2>/dev/null | head -n1 || true
}

log "cache: $BIN_DIR"
log "wanted: kustomize $KUSTOMIZE_VERSION"

if [[ "${FLEETWAVE_FORCE_REBUILD:-0}" != 1 ]]; then
  got="$(probe_kustomize "$BIN_DIR/kustomize")"
  if [[ "$got" == "$KUSTOMIZE_VERSION" ]]; then
    log "kustomize $got: cached, skipping"
    record_version kustomize "$KUSTOMIZE_VERSION"
    exit 0
  fi
  log "kustomize: have '${got:-none}', want $KUSTOMIZE_VERSION: will build"
fi

log "go: $GO ($GO_VERSION), GOMAXPROCS=$GOMAXPROCS, -p $JOBS, GOMODCACHE=$("$GO" env GOMODCACHE), GOCACHE=$("$GO" env GOCACHE)"
total_start="$(date +%s)"

resolve_release "$KUSTOMIZE_MODULE" "$KUSTOMIZE_VERSION"
w="$SRC_DIR/kustomize-$KUSTOMIZE_VERSION"
wrapper_module "$w" kustomizebuild "$KUSTOMIZE_MODULE" "$KUSTOMIZE_VERSION" "$KUSTOMIZE_MODULE"

ldflags="-s -w"
ldflags+=" -X sigs.k8s.io/kustomize/api/provenance.version=$KUSTOMIZE_VERSION"
# The proxy's release time rather than now: the same release builds the same binary.
ldflags+=" -X sigs.k8s.io/kustomize/api/provenance.buildDate=${RELEASE_TIME:-unknown}"

stage="$w/out"
rm -rf "$stage"; mkdir -p "$stage"
log "kustomize: compiling (cold: ~1 min on 2 cores, ~2 s with a warm Go build cache)"
(
  cd "$w"
  timed kustomize-build "$GO" build -p "$JOBS" -trimpath -ldflags "$ldflags" -o "$stage/kustomize" "$KUSTOMIZE_MODULE"
)
[[ -x "$stage/kustomize" ]] || die "expected $stage/kustomize after build"
mv -f "$stage/kustomize" "$BIN_DIR/kustomize"
got="$(probe_kustomize "$BIN_DIR/kustomize")"
[[ "$got" == "$KUSTOMIZE_VERSION" ]] || die "kustomize reports '$got' after build, expected $KUSTOMIZE_VERSION"
log "kustomize $got: built in $(( $(date +%s) - total_start ))s"
record_version kustomize "$KUSTOMIZE_VERSION"
