import { labelKeyError, labelValueError } from './label.js';

/**
 * Every problem with a label set, e.g. `label key "x y": name part must consist of ...`;
 * `[]` when all keys and values are valid Kubernetes labels.
 */
export function validateLabels(labels: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const keyProblem = labelKeyError(key);
    if (keyProblem !== undefined) problems.push(`label key ${JSON.stringify(key)}: ${keyProblem}`);
    // The type says string, but label sets often arrive as untyped JSON.
    const valueProblem =
      typeof value === 'string' ? labelValueError(value) : `value must be a string, not ${typeof value}`;
    if (valueProblem !== undefined) {
      const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
      problems.push(`label value ${shown} of key ${JSON.stringify(key)}: ${valueProblem}`);
    }
  }
  return problems;
}

/** Thrown by assertValidLabels; `problems` is what validateLabels returned. */
export class LabelsError extends Error {
  override readonly name = 'LabelsError';

  readonly problems: string[];

  constructor(problems: readonly string[]) {
    super(`invalid labels: ${problems.join('; ')}`);
    this.problems = [...problems];
  }
}

/** Throws LabelsError unless every key and value is a valid Kubernetes label. */
export function assertValidLabels(labels: Readonly<Record<string, string>>): void {
  const problems = validateLabels(labels);
  if (problems.length > 0) throw new LabelsError(problems);
}
