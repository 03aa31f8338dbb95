import { registerEnumType } from '@nestjs/graphql';
import { type DeletionPolicy } from '@fleetwave/contracts';

/**
 * What agents do with an application's objects when its placement on their cluster ends. Registered
 * here, in the lowest room that uses it (cluster deregistration); applications and withdrawals use
 * it too.
 */
export const DeletionPolicyEnum: { [P in DeletionPolicy]: P } = { prune: 'prune', orphan: 'orphan' };
registerEnumType(DeletionPolicyEnum, {
  name: 'DeletionPolicy',
  description:
    'prune: the agent deletes the objects (those annotated to opt out of pruning stay); orphan: it leaves them in place, unmanaged.',
});
