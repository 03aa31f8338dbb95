import { describe, expect, it } from '@jest/globals';

import type { KubeObject } from '../domain/index.js';
import { comparable, deepEqual, forApply, project, sameContent } from './compare.js';

const live: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'shop',
    uid: 'u-1',
    resourceVersion: '41',
    generation: 3,
    creationTimestamp: '2025-01-01T00:00:00Z',
    managedFields: [{ manager: 'fleetwave', time: '2025-01-01T00:00:00Z' }],
    labels: { app: 'web' },
    annotations: { 'deployment.kubernetes.io/revision': '3' },
  },
  spec: {
    replicas: 2,
    template: {
      spec: {
        containers: [
          {
            name: 'app',
            image: 'shop/web:1',
            imagePullPolicy: 'IfNotPresent',
            ports: [{ containerPort: 80, protocol: 'TCP' }],
          },
        ],
      },
    },
  },
  status: { replicas: 2, observedGeneration: 3 },
};

describe('deepEqual', () => {
  it('ignores key order and undefined-valued keys', () => {
    expect(deepEqual({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBe(true);
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
  });

  it('tells arrays, objects and scalars apart', () => {
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual({ 0: 'a' }, ['a'])).toBe(false);
    expect(deepEqual('1', 1)).toBe(false);
    expect(deepEqual(null, {})).toBe(false);
    expect(deepEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
  });
});

describe('sameContent', () => {
  it('ignores status, managedFields, resourceVersion and generation', () => {
    const dryRun: KubeObject = {
      ...live,
      metadata: { ...live.metadata, resourceVersion: '42', generation: 4, managedFields: [] },
      status: {},
    };
    expect(sameContent(dryRun, live)).toBe(true);
  });

  it('sees a changed spec, label or annotation', () => {
    expect(sameContent({ ...live, spec: { ...(live.spec as object), replicas: 3 } }, live)).toBe(false);
    expect(sameContent({ ...live, metadata: { ...live.metadata, labels: { app: 'other' } } }, live)).toBe(
      false,
    );
  });

  it('keeps everything else of the object', () => {
    expect(comparable(live)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'web',
        namespace: 'shop',
        uid: 'u-1',
        creationTimestamp: '2025-01-01T00:00:00Z',
        labels: { app: 'web' },
        annotations: { 'deployment.kubernetes.io/revision': '3' },
      },
      spec: live.spec,
    });
  });
});

describe('forApply', () => {
  it('drops status and the metadata only the server sets, without touching the input', () => {
    const applied = forApply(live);
    expect(applied.metadata).toEqual({
      name: 'web',
      namespace: 'shop',
      labels: { app: 'web' },
      annotations: { 'deployment.kubernetes.io/revision': '3' },
    });
    expect(applied.status).toBeUndefined();
    expect(live.metadata.uid).toBe('u-1');
    expect(live.status).toBeDefined();
  });
});

describe('project', () => {
  const manifest = {
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: { replicas: 2, template: { spec: { containers: [{ name: 'app', image: 'shop/web:1' }] } } },
  };

  it('keeps only what the manifest sets, element by element in same-length arrays', () => {
    expect(project(live, manifest)).toEqual(manifest);
  });

  it('changes when a field the manifest sets changes, not when anything else does', () => {
    const scaled = { ...live, spec: { ...(live.spec as object), replicas: 5 } };
    expect(project(scaled, manifest)).not.toEqual(project(live, manifest));
    const annotated = {
      ...live,
      metadata: { ...live.metadata, annotations: { other: 'x' } },
      status: { replicas: 9 },
    };
    expect(project(annotated, manifest)).toEqual(project(live, manifest));
  });

  it('takes arrays of another length whole, and leaves out keys the value lacks', () => {
    expect(project({ list: [1, 2, 3] }, { list: [1] })).toEqual({ list: [1, 2, 3] });
    expect(project({ a: 1 }, { a: 0, b: 0 })).toEqual({ a: 1 });
  });
});
