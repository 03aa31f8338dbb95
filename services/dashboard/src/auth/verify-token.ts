import { DashboardViewerDocument } from '@fleetwave/api-client';
import { ApiError, errorMessage, postGraphql } from '../api/graphql';
import { type Role } from '../api/model';

export type Verification =
  { ok: true; role: Role; name: string } | { ok: false; refused: boolean; message: string };

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/**
 * Whether the hub takes the token, and what it may do (`viewer`): its greatest fleet-wide role, or,
 * for a caller with roles only in projects (an SSO user in no role group), its greatest project
 * role, so the pages offer what it may do in its projects (the hub still decides per project).
 */
export async function verifyToken(token: string): Promise<Verification> {
  let viewer: { name: string; roles: Role[]; projects: { role: Role }[] };
  try {
    viewer = (await postGraphql(token, DashboardViewerDocument, {})).viewer as typeof viewer;
  } catch (error) {
    if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') {
      return { ok: false, refused: true, message: `The hub refused this token: ${error.message}.` };
    }
    return { ok: false, refused: false, message: `Could not check the token: ${errorMessage(error)}.` };
  }
  const held = [...viewer.roles, ...viewer.projects.map((p) => p.role)];
  const role = held.reduce<Role>((best, r) => (RANK[r] > RANK[best] ? r : best), 'viewer');
  return { ok: true, role, name: viewer.name };
}

export function canOperate(role: Role): boolean {
  return role === 'operator' || role === 'admin';
}
