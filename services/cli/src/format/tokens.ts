import { formatLabels } from '../args/labels.js';
import { type RegistrationToken } from '../resources/tokens.js';
import { formatAge, formatTime } from './age.js';
import { renderTable } from './table.js';

/** Pure: Active, Revoked, Expired or UsedUp. */
export function tokenStatus(token: RegistrationToken, now: Date): string {
  if (token.revokedAt) return 'Revoked';
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= now.getTime()) return 'Expired';
  if (token.maxUses !== null && token.uses >= token.maxUses) return 'UsedUp';
  return 'Active';
}

/** Pure: ID DESCRIPTION STATUS USES EXPIRES LABELS AGE (never a secret: the hub keeps none). */
export function tokensTable(tokens: readonly RegistrationToken[], now: Date): string {
  return renderTable(
    ['id', 'description', 'status', 'uses', 'expires', 'labels', 'age'],
    tokens.map((t) => [
      t.id,
      t.description === '' ? '-' : t.description,
      tokenStatus(t, now),
      t.maxUses === null ? String(t.uses) : `${t.uses}/${t.maxUses}`,
      t.expiresAt ? formatTime(t.expiresAt) : 'never',
      formatLabels(t.defaultLabels),
      formatAge(t.createdAt, now),
    ]),
  );
}
