import {
  type CheckBase,
  isRecord,
  MAX_CHECKS,
  parseBase,
  unknownFields,
  type VerificationCheck,
} from './checks.js';
import { parseHttpCheck, parseJobCheck, parsePrometheusCheck } from './kind-fields.js';

/** Each kind's own plan fields and their parser; a new kind adds a line here and a file in rollouts/verification/kinds/. */
const CHECK_FIELDS: readonly {
  kind: VerificationCheck['kind'];
  fields: readonly string[];
  parse: (
    raw: Record<string, unknown>,
    base: CheckBase,
    path: string,
    errors: string[],
  ) => VerificationCheck | undefined;
}[] = [
  { kind: 'http', fields: ['method', 'url', 'expectedStatus', 'condition'], parse: parseHttpCheck },
  { kind: 'prometheus', fields: ['query', 'threshold', 'compare'], parse: parsePrometheusCheck },
  { kind: 'job', fields: ['image', 'command', 'args', 'manifest'], parse: parseJobCheck },
];

/** The check kinds a plan may name. */
export const CHECK_KIND_NAMES: readonly string[] = CHECK_FIELDS.map((k) => k.kind);

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
    const kind = CHECK_FIELDS.find((k) => k.kind === entry['kind']);
    if (kind === undefined) {
      errors.push(`${here}.kind: must be one of ${CHECK_FIELDS.map((k) => k.kind).join(', ')}`);
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
