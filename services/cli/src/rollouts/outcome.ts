import { CliError, CLI_CODES, EXIT } from '../errors.js';
import { FINAL_STATES } from '../resources/rollouts.js';

/** Pure: 0 for Succeeded, 1 for the other final states, undefined while the rollout can still move. */
export function exitCodeForState(state: string): number | undefined {
  if (state === 'Succeeded') return EXIT.ok;
  return FINAL_STATES.has(state) ? EXIT.error : undefined;
}

/** Pure: the error a rollout that finished without succeeding ends `wait` and `watch` with. */
export function rolloutOutcomeError(rollout: {
  id: string;
  state: string;
  message: string | null;
}): CliError | undefined {
  if (exitCodeForState(rollout.state) !== EXIT.error) return undefined;
  const why = rollout.message ? `: ${rollout.message}` : '';
  return new CliError(`rollout ${rollout.id} ended ${rollout.state}${why}`, CLI_CODES.rolloutFailed);
}
