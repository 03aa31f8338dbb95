import { type FieldNode, Kind } from 'graphql';

/**
 * Whether a query may read the child field `name` of the field being resolved (`info.fieldNodes`),
 * so a resolver can skip work nobody asked for. Conservative: a fragment (spread or inline) may
 * select it, so any fragment answers true; false only when every selection is a plain field and
 * none of them is `name` (aliased or not).
 */
export function maySelectField(fieldNodes: readonly FieldNode[], name: string): boolean {
  return fieldNodes.some((node) =>
    (node.selectionSet?.selections ?? []).some(
      (selection) => selection.kind !== Kind.FIELD || selection.name.value === name,
    ),
  );
}
