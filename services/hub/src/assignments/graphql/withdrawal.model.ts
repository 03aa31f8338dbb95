import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { type DeletionPolicy } from '@fleetwave/contracts';
import { DeletionPolicyEnum } from '../../clusters/graphql/deletion-policy.enum.js';
import { type WithdrawalReason, type WithdrawalRecord } from '../assignments.repository.js';

export const WithdrawalReasonEnum: { [R in WithdrawalReason]: R } = {
  labels: 'labels',
  target: 'target',
  deregistered: 'deregistered',
  deleted: 'deleted',
};
registerEnumType(WithdrawalReasonEnum, {
  name: 'WithdrawalReason',
  description:
    "Why the placement ended: the cluster's labels no longer match the target, the application's target was narrowed, the cluster is being deregistered, the application is being deleted.",
});

@ObjectType('Withdrawal', {
  description:
    "A placement in state Removing: the hub sent the cluster's agent a withdrawal of the application (a tombstone in its assignments) and waits for its status report to confirm the removal.",
})
export class WithdrawalModel {
  @Field(() => ID) clusterId!: string;
  @Field(() => String) clusterName!: string;
  @Field(() => ID) applicationId!: string;
  @Field(() => String, { description: 'The application name, as the agent knows it.' }) application!: string;
  @Field(() => DeletionPolicyEnum) deletionPolicy!: DeletionPolicy;
  @Field(() => WithdrawalReasonEnum) reason!: WithdrawalReason;
  @Field(() => String, { description: 'Who ended the placement (an operator, catch-up, …).' }) actor!: string;
  @Field(() => GraphQLISODateTime, { description: 'When the withdrawal was sent.' }) since!: Date;
}

export function toWithdrawalModel(withdrawal: WithdrawalRecord): WithdrawalModel {
  return { ...withdrawal };
}
