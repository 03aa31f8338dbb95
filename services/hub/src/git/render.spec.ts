import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import {
  checkTemplates,
  type RenderContext,
  RenderError,
  renderManifests,
  type SourceFile,
} from './render.js';

const context: RenderContext = {
  cluster: {
    name: 'prod-eu-1',
    labels: {
      env: 'prod',
      region: 'eu',
      'topology.kubernetes.io/zone': 'eu-west-1a',
      'fleet.example.com/tier': 'gold',
    },
  },
  values: { replicas: 3, image: 'nginx:1.27', debug: false, ratio: 0.5, 'log.level': 'info' },
};

const file = (path: string, ...lines: string[]): SourceFile => ({ path, content: lines.join('\n') + '\n' });
const configMap = (name: string, ...dataLines: string[]) => [
  'apiVersion: v1',
  'kind: ConfigMap',
  `metadata:`,
  `  name: ${name}`,
  'data:',
  ...dataLines.map((l) => `  ${l}`),
];

/** The data of the single ConfigMap a one-file render gives. */
function renderedData(...dataLines: string[]): unknown {
  const out = renderManifests([file('cm.yaml', ...configMap('cm', ...dataLines))], context);
  const docs = parseAllDocuments(out);
  expect(docs).toHaveLength(1);
  return (docs[0]!.toJS() as { data: unknown }).data;
}

function renderError(files: SourceFile[], ctx: RenderContext = context): RenderError {
  try {
    renderManifests(files, ctx);
  } catch (error) {
    if (error instanceof RenderError) return error;
    throw error;
  }
  throw new Error('expected a RenderError');
}

describe('renderManifests: placeholders', () => {
  it.each([
    ['the cluster name', 'name: ${cluster.name}', { name: 'prod-eu-1' }],
    ['a label', 'env: ${cluster.labels.env}', { env: 'prod' }],
    [
      'a label key with a prefix, dots and dashes',
      'zone: ${cluster.labels.topology.kubernetes.io/zone}',
      { zone: 'eu-west-1a' },
    ],
    ['another prefixed label', 'tier: ${cluster.labels.fleet.example.com/tier}', { tier: 'gold' }],
    ['a string value', 'image: ${values.image}', { image: 'nginx:1.27' }],
    ['a number value (typed by YAML, as written)', 'replicas: ${values.replicas}', { replicas: 3 }],
    ['a quoted number value', 'replicas: "${values.replicas}"', { replicas: '3' }],
    ['a boolean value', 'debug: ${values.debug}', { debug: false }],
    ['a fractional value', 'ratio: ${values.ratio}', { ratio: 0.5 }],
    ['a value key with a dot', 'level: ${values.log.level}', { level: 'info' }],
    ['spaces inside the braces', 'name: ${ cluster.name }', { name: 'prod-eu-1' }],
    [
      'several on one line',
      'id: ${cluster.name}-${cluster.labels.region}-${values.replicas}',
      { id: 'prod-eu-1-eu-3' },
    ],
    ['the $${ escape', 'shell: echo $${HOME}', { shell: 'echo ${HOME}' }],
    ['an escape followed by a placeholder', 'both: $${x}-${cluster.name}', { both: '${x}-prod-eu-1' }],
    ['a lone $ and braces', 'price: $5 {not a placeholder}', { price: '$5 {not a placeholder}' }],
    ['$$ without a brace', 'cost: $$5', { cost: '$$5' }],
  ])('substitutes %s', (_case, line, expected) => {
    expect(renderedData(line)).toEqual(expected);
  });

  it.each([
    ['an unknown namespace', 'x: ${foo.bar}', 7, /unknown placeholder \$\{foo\.bar\}/],
    ['a bare word', 'x: ${name}', 7, /unknown placeholder \$\{name\}/],
    ['cluster labels without a key', 'x: ${cluster.labels.}', 7, /unknown placeholder/],
    ['an unterminated placeholder', 'x: ${values.replicas', 7, /unterminated placeholder/],
    ['a placeholder that spans lines', 'x: "${values.\n  replicas}"', 7, /unterminated placeholder/],
    ['a missing label', 'x: ${cluster.labels.team}', 7, /cluster prod-eu-1 has no label team/],
    ['a missing value', 'x: ${values.cpu}', 7, /no value cpu for cluster prod-eu-1/],
    ['an inherited property is not a value', 'x: ${values.constructor}', 7, /no value constructor/],
  ])('rejects %s, naming file and line', (_case, line, expectedLine, message) => {
    const error = renderError([file('apps/web/cm.yaml', ...configMap('cm', 'a: b', line))]);
    expect(error).toMatchObject({ file: 'apps/web/cm.yaml', line: expectedLine });
    expect(error.message).toMatch(new RegExp(`^apps/web/cm\\.yaml:${expectedLine}: `));
    expect(error.message).toMatch(message);
  });

  it.each([
    ['a line break', 'a\nb: c'],
    ['a carriage return', 'a\rb'],
  ])('rejects a value containing %s (it would change the document shape)', (_case, value) => {
    const error = renderError([file('cm.yaml', ...configMap('cm', 'x: ${values.v}'))], {
      ...context,
      values: { v: value },
    });
    expect(error.message).toMatch(/line break/);
  });

  it('substitutes in comments too, and checks them', () => {
    const out = renderManifests([file('cm.yaml', '# for ${cluster.name}', ...configMap('cm'))], context);
    expect(out).toContain('# for prod-eu-1');
    expect(() => renderManifests([file('cm.yaml', '# ${oops}', ...configMap('cm'))], context)).toThrow(
      RenderError,
    );
  });
});

