import { type ApiToken } from '../resources/api-tokens.js';
import { formatAge, formatTime } from './age.js';
import { renderTable } from './table.js';

/** Pure: Active, Revoked or Expired. */
export function apiTokenStatus(token: Pick<ApiToken, 'revokedAt' | 'expiresAt'>, now: Date): string {
  if (token.revokedAt) return 'Revoked';
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= now.getTime()) return 'Expired';
  return 'Active';
}

/**
 * Pure: ID NAME ROLE PROJECT STATUS EXPIRES LAST-USED AGE (never a secret: the hub keeps none);
 * PROJECT is `*` for a fleet-wide token.
 */
export function apiTokensTable(tokens: readonly ApiToken[], now: Date): string {
  return renderTable(
    ['id', 'name', 'role', 'project', 'status', 'expires', 'last-used', 'age'],
    tokens.map((t) => [
      t.id,
      t.name,
      t.role,
      t.project ?? '*',
      apiTokenStatus(t, now),
      t.expiresAt ? formatTime(t.expiresAt) : 'never',
      t.lastUsedAt ? formatAge(t.lastUsedAt, now) : '<never>',
      formatAge(t.createdAt, now),
    ]),
  );
}
