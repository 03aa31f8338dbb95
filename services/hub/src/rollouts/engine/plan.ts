import { parseSelector, SelectorError } from '@fleetwave/labels';

/** A count (`3`) or a percentage of the wave's size (`'25%'`). */
export type CountOrPercent = number | `${number}%`;

/** What to do with a cluster that is Offline or Unknown while its wave runs. */
export type OfflinePolicy = 'wait' | 'skip' | 'fail';

/** The gate, pace and failure settings of one wave (all defaults applied). */
export interface WaveSettings {
  /** Clusters of the wave in flight at once; default 1. */
  maxConcurrency: CountOrPercent;
  /** Failed/TimedOut clusters the wave may have without failing the rollout; default 0. */
  failureBudget: CountOrPercent;
  /** Bake time after the whole wave is done, from the hub clock; default 0. */
  soakSeconds: number;
  /** Gate before the wave starts; default false. */
  requireApproval: boolean;
  /** A cluster assigned longer than this without Healthy is TimedOut; default 600. */
  progressDeadlineSeconds: number;
  /** Default 'wait'. */
  offlinePolicy: OfflinePolicy;
}

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
}

/** Name of the implicit final wave. */
export const REST_WAVE = 'rest';

export const DEFAULT_WAVE_SETTINGS: Readonly<WaveSettings> = Object.freeze({
  maxConcurrency: 1,
  failureBudget: 0,
  soakSeconds: 0,
  requireApproval: false,
  progressDeadlineSeconds: 600,
  offlinePolicy: 'wait',
});

/** The plan used when an application has none: every targeted cluster in `rest`, one at a time. */
export function defaultPlan(): WavePlan {
  return { waves: [], rest: { ...DEFAULT_WAVE_SETTINGS }, autoRollback: false };
}

export type ValidatePlanResult = { plan: WavePlan } | { errors: string[] };

const NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const PERCENT_RE = /^(\d{1,3})%$/;
const MAX_WAVES = 50;
const OFFLINE_POLICIES: readonly OfflinePolicy[] = ['wait', 'skip', 'fail'];
const WAVE_KEYS = new Set([
  'name',
  'selector',
  'maxConcurrency',
  'failureBudget',
  'soakSeconds',
  'requireApproval',
  'progressDeadlineSeconds',
  'offlinePolicy',
]);

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
    if (key !== 'waves' && key !== 'rest' && key !== 'autoRollback')
      errors.push(`plan: unknown field "${key}"`);
  }
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
      const settings = validateSettings(raw, path, errors);
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
    rest = validateSettings(rawRest, 'rest', errors);
  }
  const autoRollback = input['autoRollback'] ?? false;
  if (typeof autoRollback !== 'boolean') errors.push('autoRollback: must be a boolean');
  if (errors.length > 0) return { errors };
  return { plan: { waves, rest, autoRollback: autoRollback === true } };
}

function validateSettings(raw: Record<string, unknown>, path: string, errors: string[]): WaveSettings {
  const maxConcurrency = countOrPercent(
    raw['maxConcurrency'],
    DEFAULT_WAVE_SETTINGS.maxConcurrency,
    1,
    `${path}.maxConcurrency`,
    errors,
  );
  const failureBudget = countOrPercent(
    raw['failureBudget'],
    DEFAULT_WAVE_SETTINGS.failureBudget,
    0,
    `${path}.failureBudget`,
    errors,
  );
  const soakSeconds = integer(
    raw['soakSeconds'],
    DEFAULT_WAVE_SETTINGS.soakSeconds,
    0,
    `${path}.soakSeconds`,
    errors,
  );
  const progressDeadlineSeconds = integer(
    raw['progressDeadlineSeconds'],
    DEFAULT_WAVE_SETTINGS.progressDeadlineSeconds,
    1,
    `${path}.progressDeadlineSeconds`,
    errors,
  );
  const rawApproval = raw['requireApproval'] ?? DEFAULT_WAVE_SETTINGS.requireApproval;
  if (typeof rawApproval !== 'boolean') errors.push(`${path}.requireApproval: must be a boolean`);
  const rawPolicy = raw['offlinePolicy'] ?? DEFAULT_WAVE_SETTINGS.offlinePolicy;
  const offlinePolicy = OFFLINE_POLICIES.find((p) => p === rawPolicy);
  if (offlinePolicy === undefined) errors.push(`${path}.offlinePolicy: must be one of wait, skip, fail`);
  return {
    maxConcurrency,
    failureBudget,
    soakSeconds,
    requireApproval: rawApproval === true,
    progressDeadlineSeconds,
    offlinePolicy: offlinePolicy ?? DEFAULT_WAVE_SETTINGS.offlinePolicy,
  };
}

const MAX_SECONDS = 7 * 24 * 3600 * 52;

function integer(raw: unknown, fallback: number, min: number, path: string, errors: string[]): number {
  if (raw === undefined || raw === null) return fallback;
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < min || raw > MAX_SECONDS) {
    errors.push(`${path}: must be an integer from ${min} to ${MAX_SECONDS}`);
    return fallback;
  }
  return raw;
}

function countOrPercent(
  raw: unknown,
  fallback: CountOrPercent,
  min: number,
  path: string,
  errors: string[],
): CountOrPercent {
  if (raw === undefined || raw === null) return fallback;
  if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw) || raw < min) {
      errors.push(`${path}: must be an integer of at least ${min}, or a percentage such as "25%"`);
      return fallback;
    }
    return raw;
  }
  if (typeof raw === 'string') {
    const match = PERCENT_RE.exec(raw.trim());
    const value = match?.[1] === undefined ? NaN : Number(match[1]);
    if (Number.isInteger(value) && value >= 1 && value <= 100) return `${value}%`;
    errors.push(`${path}: percentage must be from 1% to 100%`);
    return fallback;
  }
  errors.push(`${path}: must be a count or a percentage such as "25%"`);
  return fallback;
}

/**
 * Turns a count or percentage into a number of clusters for a wave of `waveSize`. Percentages round
 * up and give at least 1 when the wave is not empty; counts are returned as they are.
 */
export function resolveCount(value: CountOrPercent, waveSize: number): number {
  if (typeof value === 'number') return value;
  if (waveSize <= 0) return 0;
  const percent = Number(value.slice(0, -1));
  return Math.max(1, Math.ceil((waveSize * percent) / 100));
}

/** The waves a rollout walks through: the plan's waves, then `rest` unless the plan names it. */
export function effectiveWaves(plan: WavePlan): Wave[] {
  if (plan.waves.some((wave) => wave.name === REST_WAVE)) return plan.waves;
  return [...plan.waves, { name: REST_WAVE, selector: '', ...plan.rest }];
}
