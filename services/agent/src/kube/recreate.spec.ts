import { describe, expect, it } from '@jest/globals';
import { type KubeObject } from '../domain/index.js';
import { type KubeClients } from './clients.js';
import { KubeApiError } from './errors.js';
import { deleteHookObject } from './hook-objects.js';
import { recreateObject } from './recreate.js';

const OWNED = { 'fleetwave.io/application': 'shop', 'fleetwave.io/managed-by': 'fleetwave' };

const deployment = (uid: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', uid, labels: OWNED, ...extra },
  spec: { selector: { matchLabels: { app: 'web-v2' } } },
});

/**
 * A resources API over one object: `deleteReads` more GETs see it after its DELETE (a foreground
 * deletion in progress), then it is gone; the clock moves only when the code under test sleeps.
 */
function cluster(live: KubeObject | undefined, deleteReads: number) {
  let current = live;
  let readsLeft = Infinity;
  const calls: string[] = [];
  let clock = 0;
  const resources = {
    get: async () => {
      calls.push('get');
      if (readsLeft === 0) current = undefined;
      readsLeft -= 1;
      return current;
    },
    delete: async (_key: unknown, options: { propagationPolicy?: string; uid?: string }) => {
      calls.push(`delete ${options.propagationPolicy} uid=${options.uid}`);
      if (current === undefined) return false;
      if (options.uid !== current.metadata.uid) throw new KubeApiError(409, 'Conflict', 'uid precondition');
      readsLeft = deleteReads;
      return true;
    },
    apply: async (obj: KubeObject, options: { dryRun?: boolean }) => {
      calls.push(options.dryRun ? 'dry-run' : 'apply');
      if (!options.dryRun) current = { ...obj, metadata: { ...obj.metadata, uid: 'new' } };
      return obj;
    },
  };
  const wait = {
    now: () => clock,
    sleep: async (ms: number) => {
      calls.push(`sleep ${ms}`);
      clock += ms;
    },
  };
  return { clients: { resources } as unknown as KubeClients, calls, wait };
}

const applyOptions = { fieldManager: 'fleetwave', ownerLabels: OWNED };

describe('recreateObject', () => {
  it('deletes in the foreground, waits until the old object is gone, then creates it', async () => {
    const { clients, calls, wait } = cluster(deployment('old'), 3);
    const entry = await recreateObject(clients, deployment('ignored'), ['spec.selector'], {
      ...applyOptions,
      ...wait,
      timeoutMs: 60_000,
    });
    expect(entry).toEqual({
      id: 'shop_web_apps_Deployment',
      action: 'recreated',
      reason: 'immutable spec.selector changed',
    });
    expect(calls).toEqual([
      'get',
      'delete Foreground uid=old',
      'get',
      'sleep 100',
      'get',
      'sleep 200',
      'get',
      'sleep 400',
      'get',
      'get',
      'dry-run',
      'apply',
    ]);
  });

  it('gives up when the old object is still there after the bound; the next pass creates it', async () => {
    const { clients, calls, wait } = cluster(
      deployment('old', { finalizers: ['foregroundDeletion'] }),
      Infinity,
    );
    const entry = await recreateObject(clients, deployment('x'), ['spec.selector'], {
      ...applyOptions,
      ...wait,
      timeoutMs: 2_000,
    });
    expect(entry).toEqual({
      id: 'shop_web_apps_Deployment',
      action: 'skipped',
      reason: 'deleted to be re-created, but still being deleted after 2s (finalizers: foregroundDeletion)',
    });
    expect(calls).not.toContain('apply');
    expect(calls.filter((c) => c.startsWith('sleep'))).toEqual([
      'sleep 100',
      'sleep 200',
      'sleep 400',
      'sleep 800',
      'sleep 500',
    ]);
  });

  it('creates it at once when it is gone already', async () => {
    const { clients, calls, wait } = cluster(undefined, 0);
    const entry = await recreateObject(clients, deployment('x'), [], {
      ...applyOptions,
      ...wait,
      timeoutMs: 1,
    });
    expect(entry.action).toBe('recreated');
    expect(calls).toEqual(['get', 'get', 'dry-run', 'apply']);
  });
});

describe('deleteHookObject', () => {
  const job = (labels: Record<string, string>, kind = 'Job'): KubeObject => ({
    apiVersion: kind === 'Job' ? 'batch/v1' : 'apiextensions.k8s.io/v1',
    kind,
    metadata: { name: 'migrate', namespace: 'shop', uid: 'u1', labels },
  });

  it('before creation: deletes its own earlier run in the foreground and waits until it is gone', async () => {
    const { clients, calls, wait } = cluster(job(OWNED), 1);
    const result = await deleteHookObject(clients, job({}), 'shop', 'before-hook-creation', {
      ...wait,
      wait: true,
      timeoutMs: 60_000,
    });
    expect(result).toEqual({
      result: 'gone',
      entry: { id: 'shop_migrate_batch_Job', action: 'deleted', reason: 'before-hook-creation' },
    });
    expect(calls).toEqual(['get', 'delete Foreground uid=u1', 'get', 'sleep 100', 'get']);
  });

  it('after a run: deletes in the background without waiting', async () => {
    const { clients, calls, wait } = cluster(job(OWNED), Infinity);
    const result = await deleteHookObject(clients, job({}), 'shop', 'hook-succeeded', {
      ...wait,
      wait: false,
      timeoutMs: 60_000,
    });
    expect(result).toMatchObject({ result: 'gone', entry: { action: 'deleted', reason: 'hook-succeeded' } });
    expect(calls).toEqual(['get', 'delete Background uid=u1', 'get']);
  });

  it('reports a deletion that does not finish in time as waiting', async () => {
    const { clients, wait } = cluster(job(OWNED), Infinity);
    const result = await deleteHookObject(clients, job({}), 'shop', 'before-hook-creation', {
      ...wait,
      wait: true,
      timeoutMs: 1_000,
    });
    expect(result).toEqual({ result: 'waiting', message: 'still being deleted after 1s' });
  });

  it.each([
    [
      'not ours',
      job({ 'fleetwave.io/application': 'other', 'fleetwave.io/managed-by': 'fleetwave' }),
      'owned by application "other"',
    ],
    ['a CRD', job(OWNED, 'CustomResourceDefinition'), 'a CRD is never deleted'],
  ])('refuses to delete %s', async (_case, live, reason) => {
    const { clients, calls, wait } = cluster(live, 0);
    const result = await deleteHookObject(clients, live, 'shop', 'hook-succeeded', {
      ...wait,
      wait: false,
      timeoutMs: 1,
    });
    expect(result).toMatchObject({
      result: 'refused',
      entry: { action: 'skipped', reason: `hook-succeeded: ${reason}` },
    });
    expect(calls.filter((c) => c.startsWith('delete'))).toEqual([]);
  });

  it('has nothing to do when there is no earlier run', async () => {
    const { clients, wait } = cluster(undefined, 0);
    expect(
      await deleteHookObject(clients, job({}), 'shop', 'before-hook-creation', {
        ...wait,
        wait: true,
        timeoutMs: 1,
      }),
    ).toEqual({ result: 'gone' });
  });
});
