import { createHash } from 'node:crypto';
import { type Assignment, type RegisterResponse } from '@fleetwave/contracts';
import { matchesSelector, parseSelector, type Selector } from '@fleetwave/labels';
import { type SimBehaviour } from '../../test/harness/sim-agent.js';

/**
 * Per-label rules for what a simulated cluster does with an assignment: `selector:value` pairs
 * separated by `;`, first match wins, e.g. `region=us:0.05;tier=edge:0.2` (failure rates) or
 * `region=us:2000;:200` (apply delays in ms; the empty selector matches every cluster).
 */
export interface LabelRule {
  selector: Selector;
  value: number;
}

export function parseLabelRules(spec: string, what: string): LabelRule[] {
  if (spec.trim() === '') return [];
  return spec.split(';').map((part) => {
    const at = part.lastIndexOf(':');
    const value = Number(part.slice(at + 1));
    if (at < 0 || !Number.isFinite(value) || value < 0) {
      throw new Error(`${what}: "${part}" is not selector:number (e.g. region=us:0.05)`);
    }
    return { selector: parseSelector(part.slice(0, at)), value };
  });
}

export function ruleValue(
  rules: readonly LabelRule[],
  labels: Record<string, string>,
  fallback: number,
): number {
  return rules.find((r) => matchesSelector(r.selector, labels))?.value ?? fallback;
}

/**
 * Whether this cluster fails this bundle, at `rate`: a hash of both rather than a random draw, so a
 * run is reproducible and a retried cluster fails the same bundle again (as a real broken change
 * would).
 */
export function failsBundle(clusterName: string, digest: string, rate: number): boolean {
  if (rate <= 0) return false;
  const h = createHash('sha256').update(`${clusterName}\0${digest}`).digest();
  return h.readUInt32BE(0) / 0x1_0000_0000 < rate;
}

/**
 * A simulated cluster's apply: Progressing for `applyMs`, then Healthy or, at `failureRate`
 * (decided per cluster and bundle), Failed. `onAssigned` sees each new assignment.
 */
export function simulatedApply(
  applyMs: number,
  failureRate: number,
  onAssigned?: (cluster: RegisterResponse, assignment: Assignment) => void,
): SimBehaviour {
  return (assignment, cluster) => {
    onAssigned?.(cluster, assignment);
    const failed = failsBundle(cluster.clusterName, assignment.digest, failureRate);
    return { phase: failed ? 'Failed' : 'Healthy', delayMs: applyMs };
  };
}
