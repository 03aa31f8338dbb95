#!/usr/bin/env bash
# `npm run images`: builds the hub and agent images (services/hub/Dockerfile,
# services/agent/Dockerfile) with buildah: no Docker engine, no daemon.
#
# No image registry is reachable from these machines, so the three images the Dockerfiles start FROM
# are made here from Debian trixie packages with mmdebstrap and tagged with the registry names the
# Dockerfiles use (docs/operating.md, "Images without a registry", lists exactly what differs):
#   gcr.io/distroless/nodejs20-debian13:nonroot   runtime of both images: Debian's nodejs, no shell
#   docker.io/library/node:20-trixie-slim         build stages: Debian's nodejs + npm from the npm registry
#   docker.io/library/golang:1.26-trixie          the hub's helm/kustomize build: this machine's Go toolchain
# Their root filesystems are cached as tarballs under .cache/images/bases (rebuilt when their recipe
# changes, or with FLEETWAVE_IMAGES_REFRESH=1), and imported into buildah's store only when missing.
# The app builds reuse buildah's layer cache: a rerun without changes takes about a minute.
#
# Output: docker.io/fleetwave/hub:<version> and docker.io/fleetwave/agent:<version> in the local
# containers store (the names the charts' defaults resolve to); sizes are printed at the end.
#
# Usage: scripts/images.sh [hub|agent]...   (default: both)
# Environment knobs:
#   FLEETWAVE_CACHE_DIR       cache root (default <repo>/.cache)
#   FLEETWAVE_DEBIAN_MIRROR   Debian archive for mmdebstrap (default: this machine's apt source)
#   FLEETWAVE_IMAGES_REFRESH  1: rebuild the base root filesystems (new Debian package versions)
#   FLEETWAVE_IMAGE_SOURCE    org.opencontainers.image.source label (default: git remote origin)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO_ROOT="$PWD"
CACHE_ROOT="${FLEETWAVE_CACHE_DIR:-$REPO_ROOT/.cache}"
IMG_CACHE="$CACHE_ROOT/images"
HOOKS="$REPO_ROOT/scripts/images/rootfs-hooks.sh"
SUITE=trixie
NPM_VERSION=10.8.2 # the npm the official node:20 images ship
export BUILDAH_ISOLATION=chroot # RUN steps need no OCI runtime (crun refuses this VM's hybrid cgroups)
# This VM lacks CAP_SYS_RESOURCE: RUN steps may not raise rlimits above these.
ULIMITS=(--ulimit nofile=4096:4096 --ulimit nproc=4096:4096)

