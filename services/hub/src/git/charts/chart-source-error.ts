/** Stable reasons a chart cannot be taken from its repository or registry. */
export type ChartErrorCode =
  /** The repository or registry does not know the chart. */
  | 'chart-not-found'
  /** The chart exists but no version matches the application's version or range. */
  | 'chart-version-not-found'
  /** It did not answer, or answered with a server error. */
  | 'chart-repository-unreachable'
  /** It refused the credentials (or asked for some and the application names none). */
  | 'chart-auth-failed'
  /** The archive downloaded is not the one the index or manifest names. */
  | 'chart-digest-mismatch'
  /** It answered with something that is not a Helm repository index or chart manifest. */
  | 'chart-invalid';

/** An expected failure, with a message for whoever configured the application (never a secret). */
export class ChartSourceError extends Error {
  override readonly name = 'ChartSourceError';

  constructor(
    readonly code: ChartErrorCode,
    message: string,
  ) {
    super(message);
  }
}
