import { STRUCTURAL_REASONS, type StructuralReason } from '../vocabulary.js';
import { approvalGate } from './approval.js';
import { budgetGate } from './budget.js';
import { clusterBudgetGate } from './cluster-budget.js';
import { concurrencyGate } from './concurrency.js';
import { deadlineGate } from './deadline.js';
import { failureCorrelationGate } from './failure-correlation.js';
import { fleetBudgetGate } from './fleet-budget.js';
import { freezeGate } from './freeze.js';
import { maintenanceGate } from './maintenance.js';
import { offlineGate } from './offline.js';
import { soakGate } from './soak.js';
import { verificationFailedGate, verificationGate } from './verification.js';
import { windowGate } from './windows.js';
import { type GateReason, type GateSetting, type GateStage, type WaveGate } from './types.js';

/**
 * The wave gates in the order a pass asks them. Order matters within a stage: a cluster offline is
 * not timed out (nor held for a maintenance it may have ended while silent), and a wave blocked by
 * several kinds reports the first (offline, then maintenance, then concurrency, then deadline).
 * The failure budget comes before failure correlation: a wave over its budget reports the budget.
 * Approval comes before the freeze and the windows, so a wave can be approved while they hold it.
 * Verification comes before soak: soak counts from when the checks passed.
 */
export const GATES = [
  approvalGate,
  freezeGate,
  windowGate,
  offlineGate,
  maintenanceGate,
  concurrencyGate,
  fleetBudgetGate,
  clusterBudgetGate,
  deadlineGate,
  budgetGate,
  failureCorrelationGate,
  verificationFailedGate,
  verificationGate,
  soakGate,
] as const;

type Gate = (typeof GATES)[number];
type ReasonOf<G> = G extends { message(reason: infer R): string } ? R : never;
type SettingOf<G> = G extends { setting: { key: infer K extends string; default: infer S } } ? [K, S] : never;

/** A gate's reason for holding a wave or a cluster. */
export type GateBlockingReason = ReasonOf<Gate>;

/** Why a rollout, wave or cluster is not moving on right now. */
export type BlockingReason = GateBlockingReason | StructuralReason;
export type BlockingKind = BlockingReason['kind'];

/** The gate settings of one wave (all defaults applied): one field per gate. */
export type GateSettings = { [P in SettingOf<Gate> as P[0]]: P[1] };

/** Every blocking kind: the gates', then the structural ones. */
export const BLOCKING_KINDS: readonly BlockingKind[] = [
  ...GATES.map((gate) => gate.kind),
  ...(Object.keys(STRUCTURAL_REASONS) as StructuralReason['kind'][]),
];

/** The registry as the engine walks it (the per-gate reason types are erased here). */
export function gatesAt(...stages: GateStage[]): readonly AnyGate[] {
  return (GATES as readonly AnyGate[]).filter((gate) =>
    (typeof gate.stage === 'string' ? [gate.stage] : gate.stage).some((stage) => stages.includes(stage)),
  );
}

type AnyGate = Omit<WaveGate<GateReason, string, unknown>, 'setting'> & {
  setting: GateSetting<string, unknown> | undefined;
};

/** The gates with a wave setting in the plan. */
const TUNED = (GATES as readonly AnyGate[]).flatMap((gate) =>
  gate.setting === undefined ? [] : [{ gate, setting: gate.setting }],
);

function gateOf(kind: string): AnyGate | undefined {
  return (GATES as readonly AnyGate[]).find((gate) => gate.kind === kind);
}

/** Defaults of every gate setting. */
export function defaultGateSettings(): GateSettings {
  return Object.fromEntries(TUNED.map(({ setting }) => [setting.key, setting.default])) as GateSettings;
}

/** Reads every gate setting of a wave from untrusted input, collecting `${path}.<key>: …` errors. */
export function parseGateSettings(
  raw: Record<string, unknown>,
  path: string,
  errors: string[],
): GateSettings {
  return Object.fromEntries(
    TUNED.map(({ setting }) => [setting.key, setting.parse(raw[setting.key], path, errors)]),
  ) as GateSettings;
}

export const GATE_SETTING_KEYS: readonly string[] = TUNED.map(({ setting }) => setting.key);

/** One line for people about a blocking reason (times in UTC, ISO 8601 to the second). */
export function blockingMessage(reason: BlockingReason): string {
  const gate = gateOf(reason.kind);
  if (gate !== undefined) return gate.message(reason);
  return STRUCTURAL_REASONS[reason.kind as StructuralReason['kind']];
}

/** When a rollout held by this reason should be looked at again on its own; null: on a change only. */
export function recheckAt(reason: BlockingReason): Date | null {
  return gateOf(reason.kind)?.recheckAt?.(reason) ?? null;
}

/** The setting a gate reads from a wave (undefined for a gate without one). */
export function settingOf(gate: AnyGate, wave: GateSettings): unknown {
  return gate.setting === undefined ? undefined : (wave as Record<string, unknown>)[gate.setting.key];
}
