import { type RolloutState } from '@fleetwave/api-client';
import { usageError } from '../errors.js';
import { ROLLOUT_STATES } from '../resources/rollouts.js';

/** Pure: `--state` values (repeatable, comma-separated, any case) as the hub's state names. */
export function parseStates(values: readonly string[]): RolloutState[] {
  const out: RolloutState[] = [];
  for (const value of values.flatMap((v) => v.split(','))) {
    const name = value.trim();
    if (name === '') continue;
    const state = ROLLOUT_STATES.find((s) => s.toLowerCase() === name.toLowerCase());
    if (!state)
      throw usageError(`unknown rollout state "${name}": expected one of ${ROLLOUT_STATES.join(', ')}`);
    if (!out.includes(state)) out.push(state);
  }
  return out;
}
