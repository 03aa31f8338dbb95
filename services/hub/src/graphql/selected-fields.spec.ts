import { type FieldNode, type OperationDefinitionNode, parse } from 'graphql';
import { maySelectField } from './selected-fields.js';

/** The nodes of the first top-level field of `query`, each occurrence of it (as graphql-js merges them). */
function fieldNodes(query: string): FieldNode[] {
  const operation = parse(query).definitions[0] as OperationDefinitionNode;
  const fields = operation.selectionSet.selections as FieldNode[];
  return fields.filter((f) => f.name.value === fields[0]!.name.value);
}

describe('maySelectField', () => {
  it.each([
    ['selected', '{ clusters { totalCount edges { cursor } } }', true],
    ['aliased', '{ clusters { n: totalCount } }', true],
    ['not selected', '{ clusters { edges { node { name } } pageInfo { hasNextPage } } }', false],
    ['only __typename', '{ clusters { __typename } }', false],
    [
      'nested under another field, not a child',
      '{ clusters { edges { node { totalCount: name } } } }',
      false,
    ],
    ['a fragment spread may hold it', '{ clusters { ...page } } fragment page on X { totalCount }', true],
    [
      'a fragment spread without it still counts',
      '{ clusters { ...page } } fragment page on X { edges { cursor } }',
      true,
    ],
    ['an inline fragment', '{ clusters { ... on X { edges { cursor } } } }', true],
    ['the field twice, once with it', '{ clusters { edges { cursor } } clusters { totalCount } }', true],
    [
      'the field twice, neither with it',
      '{ clusters { edges { cursor } } clusters { pageInfo { endCursor } } }',
      false,
    ],
    ['with @skip on it (still conservative)', '{ clusters { totalCount @skip(if: true) } }', true],
  ])('%s', (_case, query, expected) => {
    expect(maySelectField(fieldNodes(query), 'totalCount')).toBe(expected);
  });

  it('a leaf field (no selection set) selects nothing', () => {
    expect(maySelectField(fieldNodes('{ viewer }'), 'totalCount')).toBe(false);
  });
});
