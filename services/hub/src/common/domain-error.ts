/**
 * The hub's one exception type for expected failures. Each code maps to one HTTP status (agent
 * API) and is exposed as `extensions.code` in GraphQL; the mapping lives in error-mapping.ts.
 */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'UNAUTHENTICATED'
  /** An UNAUTHENTICATED of its own: a cluster credential (or signing key) revoked by an admin. */
  | 'CREDENTIAL_REVOKED'
  /** An UNAUTHENTICATED of its own: a cluster credential past its expiry, or replaced and past the grace. */
  | 'CREDENTIAL_EXPIRED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FAILED_PRECONDITION'
  /** A FAILED_PRECONDITION of its own: the commit is vetoed (a manual start needs force). */
  | 'REVISION_VETOED'
  /** A FAILED_PRECONDITION of its own: what it needs (a revision's source, a bundle) was garbage-collected. */
  | 'GARBAGE_COLLECTED'
  /** A FAILED_PRECONDITION of its own: the commit renders no object and the application does not allow empty. */
  | 'EMPTY_BUNDLE'
  | 'PAYLOAD_TOO_LARGE'
  /** Project bounds (projects/): the source repository is not among the project's sourceRepos. */
  | 'PROJECT_SOURCE_DENIED'
  /** Project bounds: the target selector may select clusters outside the project's clusterSelector. */
  | 'PROJECT_DESTINATION_DENIED'
  /** Project bounds: a namespace (the default namespace, or a rendered object's) outside the project's. */
  | 'PROJECT_NAMESPACE_DENIED'
  /** Project bounds: a rendered object's kind is not allowed (cluster-scoped kinds unless listed). */
  | 'PROJECT_KIND_DENIED';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalidArgument = (message: string) => new DomainError('INVALID_ARGUMENT', message);
export const unauthenticated = (message: string) => new DomainError('UNAUTHENTICATED', message);
export const credentialRefused = (code: 'CREDENTIAL_REVOKED' | 'CREDENTIAL_EXPIRED', message: string) =>
  new DomainError(code, message);
export const forbidden = (message: string) => new DomainError('FORBIDDEN', message);
export const notFound = (message: string) => new DomainError('NOT_FOUND', message);
export const conflict = (message: string) => new DomainError('CONFLICT', message);
export const failedPrecondition = (message: string) => new DomainError('FAILED_PRECONDITION', message);
export const revisionVetoed = (message: string) => new DomainError('REVISION_VETOED', message);
export const garbageCollected = (message: string) => new DomainError('GARBAGE_COLLECTED', message);
export const emptyBundle = (message: string) => new DomainError('EMPTY_BUNDLE', message);
