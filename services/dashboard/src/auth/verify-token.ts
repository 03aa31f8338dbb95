import {
  DashboardAdminProbeDocument,
  DashboardOperatorProbeDocument,
  DashboardTokenCheckDocument,
  type TypedDocumentString,
} from '@fleetwave/api-client';
import { ApiError, errorMessage, postGraphql } from '../api/graphql';
import { type Role } from '../api/model';

export type Verification = { ok: true; role: Role } | { ok: false; refused: boolean; message: string };

/** Whether the hub takes the token, and with which role (see the probes in session.graphql). */
export async function verifyToken(token: string): Promise<Verification> {
  try {
    await postGraphql(token, DashboardTokenCheckDocument, {});
  } catch (error) {
    if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') {
      return { ok: false, refused: true, message: `The hub refused this token: ${error.message}.` };
    }
    return { ok: false, refused: false, message: `Could not check the token: ${errorMessage(error)}.` };
  }
  const [operator, admin] = await Promise.all([
    passesRoleCheck(token, DashboardOperatorProbeDocument),
    passesRoleCheck(token, DashboardAdminProbeDocument),
  ]);
  return { ok: true, role: admin ? 'admin' : operator ? 'operator' : 'viewer' };
}

async function passesRoleCheck(
  token: string,
  probe: TypedDocumentString<unknown, Record<string, never>>,
): Promise<boolean> {
  try {
    await postGraphql(token, probe, {});
    return true;
  } catch (error) {
    // INVALID_ARGUMENT (the id) comes after the role check; FORBIDDEN is the role check itself.
    return error instanceof ApiError && error.code === 'INVALID_ARGUMENT';
  }
}

export function canOperate(role: Role): boolean {
  return role === 'operator' || role === 'admin';
}
