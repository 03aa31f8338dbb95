import { isRecord, MAX_CHECKS, parseBase, unknownFields, type VerificationCheck } from './checks.js';
import { CHECK_KINDS } from './kinds/index.js';
import { type WavePlan } from '../engine/plan.js';

/**
 * Reads a wave's `verification` list from untrusted plan input (absent or null: none), pushing
 * `${path}.verification[i]…: …` errors. Pure.
 */
export function parseVerification(raw: unknown, path: string, errors: string[]): VerificationCheck[] {
  const at = `${path}.verification`;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    errors.push(`${at}: must be a list of checks such as [{ name: "healthz", kind: "http", url: "…" }]`);
    return [];
  }
  if (raw.length > MAX_CHECKS) errors.push(`${at}: at most ${MAX_CHECKS} checks`);
  const checks: VerificationCheck[] = [];
  const names = new Set<string>();
  raw.forEach((entry: unknown, index) => {
    const here = `${at}[${index}]`;
    if (!isRecord(entry)) {
      errors.push(`${here}: must be an object`);
      return;
    }
    const kind = CHECK_KINDS.find((k) => k.kind === entry['kind']);
    if (kind === undefined) {
      errors.push(`${here}.kind: must be one of ${CHECK_KINDS.map((k) => k.kind).join(', ')}`);
      return;
    }
    const base = parseBase(entry, here, errors);
    if (base.name !== '' && names.has(base.name))
      errors.push(`${here}.name: duplicate check name "${base.name}"`);
    names.add(base.name);
    unknownFields(entry, kind.fields, here, errors);
    const check = kind.parse(entry, base, here, errors);
    if (check !== undefined) checks.push(check);
  });
  return checks;
}

/** Whether any wave of a stored plan has checks (a plan from before checks has none). */
export function hasVerification(plan: Pick<WavePlan, 'waves' | 'rest'>): boolean {
  return [...plan.waves, plan.rest].some((wave) => (wave.verification?.length ?? 0) > 0);
}
