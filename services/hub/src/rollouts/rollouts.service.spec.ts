import { systemClock } from '../common/clock.js';
import { type FleetGates } from './fleet-gates.js';
import { describe, expect, it } from '@jest/globals';
import { type EntityManager } from 'typeorm';
import {
  type ApplicationRecord,
  type ApplicationsRepository,
} from '../applications/applications.repository.js';
import { DomainError } from '../common/domain-error.js';
import { type AuditedTransactions } from '../events/audited-transactions.js';
import { type RevisionVeto } from '../applications/revision-veto.js';
import { type RevisionVetoesRepository } from '../applications/revision-vetoes.repository.js';
import { type ClustersRepository } from '../clusters/clusters.repository.js';
import { type Preflight } from './preflight.js';
import { type PreparedRollout, type RolloutFactory } from './rollout-factory.js';
import { type RolloutScheduler } from './rollout-scheduler.js';
import { RolloutsService } from './rollouts.service.js';
import { type RolloutsRepository } from './rollouts.repository.js';
import { type ProjectsService } from '../projects/projects.service.js';
import { type VerificationRepository } from './verification/verification.repository.js';

const AUTO = { automatic: true, force: false };
const OUTSIDE = { outside: true } as unknown as EntityManager;
const TX = { tx: true } as unknown as EntityManager;
const app = (valuesRules: ApplicationRecord['valuesRules'] = []) =>
  ({ id: 'app-1', name: 'web', valuesRules, deletion: null }) as unknown as ApplicationRecord;

/**
 * startRendered with a factory that renders whatever it is given and a transaction runner that
 * records when it runs: `versions` are the application as read each time (outside, then locked).
 */
function harness(versions: { app: ApplicationRecord; commit: string }[], vetoed: RevisionVeto | null = null) {
  const log: string[] = [];
  const events: { action: string }[] = [];
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
      const { result, events: written } = (await work(TX)) as { result: T; events: { action: string }[] };
      events.push(...written);
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
    {
      find: (_app: string, commit: string, tx: EntityManager) => {
        log.push(`veto? ${commit} (${tx === TX ? 'tx' : 'no tx'})`);
        return Promise.resolve(vetoed?.commit === commit ? vetoed : null);
      },
    } as unknown as RevisionVetoesRepository,
    {} as FleetGates,
    systemClock,
    {} as Preflight,
    {} as ClustersRepository,
    {} as VerificationRepository,
    {} as ProjectsService,
  );
  const target = (tx: EntityManager, lock: boolean) => {
    log.push(lock ? `lock (${tx === TX ? 'tx' : 'no tx'})` : `read (${tx === OUTSIDE ? 'no tx' : 'tx'})`);
    const version = versions[Math.min(reads++, versions.length - 1)]!;
    return Promise.resolve(version);
  };
  return { service, log, target, events };
}

describe('RolloutsService.startRendered', () => {
  it('renders before the transaction and starts under the lock', async () => {
    const { service, log, target } = harness([{ app: app(), commit: 'c1' }]);

    expect(await service.startRendered('git', AUTO, target)).toBe('rollout-1');
    expect(log).toEqual([
      'read (no tx)',
      'veto? c1 (no tx)',
      'render c1 []',
      'begin',
      'lock (tx)',
      'veto? c1 (tx)',
      'start c1 in tx',
      'commit',
    ]);
  });

  it('renders again when the application changed before the lock', async () => {
    const edited = app([{ selector: '', values: { replicas: 3 } }]);
    const { service, log, target } = harness([
      { app: app(), commit: 'c1' },
      { app: edited, commit: 'c1' },
      { app: edited, commit: 'c1' },
      { app: edited, commit: 'c1' },
    ]);

    expect(await service.startRendered('git', AUTO, target)).toBe('rollout-1');
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

    expect(await service.startRendered('git', AUTO, target)).toBe('rollout-1');
    expect(log.filter((line) => line.startsWith('render') || line.startsWith('start'))).toEqual([
      'render c1 []',
      'render c2 []',
      'start c2 in tx',
    ]);
  });

  it('starts nothing when the target says so, before rendering or under the lock', async () => {
    const before = harness([]);
    expect(await before.service.startRendered('git', AUTO, () => Promise.resolve(null))).toBeNull();
    expect(before.log).toEqual([]);

    const { service, log } = harness([]);
    let calls = 0;
    const onlyOutside = () => Promise.resolve(calls++ === 0 ? { app: app(), commit: 'c1' } : null);
    expect(await service.startRendered('git', AUTO, onlyOutside)).toBeNull();
    expect(log).toEqual(['veto? c1 (no tx)', 'render c1 []', 'begin', 'commit']);
  });

  it('gives up with CONFLICT on an application that keeps changing', async () => {
    const { service, log, target } = harness(
      Array.from({ length: 10 }, (_, i) => ({
        app: app([{ selector: '', values: { n: i } }]),
        commit: 'c1',
      })),
    );

    const error = await service.startRendered('git', AUTO, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('CONFLICT');
    expect(log.filter((line) => line.startsWith('render'))).toHaveLength(3);
    expect(log).not.toContain('start c1 in tx');
  });

  describe('a vetoed commit', () => {
    const veto: RevisionVeto = {
      applicationId: 'app-1',
      commit: 'c1',
      reason: 'broke prod',
      actor: 'engine',
      at: new Date('2026-12-01T00:00:00Z'),
    };

    it('starts nothing automatically, and is not even rendered', async () => {
      const { service, log, target } = harness([{ app: app(), commit: 'c1' }], veto);

      expect(await service.startRendered('git', AUTO, target)).toBeNull();
      expect(log).toEqual(['read (no tx)', 'veto? c1 (no tx)']);
    });

    it('is refused to an operator who does not force it', async () => {
      const { service, log, target } = harness([{ app: app(), commit: 'c1' }], veto);

      const error = await service
        .startRendered('alice', { automatic: false, force: false }, target)
        .catch((e: unknown) => e);
      expect((error as DomainError).code).toBe('REVISION_VETOED');
      expect((error as DomainError).message).toContain('broke prod');
      expect(log).not.toContain('start c1 in tx');
    });

    it('starts when forced, and the override is audited', async () => {
      const { service, log, target, events } = harness([{ app: app(), commit: 'c1' }], veto);

      expect(await service.startRendered('alice', { automatic: false, force: true }, target)).toBe(
        'rollout-1',
      );
      expect(log).toContain('start c1 in tx');
      expect(events.map((e) => e.action)).toEqual(['rollout.vetoOverridden']);
    });

    it('decided under the lock: a veto that lands while rendering stops an automatic start', async () => {
      const { service, log, target } = harness([{ app: app(), commit: 'c1' }]);
      let vetoNow: RevisionVeto | null = null;
      const find = (_app: string, _commit: string, tx: EntityManager) => {
        log.push(`veto? (${tx === TX ? 'tx' : 'no tx'})`);
        const found = vetoNow;
        vetoNow = veto; // vetoed after the first look, before the lock
        return Promise.resolve(found);
      };
      (service as unknown as { vetoes: { find: typeof find } }).vetoes.find = find;

      expect(await service.startRendered('git', AUTO, target)).toBeNull();
      expect(log).not.toContain('start c1 in tx');
      expect(log).toContain('veto? (tx)');
    });
  });
});
