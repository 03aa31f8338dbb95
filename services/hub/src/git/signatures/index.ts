// Signed commits: splitting a commit into payload and signature, OpenPGP and SSH verification.
export {
  loadTrustedKeys,
  policyFingerprint,
  type TrustedKeys,
  TrustedKeyError,
  VERIFY_MODES,
  verifyCommitSignature,
  type VerifyMode,
  type VerifyPolicy,
} from './commit-verification.js';
export { SIGNATURE_STATUSES, type SignatureFinding, type SignatureStatus } from './signature-finding.js';
export { type SignedCommit, splitSignedCommit } from './signed-commit.js';
