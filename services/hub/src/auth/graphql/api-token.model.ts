import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { RoleEnum } from '../../graphql/role.enum.js';
import { type Role } from '../../common/actor.js';
import { type ApiTokenEntity } from '../api-token.entity.js';

@ObjectType('ApiToken', { description: 'A token for people and automation. Its secret is shown once.' })
export class ApiTokenModel {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'Unique among active tokens; the audit trail names it token:<name>.' })
  name!: string;
  @Field(() => RoleEnum) role!: Role;
  @Field(() => String, {
    nullable: true,
    description: 'Set: the token acts only in this project, with its role there; null: fleet-wide.',
  })
  project!: string | null;
  @Field(() => String) createdBy!: string;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) revokedAt!: Date | null;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When it stops working. Null only for tokens made before API tokens expired.',
  })
  expiresAt!: Date | null;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Its last use, to the minute; null when never used.',
  })
  lastUsedAt!: Date | null;
}

@ObjectType('CreateApiTokenPayload')
export class CreateApiTokenPayload {
  @Field(() => ApiTokenModel) token!: ApiTokenModel;
  @Field(() => String, { description: 'The bearer token (fwa_…). Shown only here, once.' }) secret!: string;
}

export function toApiTokenModel(token: ApiTokenEntity): ApiTokenModel {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    project: token.project,
    createdBy: token.createdBy,
    createdAt: token.createdAt,
    revokedAt: token.revokedAt,
    expiresAt: token.expiresAt,
    lastUsedAt: token.lastUsedAt,
  };
}
