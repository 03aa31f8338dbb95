#!/usr/bin/env bash
# Shared first step of the README's two commands: checks the machine's toolchains and installs the
# npm dependencies from the lockfile when they are missing or out of date. Idempotent and quick on reruns.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "bootstrap: $*" >&2; exit 1; }

command -v node >/dev/null || fail "Node.js 20.19+ is required (https://nodejs.org or your distribution's nodejs package)."
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || fail "Node.js 20.19+ is required, found $(node --version)."
command -v java >/dev/null || fail "Java 17+ is required to run Apache Kafka for tests and the demo (Debian: apt-get install openjdk-17-jre-headless)."
command -v mvn >/dev/null || fail "Apache Maven is required to fetch the Kafka jars (Debian: apt-get install maven)."
command -v openssl >/dev/null || fail "OpenSSL is required to make the test Kafka's certificates (Debian: apt-get install openssl)."

# Install only when the lockfile changed since the last install. `npm install --no-save` rather than
# `npm ci`: npm ci refuses this lockfile because it leaves out other platforms' optional native
# packages (@swc/core-*, @unrs/*) that npm itself did not record; --no-save still installs exactly
# the locked versions and never rewrites the lockfile.
stamp=node_modules/.fleetwave-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "bootstrap: installing npm dependencies from package-lock.json"
  npm install --no-save --no-audit --no-fund
  echo "$want" > "$stamp"
fi
