import { describe, expect, it } from '@jest/globals';
import { type PhaseCounts, type Rollout, type RolloutWave } from '../resources/rollouts.js';
import {
  clustersTable,
  describeCommit,
  describeRollout,
  etaText,
  phaseCounts,
  previewDiffText,
  previewText,
  rolloutDetails,
  rolloutsTable,
  watchFrame,
  watchLine,
  waveStatus,
  wavesTable,
} from './rollouts.js';

/** Test data: phase counts with zeros for what is not given. */
function counts(given: Partial<PhaseCounts> = {}): PhaseCounts {
  return {
    pending: 0,
    assigned: 0,
    applying: 0,
    progressing: 0,
    healthy: 0,
    degraded: 0,
    failed: 0,
    timedOut: 0,
    skipped: 0,
    ...given,
  };
}

function wave(given: Partial<RolloutWave> & { name: string }): RolloutWave {
  return {
    index: 0,
    selector: '',
    size: 0,
    counts: counts(),
    failed: 0,
    failureLimit: 0,
    concurrencyLimit: 1,
    soakSeconds: 0,
    requireApproval: false,
    startedAt: null,
    healthyAt: null,
    approvedBy: null,
    blocking: null,
    eta: { at: null, basis: 'unknown' },
    ...given,
  };
}

function rollout(given: Partial<Rollout> = {}): Rollout {
  return {
    id: '6f1c1f8e-8d1a-4a34-9a43-0d3e3f1b2c4d',
    applicationName: 'web',
    commit: '9f2c6a1e0b7d4c3a2f1e0d9c8b7a6f5e4d3c2b1a',
    kind: 'rollout',
    rollbackOf: null,
    rolledBackBy: null,
    state: 'Progressing',
    paused: false,
    currentWave: 1,
    createdBy: 'token:ops',
    message: null,
    createdAt: '2026-05-04T11:55:00Z',
    updatedAt: '2026-05-04T11:59:00Z',
    finishedAt: null,
    revision: { author: 'Ada Lovelace', message: 'web: first config\n\nWith a body.' },
    blocking: null,
    eta: { at: '2026-05-04T12:10:00Z', basis: 'observed', confidence: 'medium' },
    waves: [],
    verificationRuns: [],
    ...given,
  };
}

const NOW = new Date('2026-05-04T12:00:00Z');

const DEADLINE = { kind: 'deadline' as const, message: 'deadline at 2026-05-04T12:10:00Z' };

const PROGRESSING = rollout({
  blocking: DEADLINE,
  waves: [
    wave({
      name: 'canary',
      size: 1,
      counts: counts({ healthy: 1 }),
      startedAt: '2026-05-04T11:55:00Z',
      healthyAt: '2026-05-04T11:57:00Z',
    }),
    wave({
      name: 'prod',
      index: 1,
      size: 4,
      counts: counts({ healthy: 1, progressing: 1, assigned: 1, pending: 1 }),
      failureLimit: 1,
      startedAt: '2026-05-04T11:58:00Z',
      blocking: DEADLINE,
      eta: { at: '2026-05-04T12:04:00Z', basis: 'observed' },
    }),
    wave({ name: 'rest', index: 2, eta: { at: null, basis: 'awaitingApproval' } }),
  ],
});

describe('waveStatus', () => {
  it.each([
    [
      'passes a blocking message through as the hub wrote it',
      wave({ name: 'w', blocking: { kind: 'soak', message: 'soak: 4m12s left' } }),
      'Progressing',
      'soak: 4m12s left',
    ],
    [
      'passes budget messages through',
      wave({ name: 'w', blocking: { kind: 'budget', message: '2/20 failed, budget 1' } }),
      'Failed',
      '2/20 failed, budget 1',
    ],
    [
      'says Done once the wave was healthy',
      wave({ name: 'w', healthyAt: '2026-05-04T11:00:00Z' }),
      'Progressing',
      'Done',
    ],
    [
      'says Failed when over budget',
      wave({ name: 'w', failed: 2, failureLimit: 1, startedAt: 'x' }),
      'Failed',
      'Failed',
    ],
    [
      'says Progressing for a started wave',
      wave({ name: 'w', startedAt: 'x' }),
      'Progressing',
      'Progressing',
    ],
    [
      'names the final state a started wave stopped in',
      wave({ name: 'w', startedAt: 'x' }),
      'Aborted',
      'Aborted',
    ],
    ['says Pending for a wave not started', wave({ name: 'w' }), 'Progressing', 'Pending'],
    [
      'says Progressing for a wave with a member in flight before the engine marked it started',
      wave({ name: 'w', counts: counts({ assigned: 1, pending: 1 }) }),
      'Pending',
      'Progressing',
    ],
    ['says - for a wave a finished rollout never reached', wave({ name: 'w' }), 'Failed', '-'],
  ])('%s', (_case, w, state, expected) => {
    expect(waveStatus(w, state)).toBe(expected);
  });
});

