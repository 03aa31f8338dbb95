#!/usr/bin/env bash
# Builds (and caches) the binaries the Fleetwave fleet harness needs to run
# real Kubernetes control planes on one machine without Docker:
#
#   kube-apiserver, kube-controller-manager, kube-scheduler, kubectl,
#   kubelet, kube-proxy (the real node of test/kube/realnode.sh)      (k8s.io/kubernetes)
#   etcd                                                               (go.etcd.io/etcd/server/v3)
#   kwok, kwokctl                                                      (sigs.k8s.io/kwok)
#   kwok-default-stages.yaml: the Stages kwokctl uses when given none (from the kwok module), so
#   test/kube/fleet.ts can add its own (test/kube/kwok-check-stages.yaml) without losing them
#
# Everything is compiled from the Go module proxy with the local Go toolchain.
# Output: ${FLEETWAVE_CACHE_DIR:-<repo>/.cache}/kube/bin
#
# Idempotent: a binary is rebuilt only when it is missing or does not report the
# wanted version. The Go module cache and build cache stay in Go's defaults
# (go env GOMODCACHE / GOCACHE), so a fresh clone on the same machine rebuilds fast.
#
# Environment knobs:
#   FLEETWAVE_CACHE_DIR       cache root (default <repo>/.cache)
#   FLEETWAVE_KUBE_VERSION    k8s.io/kubernetes tag        (default below)
#   FLEETWAVE_ETCD_VERSION    go.etcd.io/etcd/server/v3 tag (default below)
#   FLEETWAVE_KWOK_VERSION    sigs.k8s.io/kwok tag          (default below)
#   FLEETWAVE_BUILD_JOBS      go build -p (default: nproc, at most 2)
#   FLEETWAVE_FORCE_REBUILD=1 rebuild even when the cached binaries match
set -euo pipefail

KUBE_VERSION="${FLEETWAVE_KUBE_VERSION:-v1.34.4}"
ETCD_VERSION="${FLEETWAVE_ETCD_VERSION:-v3.6.16}"
KWOK_VERSION="${FLEETWAVE_KWOK_VERSION:-v0.8.0}"

BUILD_TAG=build-kube
GO_NEEDED_BY="kwok $KWOK_VERSION and etcd $ETCD_VERSION"
# shellcheck source=test/kube/go-build-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/go-build-lib.sh"

# go mod download -json MODULE@VERSION, then print one field ("GoMod": path of
# its go.mod in the module cache, "Sum": its checksum). Dies with Go's error.
gomod_field() {
  local out value
  out="$("$GO" mod download -json "$1" 2>&1)" || true
  value="$(printf '%s\n' "$out" | sed -n "s/^[[:space:]]*\"$2\": \"\(.*\)\",\{0,1\}\$/\1/p")"
  if [[ -z "$value" ]]; then
    die "go mod download $1 failed: $(printf '%s\n' "$out" | sed -n 's/^[[:space:]]*"Error": "\(.*\)",\{0,1\}$/\1/p')${out:+ }$(printf '%s' "$out" | grep -v '^[[:space:]]*[{}"]' | head -n3)"
  fi
  printf '%s\n' "$value"
}
gomod_file() { gomod_field "$1" GoMod; }
gomod_sum() { gomod_field "$1" Sum; }
# Refuse a module whose `go` line needs a newer Go than installed (with
# GOTOOLCHAIN=local the build would fail later with a less clear message).
check_go_line() {
  local modfile="$1" what="$2" need have
  need="$(sed -n 's/^go[[:space:]]\{1,\}\([0-9.]*\).*/\1/p' "$modfile" | head -n1)"
  have="${GO_VERSION#go}"
  if [[ -n "$need" ]] && ! version_ge "$have" "$need"; then
    die "$what needs Go $need but the installed toolchain is $GO_VERSION"
  fi
  log "$what: go.mod wants go $need, have $GO_VERSION: ok"
}

mkdir -p "$BIN_DIR" "$SRC_DIR" "$LOG_DIR"

# Serialise concurrent invocations (e.g. two test runs starting at once).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$KUBE_CACHE/.build.lock"
  if ! flock -n 9; then
    log "another build-kube.sh is running; waiting for its lock"
    flock 9
  fi
fi

