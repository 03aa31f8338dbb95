import { describe, expect, it } from '@jest/globals';
import { type HubConfig } from '../config/hub-config.js';
import { RolloutDetailCache } from './rollout-detail-cache.js';
import { type RolloutView } from './rollouts.repository.js';

const AT = new Date('2026-12-03T06:00:00.000Z');

function view(patch: Partial<RolloutView['rollout']> = {}, approvedAt: Date | null = null) {
  return {
    rollout: { id: 'r1', state: 'Progressing', currentWave: 1, paused: false, updatedAt: AT, ...patch },
    waves: [{ index: 0, name: 'canary', startedAt: AT, healthyAt: AT, approvedAt, approvedBy: null }],
  } as unknown as Pick<RolloutView, 'rollout' | 'waves'>;
}

function setup() {
  const cache = new RolloutDetailCache({ reads: { cacheMs: 60_000 } } as HubConfig, { now: () => AT });
  let computed = 0;
  const read = (v = view()) => cache.detail(v, () => Promise.resolve(++computed));
  return { cache, read, computed: () => computed };
}

describe('RolloutDetailCache', () => {
  it('keeps a detail while the rollout row and its waves read the same and nothing changed here', async () => {
    const { read, computed } = setup();
    await read();
    await read();
    expect(computed()).toBe(1);
  });

  it.each<[string, ReturnType<typeof view>]>([
    ['state', view({ state: 'AwaitingApproval' })],
    ['current wave', view({ currentWave: 2 })],
    ['pause', view({ paused: true })],
    ['updated_at', view({ updatedAt: new Date(AT.getTime() + 1) })],
    ["waves' approval times", view({}, AT)],
  ])('computes again when the row read differs in its %s (another replica wrote it)', async (_, changed) => {
    const { read, computed } = setup();
    await read();
    await read(changed);
    expect(computed()).toBe(2);
  });

  it('computes again after a change here (a pass asked for or ended), only for that rollout', async () => {
    const { cache, read, computed } = setup();
    await read();
    await read(view({ id: 'r2' }));
    cache.changed(['r1']);
    await read();
    await read(view({ id: 'r2' }));
    expect(computed()).toBe(3);
    cache.changedAll();
    await read(view({ id: 'r2' }));
    expect(computed()).toBe(4);
  });

  it('counts one announcement once, however many subscribers pass it on', async () => {
    const { cache, read, computed } = setup();
    await read();
    const announcement = { rolloutId: 'r1' };
    cache.announced(announcement, 'r1');
    await read();
    cache.announced(announcement, 'r1');
    await read();
    expect(computed()).toBe(2);
  });
});