describe('renderManifests: documents', () => {
  it.each([
    [
      'malformed YAML',
      ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: x', ' bad: [1, 2'],
      5,
      /invalid YAML/,
    ],
    [
      'a tab-indented block',
      ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '\tname: x'],
      4,
      /invalid YAML/,
    ],
    [
      'a duplicate key',
      ['apiVersion: v1', 'kind: ConfigMap', 'kind: Secret', 'metadata: {name: x}'],
      3,
      /invalid YAML.*[Uu]nique/,
    ],
    ['a document without kind', ['apiVersion: v1', 'metadata:', '  name: x'], 1, /document 1: missing kind/],
    ['a document without apiVersion', ['kind: ConfigMap', 'metadata: {name: x}'], 1, /missing apiVersion/],
    ['a numeric kind', ['apiVersion: v1', 'metadata: {name: x}', 'kind: 42'], 3, /kind must be a string/],
    ['a document without metadata', ['apiVersion: v1', 'kind: ConfigMap'], 1, /missing metadata\.name/],
    [
      'an empty name',
      ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: ""'],
      3,
      /missing metadata\.name/,
    ],
    [
      'a numeric name',
      ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: 7'],
      3,
      /metadata\.name must be a string/,
    ],
    ['a sequence document', ['- a', '- b'], 1, /not a mapping/],
    [
      'a YAML 1.1 document (its meaning would change in the 1.2 bundle)',
      ['%YAML 1.1', '---', 'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: x}', 'data: {on: yes}'],
      2,
      /%YAML 1\.1 is not supported/,
    ],
    ['a scalar document', ['just text'], 1, /not a mapping/],
    [
      'the second document of a file',
      [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata: {name: a}',
        '---',
        'apiVersion: v1',
        'metadata: {name: b}',
      ],
      5,
      /document 2: missing kind/,
    ],
    [
      'a List item without a name',
      [
        'apiVersion: v1',
        'kind: List',
        'items:',
        '  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}',
        '  - {apiVersion: v1, kind: ConfigMap}',
      ],
      3,
      /items\[1\]: missing metadata\.name/,
    ],
  ])('rejects %s at the right line', (_case, lines, line, message) => {
    const error = renderError([file('ok.yaml', ...configMap('ok')), file('bad.yaml', ...lines)]);
    expect(error).toMatchObject({ file: 'bad.yaml', line });
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(`bad.yaml:${line}: `)).toBe(true);
  });

  it('accepts a List whose items are objects, and a List without items', () => {
    const list = file(
      'list.yaml',
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}',
    );
    const empty = file('empty-list.yaml', 'apiVersion: v1', 'kind: List');
    expect(renderManifests([list, empty], context)).toContain('kind: List');
  });

  it('drops empty documents and writes each document after a # Source line, separated by ---', () => {
    const out = renderManifests(
      [
        file(
          'a/first.yaml',
          '---',
          ...configMap('one', 'k: "1"'),
          '---',
          '# just a comment',
          '---',
          ...configMap('two'),
          '---',
          '~',
        ),
        file('empty.yaml', '# nothing here'),
        file('b/second.yml', ...configMap('three', 'v: ${values.replicas}')),
      ],
      context,
    );
    expect(out).toBe(
      [
        '# Source: a/first.yaml',
        ...configMap('one', 'k: "1"'),
        '---',
        '# Source: a/first.yaml',
        ...configMap('two').slice(0, -1),
        'data:',
        '---',
        '# Source: b/second.yml',
        ...configMap('three', 'v: 3'),
        '',
      ].join('\n'),
    );
  });

  it('gives an empty stream when there are no documents', () => {
    expect(
      renderManifests([file('empty.yaml', '# nothing'), { path: 'blank.yaml', content: '' }], context),
    ).toBe('');
  });

  it('keeps comments, quoting and key order, and means what the source means', () => {
    const source = file(
      'deploy.yaml',
      '# the web tier',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web # short',
      '  labels: {app: web, "version": "1.0"}',
      'spec:',
      '  replicas: ${values.replicas}',
      '  template: &tpl',
      '    metadata: {labels: {app: web}}',
      '    spec:',
      '      containers:',
      '        - name: web',
      '          image: ${values.image}',
      '          args: ["--zone=${cluster.labels.topology.kubernetes.io/zone}", \'--on=yes\']',
      '          env:',
      '            - name: MOTD',
      '              value: |',
      '                multi',
      '                line',
    );
    const out = renderManifests([source], context);
    expect(out).toContain('# the web tier');
    expect(out).toContain('name: web # short');
    expect(out).toContain("'--on=yes'");
    expect(out.indexOf('metadata:')).toBeLessThan(out.indexOf('spec:'));
    const [rendered] = parseAllDocuments(out);
    expect(rendered!.toJS()).toEqual(
      parseAllDocuments(
        source.content.replace(
          /\$\{[^}]+\}/g,
          (p) =>
            ({
              '${values.replicas}': '3',
              '${values.image}': 'nginx:1.27',
              '${cluster.labels.topology.kubernetes.io/zone}': 'eu-west-1a',
            })[p]!,
        ),
      )[0]!.toJS(),
    );
  });

  it('resolves nothing the agent would resolve differently: merge keys and anchors stay as written', () => {
    const out = renderManifests(
      [
        file(
          'm.yaml',
          'apiVersion: v1',
          'kind: ConfigMap',
          'metadata: &m {name: merged}',
          'data:',
          '  <<: {a: "1"}',
          '  b: "2"',
        ),
      ],
      context,
    );
    expect(out).toContain('<<:');
    expect(parseAllDocuments(out, { merge: true })[0]!.toJS()).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'merged' },
      data: { a: '1', b: '2' },
    });
  });

  it('is deterministic: the same input gives byte-identical output (a content address)', () => {
    const files = [
      file('a.yaml', ...configMap('a', 'x: ${values.image}')),
      file('b.yaml', ...configMap('b')),
    ];
    const digest = () => createHash('sha256').update(renderManifests(files, context)).digest('hex');
    expect(digest()).toBe(digest());
    const other = { ...context, values: { ...context.values, image: 'nginx:1.28' } };
    expect(createHash('sha256').update(renderManifests(files, other)).digest('hex')).not.toBe(digest());
  });

  it('quotes a source path that would break the comment line', () => {
    const out = renderManifests([file('odd\nname.yaml', ...configMap('a'))], context);
    expect(out.split('\n')[0]).toBe('# Source: "odd\\nname.yaml"');
  });
});

