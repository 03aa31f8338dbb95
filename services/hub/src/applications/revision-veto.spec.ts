import { describe, expect, it } from '@jest/globals';
import { type RevisionVeto, vetoedHead, vetoedMessage, vetoVerdict } from './revision-veto.js';

const veto = (commit: string, reason = 'breaks checkout'): RevisionVeto => ({
  applicationId: 'app-1',
  commit,
  reason,
  actor: 'user:ada',
  at: new Date('2026-12-02T05:00:00Z'),
});

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('vetoVerdict', () => {
  it.each([
    ['no veto, automatic', null, true, false, 'start'],
    ['no veto, manual', null, false, false, 'start'],
    ['no veto, manual with force', null, false, true, 'start'],
    ['vetoed, automatic', veto(A), true, false, 'skip'],
    ['vetoed, automatic even with force', veto(A), true, true, 'skip'],
    ['vetoed, manual', veto(A), false, false, 'refuse'],
    ['vetoed, manual with force', veto(A), false, true, 'start'],
  ] as const)('%s → %s', (_name, given, automatic, force, expected) => {
    expect(vetoVerdict(given, { automatic, force })).toBe(expected);
  });
});

describe('vetoedMessage', () => {
  it('names the commit, who vetoed it, the reason and the way out', () => {
    expect(vetoedMessage(veto(A))).toBe(
      'commit aaaaaaaaaaaa is vetoed by user:ada: breaks checkout (start it with force, or unveto it first)',
    );
  });
});

describe('vetoedHead', () => {
  it.each([
    ['no head commit', null, [veto(A)], null],
    ['head not vetoed', B, [veto(A)], null],
    ['head vetoed', A, [veto(B), veto(A)], A],
    ['no vetoes', A, [], null],
  ] as const)('%s', (_name, head, vetoes, expected) => {
    expect(vetoedHead(head, vetoes)?.commit ?? null).toBe(expected);
  });
});
