import {
  DECIMAL_INTEGER,
  INT64_MAX,
  INT64_MIN,
  parseInt64,
  type Requirement,
  type Selector,
} from '@fleetwave/labels';

/** A WHERE fragment with TypeORM named parameters; `clause` is undefined for the empty selector. */
export interface SqlFilter {
  clause: string | undefined;
  params: Record<string, unknown>;
}

/**
 * Translates a parsed label selector into SQL over a jsonb labels column, with every key and value
 * passed as a parameter (never spliced into the text). Kubernetes semantics: `!=` and `notin` also
 * match clusters without the key; `>`/`<` need an int64 value, as in apimachinery (see
 * `integerComparison`). Equals and NotEquals use `@>`, which the cluster_labels_gin index
 * (jsonb_path_ops) serves; the other operators filter what the rest of the query selects.
 *
 * @param column qualified column, e.g. `cluster.labels` (trusted: never user input)
 * @param prefix parameter name prefix, unique within the query
 */
export function selectorToSql(selector: Selector, column: string, prefix = 'sel'): SqlFilter {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  selector.forEach((requirement, index) => {
    const key = `${prefix}${index}k`;
    const value = `${prefix}${index}v`;
    const [clause, bound] = requirementToSql(requirement, column, key, value);
    clauses.push(clause);
    Object.assign(params, bound);
  });
  return { clause: clauses.length > 0 ? clauses.join(' AND ') : undefined, params };
}

function requirementToSql(
  { key, operator, values }: Requirement,
  column: string,
  keyParam: string,
  valueParam: string,
): [string, Record<string, unknown>] {
  const contains = `${column} @> CAST(:${valueParam} AS jsonb)`;
  const hasKey = `${column} ? :${keyParam}`;
  const valueIn = `${column} ->> :${keyParam} = ANY(CAST(:${valueParam} AS text[]))`;
  switch (operator) {
    case 'Equals':
      return [contains, { [valueParam]: singlePair(key, values) }];
    case 'NotEquals':
      return [`NOT (${contains})`, { [valueParam]: singlePair(key, values) }];
    case 'In':
      return [valueIn, { [keyParam]: key, [valueParam]: [...values] }];
    case 'NotIn':
      return [`NOT (${hasKey} AND ${valueIn})`, { [keyParam]: key, [valueParam]: [...values] }];
    case 'Exists':
      return [hasKey, { [keyParam]: key }];
    case 'DoesNotExist':
      return [`NOT (${hasKey})`, { [keyParam]: key }];
    case 'Gt':
    case 'Lt': {
      // A bound that is not one int64 matches nothing, as in matchesSelector (parseSelector never makes one).
      const bound = values.length === 1 && values[0] !== undefined ? parseInt64(values[0]) : undefined;
      if (bound === undefined) return ['false', {}];
      return [
        integerComparison(`${column} ->> :${keyParam}`, operator === 'Gt' ? '>' : '<', valueParam),
        { [keyParam]: key, [valueParam]: bound.toString() },
      ];
    }
    default:
      throw new TypeError(`unknown selector operator ${JSON.stringify(operator satisfies never)}`);
  }
}

/**
 * True when the label is an int64 (ParseInt's syntax and range, like `parseInt64` in @fleetwave/labels)
 * that compares as asked with the bound; false, never NULL or an error, otherwise. The CASE makes
 * Postgres test the text before casting it (in a plain AND it may evaluate the cast first and fail on
 * a value like "many"), and numeric holds any digit string, so out-of-range values are compared
 * with the int64 bounds instead of overflowing a bigint cast.
 */
function integerComparison(label: string, comparison: '>' | '<', boundParam: string): string {
  const number = `CAST(${label} AS numeric)`;
  return (
    `CASE WHEN ${label} ~ '${DECIMAL_INTEGER.source}' ` +
    `THEN ${number} BETWEEN ${INT64_MIN} AND ${INT64_MAX} AND ${number} ${comparison} CAST(:${boundParam} AS numeric) ` +
    `ELSE false END`
  );
}

/** `{"key":"value"}` as JSON text; built with an own property whatever the key is. */
function singlePair(key: string, values: readonly string[]): string {
  const value = values[0];
  if (value === undefined) throw new TypeError(`selector requirement on ${JSON.stringify(key)} has no value`);
  return JSON.stringify(Object.fromEntries([[key, value]]));
}
