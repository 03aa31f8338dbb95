import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/** At most this many labels in one argument: a label set is small, an argument is untrusted. */
export const MAX_LABELS_IN_ARGUMENT = 256;

/**
 * `Labels`: a JSON object of label keys to string values, e.g. `{"env": "prod", "region": "eu-west-1"}`.
 * Chosen over a list of key/value pairs because clients read it as the map it is (and write it the
 * same way kubectl and Helm values do). Input is checked for shape here; key and value syntax is
 * checked by the service (INVALID_ARGUMENT with every problem named).
 */
export const LabelsScalar = new GraphQLScalarType<Record<string, string>, Record<string, string>>({
  name: 'Labels',
  description:
    'Kubernetes labels as a JSON object of string values, e.g. {"env": "prod", "region": "eu-west-1"}.',
  serialize: (value) => checkedLabels(value),
  parseValue: (value) => toLabels(value),
  parseLiteral: (ast, variables) => {
    if (ast.kind !== Kind.OBJECT) throw new GraphQLError('Labels must be an object of string values');
    return toLabels(
      Object.fromEntries(ast.fields.map((field) => [field.name.value, literalValue(field.value, variables)])),
    );
  },
});

function literalValue(node: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  if (node.kind === Kind.STRING) return node.value;
  // Validation runs without variable values (undefined): accept the variable, check it at execution.
  if (node.kind === Kind.VARIABLE) return variables ? variables[node.name.value] : '';
  throw new GraphQLError('Labels values must be strings');
}

function toLabels(value: unknown): Record<string, string> {
  // A fresh object with own properties only (graphql-js hands over null-prototype objects).
  return Object.fromEntries(Object.entries(checkedLabels(value)));
}

/**
 * The value itself once its shape is checked: output is serialised as JSON (own properties only),
 * so no copy is made — a page of clusters serialises a hundred label sets per request.
 */
function checkedLabels(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GraphQLError('Labels must be an object of string values');
  }
  const keys = Object.keys(value);
  if (keys.length > MAX_LABELS_IN_ARGUMENT) {
    throw new GraphQLError(`Labels may hold at most ${MAX_LABELS_IN_ARGUMENT} entries`);
  }
  for (const key of keys) {
    if (typeof (value as Record<string, unknown>)[key] !== 'string')
      throw new GraphQLError(`Labels value of ${JSON.stringify(key)} must be a string`);
  }
  return value as Record<string, string>;
}
