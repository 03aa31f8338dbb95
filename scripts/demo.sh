#!/usr/bin/env bash
# The README's main command (`npm run demo`): installs what it needs, builds, and starts Fleetwave
# locally on real PostgreSQL and Kafka. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
npx tsx test/harness/prepare-kafka.ts
npm run --silent build
exec npx tsx scripts/demo.ts "$@"
