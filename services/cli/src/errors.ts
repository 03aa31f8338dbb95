/** Exit codes of fleetctl (docs/fleetctl.md lists them). */
export const EXIT = {
  ok: 0,
  /** API, usage, configuration and connection errors; a rollout that ended without succeeding. */
  error: 1,
  /** `rollouts wait` gave up before the rollout finished. */
  timeout: 2,
} as const;

/** Codes of errors fleetctl raises itself; errors from the hub carry the hub's code (NOT_FOUND, …). */
export const CLI_CODES = {
  usage: 'USAGE',
  config: 'CONFIG',
  unavailable: 'UNAVAILABLE',
  timeout: 'DEADLINE_EXCEEDED',
  rolloutFailed: 'ROLLOUT_FAILED',
  syncFailed: 'SYNC_FAILED',
  renderFailed: 'RENDER_FAILED',
  notFound: 'NOT_FOUND',
  sso: 'SSO_FAILED',
} as const;

/** An error for people: one line, a code, and the exit code it ends fleetctl with. */
export class CliError extends Error {
  override readonly name: string = 'CliError';

  constructor(
    message: string,
    readonly code: string,
    readonly exitCode: number = EXIT.error,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An error the hub answered with (its `extensions.code`). */
export class ApiError extends CliError {
  override readonly name = 'ApiError';
}

/** The hub could not be reached, or answered with something that is not GraphQL. */
export class UnavailableError extends CliError {
  override readonly name = 'UnavailableError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, CLI_CODES.unavailable, EXIT.error, options);
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, CLI_CODES.usage);
}

/** Commander's own errors (unknown option, missing argument, --help) carry exitCode and code. */
interface CommanderLike {
  exitCode: number;
  code: string;
}

function isCommanderError(error: unknown): error is CommanderLike {
  return (
    error instanceof Error &&
    typeof (error as Partial<CommanderLike>).exitCode === 'number' &&
    typeof (error as Partial<CommanderLike>).code === 'string' &&
    (error as Partial<CommanderLike>).code!.startsWith('commander.')
  );
}

/** Pure: the exit code an error ends fleetctl with. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (isCommanderError(error)) return error.exitCode;
  return EXIT.error;
}

/** Pure: whether commander has already told the user (help, version, usage errors). */
export function isReportedByCommander(error: unknown): boolean {
  return isCommanderError(error);
}

/** Pure: `error: <message> (<CODE>)` on one line; with debug, the stack (and causes) follow. */
export function formatError(error: unknown, debug = false): string {
  const code = error instanceof CliError ? error.code : 'INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  const line = `error: ${oneLine(message)} (${code})\n`;
  if (!debug) return line;
  let details = '';
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    details += `${current.stack ?? current.message}\n`;
    current = current.cause;
  }
  return line + details;
}

/** Newlines (and the spaces around them) become single spaces. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
