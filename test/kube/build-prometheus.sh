#!/usr/bin/env bash
# Builds (and caches) the Prometheus server the verification-check tests query
# (test/harness/prometheus.ts, test/integration/verification-checks.int-spec.ts):
#
#   prometheus   (github.com/prometheus/prometheus/cmd/prometheus)
#
# Compiled from the Go module proxy with the local Go toolchain, in a small wrapper module, the
# same way test/kube/build-helm.sh builds helm. Prometheus 3.x publishes its Go module as v0.3MM.P
# (v0.316.0 is Prometheus 3.16.0); the release version, the tag's commit and the proxy's release
# time are stamped in with -ldflags (github.com/prometheus/common/version, like upstream's promu),
# so `prometheus --version` reports the release. Built without the `builtinassets` tag: the web UI
# is not embedded (the tests use only the HTTP API, /-/ready and /api/v1/query).
# Output: ${FLEETWAVE_CACHE_DIR:-<repo>/.cache}/kube/bin/prometheus (beside helm)
#
# Idempotent: prometheus is rebuilt only when it is missing or does not report the wanted version.
# The Go module cache and build cache stay in Go's defaults (go env GOMODCACHE / GOCACHE).
# Cold build: 45 min wall on a 2-core machine at load ~25 (~10 min CPU, 25 s module downloads, peak
# RSS 3.2 GiB; see bench/README.md); a check of the cached binary is a `prometheus --version`.
#
# Environment knobs:
#   FLEETWAVE_CACHE_DIR          cache root (default <repo>/.cache)
#   FLEETWAVE_PROMETHEUS_VERSION github.com/prometheus/prometheus module version (default below)
#   FLEETWAVE_BUILD_JOBS         go build -p (default: nproc, at most 2)
#   FLEETWAVE_FORCE_REBUILD=1    rebuild even when the cached binary matches
set -euo pipefail

PROMETHEUS_MODULE_VERSION="${FLEETWAVE_PROMETHEUS_VERSION:-v0.316.0}"
PROMETHEUS_MODULE=github.com/prometheus/prometheus
PROMETHEUS_MAIN="$PROMETHEUS_MODULE/cmd/prometheus"

BUILD_TAG=build-prometheus
GO_NEEDED_BY="prometheus $PROMETHEUS_MODULE_VERSION"
# shellcheck source=test/kube/go-build-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/go-build-lib.sh"
export GOFLAGS=-mod=mod

# v0.316.0 -> 3.16.0 (the release the module version stands for).
[[ "$PROMETHEUS_MODULE_VERSION" =~ ^v0\.([0-9])([0-9]{2})\.([0-9]+)$ ]] \
  || die "cannot derive the Prometheus release from module version $PROMETHEUS_MODULE_VERSION (want v0.3MM.P)"
PROMETHEUS_RELEASE="${BASH_REMATCH[1]}.$((10#${BASH_REMATCH[2]})).${BASH_REMATCH[3]}"

mkdir -p "$BIN_DIR" "$SRC_DIR" "$LOG_DIR"
take_build_lock build-prometheus

# "3.16.0" from `prometheus --version` ("prometheus, version 3.16.0 (branch: ...)"), or nothing.
probe_prometheus() {
  [[ -x "$1" ]] || return 0
  "$1" --version 2>/dev/null | sed -n 's/^prometheus, version \([^ ]*\).*/\1/p' | head -n1 || true
}

skip_if_cached prometheus "$PROMETHEUS_RELEASE" probe_prometheus

resolve_release "$PROMETHEUS_MODULE" "$PROMETHEUS_MODULE_VERSION"
w="$SRC_DIR/prometheus-$PROMETHEUS_MODULE_VERSION"
wrapper_module "$w" prometheusbuild "$PROMETHEUS_MODULE" "$PROMETHEUS_MODULE_VERSION" "$PROMETHEUS_MAIN"

ldflags="-s -w"
ldflags+=" -X github.com/prometheus/common/version.Version=$PROMETHEUS_RELEASE"
ldflags+=" -X github.com/prometheus/common/version.Revision=$RELEASE_COMMIT"
ldflags+=" -X github.com/prometheus/common/version.Branch=HEAD"
ldflags+=" -X github.com/prometheus/common/version.BuildUser=fleetwave"
# The proxy's release time rather than now: the same release builds the same binary.
ldflags+=" -X github.com/prometheus/common/version.BuildDate=${RELEASE_TIME:-unknown}"

log "prometheus: compiling $PROMETHEUS_RELEASE (no builtinassets: API only)"
compile_and_install prometheus "$PROMETHEUS_RELEASE" probe_prometheus "$w" "$PROMETHEUS_MAIN" "$ldflags"
