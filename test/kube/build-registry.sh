#!/usr/bin/env bash
# Builds (and caches) the CNCF distribution registry the OCI chart tests run
# (test/harness/oci-registry.ts, test/integration/oci-registry.int-spec.ts):
#
#   registry   (github.com/distribution/distribution/v3/cmd/registry)
#
# Compiled from the Go module proxy with the local Go toolchain, in a small wrapper module, the
# same way test/kube/build-helm.sh builds helm: upstream's own main package (every storage driver
# and auth backend it ships), with the release version and the tag's commit stamped in with
# -ldflags like upstream's Makefile, so `registry --version` reports the release.
# Output: ${FLEETWAVE_CACHE_DIR:-<repo>/.cache}/kube/bin/registry
#
# Idempotent: the registry is rebuilt only when it is missing or does not report the wanted
# version. The Go module cache and build cache stay in Go's defaults (go env GOMODCACHE / GOCACHE).
# Cold build: ~2.5 min on 2 cores (measured 148 s with empty Go caches while a Kubernetes build shared
# the cores: 14 s module downloads + 134 s compile, peak RSS ~760 MiB; the cloud storage drivers are
# most of it); ~11 s with warm Go caches; a check of the cached binary ~0.05 s.
#
# Environment knobs:
#   FLEETWAVE_CACHE_DIR        cache root (default <repo>/.cache)
#   FLEETWAVE_REGISTRY_VERSION github.com/distribution/distribution/v3 tag (default below)
#   FLEETWAVE_BUILD_JOBS       go build -p (default: nproc, at most 2)
#   FLEETWAVE_FORCE_REBUILD=1  rebuild even when the cached binary matches
set -euo pipefail

REGISTRY_VERSION="${FLEETWAVE_REGISTRY_VERSION:-v3.1.2}"
REGISTRY_MODULE=github.com/distribution/distribution/v3
REGISTRY_MAIN="$REGISTRY_MODULE/cmd/registry"

BUILD_TAG=build-registry
GO_NEEDED_BY="registry $REGISTRY_VERSION"
# shellcheck source=test/kube/go-build-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/go-build-lib.sh"
export GOFLAGS=-mod=mod

mkdir -p "$BIN_DIR" "$SRC_DIR" "$LOG_DIR"
take_build_lock build-registry

# "v3.1.2" from `registry --version` ("<binary> github.com/distribution/distribution/v3 v3.1.2"), or nothing.
probe_registry() {
  [[ -x "$1" ]] || return 0
  "$1" --version 2>/dev/null | head -n1 | awk '{ print $3 }' || true
}

log "cache: $BIN_DIR"
log "wanted: registry $REGISTRY_VERSION"

if [[ "${FLEETWAVE_FORCE_REBUILD:-0}" != 1 ]]; then
  got="$(probe_registry "$BIN_DIR/registry")"
  if [[ "$got" == "$REGISTRY_VERSION" ]]; then
    log "registry $got: cached, skipping"
    record_version registry "$REGISTRY_VERSION"
    exit 0
  fi
  log "registry: have '${got:-none}', want $REGISTRY_VERSION: will build"
fi

log "go: $GO ($GO_VERSION), GOMAXPROCS=$GOMAXPROCS, -p $JOBS, GOMODCACHE=$("$GO" env GOMODCACHE), GOCACHE=$("$GO" env GOCACHE)"
total_start="$(date +%s)"

resolve_release "$REGISTRY_MODULE" "$REGISTRY_VERSION"
w="$SRC_DIR/registry-$REGISTRY_VERSION"
wrapper_module "$w" registrybuild "$REGISTRY_MODULE" "$REGISTRY_VERSION" "$REGISTRY_MAIN"

ldflags="-s -w"
ldflags+=" -X $REGISTRY_MODULE/version.version=$REGISTRY_VERSION"
ldflags+=" -X $REGISTRY_MODULE/version.revision=$RELEASE_COMMIT"
ldflags+=" -X $REGISTRY_MODULE/version.mainpkg=$REGISTRY_MODULE"

stage="$w/out"
rm -rf "$stage"; mkdir -p "$stage"
log "registry: compiling (cold: ~2.5 min on 2 cores, ~10 s with a warm Go build cache)"
(
  cd "$w"
  timed registry-build "$GO" build -p "$JOBS" -trimpath -ldflags "$ldflags" -o "$stage/registry" "$REGISTRY_MAIN"
)
[[ -x "$stage/registry" ]] || die "expected $stage/registry after build"
mv -f "$stage/registry" "$BIN_DIR/registry"
got="$(probe_registry "$BIN_DIR/registry")"
[[ "$got" == "$REGISTRY_VERSION" ]] || die "registry reports '$got' after build, expected $REGISTRY_VERSION"
log "registry $got: built in $(( $(date +%s) - total_start ))s"
record_version registry "$REGISTRY_VERSION"
