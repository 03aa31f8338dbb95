#!/usr/bin/env bash
# Builds (and caches) the `helm` binary the chart checks (test/e2e/charts.e2e-spec.ts) use:
#
#   helm   (helm.sh/helm/v3/cmd/helm)
#
# Compiled from the Go module proxy with the local Go toolchain, in a small wrapper module, the
# same way test/kube/build-kube.sh builds the Kubernetes binaries. The release version, the tag's
# git commit (from the module's origin info) and the Kubernetes version helm assumes when it has no
# cluster (`helm template`, `helm lint`) are stamped in with -ldflags, like upstream's Makefile, so
# `helm version` reports the release.
# Output: ${FLEETWAVE_CACHE_DIR:-<repo>/.cache}/kube/bin/helm (the directory the fleet harness puts
# on PATH; see kubeBinDir() in test/kube/fleet.ts)
#
# Idempotent: helm is rebuilt only when it is missing or does not report the wanted version. The Go
# module cache and build cache stay in Go's defaults (go env GOMODCACHE / GOCACHE).
# Cold build: ~5 min on 2 cores (measured 280 s: 32 s module downloads + 247 s compile, peak RSS
# ~850 MiB); ~12 s with warm Go caches; a check of the cached binary ~0.1 s.
#
# Environment knobs:
#   FLEETWAVE_CACHE_DIR       cache root (default <repo>/.cache)
#   FLEETWAVE_HELM_VERSION    helm.sh/helm/v3 tag (default below)
#   FLEETWAVE_BUILD_JOBS      go build -p (default: nproc, at most 2)
#   FLEETWAVE_FORCE_REBUILD=1 rebuild even when the cached binary matches
set -euo pipefail

HELM_VERSION="${FLEETWAVE_HELM_VERSION:-v3.22.0}"

BUILD_TAG=build-helm
GO_NEEDED_BY="helm $HELM_VERSION"
# shellcheck source=test/kube/go-build-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/go-build-lib.sh"
export GOFLAGS=-mod=mod

mkdir -p "$BIN_DIR" "$SRC_DIR" "$LOG_DIR"
take_build_lock build-helm

# "v3.22.0" from `helm version`, or nothing.
probe_helm() {
  [[ -x "$1" ]] || return 0
  "$1" version --template '{{.Version}}' 2>/dev/null | head -n1 || true
}

log "cache: $BIN_DIR"
log "wanted: helm $HELM_VERSION"

if [[ "${FLEETWAVE_FORCE_REBUILD:-0}" != 1 ]]; then
  got="$(probe_helm "$BIN_DIR/helm")"
  if [[ "$got" == "$HELM_VERSION" ]]; then
    log "helm $got: cached, skipping"
    record_version helm "$HELM_VERSION"
    exit 0
  fi
  log "helm: have '${got:-none}', want $HELM_VERSION: will build"
fi

log "go: $GO ($GO_VERSION), GOMAXPROCS=$GOMAXPROCS, -p $JOBS, GOMODCACHE=$("$GO" env GOMODCACHE), GOCACHE=$("$GO" env GOCACHE)"
total_start="$(date +%s)"

# ------------------------------------------------------------ resolve sources
resolve_release helm.sh/helm/v3 "$HELM_VERSION"
commit="$RELEASE_COMMIT"
w="$SRC_DIR/helm-$HELM_VERSION"
wrapper_module "$w" helmbuild helm.sh/helm/v3 "$HELM_VERSION" helm.sh/helm/v3/cmd/helm

# Kubernetes version helm assumes without a cluster: client-go v0.X.Y -> 1.X (as upstream's Makefile).
client_go="$(cd "$w" && "$GO" list -m -f '{{.Version}}' k8s.io/client-go)"   # v0.37.0
k8s_minor="${client_go#v0.}"; k8s_minor="${k8s_minor%%.*}"
[[ "$k8s_minor" =~ ^[0-9]+$ ]] || die "cannot derive the Kubernetes minor version from k8s.io/client-go $client_go"

ldflags="-s -w"
ldflags+=" -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
ldflags+=" -X helm.sh/helm/v3/internal/version.metadata="
ldflags+=" -X helm.sh/helm/v3/internal/version.gitCommit=$commit"
# No git checkout: like a build from a release source archive.
ldflags+=" -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
for p in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
  ldflags+=" -X $p.k8sVersionMajor=1 -X $p.k8sVersionMinor=$k8s_minor"
done

# ------------------------------------------------------------------- compile
stage="$w/out"
rm -rf "$stage"; mkdir -p "$stage"
log "helm: compiling (commit ${commit:0:12}, kube 1.$k8s_minor defaults; cold: ~4 min on 2 cores, ~10 s with a warm Go build cache)"
(
  cd "$w"
  timed helm-build "$GO" build -p "$JOBS" -trimpath -ldflags "$ldflags" -o "$stage/helm" helm.sh/helm/v3/cmd/helm
)
[[ -x "$stage/helm" ]] || die "expected $stage/helm after build"
mv -f "$stage/helm" "$BIN_DIR/helm"
got="$(probe_helm "$BIN_DIR/helm")"
[[ "$got" == "$HELM_VERSION" ]] || die "helm reports '$got' after build, expected $HELM_VERSION"
log "helm $got: built in $(( $(date +%s) - total_start ))s"
record_version helm "$HELM_VERSION"