log "cache: $BIN_DIR"
log "go: $GO ($GO_VERSION), GOMAXPROCS=$GOMAXPROCS, -p $JOBS, GOMODCACHE=$("$GO" env GOMODCACHE), GOCACHE=$("$GO" env GOCACHE)"
log "wanted: kubernetes $KUBE_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION"

# ----------------------------------------------------------- version probes
# Each prints the version the binary reports, or nothing.
probe_kube() {   # kube-apiserver / -controller-manager / -scheduler: "Kubernetes v1.34.4"
  [[ -x "$1" ]] || return 0
  "$1" --version 2>/dev/null | sed -n 's/^Kubernetes \(v[^ ]*\).*/\1/p' | head -n1 || true
}
probe_kubectl() {  # "Client Version: v1.34.4"
  [[ -x "$1" ]] || return 0
  "$1" version --client 2>/dev/null | sed -n 's/^Client Version: \(v[^ ]*\).*/\1/p' | head -n1 || true
}
probe_etcd() {   # "etcd Version: 3.6.16"
  [[ -x "$1" ]] || return 0
  "$1" --version 2>/dev/null | sed -n 's/^etcd Version: \([^ ]*\).*/v\1/p' | head -n1 || true
}
probe_kwok() {   # "kwok version v0.8.0 go1.26.8 (linux/amd64)" / "kwokctl version ..."
  [[ -x "$1" ]] || return 0
  "$1" --version 2>/dev/null | grep -oE 'v?[0-9]+\.[0-9]+\.[0-9]+[^ ]*' | head -n1 | sed 's/^v\{0,1\}/v/' || true
}

needs_build() {  # needs_build PROBE BIN WANT
  local got
  [[ "${FLEETWAVE_FORCE_REBUILD:-0}" == 1 ]] && return 0
  got="$("$1" "$BIN_DIR/$2")"
  if [[ "$got" == "$3" ]]; then
    log "$2 $got: cached, skipping"
    return 1
  fi
  log "$2: have '${got:-none}', want $3: will build"
  return 0
}

# Move freshly built binaries from a staging dir into BIN_DIR atomically.
install_bins() {
  local stage="$1"; shift
  local b
  for b in "$@"; do
    [[ -x "$stage/$b" ]] || die "expected $stage/$b after build"
    mv -f "$stage/$b" "$BIN_DIR/$b"
  done
}

