import { describe, expect, it } from '@jest/globals';
import {
  AssignmentSchema,
  AssignmentsResponseSchema,
  BundleResponseSchema,
  bundleDigest,
} from './agent-api.js';

const digest = `sha256:${'a'.repeat(64)}`;
const commit = 'b'.repeat(40);

describe('assignments and bundles', () => {
  it('fills safe defaults: prune on, empty bundles never prune everything, 10 min deadline, no health rules', () => {
    expect(AssignmentSchema.parse({ application: 'web', digest, commit })).toEqual({
      application: 'web',
      digest,
      commit,
      prune: true,
      allowEmpty: false,
      progressDeadlineSeconds: 600,
      healthChecks: [],
      recreate: 'annotated',
    });
  });

  it('reads an assignment from a hub that predates recreate as annotated-only, and takes each policy', () => {
    expect(AssignmentSchema.parse({ application: 'web', digest, commit }).recreate).toBe('annotated');
    for (const recreate of ['never', 'annotated', 'always'] as const) {
      expect(AssignmentSchema.parse({ application: 'web', digest, commit, recreate }).recreate).toBe(
        recreate,
      );
    }
  });

  it('carries health rules, with their optional expressions left out when absent', () => {
    const rule = { apiVersion: 'example.com/v1', kind: 'Widget', current: 'status.ready == true' };
    const parsed = AssignmentSchema.parse({ application: 'web', digest, commit, healthChecks: [rule] });
    expect(parsed.healthChecks).toEqual([rule]);
  });

  it.each([
    ['a rule without current', [{ apiVersion: 'v1', kind: 'Widget' }], ['healthChecks', 0, 'current']],
    ['a blank expression', [{ apiVersion: 'v1', kind: 'W', current: '  ' }], ['healthChecks', 0, 'current']],
    [
      'an expression over 4 KiB',
      [{ apiVersion: 'v1', kind: 'W', current: 'true' + ' '.repeat(4096) }],
      ['healthChecks', 0, 'current'],
    ],
    [
      'a malformed apiVersion',
      [{ apiVersion: 'Example/v1', kind: 'W', current: 'true' }],
      ['healthChecks', 0, 'apiVersion'],
    ],
    [
      'a malformed kind',
      [{ apiVersion: 'v1', kind: 'my-kind', current: 'true' }],
      ['healthChecks', 0, 'kind'],
    ],
    [
      'more than 50 rules',
      Array.from({ length: 51 }, () => ({ apiVersion: 'v1', kind: 'W', current: 'true' })),
      ['healthChecks'],
    ],
  ])('rejects %s', (_case, healthChecks, path) => {
    const result = AssignmentSchema.safeParse({ application: 'web', digest, commit, healthChecks });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(path);
  });

  it.each([
    ['a digest without its algorithm', { digest: 'a'.repeat(64) }, 'digest'],
    ['an upper-case digest', { digest: `sha256:${'A'.repeat(64)}` }, 'digest'],
    ['a short commit', { commit: 'abc' }, 'commit'],
    ['a zero deadline', { progressDeadlineSeconds: 0 }, 'progressDeadlineSeconds'],
    ['an empty application', { application: '' }, 'application'],
    ['an unknown recreate policy', { recreate: 'sometimes' }, 'recreate'],
  ])('rejects %s', (_case, override, field) => {
    const result = AssignmentSchema.safeParse({ application: 'web', digest, commit, ...override });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
  });

  it('rejects a negative generation', () => {
    expect(AssignmentsResponseSchema.safeParse({ generation: -1, assignments: [] }).success).toBe(false);
  });

  it('reads a response without withdrawals (an older hub) as withdrawing nothing', () => {
    expect(AssignmentsResponseSchema.parse({ generation: 3, assignments: [] }).withdrawals).toEqual([]);
  });

  it('defaults a withdrawal to prune and refuses other policies', () => {
    const parsed = AssignmentsResponseSchema.parse({
      generation: 3,
      assignments: [],
      withdrawals: [{ application: 'web' }, { application: 'db', deletionPolicy: 'orphan' }],
    });
    expect(parsed.withdrawals).toEqual([
      { application: 'web', deletionPolicy: 'prune' },
      { application: 'db', deletionPolicy: 'orphan' },
    ]);
    const bad = AssignmentsResponseSchema.safeParse({
      generation: 3,
      assignments: [],
      withdrawals: [{ application: 'web', deletionPolicy: 'delete-everything' }],
    });
    expect(bad.error?.issues[0]?.path).toEqual(['withdrawals', 0, 'deletionPolicy']);
  });

  it('refuses an application both assigned and withdrawn', () => {
    const result = AssignmentsResponseSchema.safeParse({
      generation: 3,
      assignments: [{ application: 'web', digest, commit }],
      withdrawals: [{ application: 'web' }],
    });
    expect(result.error?.issues[0]?.message).toBe('an application cannot be both assigned and withdrawn');
  });

  it('addresses content by the sha256 of its UTF-8 bytes', () => {
    const manifests = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: café\n';
    const d = bundleDigest(manifests);
    expect(d).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(bundleDigest(manifests)).toBe(d);
    expect(bundleDigest(manifests.replace('café', 'cafe'))).not.toBe(d);
    expect(BundleResponseSchema.parse({ digest: d, manifests })).toEqual({ digest: d, manifests });
  });
});
