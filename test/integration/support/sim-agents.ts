import { randomUUID } from 'node:crypto';
import { type RegisterResponse } from '@fleetwave/contracts';
import { type Producer } from 'kafkajs';
import { producerSink } from '../../harness/report-sinks.js';
import { SimAgent, type SimAgentOptions } from '../../harness/sim-agent.js';
import { registerCluster } from './graphql.js';
import { type TestHub } from './hub.js';

/** A simulated agent of a registered cluster on a test hub, its reports awaited one by one. */
export function simAgentOf(
  hub: TestHub,
  identity: RegisterResponse,
  producer: Producer,
  options: Partial<SimAgentOptions> = {},
): SimAgent {
  // The version it registered with, so its reports do not change the cluster's agent version.
  return new SimAgent({
    hubUrl: hub.url,
    identity,
    reports: producerSink(producer),
    agentVersion: '0.1.0',
    ...options,
  });
}

/** Registers a cluster with a random name and no facts; the agent is not started. */
export async function registerSimAgent(
  hub: TestHub,
  producer: Producer,
  labels: Record<string, string> = {},
): Promise<SimAgent> {
  const identity = await registerCluster(hub, `sim-${randomUUID().slice(0, 8)}`, labels, {});
  return simAgentOf(hub, identity, producer);
}
