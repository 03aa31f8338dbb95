import { describe, expect, it } from '@jest/globals';
import { type EntityManager } from 'typeorm';
import {
  type ApplicationRecord,
  type ApplicationsRepository,
} from '../applications/applications.repository.js';
import { DomainError } from '../common/domain-error.js';
import { type AuditedTransactions } from '../events/audited-transactions.js';
import { type PreparedRollout, type RolloutFactory } from './rollout-factory.js';
import { type RolloutScheduler } from './rollout-scheduler.js';
import { RolloutsService } from './rollouts.service.js';
import { type RolloutsRepository } from './rollouts.repository.js';

const OUTSIDE = { outside: true } as unknown as EntityManager;
const TX = { tx: true } as unknown as EntityManager;
const app = (valuesRules: ApplicationRecord['valuesRules'] = []) =>
  ({ id: 'app-1', name: 'web', valuesRules }) as unknown as ApplicationRecord;

/**
 * startRendered with a factory that renders whatever it is given and a transaction runner that
 * records when it runs: `versions` are the application as read each time (outside, then locked).
 */
function harness(versions: { app: ApplicationRecord; commit: string }[]) {
  const log: string[] = [];
  let reads = 0;
  const factory = {
    prepare: (a: ApplicationRecord, commit: string) => {
      log.push(`render ${commit} ${JSON.stringify(a.valuesRules)}`);
      return Promise.resolve({ app: a, commit } as PreparedRollout);
    },
    isCurrent: (prepared: PreparedRollout, locked: ApplicationRecord) =>
      JSON.stringify(prepared.app.valuesRules) === JSON.stringify(locked.valuesRules),
    start: (tx: EntityManager, prepared: PreparedRollout) => {
      log.push(`start ${prepared.commit} in ${tx === TX ? 'tx' : 'no tx'}`);
      return Promise.resolve({ id: 'rollout-1', events: [] });
    },
  } as unknown as RolloutFactory;
  const audited = {
    manager: OUTSIDE,
    run: async <T>(work: (tx: EntityManager) => Promise<{ result: T }>) => {
      log.push('begin');
      const { result } = await work(TX);
      log.push('commit');
      return result;
    },
  } as unknown as AuditedTransactions;
  const service = new RolloutsService(
    audited,
    {} as RolloutsRepository,
    {} as ApplicationsRepository,
    factory,
    {} as RolloutScheduler,
  );
  const target = (tx: EntityManager, lock: boolean) => {
    log.push(lock ? `lock (${tx === TX ? 'tx' : 'no tx'})` : `read (${tx === OUTSIDE ? 'no tx' : 'tx'})`);
    const version = versions[Math.min(reads++, versions.length - 1)]!;
    return Promise.resolve(version);
  };
  return { service, log, target };
}

describe('RolloutsService.startRendered', () => {
  it('renders before the transaction and starts under the lock', async () => {
    const { service, log, target } = harness([{ app: app(), commit: 'c1' }]);

    expect(await service.startRendered('git', target)).toBe('rollout-1');
    expect(log).toEqual(['read (no tx)', 'render c1 []', 'begin', 'lock (tx)', 'start c1 in tx', 'commit']);
  });

  it('renders again when the application changed before the lock', async () => {
    const edited = app([{ selector: '', values: { replicas: 3 } }]);
    const { service, log, target } = harness([
      { app: app(), commit: 'c1' },
      { app: edited, commit: 'c1' },
      { app: edited, commit: 'c1' },
      { app: edited, commit: 'c1' },
    ]);

    expect(await service.startRendered('git', target)).toBe('rollout-1');
    expect(log.filter((line) => line.startsWith('render') || line.startsWith('start'))).toEqual([
      'render c1 []',
      'render c1 [{"selector":"","values":{"replicas":3}}]',
      'start c1 in tx',
    ]);
  });

  it('renders again when a newer commit was chosen under the lock', async () => {
    const { service, log, target } = harness([
      { app: app(), commit: 'c1' },
      { app: app(), commit: 'c2' },
      { app: app(), commit: 'c2' },
    ]);

    expect(await service.startRendered('git', target)).toBe('rollout-1');
    expect(log.filter((line) => line.startsWith('render') || line.startsWith('start'))).toEqual([
      'render c1 []',
      'render c2 []',
      'start c2 in tx',
    ]);
  });

  it('starts nothing when the target says so, before rendering or under the lock', async () => {
    const before = harness([]);
    expect(await before.service.startRendered('git', () => Promise.resolve(null))).toBeNull();
    expect(before.log).toEqual([]);

    const { service, log } = harness([]);
    let calls = 0;
    const onlyOutside = () => Promise.resolve(calls++ === 0 ? { app: app(), commit: 'c1' } : null);
    expect(await service.startRendered('git', onlyOutside)).toBeNull();
    expect(log).toEqual(['render c1 []', 'begin', 'commit']);
  });

  it('gives up with CONFLICT on an application that keeps changing', async () => {
    const { service, log, target } = harness(
      Array.from({ length: 10 }, (_, i) => ({
        app: app([{ selector: '', values: { n: i } }]),
        commit: 'c1',
      })),
    );

    const error = await service.startRendered('git', target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('CONFLICT');
    expect(log.filter((line) => line.startsWith('render'))).toHaveLength(3);
    expect(log).not.toContain('start c1 in tx');
  });
});
