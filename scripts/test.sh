#!/usr/bin/env bash
# The README's test command (`npm test`). On a fresh machine it installs everything the tests need
# (npm packages, Kafka jars, Kubernetes binaries built from source, Debian packages for the real node),
# all cached under .cache/ and
# reused on later runs; then lint, type-check, build, and run the unit, integration and e2e projects.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
step() { echo; echo "=== $* ($(( $(date +%s) - started ))s)"; }

step "bootstrap"
bash scripts/bootstrap.sh

step "Kafka jars"
npx tsx test/harness/prepare-kafka.ts

if [ -x test/kube/build-kube.sh ]; then
  step "Kubernetes binaries (kube-apiserver, controller-manager, scheduler, kubectl, etcd, kwok), helm, kustomize, registry, prometheus"
  bash test/kube/build-kube.sh
  bash test/kube/build-helm.sh
  bash test/kube/build-kustomize.sh
  bash test/kube/build-registry.sh
  bash test/kube/build-prometheus.sh
fi

step "Real node (test/kube/realnode.sh): containerd, runc, CNI plugins, conntrack, buildah (Debian packages)"
bash test/kube/realnode.sh deps

step "Hub and agent images (scripts/images.sh through test/harness/real-node.ts; only when their inputs changed)"
# Built here, before jest, so a cold build (~11-13 min: Debian bases, npm ci) is not inside a test's
# time limit; the real-node e2e then finds them current.
npx tsx -e "import('./test/harness/real-node.ts').then((m) => m.ensureAppImages(['hub', 'agent']))"

step "Chromium (the dashboard e2e test drives Debian's chromium package)"
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  else
    echo "test.sh: Debian's chromium package is missing; install it as root (apt-get install chromium) or run this script as root" >&2
    exit 1
  fi
fi

step "GnuPG and OpenSSH (the signed-commit tests sign with Debian's gpg and ssh-keygen through git)"
if ! command -v gpg >/dev/null || ! command -v gpgconf >/dev/null || ! command -v ssh-keygen >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gnupg openssh-client
  else
    echo "test.sh: Debian's gnupg and openssh-client packages are missing; install them as root (apt-get install gnupg openssh-client) or run this script as root" >&2
    exit 1
  fi
fi

# Lint runs beside type-check + build: each is a single process and the machine has 2 cores, so
# running them one after another left a core idle for a minute. Lint's output is printed after.
step "lint (in the background), type-check, build"
lint_log=$(mktemp)
npm run --silent lint >"$lint_log" 2>&1 &
lint_pid=$!
checked=0
{ npm run --silent typecheck && step "build" && npm run --silent build; } || checked=$?
linted=0
wait "$lint_pid" || linted=$?
step "lint output"
cat "$lint_log"
rm -f "$lint_log"
if [ "$linted" -ne 0 ] || [ "$checked" -ne 0 ]; then
  echo "test.sh: lint exited $linted, type-check/build exited $checked" >&2
  exit 1
fi

step "tests"
npm run --silent jest -- "$@"

step "done"