log() { printf '[images %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ------------------------------------------------------------------------------- tools
ensure_tools() {
  local missing=()
  command -v buildah >/dev/null || missing+=(buildah)
  command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
  # To run the images (bench/images.ts, bench/agent.ts --image): podman with runc, since crun
  # refuses this VM's hybrid cgroups.
  command -v podman >/dev/null || missing+=(podman)
  [[ -x /usr/sbin/runc ]] || missing+=(runc)
  ((${#missing[@]} == 0)) && return 0
  [[ $(id -u) == 0 ]] || die "missing ${missing[*]} (Debian packages): run as root or install them"
  log "installing ${missing[*]} (Debian packages)"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; then
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
  fi
}

# The Debian archive this machine's apt uses (its host is never written down here).
debian_mirror() {
  if [[ -n "${FLEETWAVE_DEBIAN_MIRROR:-}" ]]; then
    echo "$FLEETWAVE_DEBIAN_MIRROR"
    return
  fi
  local m
  m="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}')"
  [[ -n "$m" ]] || m="$(awk '$1 == "deb" && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)"
  [[ -n "$m" ]] || die "no Debian archive in /etc/apt sources: set FLEETWAVE_DEBIAN_MIRROR"
  echo "$m"
}

# ------------------------------------------------------------------------ base images
image_label() { buildah inspect --type image --format "{{index .OCIv1.Config.Labels \"$2\"}}" "$1" 2>/dev/null || true; }

# make_base NAME KIND KEY_EXTRA CONFIG_FN -- MMDEBSTRAP_ARGS...: the rootfs tarball (cached by a key
# over the recipe: the arguments, KIND's part of rootfs-hooks.sh, CONFIG_FN) imported as NAME with
# CONFIG_FN's `buildah config` settings, unless NAME already is it.
make_base() {
  local name="$1" kind="$2" extra="$3" config_fn="$4"
  shift 5
  local key slug tar
  key="$( (printf '%s\n' "$SUITE" "$extra" "$@"; sed -n "/^usrmerge_links()/,/^}/p; /^  $kind)/,/;;/p; /^  $kind-finish)/,/;;/p" "$HOOKS"
    declare -f "$config_fn") | sha256sum | cut -c1-16)"
  slug="$(printf '%s' "$name" | tr '/:' '__')"
  tar="$IMG_CACHE/bases/$slug-$key.tar"
  if [[ "${FLEETWAVE_IMAGES_REFRESH:-0}" == 1 ]]; then rm -f "$tar"; fi
  if [[ ! -f "$tar" ]]; then
    local start=$SECONDS
    log "$name: building its root filesystem from Debian $SUITE packages (mmdebstrap)"
    mkdir -p "$IMG_CACHE/bases" "$IMG_CACHE/logs"
    rm -f "$IMG_CACHE/bases/$slug-"*.tar
    local dir="$IMG_CACHE/bases/$slug.rootfs"
    rm -rf "$dir"
    mmdebstrap --format=directory "$@" "$SUITE" "$dir" "deb $MIRROR $SUITE main" \
      >"$IMG_CACHE/logs/$slug.log" 2>&1 || die "mmdebstrap for $name failed; see $IMG_CACHE/logs/$slug.log"
    if grep -q "^  $kind-finish)" "$HOOKS"; then "$HOOKS" "$kind-finish" "$dir"; fi
    tar -C "$dir" --numeric-owner -cf "$tar.tmp" .
    rm -rf "$dir"
    mv -f "$tar.tmp" "$tar"
    log "$name: root filesystem $(du -m "$tar" | cut -f1) MiB in $((SECONDS - start)) s"
  fi
  if [[ "$(image_label "$name" io.fleetwave.base-key)" == "$key" && "${FLEETWAVE_IMAGES_REFRESH:-0}" != 1 ]]; then
    log "$name: cached"
    return
  fi
  local ctr
  ctr="$(buildah from --quiet scratch)"
  buildah add --quiet "$ctr" "$tar" / >/dev/null
  "$config_fn" "$ctr"
  buildah config --label io.fleetwave.base-key="$key" \
    --label io.fleetwave.base-note="made locally from Debian $SUITE packages by scripts/images.sh" "$ctr"
  buildah commit --quiet --rm "$ctr" "$name" >/dev/null
  log "$name: imported"
}

DEFAULT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

config_distroless() {
  buildah config --entrypoint '["/nodejs/bin/node"]' --user 65532:65532 --workingdir /home/nonroot \
    --env PATH="$DEFAULT_PATH" --env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt "$1"
}
config_node() {
  buildah config --cmd '["node"]' --env PATH="$DEFAULT_PATH" "$1"
}
config_golang() {
  buildah config --cmd '["bash"]' --workingdir /go --env GOLANG_VERSION="${GO_VERSION#go}" \
    --env GOTOOLCHAIN=local --env GOPATH=/go --env PATH="/go/bin:/usr/local/go/bin:$DEFAULT_PATH" "$1"
}

