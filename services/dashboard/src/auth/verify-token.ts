import { ApiError, errorMessage, postGraphql } from '../api/graphql';
import { ROLE_PROBES, TOKEN_CHECK } from '../api/documents';
import { type Role } from '../api/types';

export type Verification = { ok: true; role: Role } | { ok: false; refused: boolean; message: string };

/** Whether the hub takes the token, and with which role (see ROLE_PROBES). */
export async function verifyToken(token: string): Promise<Verification> {
  try {
    await postGraphql(token, TOKEN_CHECK);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') {
      return { ok: false, refused: true, message: `The hub refused this token: ${error.message}.` };
    }
    return { ok: false, refused: false, message: `Could not check the token: ${errorMessage(error)}.` };
  }
  const [operator, admin] = await Promise.all([
    passesRoleCheck(token, ROLE_PROBES.operator),
    passesRoleCheck(token, ROLE_PROBES.admin),
  ]);
  return { ok: true, role: admin ? 'admin' : operator ? 'operator' : 'viewer' };
}

async function passesRoleCheck(token: string, probe: string): Promise<boolean> {
  try {
    await postGraphql(token, probe);
    return true;
  } catch (error) {
    // INVALID_ARGUMENT (the id) comes after the role check; FORBIDDEN is the role check itself.
    return error instanceof ApiError && error.code === 'INVALID_ARGUMENT';
  }
}

export function canOperate(role: Role): boolean {
  return role === 'operator' || role === 'admin';
}
