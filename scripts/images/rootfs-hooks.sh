#!/usr/bin/env bash
# mmdebstrap hooks for the locally made base images (scripts/images.sh): an extract hook for the
# extract variant (which runs no customize hook), customize hooks otherwise. Each turns a Debian
# trixie rootfs into a stand-in for the registry image of the same name; what still differs is
# listed in docs/operating.md ("Images without a registry").
#   rootfs-hooks.sh distroless ROOT          gcr.io/distroless/nodejs20-debian13 (no shell)
#   rootfs-hooks.sh distroless-finish ROOT   its last step, run on the finished directory
#   rootfs-hooks.sh node ROOT NPM_TGZ        docker.io/library/node:20-trixie-slim
#   rootfs-hooks.sh golang ROOT GOROOT       docker.io/library/golang:1.26-trixie
set -euo pipefail

kind="$1"
root="$2"
cd "$root"

# Debian's packages install into /usr only (merged /usr); base-files' usrmerge links are made by
# maintainer scripts, which the extract variant does not run.
usrmerge_links() {
  local d
  for d in bin lib lib64 sbin; do
    [ -e "$d" ] || [ -L "$d" ] || ln -s "usr/$d" "$d"
  done
}

case "$kind" in
  distroless)
    usrmerge_links
    # The CA bundle update-ca-certificates would write (Debian's node also reads it at start-up).
    mkdir -p etc/ssl/certs
    cat usr/share/ca-certificates/mozilla/*.crt > etc/ssl/certs/ca-certificates.crt
    # distroless' users: root, nobody and nonroot (65532), no login shells.
    cat > etc/passwd <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
PASSWD
    cat > etc/group <<'GROUP'
root:x:0:
nobody:x:65534:
tty:x:5:
staff:x:50:
nonroot:x:65532:
GROUP
    mkdir -p root home/nonroot tmp
    chmod 700 root
    chown 65532:65532 home/nonroot
    chmod 1777 tmp
    # distroless' node lives at /nodejs/bin/node (its entrypoint); Debian's at /usr/bin/node.
    mkdir -p nodejs/bin
    ln -sf /usr/bin/node nodejs/bin/node
    # Package records for image scanners, as distroless keeps them (no dpkg database).
    mkdir -p var/lib/dpkg/status.d
    for deb in var/cache/apt/archives/*.deb; do
      [ -e "$deb" ] || continue
      pkg="$(dpkg-deb -f "$deb" Package)"
      dpkg-deb -f "$deb" > "var/lib/dpkg/status.d/$pkg"
    done
    # Only node and what it links: no shell, no package manager, no perl or openssl tools.
    rm -rf usr/bin/debconf* usr/bin/c_rehash usr/bin/openssl usr/share/debconf usr/share/perl5 \
      usr/lib/x86_64-linux-gnu/perl5 var/cache/debconf usr/share/man usr/share/lintian \
      usr/share/bash-completion usr/share/gdb usr/share/doc-base usr/share/locale usr/share/info
    # Keep the licences, drop the rest of /usr/share/doc.
    find usr/share/doc -type f ! -name copyright -delete 2>/dev/null || true
    find usr/share/doc -type d -empty -delete 2>/dev/null || true
    ;;
  distroless-finish)
    # After mmdebstrap's own clean-up, which still needs its apt configuration.
    rm -rf etc/apt etc/dpkg var/lib/apt var/cache/apt var/log/apt var/log/dpkg.log
    ;;
  node)
    # npm as the official image ships it: the npm package from the npm registry in /usr/local.
    npm_tgz="$3"
    mkdir -p usr/local/lib/node_modules/npm usr/local/bin
    tar -xzf "$npm_tgz" -C usr/local/lib/node_modules/npm --strip-components=1
    ln -sf ../lib/node_modules/npm/bin/npm-cli.js usr/local/bin/npm
    ln -sf ../lib/node_modules/npm/bin/npx-cli.js usr/local/bin/npx
    ;;
  golang)
    # The official Go toolchain as the golang image ships it, in /usr/local/go; GOPATH /go.
    goroot="$3"
    mkdir -p usr/local/go go/bin go/src
    tar -C "$goroot" --exclude=./pkg/obj --exclude=./test -cf - . | tar -C usr/local/go -xf -
    chmod 1777 go
    ;;
  *)
    echo "rootfs-hooks.sh: unknown kind $kind" >&2
    exit 2
    ;;
esac
