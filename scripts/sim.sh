#!/usr/bin/env bash
# The fleet simulator (`npm run sim -- <scenario> [options]`, see bench/sim/main.ts): installs what
# it needs (npm packages, the Kafka jars), builds the hub, then runs thousands of simulated agents
# against real hub processes, Kafka and PostgreSQL. No Kubernetes needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
npx tsx test/harness/prepare-kafka.ts
npx tsc -b tsconfig.build.json
exec npx tsx bench/sim/main.ts "$@"
