import { describe, expect, it } from '@jest/globals';
import { objectId } from './object-id.js';
import { parseManifests } from './manifests.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  replicas: 2
`;

describe('parseManifests: objects', () => {
  it.each<[string, string, string[]]>([
    ['one document', deployment, ['shop_web_apps_Deployment']],
    [
      'several documents',
      `${deployment}---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
`,
      ['shop_web_apps_Deployment', 'shop_web__Service', '_shop__Namespace'],
    ],
    ['leading document marker', `---\n${deployment}`, ['shop_web_apps_Deployment']],
    [
      'empty documents are skipped',
      `---\n---\n${deployment}---\n# only a comment\n---\n~\n---\n`,
      ['shop_web_apps_Deployment'],
    ],
    ['empty stream', '', []],
    ['comments only', '# nothing here\n', []],
    [
      'List is expanded into its items',
      `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: a, namespace: x }
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: b, namespace: x }
`,
      ['x_a__ConfigMap', 'x_b__ConfigMap'],
    ],
    [
      'typed list (ConfigMapList) is expanded',
      `apiVersion: v1
kind: ConfigMapList
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: a, namespace: x }
`,
      ['x_a__ConfigMap'],
    ],
    ['empty List', 'apiVersion: v1\nkind: List\nitems: []\n', []],
    ['List without items', 'apiVersion: v1\nkind: List\n', []],
    [
      'cluster-scoped object',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: "system:view"\n',
      ['_system__view_rbac.authorization.k8s.io_ClusterRole'],
    ],
    [
      'merge keys',
      `apiVersion: v1
kind: ConfigMap
metadata:
  name: m
  namespace: x
  labels:
    <<: { a: "1" }
    b: "2"
`,
      ['x_m__ConfigMap'],
    ],
    [
      'same name, different kinds or namespaces are distinct',
      `apiVersion: v1
kind: ConfigMap
metadata: { name: a, namespace: x }
---
apiVersion: v1
kind: Secret
metadata: { name: a, namespace: x }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: a, namespace: y }
`,
      ['x_a__ConfigMap', 'x_a__Secret', 'y_a__ConfigMap'],
    ],
  ])('%s', (_name, text, ids) => {
    const parsed = parseManifests(text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.objects.map(objectId)).toEqual(ids);
  });

  it('keeps every field of the object', () => {
    const [web] = parseManifests(deployment).objects;
    expect(web).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
      spec: { replicas: 2 },
    });
  });

  it.each<[string, string]>([
    ['empty namespace', 'namespace: ""'],
    ['null namespace', 'namespace: ~'],
    ['null labels', 'labels: ~'],
  ])('drops %s', (_name, line) => {
    const parsed = parseManifests(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  ${line}\n`);
    expect(parsed.errors).toEqual([]);
    expect(parsed.objects[0]?.metadata).toEqual({ name: 'a' });
  });
});

describe('parseManifests: errors', () => {
  it.each<[string, string, string[]]>([
    [
      'missing metadata.name',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: x\n',
      ['doc 1 (line 3): missing metadata.name'],
    ],
    ['missing metadata', 'apiVersion: v1\nkind: ConfigMap\n', ['doc 1 (line 1): missing metadata.name']],
    [
      'empty name',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ""\n',
      ['doc 1 (line 4): missing metadata.name'],
    ],
    ['missing kind', 'apiVersion: v1\nmetadata:\n  name: a\n', ['doc 1 (line 1): missing kind']],
    ['missing apiVersion', 'kind: ConfigMap\nmetadata:\n  name: a\n', ['doc 1 (line 1): missing apiVersion']],
    [
      'bad apiVersion',
      'apiVersion: a/b/c\nkind: ConfigMap\nmetadata:\n  name: a\n',
      ['doc 1 (line 1): apiVersion must be "version" or "group/version", got "a/b/c"'],
    ],
    [
      'numeric apiVersion',
      'apiVersion: 1\nkind: ConfigMap\nmetadata:\n  name: a\n',
      ['doc 1 (line 1): apiVersion must be "version" or "group/version", got 1'],
    ],
    [
      'bad kind',
      'apiVersion: v1\nkind: 12\nmetadata:\n  name: a\n',
      ['doc 1 (line 2): kind must be an identifier, got 12'],
    ],
    [
      'name not a string',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [a]\n',
      ['doc 1 (line 4): metadata.name must be a string'],
    ],
    [
      'name too long',
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${'a'.repeat(254)}\n`,
      ['doc 1 (line 4): metadata.name is longer than 253 characters'],
    ],
    [
      'namespace too long',
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: ${'n'.repeat(64)}\n`,
      ['doc 1 (line 5): metadata.namespace is longer than 63 characters'],
    ],
    [
      'namespace not a string',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: 7\n',
      ['doc 1 (line 5): metadata.namespace must be a string'],
    ],
    [
      'metadata not a mapping',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: a\n',
      ['doc 1 (line 3): metadata must be a mapping'],
    ],
    [
      'numeric label value',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    version: 1.0\n',
      ['doc 1 (line 6): metadata.labels.version must be a string, got 1 (quote it)'],
    ],
    [
      'boolean annotation value',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    enabled: true\n',
      ['doc 1 (line 6): metadata.annotations.enabled must be a string, got true (quote it)'],
    ],
    [
      'labels not a mapping',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: [a]\n',
      ['doc 1 (line 5): metadata.labels must be a mapping'],
    ],
    ['scalar document', 'just a string\n', ['doc 1 (line 1): not a mapping (expected a Kubernetes object)']],
    ['sequence document', '- a\n- b\n', ['doc 1 (line 1): not a mapping (expected a Kubernetes object)']],
    [
      'error in the third document names doc 3',
      `${deployment}---\n${deployment.replace('name: web', 'name: api')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {}\n`,
      ['doc 3 (line 23): missing metadata.name'],
    ],
    [
      'duplicate object',
      `${deployment}---\n${deployment}`,
      ['doc 2 (line 11): duplicate object Deployment.apps shop/web (first in doc 1)'],
    ],
    [
      'List item problems carry the item index',
      `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: a }
  - apiVersion: v1
    kind: ConfigMap
    metadata: {}
  - 42
`,
      [
        'doc 1 item 1 (line 9): missing metadata.name',
        'doc 1 item 2 (line 10): not a mapping (expected a Kubernetes object)',
      ],
    ],
    [
      'List items not a sequence',
      'apiVersion: v1\nkind: List\nitems: 3\n',
      ['doc 1 (line 3): List.items must be a sequence'],
    ],
    [
      'nested List',
      'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: List\n    items: []\n',
      ['doc 1 item 0 (line 4): nested lists are not supported'],
    ],
    [
      'all problems are collected',
      'apiVersion: v1\nkind: ConfigMap\n---\nkind: Secret\nmetadata: { name: s }\n',
      ['doc 1 (line 1): missing metadata.name', 'doc 2 (line 4): missing apiVersion'],
    ],
  ])('%s', (_name, text, messages) => {
    expect(parseManifests(text).errors.map((e) => e.message)).toEqual(messages);
  });

  it.each<[string, string, number, number, RegExp]>([
    [
      'unclosed flow sequence (seen at the end of input)',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [a\n',
      1,
      5,
      /flow sequence/i,
    ],
    [
      'duplicate key',
      'apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata:\n  name: a\n',
      1,
      3,
      /unique/i,
    ],
    ['bad indentation', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n namespace: b\n', 1, 5, /./],
    ['tab indentation', 'apiVersion: v1\nmetadata:\n\tname: a\n', 1, 3, /./],
  ])('YAML syntax error: %s', (_name, text, doc, line, pattern) => {
    const parsed = parseManifests(text);
    expect(parsed.objects).toEqual([]);
    const [error] = parsed.errors;
    expect(error).toMatchObject({ doc, line });
    expect(error?.col).toEqual(expect.any(Number));
    expect(error?.message).toMatch(new RegExp(`^doc ${doc} \\(line ${line}, col \\d+\\): `));
    expect(error?.detail).toMatch(pattern);
  });

  it('a syntax error in one document does not hide the others', () => {
    const parsed = parseManifests(
      `${deployment}---\nkey: [\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: shop }\n`,
    );
    expect(parsed.objects.map(objectId)).toEqual(['shop_web_apps_Deployment', 'shop_c__ConfigMap']);
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]?.doc).toBe(2);
  });

  it('structured fields match the message', () => {
    const [error] = parseManifests('apiVersion: v1\nkind: List\nitems:\n  - kind: ConfigMap\n').errors;
    expect(error).toEqual({
      doc: 1,
      item: 0,
      line: 4,
      detail: 'missing apiVersion',
      message: 'doc 1 item 0 (line 4): missing apiVersion',
    });
  });

  it('refuses alias bombs', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    const parsed = parseManifests(`${lines.join('\n')}\n`);
    expect(parsed.objects).toEqual([]);
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]?.message).toMatch(/^doc 1 \(line 1\): /);
  });
});
