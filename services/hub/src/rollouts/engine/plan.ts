import { parseSelector, SelectorError } from '@fleetwave/labels';
import {
  defaultGateSettings,
  GATE_SETTING_KEYS,
  parseGateSettings,
  type GateSettings,
} from './gates/index.js';
import { type TimeWindow } from './gates/types.js';
import { parseWindows } from './gates/windows.js';
import { parseSpreadBy } from './spread.js';
import { parseWatchSettings } from './watch.js';
import { parseVerification } from './verification/plan-checks.js';

export { type CountOrPercent, resolveCount } from './gates/settings.js';
export { type OfflinePolicy } from './vocabulary.js';

/**
 * The gate, pace and failure settings of one wave (all defaults applied): one field per gate, and
 * `spreadBy` (absent: name order), which orders the wave's clusters so each batch covers that
 * label's values evenly.
 */
export type WaveSettings = GateSettings & { spreadBy?: string };

export interface Wave extends WaveSettings {
  /** DNS-1123 label, unique in the plan; `rest` is reserved for the implicit final wave. */
  name: string;
  /** Label selector text (kubectl syntax); a cluster belongs to the first wave it matches. */
  selector: string;
}

/** A normalised wave plan: what a rollout snapshots when it starts. */
export interface WavePlan {
  waves: Wave[];
  /** Settings of the implicit final wave `rest` (targeted clusters that match no wave). */
  rest: WaveSettings;
  /** On a budget breach, request a rollback of the clusters already changed. Default false. */
  autoRollback: boolean;
  /**
   * When new changes may start (allow/deny windows); absent or empty: any time. Only rollouts of a
   * new revision carry them: catch-ups and rollbacks are not held by windows (see docs/rollouts.md).
   */
  windows?: TimeWindow[];
  /** Seconds the hub keeps watching the clusters after the rollout Succeeded; absent: 0, off. */
  watchSeconds?: number;
  /** Roll the rollout back when a cluster degrades while it is watched. Absent: false. */
  rollbackOnWatchFailure?: boolean;
}

/** Name of the implicit final wave. */
export const REST_WAVE = 'rest';

export const DEFAULT_WAVE_SETTINGS: Readonly<WaveSettings> = Object.freeze(defaultGateSettings());

/** The plan used when an application has none: every targeted cluster in `rest`, one at a time. */
export function defaultPlan(): WavePlan {
  return { waves: [], rest: { ...DEFAULT_WAVE_SETTINGS }, autoRollback: false };
}

export type ValidatePlanResult = { plan: WavePlan } | { errors: string[] };

const NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_WAVES = 50;
const PLAN_KEYS = new Set([
  'waves',
  'rest',
  'autoRollback',
  'windows',
  'watchSeconds',
  'rollbackOnWatchFailure',
  'verification',
]);
const WAVE_KEYS = new Set(['name', 'selector', 'spreadBy', ...GATE_SETTING_KEYS]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates untrusted plan input (GraphQL / JSON) and fills the safe defaults. Collects every error,
 * each prefixed with its path (`waves[1].maxConcurrency: ...`).
 */
export function validatePlan(input: unknown): ValidatePlanResult {
  const errors: string[] = [];
  if (input === undefined || input === null) return { plan: defaultPlan() };
  if (!isRecord(input)) return { errors: ['plan: must be an object'] };
  for (const key of Object.keys(input)) {
    if (!PLAN_KEYS.has(key)) errors.push(`plan: unknown field "${key}"`);
  }
  // Plan-wide checks: every wave (and `rest`) without a `verification` of its own runs them.
  const planChecks = parseVerification(input['verification'], 'plan', errors);
  const withChecks = (raw: Record<string, unknown>, settings: WaveSettings): WaveSettings =>
    raw['verification'] === undefined ? { ...settings, verification: planChecks } : settings;
  const rawWaves = input['waves'] ?? [];
  const waves: Wave[] = [];
  if (!Array.isArray(rawWaves)) {
    errors.push('waves: must be a list');
  } else {
    if (rawWaves.length > MAX_WAVES) errors.push(`waves: at most ${MAX_WAVES} waves`);
    const seen = new Set<string>();
    rawWaves.forEach((raw: unknown, index) => {
      const path = `waves[${index}]`;
      if (!isRecord(raw)) {
        errors.push(`${path}: must be an object`);
        return;
      }
      for (const key of Object.keys(raw)) {
        if (!WAVE_KEYS.has(key)) errors.push(`${path}: unknown field "${key}"`);
      }
      const name = raw['name'];
      if (typeof name !== 'string' || !NAME_RE.test(name) || name.length > 63) {
        errors.push(`${path}.name: must be a DNS-1123 label (lowercase letters, digits, '-', at most 63)`);
      } else if (name === REST_WAVE) {
        errors.push(`${path}.name: "${REST_WAVE}" is reserved for the implicit final wave`);
      } else if (seen.has(name)) {
        errors.push(`${path}.name: duplicate wave name "${name}"`);
      } else {
        seen.add(name);
      }
      const selector = raw['selector'] ?? '';
      if (typeof selector !== 'string') {
        errors.push(`${path}.selector: must be a string`);
      } else {
        try {
          parseSelector(selector);
        } catch (error) {
          if (!(error instanceof SelectorError)) throw error;
          errors.push(`${path}.selector: at position ${error.position}: ${error.reason}`);
        }
      }
      const settings = withChecks(raw, waveSettings(raw, path, errors));
      if (typeof name === 'string' && typeof selector === 'string')
        waves.push({ name, selector, ...settings });
    });
  }
  const rawRest = input['rest'] ?? {};
  let rest: WaveSettings = { ...DEFAULT_WAVE_SETTINGS };
  if (!isRecord(rawRest)) {
    errors.push('rest: must be an object');
  } else {
    for (const key of Object.keys(rawRest)) {
      if (!WAVE_KEYS.has(key) || key === 'name' || key === 'selector')
        errors.push(`rest: unknown field "${key}"`);
    }
    rest = withChecks(rawRest, waveSettings(rawRest, 'rest', errors));
  }
  const autoRollback = input['autoRollback'] ?? false;
  if (typeof autoRollback !== 'boolean') errors.push('autoRollback: must be a boolean');
  const windows = parseWindows(input['windows'], errors);
  const watch = parseWatchSettings(input, errors);
  if (errors.length > 0) return { errors };
  const plan: WavePlan = { waves, rest, autoRollback: autoRollback === true };
  if (windows.length > 0) plan.windows = windows;
  // Only when set, so plans stored before the watch existed read the same.
  if (watch.watchSeconds > 0) plan.watchSeconds = watch.watchSeconds;
  if (watch.rollbackOnWatchFailure) plan.rollbackOnWatchFailure = true;
  return { plan };
}

function waveSettings(raw: Record<string, unknown>, path: string, errors: string[]): WaveSettings {
  const settings: WaveSettings = parseGateSettings(raw, path, errors);
  const spreadBy = parseSpreadBy(raw['spreadBy'], path, errors);
  if (spreadBy !== undefined) settings.spreadBy = spreadBy;
  return settings;
}

/** The waves a rollout walks through: the plan's waves, then `rest` unless the plan names it. */
export function effectiveWaves(plan: WavePlan): Wave[] {
  if (plan.waves.some((wave) => wave.name === REST_WAVE)) return plan.waves;
  return [...plan.waves, { name: REST_WAVE, selector: '', ...plan.rest }];
}