describe('phaseCounts', () => {
  it('lists the non-zero phases, finished first', () => {
    expect(phaseCounts(counts({ pending: 2, healthy: 3, progressing: 1, timedOut: 1 }))).toBe(
      'healthy 3, progressing 1, timedOut 1, pending 2',
    );
    expect(phaseCounts(counts())).toBe('-');
  });
});

describe('describeCommit', () => {
  it.each([
    [rollout(), '9f2c6a1 Ada Lovelace: web: first config'],
    [rollout({ revision: null }), '9f2c6a1'],
    [rollout({ revision: { author: 'Bo', message: '' } }), '9f2c6a1 Bo'],
  ])('%#', (r, expected) => {
    expect(describeCommit(r)).toBe(expected);
  });
});

describe('rollouts get', () => {
  it('shows the header: app, commit, state and the blocking message', () => {
    expect(describeRollout(PROGRESSING, NOW)).toBe(
      [
        'Rollout:      6f1c1f8e-8d1a-4a34-9a43-0d3e3f1b2c4d',
        'Application:  web',
        'Commit:       9f2c6a1 Ada Lovelace: web: first config',
        'State:        Progressing',
        'Blocking:     deadline at 2026-05-04T12:10:00Z',
        'ETA:          in 10m (2026-05-04T12:10:00Z, observed, medium confidence)',
        'Created:      5m ago by token:ops',
        '',
      ].join('\n'),
    );
  });

  it('names the rollout a rollback undoes, and why a rollout failed', () => {
    const text = describeRollout(
      rollout({ kind: 'rollback', rollbackOf: 'r-0', state: 'Failed', message: 'wave prod over budget' }),
      NOW,
    );
    expect(text).toContain('Kind:         rollback of r-0\n');
    expect(text).toContain('Message:      wave prod over budget\n');
  });

  it('tabulates the waves: size, healthy, in flight, failed/budget, state or blocking', () => {
    expect(wavesTable(PROGRESSING, NOW)).toBe(
      [
        'NAME     SIZE   HEALTHY   IN-FLIGHT   FAILED/BUDGET   STATE/BLOCKING                     ETA',
        'canary   1      1         0           0/0             Done                               -',
        'prod     4      1         2           0/1             deadline at 2026-05-04T12:10:00Z   in 4m (2026-05-04T12:04:00Z, observed)',
        'rest     0      0         0           0/0             Pending                            waiting for approval',
        '',
      ].join('\n'),
    );
  });

  it('tabulates the member clusters with their blocking reason or failing object', () => {
    const text = clustersTable(
      [
        {
          name: 'prod-a',
          wave: 'prod',
          phase: 'Failed',
          targetCommit: '9f2c6a1e0b7d',
          targetDigest: 'sha256:1',
          assignedAt: '2026-05-04T11:58:00Z',
          reportedDigest: 'sha256:1',
          reportedAt: '2026-05-04T11:59:00Z',
          failing: [
            { id: 'demo_web_apps_Deployment', reason: 'CrashLoop', message: 'back-off' },
            { id: 'x', reason: 'y', message: 'z' },
          ],
          blocking: null,
        },
        {
          name: 'prod-b',
          wave: 'prod',
          phase: 'Pending',
          targetCommit: null,
          targetDigest: null,
          assignedAt: null,
          reportedDigest: null,
          reportedAt: null,
          failing: [],
          blocking: { kind: 'concurrency', message: '1/1 in flight (max 1)' },
        },
      ],
      NOW,
    );
    expect(text).toBe(
      [
        'NAME     WAVE   PHASE     COMMIT    REPORTED   BLOCKING/FAILING',
        'prod-a   prod   Failed    9f2c6a1   60s        demo_web_apps_Deployment: CrashLoop: back-off (+1 more)',
        'prod-b   prod   Pending   -         -          1/1 in flight (max 1)',
        '',
      ].join('\n'),
    );
  });
});

