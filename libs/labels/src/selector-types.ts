/**
 * The eight label-selector operators (apimachinery's `==` is folded into `Equals`; `Gt`/`Lt` are
 * `>`/`<`, named as in the Kubernetes API's node selector operators).
 */
export type SelectorOperator =
  'Equals' | 'NotEquals' | 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';

/** One condition on one label key. */
export interface Requirement {
  key: string;
  operator: SelectorOperator;
  /**
   * Sorted and deduplicated; `[]` for Exists/DoesNotExist, exactly one value for Equals/NotEquals, and
   * exactly one integer, as written, for Gt/Lt.
   */
  values: string[];
}

/** AND of its requirements; the empty selector matches every label set. */
export type Selector = readonly Requirement[];

/** Longest selector text `parseSelector` accepts. */
export const MAX_SELECTOR_LENGTH = 4096;

/** Operator order used to sort requirements that share a key. */
const OPERATOR_RANK: Readonly<Record<SelectorOperator, number>> = {
  Equals: 0,
  NotEquals: 1,
  In: 2,
  NotIn: 3,
  Exists: 4,
  DoesNotExist: 5,
  Gt: 6,
  Lt: 7,
};

export function isSelectorOperator(value: string): value is SelectorOperator {
  return Object.hasOwn(OPERATOR_RANK, value);
}

/** Code-unit order, like Go's string comparison for the ASCII that valid labels are made of. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorted, deduplicated copy. */
export function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareStrings);
}

/** Orders requirements by key, then operator, then values, so parsing and formatting are deterministic. */
export function compareRequirements(a: Requirement, b: Requirement): number {
  return (
    compareStrings(a.key, b.key) ||
    OPERATOR_RANK[a.operator] - OPERATOR_RANK[b.operator] ||
    compareStrings(a.values.join(','), b.values.join(','))
  );
}

const MAX_INPUT_IN_MESSAGE = 200;

/** A selector that does not parse; `position` is the 0-based offset of the offending token. */
export class SelectorError extends Error {
  override readonly name = 'SelectorError';

  constructor(
    readonly input: string,
    readonly position: number,
    readonly reason: string,
  ) {
    super(`invalid selector ${quoteInput(input)}: at position ${position}: ${reason}`);
  }
}

function quoteInput(input: string): string {
  if (input.length <= MAX_INPUT_IN_MESSAGE) return JSON.stringify(input);
  return `${JSON.stringify(input.slice(0, MAX_INPUT_IN_MESSAGE))}... (${input.length} characters)`;
}
