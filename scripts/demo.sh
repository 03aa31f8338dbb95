#!/usr/bin/env bash
# The README's main command (`npm run demo`): installs what it needs, builds, and starts Fleetwave
# locally: real PostgreSQL and Kafka, the hub, and a fleet of real Kubernetes clusters with an agent
# in each, then a staged rollout. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
npx tsx test/harness/prepare-kafka.ts
bash test/kube/build-kube.sh
npm run --silent build
exec npx tsx scripts/demo.ts "$@"
