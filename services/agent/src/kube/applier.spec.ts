import { describe, expect, it } from '@jest/globals';
import { type KubeObject } from '../domain/index.js';
import { applyBundle } from './applier.js';
import { type KubeClients } from './clients.js';
import { KubeApiError } from './errors.js';

const desired: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', namespace: 'web' },
  data: { color: 'blue' },
} as KubeObject;

const stored = (
  resourceVersion: string,
  annotations: Record<string, string> = {},
  color = 'blue',
): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings', namespace: 'web', resourceVersion, labels: { owner: 'fw' }, annotations },
    data: { color },
  }) as KubeObject;

/** The resources API as a script: successive GETs, and what a dry run answers. */
function clients(gets: KubeObject[], dryRun: KubeObject) {
  const calls = { gets: 0, applies: 0, dryRuns: 0 };
  const resources = {
    get: async () => gets[Math.min(calls.gets++, gets.length - 1)],
    apply: async (obj: KubeObject, options: { dryRun?: boolean }) => {
      if (options.dryRun) {
        calls.dryRuns++;
        return dryRun;
      }
      calls.applies++;
      return obj;
    },
  };
  return { clients: { resources } as unknown as KubeClients, calls };
}

const options = { fieldManager: 'fleetwave', ownerLabels: { owner: 'fw' }, waitTimeoutMs: 1_000 };

describe('applyBundle: unchanged detection', () => {
  it('is unchanged when a controller wrote the object between the read and the dry run', async () => {
    // GET saw rv 1; a controller then added an annotation (rv 2); the dry run is based on rv 2.
    const annotated = stored('2', { 'deployment.kubernetes.io/revision': '1' });
    const { clients: c, calls } = clients([stored('1'), annotated], annotated);
    expect(await applyBundle(c, [desired], options)).toEqual([
      { id: 'web_settings__ConfigMap', action: 'unchanged' },
    ]);
    expect(calls).toEqual({ gets: 2, applies: 0, dryRuns: 1 });
  });

  it('applies for real when the dry run differs from what it was based on', async () => {
    const { clients: c, calls } = clients([stored('1', {}, 'red')], stored('1'));
    expect(await applyBundle(c, [desired], options)).toEqual([
      { id: 'web_settings__ConfigMap', action: 'configured' },
    ]);
    expect(calls).toEqual({ gets: 1, applies: 1, dryRuns: 1 });
  });
});

describe('applyBundle: refusals', () => {
  it('names the immutable fields of a refused apply, so the caller can re-create the object', async () => {
    const refusal = KubeApiError.fromResponse(
      422,
      JSON.stringify({
        kind: 'Status',
        status: 'Failure',
        reason: 'Invalid',
        code: 422,
        message:
          'ConfigMap "settings" is invalid: data: Forbidden: field is immutable when `immutable` is set',
        details: {
          name: 'settings',
          kind: 'ConfigMap',
          causes: [
            {
              reason: 'FieldValueForbidden',
              message: 'Forbidden: field is immutable when `immutable` is set',
              field: 'data',
            },
          ],
        },
      }),
      'PATCH /api/v1/namespaces/web/configmaps/settings',
    );
    const resources = {
      get: async () => stored('1', {}, 'red'),
      apply: async () => {
        throw refusal;
      },
    };
    const c = { resources } as unknown as KubeClients;
    expect(await applyBundle(c, [desired], options)).toEqual([
      {
        id: 'web_settings__ConfigMap',
        action: 'skipped',
        reason:
          'Invalid (422): ConfigMap "settings" is invalid: data: Forbidden: field is immutable when `immutable` is set',
        immutableFields: ['data'],
      },
    ]);
  });
});
