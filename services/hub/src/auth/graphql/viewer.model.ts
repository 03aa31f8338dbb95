import { Field, ObjectType } from '@nestjs/graphql';
import { type Actor, holdsFleetRole, ROLE_RANK, type Role } from '../../common/actor.js';
import { RoleEnum } from '../../graphql/role.enum.js';

@ObjectType('Viewer', { description: 'The caller: who the hub takes it for and what it may do.' })
export class ViewerModel {
  @Field(() => String, {
    description: 'Its audit name: user:<name> (single sign-on), token:<name>, bootstrap-admin.',
  })
  name!: string;
  @Field(() => [RoleEnum], {
    description:
      'Fleet-wide roles it holds (admin implies operator and viewer); empty when it holds roles only in projects.',
  })
  roles!: Role[];
  @Field(() => [String], { description: 'Its single sign-on groups; empty for API tokens.' })
  groups!: string[];
  @Field(() => String, {
    nullable: true,
    description: 'Set for an API token bound to one project: it acts only there.',
  })
  boundProject!: string | null;
  /** For the field resolvers of other features (Viewer.projects): who this is. */
  actor!: Actor;
}

export function toViewerModel(actor: Actor): ViewerModel {
  const held = holdsFleetRole(actor) ? actor.role : null;
  const roles = (Object.keys(ROLE_RANK) as Role[]).filter(
    (role) => held !== null && ROLE_RANK[role] <= ROLE_RANK[held],
  );
  return {
    name: actor.name,
    roles,
    groups: [...(actor.groups ?? [])],
    boundProject: actor.project ?? null,
    actor,
  };
}
