import { policyFingerprint } from '../git/index.js';
import { type ApplicationRecord, type RevisionInfo } from './applications.repository.js';

/**
 * Why a revision cannot be rendered or rolled out, or null: its recorded error (unusable source,
 * `signature-invalid`), or, for an application that verifies signatures, a signature not checked
 * against its current trusted keys (the keys changed or verification was turned on after the
 * revision was fetched: a sync checks again the commit the ref points at; any other stays refused).
 */
export function revisionProblem(
  app: Pick<ApplicationRecord, 'verify'>,
  revision: RevisionInfo,
): string | null {
  if (revision.error !== null) return revision.error;
  if (app.verify === null || revision.signature?.policy === policyFingerprint(app.verify)) return null;
  return (
    'signature-invalid: unchecked: the commit was fetched before the application trusted its current keys; ' +
    'its signature is checked again when the ref points at it and the application syncs'
  );
}
