import { type ErrorCode } from './domain-error.js';

/** The single place where domain error codes meet transport status codes. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  CREDENTIAL_REVOKED: 401,
  CREDENTIAL_EXPIRED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  FAILED_PRECONDITION: 412,
  REVISION_VETOED: 412,
  GARBAGE_COLLECTED: 412,
  EMPTY_BUNDLE: 412,
  PAYLOAD_TOO_LARGE: 413,
  PROJECT_SOURCE_DENIED: 403,
  PROJECT_DESTINATION_DENIED: 403,
  PROJECT_NAMESPACE_DENIED: 403,
  PROJECT_KIND_DENIED: 403,
};

/** Codes for failures that are not DomainErrors. */
export const INTERNAL_ERROR = 'INTERNAL';

/** For errors raised by the HTTP stack itself (body parser, routing), which carry only a status. */
export function codeForHttpStatus(status: number): string {
  const match = (Object.entries(HTTP_STATUS) as [ErrorCode, number][]).find(([, s]) => s === status);
  if (match) return match[0];
  return status >= 500 ? INTERNAL_ERROR : 'INVALID_ARGUMENT';
}
