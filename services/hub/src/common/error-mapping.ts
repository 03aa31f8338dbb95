import { type ErrorCode } from './domain-error.js';

/** The single place where domain error codes meet transport status codes. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  FAILED_PRECONDITION: 412,
  PAYLOAD_TOO_LARGE: 413,
};

/** Codes for failures that are not DomainErrors. */
export const INTERNAL_ERROR = 'INTERNAL';
