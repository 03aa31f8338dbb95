import { describe, expect, it } from '@jest/globals';
import { policyFingerprint, type VerifyPolicy } from '../git/index.js';
import { type RevisionInfo } from './applications.repository.js';
import { revisionProblem } from './revision-usable.js';

const POLICY: VerifyPolicy = { mode: 'ssh', trustedKeys: ['ssh-ed25519 AAAA a'] };
const checked = (policy: VerifyPolicy | null) => ({
  status: 'verified' as const,
  format: 'ssh' as const,
  keyId: 'SHA256:x',
  signer: 'a',
  reason: null,
  policy: policyFingerprint(policy),
});
const revision = (error: string | null, signature: RevisionInfo['signature']) =>
  ({ error, signature }) as RevisionInfo;

describe('revisionProblem', () => {
  it.each([
    ['no verification, no error', null, revision(null, null), null],
    ['no verification, a source error', null, revision('no-manifests: x', null), 'no-manifests: x'],
    ['verified under the current keys', POLICY, revision(null, checked(POLICY)), null],
    [
      'refused signature',
      POLICY,
      revision('signature-invalid: unsigned', checked(POLICY)),
      'signature-invalid: unsigned',
    ],
    ['fetched before verification was on', POLICY, revision(null, null), /^signature-invalid: unchecked/],
    [
      'checked under other keys',
      POLICY,
      revision(null, checked({ ...POLICY, trustedKeys: ['ssh-ed25519 BBBB b'] })),
      /^signature-invalid: unchecked/,
    ],
  ] as const)('%s', (_, verify, rev, expected) => {
    const problem = revisionProblem({ verify }, rev);
    if (expected === null || typeof expected === 'string') expect(problem).toBe(expected);
    else expect(problem).toMatch(expected);
  });
});