describe('etaText', () => {
  it.each<[string, Parameters<typeof etaText>[0], string]>([
    ['none', null, '-'],
    ['finished', { at: '2026-05-04T11:00:00Z', basis: 'finished' }, '-'],
    ['awaiting approval', { at: null, basis: 'awaitingApproval' }, 'waiting for approval'],
    ['unknown', { at: null, basis: 'unknown' }, 'unknown'],
    [
      'estimated, with confidence',
      { at: '2026-05-04T12:04:12Z', basis: 'observed', confidence: 'high' },
      'in 4m12s (2026-05-04T12:04:12Z, observed, high confidence)',
    ],
    [
      'already due',
      { at: '2026-05-04T11:59:00Z', basis: 'previous', confidence: 'low' },
      'in 0s (2026-05-04T11:59:00Z, previous, low confidence)',
    ],
  ])('%s', (_name, eta, expected) => {
    expect(etaText(eta, NOW)).toBe(expected);
  });

  it('is compact in a table', () => {
    expect(etaText({ at: '2026-05-04T12:04:12Z', basis: 'observed', confidence: 'high' }, NOW, true)).toBe(
      'in 4m12s',
    );
  });

  it('shows in the rollout header while it runs', () => {
    expect(describeRollout(PROGRESSING, NOW)).toContain(
      'ETA:          in 10m (2026-05-04T12:10:00Z, observed, medium confidence)\n',
    );
    expect(describeRollout(rollout({ state: 'Succeeded' }), NOW)).not.toContain('ETA');
  });
});

describe('rollouts get: verification checks', () => {
  const runs: Rollout['verificationRuns'] = [
    {
      wave: 'canary',
      check: 'healthz',
      kind: 'http',
      target: 'canary-1',
      attempt: 1,
      result: 'failed',
      message: 'GET http://x/healthz: status 500, expected 200',
      durationMs: 12,
    },
    {
      wave: 'canary',
      check: 'healthz',
      kind: 'http',
      target: 'canary-1',
      attempt: 2,
      result: null,
      message: '',
      durationMs: null,
    },
  ];

  it('tabulates every attempt, running ones as running', () => {
    const text = rolloutDetails(rollout({ verificationRuns: runs }), NOW);
    expect(text).toContain(
      [
        'Verification checks:',
        'WAVE     CHECK     KIND   TARGET     ATTEMPT   RESULT    DURATION   MESSAGE',
        'canary   healthz   http   canary-1   1         failed    12ms       GET http://x/healthz: status 500, expected 200',
        'canary   healthz   http   canary-1   2         running   -',
      ].join('\n'),
    );
  });

  it('says nothing of checks when the rollout has none', () => {
    expect(rolloutDetails(rollout(), NOW)).not.toContain('Verification');
  });
});

describe('rollouts list', () => {
  it('shows id, app, kind, short commit, state, blocking, creator and age', () => {
    expect(rolloutsTable([PROGRESSING], NOW)).toBe(
      [
        'ID                                     APP   KIND      COMMIT    STATE         BLOCKING                           ETA      CREATED-BY   AGE',
        '6f1c1f8e-8d1a-4a34-9a43-0d3e3f1b2c4d   web   rollout   9f2c6a1   Progressing   deadline at 2026-05-04T12:10:00Z   in 10m   token:ops    5m',
        '',
      ].join('\n'),
    );
  });
});

