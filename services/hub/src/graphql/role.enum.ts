import { registerEnumType } from '@nestjs/graphql';
import { type Role } from '../common/actor.js';

/**
 * The GraphQL Role enum. Here, beside the role checks of graphql-context.ts, because several
 * features answer roles (API tokens, project members): in one of them it would tie them together.
 */
export const RoleEnum: { [R in Role]: R } = { viewer: 'viewer', operator: 'operator', admin: 'admin' };
registerEnumType(RoleEnum, {
  name: 'Role',
  description:
    'viewer reads; operator also changes clusters and registration tokens; admin also manages API tokens.',
});
