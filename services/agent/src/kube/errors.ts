import { isRecord } from '../domain/index.js';

/**
 * A failed Kubernetes API call, with what the API server said in its `Status` body
 * (`{ kind: 'Status', status: 'Failure', code, reason, message }`).
 *
 * `code` is the HTTP status; 0 when no response came back (connection refused, timeout). `reason` is
 * the Status reason (`NotFound`, `Invalid`, `Conflict`, `Forbidden`, …), or ours for failures that
 * never reached the server (`UnknownKind`, `ConnectionFailed`, `Timeout`).
 */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';

  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    /** The Status body's `details` (causes of an `Invalid`), when there was one. */
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** From a non-2xx response; `what` (`PATCH /apis/apps/v1/...`) is used when the body says nothing. */
  static fromResponse(code: number, bodyText: string, what: string): KubeApiError {
    let body: unknown;
    try {
      body = JSON.parse(bodyText);
    } catch {
      body = undefined;
    }
    if (isRecord(body) && body.kind === 'Status') {
      const reason = typeof body.reason === 'string' && body.reason !== '' ? body.reason : httpReason(code);
      const message =
        typeof body.message === 'string' && body.message !== '' ? body.message : `${what}: HTTP ${code}`;
      return new KubeApiError(code, reason, message, body.details);
    }
    const text = bodyText.trim().slice(0, 512);
    return new KubeApiError(
      code,
      httpReason(code),
      text === '' ? `${what}: HTTP ${code}` : `${what}: ${text}`,
    );
  }
}

/** The Status reasons the API server uses for plain HTTP codes (`metav1.StatusReason`). */
function httpReason(code: number): string {
  switch (code) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 409:
      return 'Conflict';
    case 410:
      return 'Gone';
    case 415:
      return 'UnsupportedMediaType';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    case 500:
      return 'InternalError';
    case 503:
      return 'ServiceUnavailable';
    case 504:
      return 'Timeout';
    default:
      return code >= 500 ? 'InternalError' : 'Unknown';
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof KubeApiError && err.code === 404;
}

export function isConflict(err: unknown): boolean {
  return err instanceof KubeApiError && err.code === 409;
}

/**
 * One line for people and change-set reasons: `Invalid (422): Deployment.apps "web" is invalid: …`
 * for API errors, the message for anything else.
 */
export function describeError(err: unknown): string {
  if (err instanceof KubeApiError) {
    return err.code === 0 ? `${err.reason}: ${err.message}` : `${err.reason} (${err.code}): ${err.message}`;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

/** One `details.causes` entry of a Status: what was wrong, and where. */
interface StatusCause {
  field: string;
  message: string;
}

/**
 * What the API server says when a field cannot change: `field is immutable` (selectors, a Job's
 * template, an immutable ConfigMap's data), `may not change once set` (a Service's clusterIPs),
 * `… is immutable after creation …` (a PVC's spec), `Value is immutable` (a CRD's CEL rule), and the
 * StatefulSet's `updates to statefulset spec for fields other than … are forbidden`.
 */
const IMMUTABLE_CAUSE =
  /\bimmutable\b|may not change once set|updates to statefulset spec for fields other than/i;

/**
 * The fields an apply could not change because they are immutable, when that is why the API server
 * refused it: a 422 `Invalid` whose every cause is an immutable field (a refusal that also has
 * another cause is not: re-creating the object would not get it accepted). Undefined for any other
 * error. The fields come from the Status `details.causes`, or from the message when it has none.
 */
export function immutableFields(err: unknown): string[] | undefined {
  if (!(err instanceof KubeApiError) || err.code !== 422 || err.reason !== 'Invalid') return undefined;
  const causes = causesOf(err);
  if (causes.length === 0 || !causes.every((cause) => IMMUTABLE_CAUSE.test(cause.message))) return undefined;
  return [...new Set(causes.map((cause) => cause.field).filter((field) => field !== ''))];
}

function causesOf(err: KubeApiError): StatusCause[] {
  const causes = isRecord(err.details) ? err.details.causes : undefined;
  if (Array.isArray(causes) && causes.length > 0) {
    return (causes as unknown[]).filter(isRecord).map((cause) => ({
      field: typeof cause.field === 'string' ? cause.field : '',
      message: typeof cause.message === 'string' ? cause.message : '',
    }));
  }
  // `Deployment.apps "web" is invalid: spec.selector: Invalid value: …: field is immutable`
  const match = /\bis invalid: ([A-Za-z0-9_.[\]-]+): (.*)$/s.exec(err.message);
  return match ? [{ field: match[1]!, message: match[2]! }] : [];
}
