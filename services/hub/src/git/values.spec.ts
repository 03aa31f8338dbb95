import { describe, expect, it } from '@jest/globals';
import { type RevisionSource, type Values } from './renderers/renderer.js';
import { clusterValues, mergeValues, readValuesFiles, substituteCluster, type ValuesRule } from './values.js';

const prodEu = { name: 'prod-eu-1', labels: { env: 'prod', region: 'eu' } };

describe('clusterValues: the merge order', () => {
  const rules: ValuesRule[] = [
    { selector: 'env=prod,region=eu', values: { replicas: 5, image: { tag: 'eu' } } },
    { selector: 'env=prod', values: { replicas: 3, tier: 'prod', image: { pullPolicy: 'Always' } } },
    { selector: 'env=dev', values: { replicas: 1 } },
    { selector: '', values: { tier: 'any', fallback: true } },
  ];
  const layers = {
    application: { replicas: 1, image: { repository: 'nginx', tag: 'app' }, tier: 'app', only: 'app' },
    files: [
      { image: { tag: 'file1' }, fromFile: 1 },
      { fromFile: 2, list: [1, 2] },
    ] as Values[],
    rules,
  };

  it.each([
    [
      'application < files (in order) < matching rules, the first listed rule winning per key',
      prodEu,
      {
        replicas: 5,
        image: { repository: 'nginx', tag: 'eu', pullPolicy: 'Always' },
        tier: 'prod',
        only: 'app',
        fromFile: 2,
        list: [1, 2],
        fallback: true,
      },
      [0, 1, 3],
    ],
    [
      'a broad rule fills keys the specific ones leave out',
      { name: 'dev-1', labels: { env: 'dev' } },
      {
        replicas: 1,
        image: { repository: 'nginx', tag: 'file1' },
        tier: 'any',
        only: 'app',
        fromFile: 2,
        list: [1, 2],
        fallback: true,
      },
      [2, 3],
    ],
  ])('%s', (_case, cluster, values, matched) => {
    expect(clusterValues(layers, cluster)).toEqual({ ok: true, values, rules: matched });
  });

  it('gives the application values when nothing else applies', () => {
    expect(clusterValues({ application: { a: 1 }, files: [], rules: [] }, prodEu)).toEqual({
      ok: true,
      values: { a: 1 },
      rules: [],
    });
  });

  it('never changes the layers it merges', () => {
    const application = { image: { tag: 'app' } };
    clusterValues({ application, files: [{ image: { tag: 'x' } }], rules }, prodEu);
    expect(application).toEqual({ image: { tag: 'app' } });
    expect(rules[0]!.values).toEqual({ replicas: 5, image: { tag: 'eu' } });
  });

  it('substitutes the cluster into strings after merging, and names a missing label', () => {
    const ok = clusterValues(
      {
        application: { host: '${cluster.name}.example.com', zone: ['${cluster.labels.region}'] },
        files: [],
        rules: [],
      },
      prodEu,
    );
    expect(ok).toEqual({ ok: true, values: { host: 'prod-eu-1.example.com', zone: ['eu'] }, rules: [] });
    expect(
      clusterValues({ application: { tier: '${cluster.labels.tier}' }, files: [], rules: [] }, prodEu),
    ).toEqual({ ok: false, message: '${cluster.labels.tier}: cluster prod-eu-1 has no label tier' });
  });
});

describe('mergeValues', () => {
  it.each([
    [
      'maps merge at any depth',
      { a: { b: { c: 1, d: 2 } } },
      { a: { b: { c: 9 } } },
      { a: { b: { c: 9, d: 2 } } },
    ],
    ['lists replace, never concatenate', { a: [1, 2, 3] }, { a: [4] }, { a: [4] }],
    ['a scalar replaces a map', { a: { b: 1 } }, { a: 'x' }, { a: 'x' }],
    ['a map replaces a scalar', { a: 'x' }, { a: { b: 1 } }, { a: { b: 1 } }],
    ['null replaces (the chart sees null)', { a: { b: 1 } }, { a: null }, { a: null }],
  ])('%s', (_case, below, above, merged) => {
    expect(mergeValues(below, above)).toEqual(merged);
  });
});

describe('substituteCluster', () => {
  it.each([
    ['the name', '${cluster.name}', 'prod-eu-1'],
    ['a label with spaces in the braces', '${ cluster.labels.env }', 'prod'],
    ['a literal ${ written $${', '$${cluster.name}', '${cluster.name}'],
    ["other placeholders are the chart's own", '${values.x} {{ .Values.y }}', '${values.x} {{ .Values.y }}'],
    ['numbers and booleans untouched', 3, 3],
  ])('%s', (_case, value, expected) => {
    expect(substituteCluster(value, prodEu)).toBe(expected);
  });
});

describe('readValuesFiles: values files from the revision, relative to the application path', () => {
  const source: RevisionSource = {
    root: 'deploy',
    files: [
      { path: 'deploy/values/prod.yaml', content: Buffer.from('replicas: 3\nimage: {tag: "2"}\n') },
      { path: 'deploy/values/empty.yaml', content: Buffer.from('') },
      { path: 'deploy/values/list.yaml', content: Buffer.from('- a\n- b\n') },
      { path: 'deploy/values/broken.yaml', content: Buffer.from('a: [1, 2\n') },
    ],
  };

  it.each([
    [['values/prod.yaml'], { ok: true, values: [{ replicas: 3, image: { tag: '2' } }] }],
    [['values/empty.yaml', 'values/prod.yaml'], { ok: true, values: [{ replicas: 3, image: { tag: '2' } }] }],
    [
      ['values/missing.yaml'],
      { ok: false, message: 'values file values/missing.yaml is not in the revision' },
    ],
    [
      ['values/list.yaml'],
      { ok: false, message: 'values file values/list.yaml: must be a mapping of names to values' },
    ],
  ])('%j', (paths, expected) => {
    expect(readValuesFiles(source, paths)).toEqual(expected);
  });

  it('names the file and the YAML error', () => {
    const result = readValuesFiles(source, ['values/broken.yaml']);
    expect(result).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^values file values\/broken.yaml: invalid YAML: /),
    });
  });
});