describe('checkTemplates', () => {
  it.each([
    [
      'valid templates',
      [file('a.yaml', ...configMap('${cluster.name}', 'r: ${values.replicas}', 'e: $${literal}'))],
      [],
    ],
    [
      'a placeholder in a flow collection (valid once substituted)',
      [file('a.yaml', 'args: [${values.a}, "${values.b}"]')],
      [],
    ],
    [
      'an unknown namespace',
      [file('a.yaml', 'a: 1', 'b: ${foo.bar}')],
      ['a.yaml:2: unknown placeholder ${foo.bar}'],
    ],
    [
      'an unterminated placeholder',
      [file('a.yaml', 'b: ${values.x')],
      ['a.yaml:1: unterminated placeholder'],
    ],
    ['malformed YAML', [file('a.yaml', 'a: 1', 'b: c: d', 'e: 1')], ['a.yaml:2: invalid YAML']],
    [
      'a YAML 1.1 directive',
      [file('a.yaml', 'a: 1', '...', '%YAML 1.1', '---', 'b: 2')],
      ['a.yaml:4: %YAML 1.1'],
    ],
    [
      'problems in several files, all reported',
      [file('a.yaml', 'x: ${nope}'), file('b.yaml', 'ok: 1'), file('c.yaml', 'a:', '  - b', ' c: d')],
      ['a.yaml:1: unknown placeholder ${nope}', 'c.yaml:3: invalid YAML'],
    ],
  ])('%s', (_case, files, expected) => {
    const problems = checkTemplates(files);
    expect(problems).toHaveLength(expected.length);
    problems.forEach((problem, i) => expect(problem.startsWith(expected[i]!)).toBe(true));
  });

  it('does not need cluster labels or values (missing ones are a render-time problem)', () => {
    expect(
      checkTemplates([file('a.yaml', 'x: ${cluster.labels.anything}', 'y: ${values.whatever}')]),
    ).toEqual([]);
  });
});
