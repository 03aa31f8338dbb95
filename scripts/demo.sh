#!/usr/bin/env bash
# The README's main command (`npm run demo`): installs what it needs, builds, and starts Fleetwave
# locally: real PostgreSQL and Kafka, the hub, and a fleet of real Kubernetes clusters with an agent
# in each, then a staged rollout. Ctrl-C stops everything.
# --real-node adds one cluster whose node is real (test/kube/realnode.sh), the agent installed in it by
# its Helm chart from the image scripts/images.sh builds (root only; a cold image build takes ~13 min).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
npx tsx test/harness/prepare-kafka.ts
bash test/kube/build-kube.sh
for arg in "$@"; do
  if [[ "$arg" == --real-node ]]; then
    bash test/kube/build-helm.sh
    bash test/kube/realnode.sh deps
  fi
done
npm run --silent build
exec npx tsx scripts/demo.ts "$@"
