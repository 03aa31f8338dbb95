import { describe, expect, it } from '@jest/globals';
import { diffBundles, groupedDiff, objectCount } from './bundle-diff.js';
import { maskSecretsInBundle } from './secret-mask.js';

const cm = (name: string, value: string, namespace?: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}data:\n  v: "${value}"\n`;
const bundle = (...docs: string[]) => docs.join('---\n');

describe('diffBundles', () => {
  it.each([
    ['nothing changes', bundle(cm('a', '1')), bundle(cm('a', '1')), []],
    [
      'an object added',
      bundle(cm('a', '1')),
      bundle(cm('a', '1'), cm('b', '1', 'shop')),
      [['ConfigMap shop/b', 'added']],
    ],
    [
      'an object removed',
      bundle(cm('a', '1'), cm('b', '1')),
      bundle(cm('a', '1')),
      [['ConfigMap b', 'removed']],
    ],
    ['an object changed', bundle(cm('a', '1')), bundle(cm('a', '2')), [['ConfigMap a', 'changed']]],
    ['a first apply: everything added', null, bundle(cm('a', '1')), [['ConfigMap a', 'added']]],
    [
      'a List counted item by item',
      bundle(cm('a', '1')),
      `apiVersion: v1\nkind: List\nitems:\n  - ${cm('a', '1').trim().split('\n').join('\n    ')}\n  - ${cm('c', '1').trim().split('\n').join('\n    ')}\n`,
      [['ConfigMap c', 'added']],
    ],
  ])('%s', (_case, before, after, expected) => {
    expect(diffBundles(before, after).map((c) => [c.object, c.change])).toEqual(expected);
  });

  it('prints a unified diff of the object, as kubectl diff does', () => {
    const [change] = diffBundles(bundle(cm('a', '1')), bundle(cm('a', '2')));
    expect(change!.diff).toContain('--- a/ConfigMap a');
    expect(change!.diff).toContain('+++ b/ConfigMap a');
    expect(change!.diff).toContain('-  v: "1"');
    expect(change!.diff).toContain('+  v: "2"');
  });
});

describe('groupedDiff', () => {
  const manifests = new Map([
    ['sha256:old', bundle(cm('a', '1'))],
    ['sha256:new-eu', bundle(cm('a', '2'))],
    ['sha256:new-us', bundle(cm('a', '3'))],
  ]);

  it('collapses clusters making moves with identical changes into one group, largest first', () => {
    const moves = [
      ...Array.from({ length: 5 }, (_, i) => ({
        cluster: `eu-${i}`,
        before: 'sha256:old',
        after: 'sha256:new-eu',
      })),
      { cluster: 'us-1', before: 'sha256:old', after: 'sha256:new-us' },
      { cluster: 'us-0', before: 'sha256:old', after: 'sha256:new-us' },
      { cluster: 'settled', before: 'sha256:new-eu', after: 'sha256:new-eu' },
      { cluster: 'joining', before: null, after: 'sha256:new-eu' },
    ];
    const groups = groupedDiff(moves, manifests);
    expect(groups.map((g) => [g.clusters, g.changes.map((c) => `${c.object} ${c.change}`)])).toEqual([
      [['eu-0', 'eu-1', 'eu-2', 'eu-3', 'eu-4'], ['ConfigMap a changed']],
      [['us-0', 'us-1'], ['ConfigMap a changed']],
      [['joining'], ['ConfigMap a added']],
      [['settled'], []],
    ]);
  });
});

describe('objectCount', () => {
  it('counts objects, not documents', () => {
    expect(objectCount(bundle(cm('a', '1'), '# only a comment\n', cm('b', '1')))).toBe(2);
  });
});

describe('Secrets in diffs and shown bundles', () => {
  const secret = (password: string, user = 'admin') =>
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  user: ${user}\n  password: ${password}\n`;

  it('never prints a Secret value in a diff, but shows which key changed', () => {
    const [change] = diffBundles(secret('hunter2'), secret('correct-horse'));
    expect(change!.change).toBe('changed');
    expect(change!.diff).not.toMatch(/hunter2|correct-horse|admin/);
    expect(change!.diff).toContain('-  password: "*** (before)"');
    expect(change!.diff).toContain('+  password: "*** (after)"');
    expect(change!.diff).toContain('   user: "***"');
  });

  it('sees no change when no Secret value changed', () => {
    expect(diffBundles(secret('hunter2'), secret('hunter2'))).toEqual([]);
  });

  it('masks every value of a shown bundle, leaving other objects as they are', () => {
    const shown = maskSecretsInBundle(bundle(secret('hunter2'), cm('a', 'visible')));
    expect(shown).not.toMatch(/hunter2|admin/);
    expect(shown).toContain('password: "***"');
    expect(shown).toContain('v: "visible"');
  });
});
