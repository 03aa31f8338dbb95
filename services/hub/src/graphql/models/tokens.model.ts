import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { type ApiTokenEntity } from '../../auth/api-token.entity.js';
import { type Role } from '../../common/actor.js';
import { type RegistrationTokenEntity } from '../../registration/registration-token.entity.js';
import { LabelsScalar } from '../labels.scalar.js';

export const RoleEnum: { [R in Role]: R } = { viewer: 'viewer', operator: 'operator', admin: 'admin' };
registerEnumType(RoleEnum, {
  name: 'Role',
  description:
    'viewer reads; operator also changes clusters and registration tokens; admin also manages API tokens.',
});

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

@ObjectType('ApiToken', { description: 'A token for people and automation. Its secret is shown once.' })
export class ApiTokenModel {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'Unique among active tokens; the audit trail names it token:<name>.' })
  name!: string;
  @Field(() => RoleEnum) role!: Role;
  @Field(() => String) createdBy!: string;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) revokedAt!: Date | null;
}

@ObjectType('CreateApiTokenPayload')
export class CreateApiTokenPayload {
  @Field(() => ApiTokenModel) token!: ApiTokenModel;
  @Field(() => String, { description: 'The bearer token (fwa_…). Shown only here, once.' }) secret!: string;
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

export function toApiTokenModel(token: ApiTokenEntity): ApiTokenModel {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    createdBy: token.createdBy,
    createdAt: token.createdAt,
    revokedAt: token.revokedAt,
  };
}
