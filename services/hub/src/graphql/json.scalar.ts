import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/** Nesting deeper than this is refused: a wave plan or a values rule is a few levels deep. */
export const MAX_JSON_DEPTH = 32;

/**
 * `JSON`: any JSON value (object, array, string, number, boolean, null), for documents whose shape
 * the service validates itself (a wave plan, per-cluster values, an audit event's before/after).
 * Input is checked only for being JSON; the service names every problem with the content
 * (INVALID_ARGUMENT). As a literal it is written in GraphQL syntax (`{ waves: [{ name: "canary" }] }`);
 * as a variable, as plain JSON.
 */
export const JsonScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  description: 'A JSON value (object, array, string, number, boolean or null).',
  serialize: (value) => toJson(value, 0),
  parseValue: (value) => toJson(value, 0),
  parseLiteral: (ast, variables) => literalValue(ast, variables, 0),
});

function literalValue(
  node: ValueNode,
  variables: Record<string, unknown> | null | undefined,
  depth: number,
): unknown {
  if (depth > MAX_JSON_DEPTH) throw new GraphQLError(`JSON nests deeper than ${MAX_JSON_DEPTH} levels`);
  switch (node.kind) {
    case Kind.STRING:
      return node.value;
    case Kind.ENUM:
      throw new GraphQLError(`JSON strings must be quoted: "${node.value}"`);
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((item) => literalValue(item, variables, depth + 1));
    case Kind.OBJECT:
      return Object.fromEntries(
        node.fields.map((field) => [field.name.value, literalValue(field.value, variables, depth + 1)]),
      );
    case Kind.VARIABLE:
      // Validation runs without variable values: accept the variable, check it at execution.
      return variables ? toJson(variables[node.name.value] ?? null, depth) : null;
  }
}

/** A copy made of plain JSON values only (own properties, plain prototypes); anything else is refused. */
function toJson(value: unknown, depth: number): unknown {
  if (depth > MAX_JSON_DEPTH) throw new GraphQLError(`JSON nests deeper than ${MAX_JSON_DEPTH} levels`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new GraphQLError('JSON numbers must be finite');
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => toJson(item, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, item]) => item !== undefined)
        .map(([key, item]) => [key, toJson(item, depth + 1)]),
    );
  }
  throw new GraphQLError(`JSON cannot hold a value of type ${typeof value}`);
}
