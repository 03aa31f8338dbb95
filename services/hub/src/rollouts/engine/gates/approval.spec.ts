import { describe, expect, it } from '@jest/globals';
import { approvalGate } from './approval.js';
import { at, clusters, context, parse } from './gate-fixtures.js';
import { type GateContext } from './types.js';

describe('approvalGate.evaluate', () => {
  const blocked = {
    status: 'blocked',
    reason: { kind: 'approval' },
    state: 'AwaitingApproval',
    event: 'wave canary awaits approval',
  };
  it.each<[string, boolean, Partial<GateContext<boolean>>, unknown]>([
    ['not required', false, {}, { status: 'open' }],
    ['required, not approved, not started', true, {}, blocked],
    ['required, approved', true, { approvedAt: at(0) }, { status: 'open' }],
    ['required, already started (approval is asked once)', true, { startedAt: at(0) }, { status: 'open' }],
    ['required, empty wave', true, { clusters: clusters() }, { status: 'open' }],
  ])('%s', (_name, setting, overrides, expected) => {
    expect(approvalGate.evaluate(context(setting, overrides))).toEqual(expected);
  });
});

describe('approvalGate.setting', () => {
  it.each<[unknown, boolean, string[]]>([
    [undefined, false, []],
    [null, false, []],
    [true, true, []],
    [false, false, []],
    ['yes', false, ['waves[0].requireApproval: must be a boolean']],
  ])('%p → %p', (raw, value, errors) => {
    expect(parse(approvalGate.setting.parse, raw)).toEqual({ value, errors });
  });
});

describe('approvalGate.message', () => {
  it('says what it waits for', () => {
    expect(approvalGate.message({ kind: 'approval' })).toBe('approval pending');
  });
});