# ------------------------------------------------------------- Kubernetes
build_kubernetes() {
  local bins=(kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy)
  local todo=() b
  for b in "${bins[@]}"; do
    if [[ "$b" == kubectl ]]; then
      needs_build probe_kubectl "$b" "$KUBE_VERSION" && todo+=("$b")
    else
      needs_build probe_kube "$b" "$KUBE_VERSION" && todo+=("$b")
    fi
  done
  (( ${#todo[@]} )) || return 0

  local kv="${KUBE_VERSION#v}"            # 1.34.4
  local major="${kv%%.*}"                 # 1
  local minor="${kv#*.}"; minor="${minor%%.*}"   # 34
  local staging_version="v0.${kv#*.}"     # v0.34.4

  log "kubernetes: fetching upstream go.mod of k8s.io/kubernetes@$KUBE_VERSION"
  local upstream_mod sum
  upstream_mod="$(gomod_file "k8s.io/kubernetes@$KUBE_VERSION")"
  [[ -f "$upstream_mod" ]] || die "could not download k8s.io/kubernetes@$KUBE_VERSION"
  sum="$(gomod_sum "k8s.io/kubernetes@$KUBE_VERSION")"
  check_go_line "$upstream_mod" "k8s.io/kubernetes@$KUBE_VERSION"

  # Staging modules = every `k8s.io/X => ./staging/...` replace in upstream go.mod.
  local staging
  mapfile -t staging < <(sed -n 's#^[[:space:]]*\(replace[[:space:]]\{1,\}\)\{0,1\}\(k8s\.io/[A-Za-z0-9._-]*\)[[:space:]]\{1,\}=>[[:space:]]\{1,\}\./staging/.*#\2#p' "$upstream_mod" | sort -u)
  (( ${#staging[@]} > 0 )) || die "found no './staging/' replace lines in $upstream_mod"
  log "kubernetes: ${#staging[@]} staging modules -> $staging_version"

  local w="$SRC_DIR/kubernetes-$KUBE_VERSION"
  mkdir -p "$w"
  (
    cd "$w"
    rm -f go.mod
    "$GO" mod init fleetwave.local/kubebuild >/dev/null 2>&1
    "$GO" mod edit -go="$(sed -n 's/^go[[:space:]]\{1,\}\([0-9.]*\).*/\1/p' "$upstream_mod" | head -n1)"
    local m edits=()
    for m in "${staging[@]}"; do edits+=("-replace=$m=$m@$staging_version"); done
    "$GO" mod edit "${edits[@]}"
    # Keep upstream's GODEBUG defaults (godebug lines apply only in the main module).
    if grep -q '^godebug' "$upstream_mod"; then
      local line
      while IFS= read -r line; do
        "$GO" mod edit -godebug="${line#godebug }"
      done < <(sed -n 's/^godebug[[:space:]]\{1,\}\([^ ]*=[^ ]*\).*/godebug \1/p' "$upstream_mod")
    fi
    cat > tools.go <<GOEOF
//go:build tools

// Package kubebuild only pins the Kubernetes main packages Fleetwave builds.
package kubebuild

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kubelet"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
)
GOEOF
    log "kubernetes: resolving dependencies (go get)"
    timed kubernetes-go-get "$GO" get \
      "k8s.io/kubernetes@$KUBE_VERSION" \
      "k8s.io/kubernetes/cmd/kube-apiserver@$KUBE_VERSION" \
      "k8s.io/kubernetes/cmd/kube-controller-manager@$KUBE_VERSION" \
      "k8s.io/kubernetes/cmd/kube-scheduler@$KUBE_VERSION" \
      "k8s.io/kubernetes/cmd/kubectl@$KUBE_VERSION" \
      "k8s.io/kubernetes/cmd/kubelet@$KUBE_VERSION" \
      "k8s.io/kubernetes/cmd/kube-proxy@$KUBE_VERSION"
    # go get may bump the kubernetes requirement's deps; make sure it stayed put.
    "$GO" list -m k8s.io/kubernetes | grep -qx "k8s.io/kubernetes $KUBE_VERSION" \
      || die "k8s.io/kubernetes resolved to $("$GO" list -m k8s.io/kubernetes), not $KUBE_VERSION"
  )

  local build_date ldflags p
  build_date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  ldflags="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $p.gitVersion=$KUBE_VERSION -X $p.gitMajor=$major -X $p.gitMinor=$minor"
    # No git checkout: the commit is unknown. Record the module checksum instead,
    # and tree state "archive" like upstream does for builds from a source archive.
    ldflags+=" -X $p.gitCommit=${sum:-unknown} -X $p.gitTreeState=archive -X $p.buildDate=$build_date"
  done

  local stage="$w/out"
  rm -rf "$stage"; mkdir -p "$stage"
  local pkgs=()
  for b in "${todo[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$b"); done
  log "kubernetes: compiling ${todo[*]} (cold: ~9 min on 2 cores, ~15 s with a warm Go build cache; progress below)"
  (
    cd "$w"
    timed kubernetes-build "$GO" build -v -mod=mod -p "$JOBS" -trimpath -ldflags "$ldflags" -o "$stage/" "${pkgs[@]}"
  )
  install_bins "$stage" "${todo[@]}"
  for b in "${todo[@]}"; do
    local got
    if [[ "$b" == kubectl ]]; then got="$(probe_kubectl "$BIN_DIR/$b")"; else got="$(probe_kube "$BIN_DIR/$b")"; fi
    [[ "$got" == "$KUBE_VERSION" ]] || die "$b reports '${got}' after build, expected $KUBE_VERSION"
    log "$b $got: built"
  done
}

# ------------------------------------------------------------------- etcd
build_etcd() {
  needs_build probe_etcd etcd "$ETCD_VERSION" || return 0
  local upstream_mod
  upstream_mod="$(gomod_file "go.etcd.io/etcd/server/v3@$ETCD_VERSION")"
  [[ -f "$upstream_mod" ]] || die "could not download go.etcd.io/etcd/server/v3@$ETCD_VERSION"
  check_go_line "$upstream_mod" "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
  local w="$SRC_DIR/etcd-$ETCD_VERSION"
  mkdir -p "$w"
  (
    cd "$w"
    rm -f go.mod
    "$GO" mod init fleetwave.local/etcdbuild >/dev/null 2>&1
    cat > tools.go <<'GOEOF'
//go:build tools

// Package etcdbuild only pins the etcd server main package.
package etcdbuild

import _ "go.etcd.io/etcd/server/v3"
GOEOF
    # server/v3 pins its sibling modules (api, client, pkg) at the same version,
    # so no replace lines are needed.
    timed etcd-go-get "$GO" get "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
    rm -rf out; mkdir -p out
    log "etcd: compiling"
    timed etcd-build "$GO" build -mod=mod -p "$JOBS" -trimpath -ldflags "-s -w" -o out/etcd go.etcd.io/etcd/server/v3
  )
  install_bins "$w/out" etcd
  local got; got="$(probe_etcd "$BIN_DIR/etcd")"
  [[ "$got" == "$ETCD_VERSION" ]] || die "etcd reports '$got' after build, expected $ETCD_VERSION"
  log "etcd $got: built"
}

# ------------------------------------------------------------------- kwok
build_kwok() {
  local todo=() b
  for b in kwok kwokctl; do
    needs_build probe_kwok "$b" "$KWOK_VERSION" && todo+=("$b")
  done
  (( ${#todo[@]} )) || return 0
  local upstream_mod
  upstream_mod="$(gomod_file "sigs.k8s.io/kwok@$KWOK_VERSION")"
  [[ -f "$upstream_mod" ]] || die "could not download sigs.k8s.io/kwok@$KWOK_VERSION"
  check_go_line "$upstream_mod" "sigs.k8s.io/kwok@$KWOK_VERSION"
  local stage="$SRC_DIR/kwok-$KWOK_VERSION/out"
  rm -rf "$stage"; mkdir -p "$stage"
  local pkgs=()
  for b in "${todo[@]}"; do pkgs+=("sigs.k8s.io/kwok/cmd/$b@$KWOK_VERSION"); done
  log "kwok: compiling ${todo[*]}"
  # kwok's go.mod has no replace directives, so plain `go install pkg@version` works.
  # (pkg/consts.Version is already the release version in the tagged source.)
  timed kwok-build env GOBIN="$stage" "$GO" install -p "$JOBS" -trimpath -ldflags "-s -w" "${pkgs[@]}"
  install_bins "$stage" "${todo[@]}"
  for b in "${todo[@]}"; do
    local got; got="$(probe_kwok "$BIN_DIR/$b")"
    [[ "$got" == "$KWOK_VERSION" ]] || die "$b reports '$got' after build, expected $KWOK_VERSION"
    log "$b $got: built"
  done
}

# ------------------------------------------------------------ kwok stages
# kwokctl only falls back to its built-in node and pod Stages when its configuration has none, so a
# fleet that adds Stages must list those too. They are these files of the same kwok release
# (kwokctl's getDefaultNodeStages/getDefaultPodStages for the binary runtime: the heartbeat with a
# lease, whose delays the default update frequency leaves as they are).
export_kwok_stages() {
  local out="$BIN_DIR/kwok-default-stages.yaml"
  local marker="# kwok $KWOK_VERSION default stages"
  if [[ -f "$out" && "$(head -n1 "$out")" == "$marker" && "${FLEETWAVE_FORCE_REBUILD:-0}" != 1 ]]; then
    log "kwok-default-stages.yaml ($KWOK_VERSION): cached, skipping"
    return 0
  fi
  local dir f
  dir="$(gomod_field "sigs.k8s.io/kwok@$KWOK_VERSION" Dir)"
  [[ -d "$dir/kustomize/stage" ]] || die "no kustomize/stage in sigs.k8s.io/kwok@$KWOK_VERSION ($dir)"
  {
    printf '%s\n' "$marker"
    for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
      pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
      [[ -f "$dir/kustomize/stage/$f" ]] || die "sigs.k8s.io/kwok@$KWOK_VERSION has no kustomize/stage/$f"
      printf -- '---\n'
      cat "$dir/kustomize/stage/$f"
    done
  } > "$out.tmp.$$"
  mv -f "$out.tmp.$$" "$out"
  log "kwok-default-stages.yaml ($KWOK_VERSION): written"
}

total_start="$(date +%s)"
build_etcd
build_kwok
build_kubernetes
export_kwok_stages
log "all binaries ready in $BIN_DIR ($(( $(date +%s) - total_start ))s)"
cat > "$BIN_DIR/VERSIONS" <<VEOF
kubernetes=$KUBE_VERSION
etcd=$ETCD_VERSION
kwok=$KWOK_VERSION
go=$GO_VERSION
VEOF
