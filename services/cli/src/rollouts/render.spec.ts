import { describe, expect, it } from '@jest/globals';
import { type RolloutState } from '@fleetwave/api-client';
import { type OutputStream } from '../io.js';
import { type Rollout } from '../resources/rollouts.js';
import { WatchRenderer } from './render.js';

function buffer(isTTY: boolean): OutputStream & { text: string } {
  return {
    text: '',
    isTTY,
    columns: 100,
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

function rollout(state: RolloutState, healthy: number): Rollout {
  const zero = {
    pending: 0,
    assigned: 0,
    applying: 0,
    progressing: 0,
    degraded: 0,
    failed: 0,
    timedOut: 0,
    skipped: 0,
  };
  return {
    id: 'r-1',
    applicationName: 'web',
    commit: 'abcdef0123456789',
    kind: 'rollout',
    rollbackOf: null,
    rolledBackBy: null,
    state,
    paused: false,
    currentWave: 0,
    createdBy: 'token:ops',
    message: null,
    createdAt: '2026-05-04T11:55:00Z',
    updatedAt: '2026-05-04T11:55:00Z',
    finishedAt: null,
    revision: null,
    blocking: null,
    eta: { at: null, basis: 'unknown', confidence: 'low' },
    waves: [
      {
        index: 0,
        name: 'all',
        selector: '',
        size: 2,
        counts: { ...zero, healthy, pending: 2 - healthy },
        failed: 0,
        failureLimit: 0,
        concurrencyLimit: 1,
        soakSeconds: 0,
        requireApproval: false,
        startedAt: '2026-05-04T11:55:00Z',
        healthyAt: healthy === 2 ? '2026-05-04T11:56:00Z' : null,
        approvedBy: null,
        blocking: null,
        eta: { at: null, basis: 'unknown' },
      },
    ],
    verificationRuns: [],
  };
}

const now = () => new Date('2026-05-04T12:00:00Z');

describe('WatchRenderer', () => {
  it('prints one line per change when stdout is not a terminal, leaving repeats out', () => {
    const out = buffer(false);
    const err = buffer(false);
    const renderer = new WatchRenderer(out, err, now);
    renderer.update(rollout('Progressing', 0));
    renderer.update(rollout('Progressing', 0));
    renderer.update(rollout('Progressing', 1));
    renderer.note('warning: live updates stopped');
    renderer.update(rollout('Succeeded', 2));
    expect(out.text).toBe(
      [
        'Progressing | all 0/2 healthy: Progressing',
        'Progressing | all 1/2 healthy: Progressing',
        'Succeeded | all 2/2 healthy: Done',
        '',
      ].join('\n'),
    );
    expect(out.text).not.toContain('\u001b');
    expect(err.text).toBe('warning: live updates stopped\n');
  });

  it('redraws the frame in place on a terminal', () => {
    const out = buffer(true);
    const renderer = new WatchRenderer(out, buffer(false), now);
    renderer.update(rollout('Progressing', 0));
    const first = out.text;
    const lines = first.split('\n').length - 1;
    expect(first).not.toContain('\u001b');
    expect(first).toContain('[..........');
    renderer.update(rollout('Progressing', 1));
    const second = out.text.slice(first.length);
    expect(second.startsWith(`\u001b[${lines}A\u001b[0J`)).toBe(true);
    expect(second).toContain('[##########..........]');
    renderer.note('warning: live updates stopped');
    const third = out.text.slice(first.length + second.length);
    expect(third.startsWith(`\u001b[${lines}A\u001b[0J`)).toBe(true);
    expect(third.trimEnd().endsWith('warning: live updates stopped')).toBe(true);
  });
});
