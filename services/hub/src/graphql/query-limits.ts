import {
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  valueFromAST,
} from 'graphql';
import { REQUEST_ERROR_CODES } from './graphql-errors.js';

export const MAX_QUERY_DEPTH = 8;
export const MAX_QUERY_COST = 20_000;
/** Size assumed for a list field without a literal `first` (a variable may ask for the maximum). */
export const ASSUMED_LIST_SIZE = 500;

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

/**
 * Rejects an operation whose fields nest deeper than `maxDepth` (`{ clusters { edges { node { id } } } }`
 * is 4). Fragments count where they are spread. Introspection is exempt: tools need its deep
 * `ofType` chains, and it reads only the schema.
 */
export function depthLimitRule(maxDepth = MAX_QUERY_DEPTH): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const depth = selectionDepth(context, operation.selectionSet, new Set());
      if (depth > maxDepth) {
        context.reportError(
          new GraphQLError(`${operationLabel(operation)} is ${depth} levels deep; the limit is ${maxDepth}`, {
            nodes: [operation],
            extensions: { code: REQUEST_ERROR_CODES.tooDeep, depth, maxDepth },
          }),
        );
      }
    },
  });
}

function selectionDepth(
  context: ValidationContext,
  selectionSet: SelectionSetNode,
  visiting: Set<string>,
): number {
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (INTROSPECTION_ROOTS.has(selection.name.value)) continue;
      const below = selection.selectionSet ? selectionDepth(context, selection.selectionSet, visiting) : 0;
      deepest = Math.max(deepest, 1 + below);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, selectionDepth(context, selection.selectionSet, visiting));
    } else {
      const fragment = context.getFragment(selection.name.value);
      // A cycle is reported by NoFragmentCyclesRule; here it must only not loop.
      if (!fragment || visiting.has(fragment.name.value)) continue;
      visiting.add(fragment.name.value);
      deepest = Math.max(deepest, selectionDepth(context, fragment.selectionSet, visiting));
      visiting.delete(fragment.name.value);
    }
  }
  return deepest;
}

/**
 * Rejects an operation whose estimated cost exceeds `maxCost`. Every field costs 1; a field with a
 * `first` argument multiplies what is selected below it by that page size (its literal value, its
 * schema default, or ASSUMED_LIST_SIZE when it comes from a variable; left out where it has no
 * default, the unpaged list counts once, as plain lists do). So
 * `clusters(first: 500) { edges { node { id name } } }` costs 1 + 500 × 4 = 2,001, and many aliased
 * copies of it add up.
 */
export function costLimitRule(maxCost = MAX_QUERY_COST): ValidationRule {
  return (context) => {
    const fragmentCosts = new Map<string, number>();
    return {
      OperationDefinition(operation) {
        const root = operationRootType(context, operation);
        if (!root) return;
        const cost = selectionCost(context, root, operation.selectionSet, fragmentCosts, new Set());
        if (cost > maxCost) {
          context.reportError(
            new GraphQLError(
              `${operationLabel(operation)} is too complex: its estimated cost is ${cost}; the limit is ${maxCost}`,
              { nodes: [operation], extensions: { code: REQUEST_ERROR_CODES.tooComplex, cost, maxCost } },
            ),
          );
        }
      },
    } satisfies ASTVisitor;
  };
}

function operationRootType(context: ValidationContext, operation: OperationDefinitionNode) {
  const schema = context.getSchema();
  return operation.operation === 'query'
    ? schema.getQueryType()
    : operation.operation === 'mutation'
      ? schema.getMutationType()
      : schema.getSubscriptionType();
}

function selectionCost(
  context: ValidationContext,
  parent: GraphQLNamedType,
  selectionSet: SelectionSetNode,
  fragmentCosts: Map<string, number>,
  visiting: Set<string>,
): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      total += fieldCost(context, parent, selection, fragmentCosts, visiting);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const typeName = selection.typeCondition?.name.value;
      const type = typeName ? (context.getSchema().getType(typeName) ?? parent) : parent;
      total += selectionCost(context, type, selection.selectionSet, fragmentCosts, visiting);
    } else {
      total += fragmentCost(context, selection.name.value, fragmentCosts, visiting);
    }
    // Saturate: the exact size of an absurd query does not matter, only that it is over the limit.
    if (total > Number.MAX_SAFE_INTEGER / 1_000) return total;
  }
  return total;
}

/** A fragment's cost depends only on the fragment, so each is computed once (no exponential blow-up). */
function fragmentCost(
  context: ValidationContext,
  name: string,
  fragmentCosts: Map<string, number>,
  visiting: Set<string>,
): number {
  const known = fragmentCosts.get(name);
  if (known !== undefined) return known;
  const fragment: FragmentDefinitionNode | null | undefined = context.getFragment(name);
  if (!fragment || visiting.has(name)) return 0;
  const type = context.getSchema().getType(fragment.typeCondition.name.value);
  if (!type) return 0;
  visiting.add(name);
  const cost = selectionCost(context, type, fragment.selectionSet, fragmentCosts, visiting);
  visiting.delete(name);
  fragmentCosts.set(name, cost);
  return cost;
}

function fieldCost(
  context: ValidationContext,
  parent: GraphQLNamedType,
  node: FieldNode,
  fragmentCosts: Map<string, number>,
  visiting: Set<string>,
): number {
  if (INTROSPECTION_ROOTS.has(node.name.value) || node.name.value === '__typename') return 0;
  const field =
    isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[node.name.value] : undefined;
  if (!node.selectionSet) return 1;
  // An unknown field is reported by FieldsOnCorrectTypeRule; still count what is below it.
  const childType = field ? getNamedType(field.type) : parent;
  const below = selectionCost(context, childType, node.selectionSet, fragmentCosts, visiting);
  return 1 + below * (field ? listSize(field, node) : 1);
}

/** The page size a `first` argument asks for; 1 for fields without one. */
function listSize(field: GraphQLField<unknown, unknown>, node: FieldNode): number {
  const argument = field.args.find((a) => a.name === 'first');
  if (!argument) return 1;
  const given = node.arguments?.find((a) => a.name.value === 'first');
  // Not given and no default: the field's unpaged form (Rollout.clusters), a plain list like the
  // others, which count once (their size is bounded by the data, not by the caller).
  if (!given) return typeof argument.defaultValue === 'number' ? argument.defaultValue : 1;
  if (given.value.kind === Kind.VARIABLE) return ASSUMED_LIST_SIZE;
  const value: unknown = valueFromAST(given.value, argument.type);
  return typeof value === 'number' && value > 0 ? value : 1;
}

function operationLabel(operation: OperationDefinitionNode): string {
  return operation.name ? `operation ${operation.name.value}` : 'the operation';
}