SLIM_DPKG=(--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*'
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright')

make_bases() {
  MIRROR="$(debian_mirror)"
  make_base gcr.io/distroless/nodejs20-debian13:nonroot distroless "" config_distroless -- \
    --variant=extract --include=nodejs,ca-certificates,tzdata,netbase,base-files \
    --extract-hook="$HOOKS distroless \"\$1\""

  local npm_tgz="$IMG_CACHE/downloads/npm-$NPM_VERSION.tgz"
  if [[ ! -f "$npm_tgz" ]]; then
    mkdir -p "$IMG_CACHE/downloads"
    log "fetching npm $NPM_VERSION from the npm registry"
    (cd "$IMG_CACHE/downloads" && npm pack --silent "npm@$NPM_VERSION" >/dev/null)
  fi
  make_base docker.io/library/node:20-trixie-slim node "npm $NPM_VERSION" config_node -- \
    --variant=minbase --include=nodejs,ca-certificates "${SLIM_DPKG[@]}" \
    --customize-hook="$HOOKS node \"\$1\" $npm_tgz"

  local goroot
  command -v go >/dev/null || [[ -x /usr/local/go/bin/go ]] || die "Go 1.26 is needed for the golang base (see README)"
  GO="$(command -v go || echo /usr/local/go/bin/go)"
  GO_VERSION="$("$GO" env GOVERSION)"
  [[ "$GO_VERSION" == go1.26* ]] || die "the golang:1.26-trixie stand-in needs Go 1.26.x, found $GO_VERSION"
  goroot="$("$GO" env GOROOT)"
  make_base docker.io/library/golang:1.26-trixie golang "$GO_VERSION" config_golang -- \
    --variant=minbase --include=ca-certificates "${SLIM_DPKG[@]}" \
    --customize-hook="$HOOKS golang \"\$1\" $goroot"
}

# ------------------------------------------------------------------------- app images
build_image() {
  local app="$1" start=$SECONDS
  local version revision source
  version="$(node -p 'require("./package.json").version')"
  revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
  source="${FLEETWAVE_IMAGE_SOURCE:-$(git remote get-url origin 2>/dev/null || true)}"
  # RUN steps reach the package registries with this machine's CA bundle (it may hold a TLS
  # proxy's CA); mounted for the build only, never copied into a layer.
  local extra=()
  [[ -f /etc/ssl/certs/ca-certificates.crt ]] && extra+=(--volume /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro)
  if [[ "$app" == hub ]]; then
    # The helm/kustomize stage builds with this machine's Go module and build caches (a build flag
    # only: the Dockerfile is unchanged and builds the same binaries without them).
    local gomod gocache
    gomod="$("$GO" env GOMODCACHE)" gocache="$("$GO" env GOCACHE)"
    mkdir -p "$gomod" "$gocache"
    extra+=(--volume "$gomod:/go/pkg/mod" --volume "$gocache:/root/.cache/go-build")
  fi
  log "fleetwave/$app:$version: building (services/$app/Dockerfile)"
  mkdir -p "$IMG_CACHE/logs"
  buildah bud --layers --pull-never "${ULIMITS[@]}" "${extra[@]}" \
    --build-arg VERSION="$version" --build-arg REVISION="$revision" --build-arg SOURCE="$source" \
    -f "services/$app/Dockerfile" -t "docker.io/fleetwave/$app:$version" . \
    >"$IMG_CACHE/logs/$app.log" 2>&1 || { tail -n 30 "$IMG_CACHE/logs/$app.log" >&2; die "building $app failed; see $IMG_CACHE/logs/$app.log"; }
  log "fleetwave/$app:$version: built in $((SECONDS - start)) s"
}

main() {
  local apps=("$@")
  ((${#apps[@]})) || apps=(agent hub)
  ensure_tools
  make_bases
  local app
  for app in "${apps[@]}"; do
    [[ "$app" == hub || "$app" == agent ]] || die "unknown image '$app' (hub or agent)"
    build_image "$app"
  done
  buildah images --format '{{.Name}}:{{.Tag}}  {{.Size}}' | grep -E 'fleetwave/(hub|agent)|distroless|library/(node|golang)' || true
}

main "$@"