describe('rollouts watch', () => {
  it('prints one line per change when stdout is not a terminal', () => {
    expect(watchLine(PROGRESSING)).toBe(
      'Progressing | canary 1/1 healthy: Done | prod 1/4 healthy, 2 in flight: deadline at 2026-05-04T12:10:00Z | rest 0/0 healthy: Pending',
    );
    expect(watchLine(rollout({ state: 'Progressing', paused: true, waves: [] }))).toBe(
      'Progressing (paused)',
    );
  });

  it('draws a frame with progress bars, counts by phase and blocking reasons', () => {
    expect(watchFrame(PROGRESSING, NOW, 200)).toBe(
      [
        'Rollout 6f1c1f8e-8d1a-4a34-9a43-0d3e3f1b2c4d  web @ 9f2c6a1 Ada Lovelace: web: first config',
        'State: Progressing  Blocking: deadline at 2026-05-04T12:10:00Z  (updated 2026-05-04T12:00:00Z)',
        '',
        'WAVE     PROGRESS                 HEALTHY   FAILED/BUDGET   PHASES                                            STATE/BLOCKING',
        'canary   [####################]   1/1       0/0             healthy 1                                         Done',
        'prod     [#####>>>>>>>>>>.....]   1/4       0/1             healthy 1, progressing 1, assigned 1, pending 1   deadline at 2026-05-04T12:10:00Z',
        'rest     [                    ]   0/0       0/0             -                                                 Pending',
        '',
      ].join('\n'),
    );
  });

  it('cuts frame lines to the terminal width', () => {
    const lines = watchFrame(PROGRESSING, NOW, 40).trimEnd().split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(39);
    expect(lines[0]).toMatch(/…$/);
  });
});

describe('rollouts preview', () => {
  it('lists the waves with their clusters, the excluded clusters and render errors', () => {
    const text = previewText({
      application: 'web',
      commit: '9f2c6a1e0b7d4c3a2f1e0d9c8b7a6f5e4d3c2b1a',
      plan: {},
      waves: [
        { index: 0, name: 'canary', selector: 'ring=canary', clusters: [{ name: 'canary-1', digest: 'd' }] },
        {
          index: 1,
          name: 'prod',
          selector: 'env=prod',
          clusters: [
            { name: 'prod-a', digest: 'd' },
            { name: 'prod-b', digest: 'd' },
          ],
        },
        { index: 2, name: 'rest', selector: '', clusters: [] },
      ],
      excluded: [{ name: 'prod-c', wave: 'prod', reason: 'cordoned' }],
      renderErrors: ['prod-b: values.color: not set'],
      bundles: [
        { digest: 'sha256:aaaaaaaaaaaaaaaaaaaaaaaa', clusters: 2, objects: 7 },
        { digest: 'sha256:bbbbbbbbbbbbbbbbbbbbbbbb', clusters: 1, objects: 6 },
      ],
    });
    expect(text).toBe(
      [
        'Application:  web',
        'Commit:       9f2c6a1e0b7d4c3a2f1e0d9c8b7a6f5e4d3c2b1a',
        '',
        'WAVE     SELECTOR      SIZE   CLUSTERS',
        'canary   ring=canary   1      canary-1',
        'prod     env=prod      2      prod-a,prod-b',
        'rest     <rest>        0      -',
        '',
        'Excluded:',
        '  prod-c (wave prod): cordoned',
        '',
        'Render errors (startRollout would refuse):',
        '  prod-b: values.color: not set',
        '',
        'BUNDLE                CLUSTERS   OBJECTS',
        'sha256:aaaaaaaaaaaa   2          7',
        'sha256:bbbbbbbbbbbb   1          6',
        '',
      ].join('\n'),
    );
  });
});

describe('rollouts preview --diff', () => {
  it('prints each group of clusters once with its object changes, as kubectl diff does', () => {
    const text = previewDiffText({
      application: 'web',
      commit: '9f2c6a1e0b7d4c3a2f1e0d9c8b7a6f5e4d3c2b1a',
      renderErrors: [],
      diff: [
        {
          clusters: ['prod-a', 'prod-b'],
          changes: [
            {
              object: 'Deployment shop/web',
              change: 'changed',
              diff: '--- a/Deployment shop/web\n+++ b/Deployment shop/web\n@@ -1 +1 @@\n-replicas: 2\n+replicas: 3\n',
            },
          ],
        },
        { clusters: ['canary-1'], changes: [] },
      ],
    });
    expect(text).toBe(
      [
        '# 2 cluster(s): prod-a, prod-b — 1 object(s) change',
        '--- a/Deployment shop/web',
        '+++ b/Deployment shop/web',
        '@@ -1 +1 @@',
        '-replicas: 2',
        '+replicas: 3',
        '',
        '# 1 cluster(s): canary-1 — no change',
        '',
      ].join('\n'),
    );
  });
});
