import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { LabelsScalar } from '../../graphql/labels.scalar.js';
import { type RegistrationTokenEntity } from '../registration-token.entity.js';

@ObjectType('RegistrationToken', {
  description: 'A token agents register with. Its secret is shown once, at creation, and never stored.',
})
export class RegistrationTokenModel {
  @Field(() => ID) id!: string;
  @Field(() => String) description!: string;
  @Field(() => LabelsScalar, { description: 'Labels a cluster registering with this token starts with.' })
  defaultLabels!: Record<string, string>;
  @Field(() => GraphQLISODateTime, { nullable: true }) expiresAt!: Date | null;
  @Field(() => Int, { nullable: true }) maxUses!: number | null;
  @Field(() => Int) uses!: number;
  @Field(() => GraphQLISODateTime, { nullable: true }) revokedAt!: Date | null;
  @Field(() => String) createdBy!: string;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

@ObjectType('CreateRegistrationTokenPayload')
export class CreateRegistrationTokenPayload {
  @Field(() => RegistrationTokenModel) token!: RegistrationTokenModel;
  @Field(() => String, { description: 'The token to give the agent (fwr_…). Shown only here, once.' })
  secret!: string;
}

@InputType('CreateRegistrationTokenInput')
export class CreateRegistrationTokenInput {
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) expiresAt?: Date | null;
  @Field(() => Int, { nullable: true, description: 'Unlimited when omitted.' }) maxUses?: number | null;
  @Field(() => LabelsScalar, { nullable: true }) defaultLabels?: Record<string, string> | null;
}

export function toRegistrationTokenModel(token: RegistrationTokenEntity): RegistrationTokenModel {
  return {
    id: token.id,
    description: token.description,
    defaultLabels: token.defaultLabels,
    expiresAt: token.expiresAt,
    maxUses: token.maxUses,
    uses: token.uses,
    revokedAt: token.revokedAt,
    createdBy: token.createdBy,
    createdAt: token.createdAt,
  };
}
