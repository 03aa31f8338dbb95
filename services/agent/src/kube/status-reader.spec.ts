import { describe, expect, it } from '@jest/globals';
import { type KubeObject } from '../domain/index.js';
import { type KubeClients } from './clients.js';
import { KubeApiError } from './errors.js';
import { readStatuses } from './status-reader.js';

const deployment = (name: string, generation: number, observedGeneration: number): KubeObject =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'web', generation },
    spec: { replicas: 1 },
    status: {
      observedGeneration,
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
      conditions: [{ type: 'Available', status: 'True' }],
    },
  }) as KubeObject;

/** GETs answered from `live` by name (absent: not found; an Error: thrown), each counted. */
function clients(live: Record<string, KubeObject | Error>) {
  const gets: string[] = [];
  const resources = {
    get: async (obj: KubeObject) => {
      gets.push(obj.metadata.name);
      const found = live[obj.metadata.name];
      if (found instanceof Error) throw found;
      return found;
    },
  };
  return { clients: { resources } as unknown as KubeClients, gets };
}

describe('readStatuses', () => {
  it.each([
    [
      'a Current copy: judged on it, no read',
      deployment('web', 2, 2),
      deployment('web', 2, 1),
      [],
      'Current',
    ],
    [
      'a copy not yet Current (rolling out): read again',
      deployment('web', 2, 1),
      deployment('web', 2, 2),
      ['web'],
      'Current',
    ],
    [
      'a copy not yet Current, still not live: read, InProgress',
      deployment('web', 2, 1),
      deployment('web', 2, 1),
      ['web'],
      'InProgress',
    ],
    ['no copy: read', undefined, deployment('web', 2, 2), ['web'], 'Current'],
  ])('%s', async (_case, copy, live, reads, status) => {
    const { clients: c, gets } = clients({ web: live });
    const observed = new Map(copy ? [['web_web_apps_Deployment', copy]] : []);
    const [result] = await readStatuses(c, [deployment('web', 2, 0)], { observed });
    expect(gets).toEqual(reads);
    expect(result).toMatchObject({ id: 'web_web_apps_Deployment', status: { status } });
  });

  it('says NotFound and Unknown for what it had to read and could not find or read', async () => {
    const { clients: c } = clients({
      gone: undefined as unknown as KubeObject,
      broken: new KubeApiError(500, 'InternalError', 'boom'),
    });
    const results = await readStatuses(c, [deployment('gone', 1, 0), deployment('broken', 1, 0)]);
    expect(results.map((r) => r.status.status)).toEqual(['NotFound', 'Unknown']);
  });
});
