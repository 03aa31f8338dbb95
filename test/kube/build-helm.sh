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

mkdir -p "$BIN_DIR" "$SRC_DIR" "$LOG_DIR"

# Serialise concurrent invocations (e.g. two test runs starting at once).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$KUBE_CACHE/.build-helm.lock"
  if ! flock -n 9; then
    log "another build-helm.sh is running; waiting for its lock"
    flock 9
  fi
fi

# "v3.22.0" from `helm version`, or nothing.
probe_helm() {
  [[ -x "$1" ]] || return 0
  "$1" version --template '{{.Version}}' 2>/dev/null | head -n1 || true
}

# Add `helm=<version>` to bin/VERSIONS (build-kube.sh rewrites that file on every run, so this
# runs on the cached path too); other lines are kept.
record_version() {
  local f="$BIN_DIR/VERSIONS"
  if [[ -f "$f" ]]; then
    grep -v '^helm=' "$f" > "$f.tmp.$$" || true
  else
    : > "$f.tmp.$$"
  fi
  printf 'helm=%s\n' "$HELM_VERSION" >> "$f.tmp.$$"
  mv -f "$f.tmp.$$" "$f"
}

log "cache: $BIN_DIR"
log "wanted: helm $HELM_VERSION"

if [[ "${FLEETWAVE_FORCE_REBUILD:-0}" != 1 ]]; then
  got="$(probe_helm "$BIN_DIR/helm")"
  if [[ "$got" == "$HELM_VERSION" ]]; then
    log "helm $got: cached, skipping"
    record_version
    exit 0
  fi
  log "helm: have '${got:-none}', want $HELM_VERSION: will build"
fi

log "go: $GO ($GO_VERSION), GOMAXPROCS=$GOMAXPROCS, -p $JOBS, GOMODCACHE=$("$GO" env GOMODCACHE), GOCACHE=$("$GO" env GOCACHE)"
total_start="$(date +%s)"

# ------------------------------------------------------------ resolve sources
log "helm: fetching helm.sh/helm/v3@$HELM_VERSION"
info="$(gomod_json "helm.sh/helm/v3@$HELM_VERSION")"
upstream_mod="$(json_field "$info" GoMod)"
[[ -f "$upstream_mod" ]] || die "could not download helm.sh/helm/v3@$HELM_VERSION"
# The tag's commit, when the proxy recorded the module's origin; else the module checksum.
commit="$(json_field "$info" Hash)"
[[ -n "$commit" ]] || commit="$(json_field "$info" Sum)"

need="$(sed -n 's/^go[[:space:]]\{1,\}\([0-9.]*\).*/\1/p' "$upstream_mod" | head -n1)"
if [[ -n "$need" ]] && ! version_ge "${GO_VERSION#go}" "$need"; then
  die "helm.sh/helm/v3@$HELM_VERSION needs Go $need but the installed toolchain is $GO_VERSION"
fi
log "helm.sh/helm/v3@$HELM_VERSION: go.mod wants go $need, have $GO_VERSION: ok"
if grep -q '^[[:space:]]*replace\b\|^replace[[:space:]]*(' "$upstream_mod"; then
  log "warning: upstream go.mod has replace directives, which a wrapper module does not inherit"
fi

w="$SRC_DIR/helm-$HELM_VERSION"
mkdir -p "$w"
(
  cd "$w"
  rm -f go.mod go.sum
  "$GO" mod init fleetwave.local/helmbuild >/dev/null 2>&1
  "$GO" mod edit -go="$need"
  # Keep upstream's GODEBUG defaults (godebug lines apply only in the main module).
  while IFS= read -r line; do
    [[ -n "$line" ]] && "$GO" mod edit -godebug="$line"
  done < <(sed -n 's/^godebug[[:space:]]\{1,\}\([^ ]*=[^ ]*\).*/\1/p' "$upstream_mod")
  cat > tools.go <<'GOEOF'
//go:build tools

// Package helmbuild only pins the helm main package Fleetwave builds.
package helmbuild

import _ "helm.sh/helm/v3/cmd/helm"
GOEOF
  log "helm: resolving dependencies (go get)"
  timed helm-go-get "$GO" get "helm.sh/helm/v3@$HELM_VERSION" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  "$GO" list -m helm.sh/helm/v3 | grep -qx "helm.sh/helm/v3 $HELM_VERSION" \
    || die "helm.sh/helm/v3 resolved to $("$GO" list -m helm.sh/helm/v3), not $HELM_VERSION"
)

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
record_version
